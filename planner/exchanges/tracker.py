"""The annual exchange tracker, as pure functions over plain facts (no Flask, no database).

Target of the states–prefectures initiative: at least N Indian states and M Japanese prefectures exchange
delegations in a year (sending or hosting). A year is a calendar year or an April–March fiscal year
("FY2026-27" runs 1 Apr 2026 – 31 Mar 2027). A delegation belongs to the year its visit starts in.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

BASES = ("calendar", "fiscal")
COUNTED_STATUSES = ("confirmed", "completed")


@dataclass(frozen=True)
class RegionRef:
    code: str
    name: str
    country: str  # "IN" or "JP"


@dataclass(frozen=True)
class DelegationFact:
    start_date: date
    status: str
    direction: str  # "IN_JP" or "JP_IN"
    sending: tuple[RegionRef, ...]
    host: tuple[RegionRef, ...]
    partnership: str = ""  # label, e.g. "Gujarat–Shizuoka"; "" when none


@dataclass
class YearReport:
    year: int
    basis: str
    label: str
    first_day: date
    last_day: date
    status: str  # met / on_track / not_started / at_risk / missed
    target_states: int
    target_prefectures: int
    completed_states: list[RegionRef] = field(default_factory=list)
    confirmed_states: list[RegionRef] = field(default_factory=list)  # confirmed only, not yet completed
    completed_prefectures: list[RegionRef] = field(default_factory=list)
    confirmed_prefectures: list[RegionRef] = field(default_factory=list)
    sent: dict = field(default_factory=dict)  # RegionRef -> Counter(status)
    hosted: dict = field(default_factory=dict)
    by_direction: Counter = field(default_factory=Counter)  # (direction, status) -> count
    by_partnership: dict = field(default_factory=dict)  # label -> Counter((direction, status))


def year_of(day: date, basis: str) -> int:
    """The year (a fiscal year is named by the calendar year it starts in) that `day` belongs to."""
    if basis == "fiscal":
        return day.year if day.month >= 4 else day.year - 1
    return day.year


def year_bounds(year: int, basis: str) -> tuple[date, date]:
    if basis == "fiscal":
        return date(year, 4, 1), date(year + 1, 3, 31)
    return date(year, 1, 1), date(year, 12, 31)


def year_label(year: int, basis: str) -> str:
    return f"FY{year}-{(year + 1) % 100:02d}" if basis == "fiscal" else str(year)


def _status(report: YearReport, today: date) -> str:
    completed_ok = (len(report.completed_states) >= report.target_states
                    and len(report.completed_prefectures) >= report.target_prefectures)
    if completed_ok:
        return "met"
    if today > report.last_day:
        return "missed"
    planned_states = len(report.completed_states) + len(report.confirmed_states)
    planned_prefectures = len(report.completed_prefectures) + len(report.confirmed_prefectures)
    if planned_states >= report.target_states and planned_prefectures >= report.target_prefectures:
        return "on_track"
    if today < report.first_day:  # a year still to come is planned, not at risk yet
        return "not_started"
    return "at_risk"


def year_report(facts: list[DelegationFact], year: int, *, basis: str, target_states: int,
                target_prefectures: int, today: date, label=year_label) -> YearReport:
    """Who sent and hosted in `year`, and whether the target is met, on track, at risk or missed on `today`.
    ``label(year, basis)`` names the year (the pages pass one in the reader's language)."""
    if basis not in BASES:
        raise ValueError(f"unknown year basis {basis!r}")
    first_day, last_day = year_bounds(year, basis)
    report = YearReport(year=year, basis=basis, label=label(year, basis), first_day=first_day,
                        last_day=last_day, status="", target_states=target_states,
                        target_prefectures=target_prefectures)
    completed, confirmed = set(), set()
    for fact in facts:
        if fact.status not in COUNTED_STATUSES or not first_day <= fact.start_date <= last_day:
            continue
        (completed if fact.status == "completed" else confirmed).update(fact.sending + fact.host)
        for region in fact.sending:
            report.sent.setdefault(region, Counter())[fact.status] += 1
        for region in fact.host:
            report.hosted.setdefault(region, Counter())[fact.status] += 1
        report.by_direction[(fact.direction, fact.status)] += 1
        label = fact.partnership or "—"
        report.by_partnership.setdefault(label, Counter())[(fact.direction, fact.status)] += 1
    confirmed -= completed

    def of(regions, country):
        return sorted((r for r in regions if r.country == country), key=lambda r: r.name)

    report.completed_states, report.confirmed_states = of(completed, "IN"), of(confirmed, "IN")
    report.completed_prefectures, report.confirmed_prefectures = of(completed, "JP"), of(confirmed, "JP")
    report.status = _status(report, today)
    return report


def years_with_data(facts: list[DelegationFact], basis: str, today: date | None = None) -> list[int]:
    """The years with visits and, once there is any, every year from the first up to ``today``'s: a year with
    no visit is a year the target was missed, and the current year is the one being worked on."""
    years = {year_of(fact.start_date, basis) for fact in facts}
    if years and today is not None:
        current = year_of(today, basis)
        years.update(range(min(min(years), current), current + 1))
    return sorted(years)
