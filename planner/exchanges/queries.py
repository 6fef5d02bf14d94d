"""Loading the tracker's facts from the database. The tracker is programme-wide: counts and region names only."""

from datetime import date

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from planner.core.timefmt import today_ist
from planner.delegations.models import Delegation
from planner.exchanges.tracker import (
    BASES,
    COUNTED_STATUSES,
    DelegationFact,
    RegionRef,
    year_report,
    years_with_data,
)
from planner.extensions import db


def delegation_facts() -> list[DelegationFact]:
    stmt = select(Delegation).where(Delegation.status.in_(COUNTED_STATUSES))
    facts = []
    for delegation in db.session.scalars(stmt).unique():
        def refs(regions):
            return tuple(RegionRef(r.code, r.display_name, r.country) for r in regions)  # in the page's language

        facts.append(DelegationFact(
            start_date=delegation.start_date, status=delegation.status, direction=delegation.direction,
            sending=refs(delegation.sending_regions), host=refs(delegation.host_regions),
            partnership=delegation.partnership.display_title if delegation.partnership else ""))
    return facts


def tracker_settings(basis: str | None = None) -> dict:
    config = current_app.config
    chosen = basis if basis in BASES else config.get("EXCHANGE_YEAR_BASIS", "calendar")
    if chosen not in BASES:
        chosen = "calendar"
    return {"basis": chosen, "target_states": int(config["EXCHANGE_TARGET_STATES"]),
            "target_prefectures": int(config["EXCHANGE_TARGET_PREFECTURES"])}


def year_name(year: int, basis: str) -> str:
    """The year's name in the reader's language ("FY2026-27", 「2026年度」)."""
    if basis == "fiscal":
        return _("FY%(year)d-%(next)02d", year=year, next=(year + 1) % 100)
    return str(year)


def reports(basis: str | None = None, today: date | None = None, years: list[int] | None = None):
    settings = tracker_settings(basis)
    facts = delegation_facts()
    today = today or today_ist()
    years = years or years_with_data(facts, settings["basis"], today)
    return settings, [year_report(facts, year, today=today, label=year_name, **settings) for year in years]
