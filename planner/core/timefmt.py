"""Time display: instants are stored in UTC and shown to both sides in IST and JST."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

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


def as_utc(instant: datetime) -> datetime:
    if instant.tzinfo is None:
        raise ValueError("naive datetime: attach a time zone before converting")
    return instant.astimezone(UTC)


def dual_time(instant: datetime) -> DualTime:
    instant = as_utc(instant)
    return DualTime(ist=instant.astimezone(IST), jst=instant.astimezone(JST))


def format_local(local: datetime, *, with_date: bool = True) -> str:
    """'Thu 15 Oct 2026, 10:00' (or '10:00' without the date)."""
    if not with_date:
        return local.strftime("%H:%M")
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M}"


def format_date(day: date | None) -> str:
    return "" if day is None else f"{day:%a} {day.day} {day:%b %Y}"


def local_to_utc(naive_local: datetime, tz_name: str) -> datetime:
    """A wall-clock time at a venue (as typed into a form) to the UTC instant it means."""
    return naive_local.replace(tzinfo=ZoneInfo(tz_name)).astimezone(UTC)
