"""The outcome dashboard's numbers, for one user's scope, one partnership (or all) and one year (calendar or
April–March fiscal, as the exchange tracker counts)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from planner.core.access import scope_clause
from planner.exchanges.queries import year_name
from planner.exchanges.tracker import year_bounds, year_of
from planner.extensions import db
from planner.followups.agreement_models import CURRENCIES, Agreement
from planner.followups.models import (
    AGREEMENT_OR_LATER,
    INVESTMENT_OR_ORDER,
    NEGOTIATION_OR_LATER,
    STAGES,
    FollowUp,
)
from planner.followups.money import RateTable
from planner.itinerary.models import Event
from planner.matchmaking.models import B2BSession, Meeting


@dataclass
class Dashboard:
    year: int
    basis: str
    label: str
    first_day: date
    last_day: date
    meetings_held: int = 0
    meetings_upcoming: int = 0  # scheduled in the year, after today
    by_stage: Counter = field(default_factory=Counter)
    open_followups: list = field(default_factory=list)
    agreements: list = field(default_factory=list)
    totals: dict = field(default_factory=dict)  # currency -> Decimal, as entered
    converted: dict = field(default_factory=dict)  # currency -> Decimal or None (some value not convertible)
    jobs: int = 0  # expected by the agreements that still stand (not dropped)
    dropped: int = 0  # agreements of the year dropped since: listed, not counted in jobs or values
    overdue_by_owner: list = field(default_factory=list)  # [(owner name, count)], most first

    @property
    def funnel(self) -> list[tuple[str, int]]:
        return [("meetings", self.meetings_held),
                ("negotiations", sum(self.by_stage[s] for s in NEGOTIATION_OR_LATER)),
                ("agreements", sum(self.by_stage[s] for s in AGREEMENT_OR_LATER)),
                ("investments", sum(self.by_stage[s] for s in INVESTMENT_OR_ORDER))]

    @property
    def followup_count(self) -> int:
        return sum(self.by_stage.values())


def _in_partnership(column, partnership_id):
    return column == partnership_id if partnership_id else True


def meetings_in_year(user, partnership_id, first: date, last: date, today: date) -> tuple[int, int]:
    """(held up to today, still to come) scheduled B2B meetings of sessions in the year."""
    stmt = (select(Meeting, Event).join(B2BSession, B2BSession.id == Meeting.session_id)
            .join(Event, Event.id == B2BSession.event_id)
            .where(Meeting.status == "scheduled", Event.status == "scheduled", scope_clause(Meeting, user)))
    if partnership_id:
        from planner.delegations.models import Delegation

        stmt = stmt.join(Delegation, Delegation.id == Event.delegation_id).where(
            Delegation.partnership_id == partnership_id)
    held = upcoming = 0
    for _meeting, event in db.session.execute(stmt).unique():
        day = event.starts_at.astimezone(event.zone).date()
        if first <= day <= last:
            held, upcoming = (held + 1, upcoming) if day <= today else (held, upcoming + 1)
    return held, upcoming


def build_dashboard(user, *, year: int, basis: str = "calendar", partnership_id: int | None = None,
                    today: date, rates: RateTable | None = None) -> Dashboard:
    first, last = year_bounds(year, basis)
    board = Dashboard(year=year, basis=basis, label=year_name(year, basis), first_day=first, last_day=last)
    board.meetings_held, board.meetings_upcoming = meetings_in_year(user, partnership_id, first, last, today)
    followups = list(db.session.scalars(
        select(FollowUp).where(scope_clause(FollowUp, user), FollowUp.origin_date.between(first, last),
                               _in_partnership(FollowUp.partnership_id, partnership_id))
        .order_by(FollowUp.due_date.is_(None), FollowUp.due_date, FollowUp.id)).unique())
    board.by_stage = Counter({stage: 0 for stage in STAGES})
    board.by_stage.update(f.stage for f in followups)
    board.open_followups = [f for f in followups if f.is_open]
    board.agreements = list(db.session.scalars(
        select(Agreement).where(scope_clause(Agreement, user), Agreement.signed_on.between(first, last),
                                _in_partnership(Agreement.partnership_id, partnership_id))
        .order_by(Agreement.signed_on, Agreement.id)).unique())
    board.totals, board.converted = value_totals(board.agreements, rates if rates is not None else RateTable.load())
    board.jobs = sum(a.jobs_expected or 0 for a in standing(board.agreements))
    board.dropped = sum(1 for a in board.agreements if a.status == "dropped")
    overdue = db.session.scalars(select(FollowUp).where(
        scope_clause(FollowUp, user), FollowUp.is_open.is_(True), FollowUp.due_date < today,
        _in_partnership(FollowUp.partnership_id, partnership_id))).unique()
    per_owner = Counter(f.owner.name if f.owner else "" for f in overdue)
    board.overdue_by_owner = sorted(per_owner.items(), key=lambda item: (-item[1], item[0]))
    return board


def standing(agreements) -> list:
    """The agreements that count in jobs and value totals: a dropped deal brings neither."""
    return [a for a in agreements if a.status != "dropped"]


def value_totals(agreements, rates: RateTable) -> tuple[dict, dict]:
    """Totals per currency as entered, and the total of all values converted into each currency (None when a
    value could not be converted for want of a rate); dropped agreements are left out."""
    totals: dict = defaultdict(Decimal)
    converted: dict = {currency: Decimal("0.00") for currency in CURRENCIES} if rates else {}
    for agreement in standing(agreements):
        if agreement.value_amount is None:
            continue
        totals[agreement.value_currency] += Decimal(agreement.value_amount)
        for currency in list(converted):
            if converted[currency] is None:
                continue
            value = rates.convert(agreement.value_amount, agreement.value_currency, currency, agreement.signed_on)
            converted[currency] = None if value is None else converted[currency] + value
    return dict(sorted(totals.items())), converted


def agreements_by_year(user, basis: str = "calendar") -> tuple[list[str], list[str], dict]:
    """(year labels, partnership labels, {(year label, partnership label): count}) of every visible agreement."""
    counts: Counter = Counter()
    years, partnerships = set(), set()
    for agreement in db.session.scalars(select(Agreement).where(scope_clause(Agreement, user))).unique():
        year = year_of(agreement.signed_on, basis)
        label = agreement.partnership.display_title if agreement.partnership else _("No partnership")
        years.add(year)
        partnerships.add(label)
        counts[(year_name(year, basis), label)] += 1
    return [year_name(y, basis) for y in sorted(years)], sorted(partnerships), dict(counts)
