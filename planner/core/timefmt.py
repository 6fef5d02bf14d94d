"""Time display: instants are stored in UTC and shown to both sides in IST and JST."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

IST = ZoneInfo("Asia/Kolkata")
JST = ZoneInfo("Asia/Tokyo")
ZONE_ABBREVIATIONS = {"Asia/Kolkata": "IST", "Asia/Tokyo": "JST", "UTC": "UTC"}


def zone_label(tz_name: str) -> str:
    return ZONE_ABBREVIATIONS.get(tz_name, tz_name)


@dataclass(frozen=True)
class DualTime:
    """One instant, as people in India and in Japan read it."""

    ist: datetime
    jst: datetime

    def __str__(self) -> str:
        return f"{format_local(self.ist)} IST · {format_local(self.jst)} JST"

    @property
    def lines(self) -> tuple[str, str]:
        """For a narrow column: IST in full, then JST with its date only when Japan is on another day."""
        jst = format_local(self.jst, with_date=self.jst.date() != self.ist.date())
        return f"{format_local(self.ist)} IST", f"{jst} JST"


def as_utc(instant: datetime) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("naive datetime: attach a time zone before converting")
    return instant.astimezone(UTC)


def dual_time(instant: datetime) -> DualTime:
    instant = as_utc(instant)
    return DualTime(ist=instant.astimezone(IST), jst=instant.astimezone(JST))


JA_WEEKDAYS = "月火水木金土日"


def display_language() -> str:
    """'ja' on Japanese pages (or inside flask_babel.force_locale("ja"), e.g. a mail to a Japanese recipient);
    'en' otherwise: English pages, and the CLI and workers unless they force a locale."""
    if not has_app_context() or "babel" not in current_app.extensions:
        return "en"
    from flask_babel import get_locale

    locale = get_locale()
    return "ja" if locale is not None and locale.language == "ja" else "en"


def format_local(local: datetime, *, with_date: bool = True, language: str | None = None) -> str:
    """'Thu 15 Oct 2026, 10:00' in English, '2026年10月15日(木) 10:00' in Japanese ('10:00' without the date).
    The language is the page's (display_language) unless given."""
    if not with_date:
        return local.strftime("%H:%M")
    if (language or display_language()) == "ja":
        return f"{format_date(local, language='ja')} {local:%H:%M}"
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"


def format_date(day: date | None, language: str | None = None) -> str:
    """'Thu 15 Oct 2026' in English, '2026年10月15日(木)' in Japanese."""
    if day is None:
        return ""
    if (language or display_language()) == "ja":
        return f"{day.year}年{day.month}月{day.day}日({JA_WEEKDAYS[day.weekday()]})"
    return f"{day:%a} {day.day} {day:%b %Y}"


def format_iso_date(text: str | None) -> str:
    """A date kept as ISO text (a history entry's old or new due date), formatted as ``format_date``; what
    is not a date is returned as it is."""
    try:
        return format_date(date.fromisoformat(text)) if text else ""
    except (TypeError, ValueError):
        return text or ""


def local_exists(naive_local: datetime, tz_name: str) -> bool:
    """False for a wall-clock time the zone skips (the hour lost when clocks go forward, e.g. 01:30 on the last
    Sunday of March in London): ``local_to_utc`` would move it by that hour without a word."""
    aware = naive_local.replace(tzinfo=ZoneInfo(tz_name))
    return aware.astimezone(UTC).astimezone(aware.tzinfo).replace(tzinfo=None) == naive_local


def local_to_utc(naive_local: datetime, tz_name: str) -> datetime:
    """A wall-clock time at a venue (as typed into a form) to the UTC instant it means; a time the clocks pass
    twice (when they go back) means the first."""
    return naive_local.replace(tzinfo=ZoneInfo(tz_name)).astimezone(UTC)


def today_jst() -> date:
    """Japan's date, the later of the two sides': what either side dates today (a signing, a founding) is not
    in the future by it."""
    from planner.core.types import utcnow

    return utcnow().astimezone(JST).date()


def today_ist() -> date:
    """The planner's "today" (due dates, the exchange tracker's year): India's date (Japan's is the same or one
    day later), not the server's, which may run on UTC."""
    from planner.core.types import utcnow

    return utcnow().astimezone(IST).date()
