"""Partnership rules: a pair of one Indian state and one Japanese prefecture, exists once, edited by its regions."""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from planner.core.errors import DomainError, ErrorCollector
from planner.core.roles import Role
from planner.core.timefmt import today_jst
from planner.extensions import db
from planner.partnerships.models import PARTNERSHIP_STATUSES, Partnership
from planner.regions.models import Region, Sector


@dataclass
class PartnershipData:
    state_id: int
    prefecture_id: int
    status: str = "proposed"
    since: date | None = None
    agreement_title: str = ""
    agreement_date: date | None = None
    agreement_reference: str = ""
    focus_sector_ids: list[int] = field(default_factory=list)
    notes: str = ""


def _check(data: PartnershipData, user, current: Partnership | None = None) -> tuple[Region, Region, list[Sector]]:
    state = db.session.get(Region, data.state_id)
    if state is None or state.country != "IN":
        raise DomainError(_("Choose an Indian state or union territory."), "state")
    prefecture = db.session.get(Region, data.prefecture_id)
    if prefecture is None or prefecture.country != "JP":
        raise DomainError(_("Choose a Japanese prefecture."), "prefecture")
    if data.status not in PARTNERSHIP_STATUSES:
        raise DomainError(_("Unknown status."), "status")
    if user.role == Role.STATE and state.id != user.region_id:
        raise DomainError(_("Your cell can only record partnerships of %(region)s.", region=user.region.display_name), "state")
    if user.role == Role.PREFECTURE and prefecture.id != user.region_id:
        raise DomainError(_("Your office can only record partnerships of %(region)s.", region=user.region.display_name),
                          "prefecture")
    if user.role not in (Role.ADMIN, Role.STATE, Role.PREFECTURE):
        raise DomainError(_("Only staff can record partnerships."))
    if current is not None and (state.id, prefecture.id) != (current.state_id, current.prefecture_id):
        _check_pair_change(current, user, "state" if state.id != current.state_id else "prefecture")
    existing = db.session.scalar(
        select(Partnership).where(Partnership.state_id == state.id, Partnership.prefecture_id == prefecture.id))
    if existing is not None and existing is not current:
        raise DomainError(_("%(state)s and %(prefecture)s are partners already.", state=state.display_name,
                            prefecture=prefecture.display_name), "prefecture")
    _check_dates_and_agreement(data)
    sectors = list(db.session.scalars(select(Sector).where(Sector.id.in_(data.focus_sector_ids)))) \
        if data.focus_sector_ids else []
    if len(sectors) != len(set(data.focus_sector_ids)):
        raise DomainError(_("Unknown sector."), "focus_sectors")
    return state, prefecture, sectors


def _check_dates_and_agreement(data: PartnershipData) -> None:
    errors = ErrorCollector()
    with errors.check():
        if data.since and data.agreement_date and data.since < data.agreement_date:
            raise DomainError(_("A partnership cannot start before the agreement it rests on was signed."), "since")
    with errors.check():
        if data.status == "active" and data.since and data.since > today_jst():
            raise DomainError(_("An active partnership cannot start in the future: give the date it took effect, "
                                "or keep it Proposed until then."), "since")
    with errors.check():
        if (data.agreement_date or data.agreement_reference.strip()) and not data.agreement_title.strip():
            raise DomainError(_("Give the agreement's title: a signing date or reference alone does not say which "
                                "agreement it is."), "agreement_title")
    errors.raise_any()


def _check_pair_change(current: Partnership, user, field_name: str) -> None:
    """The pair is what a partnership is: a partner region must not move it to another state or
    prefecture (the other partner would lose it, and its delegations, follow-ups and agreements
    would count for a pair that never made them).  An administrator may correct a pair recorded
    by mistake, as long as nothing refers to it yet."""
    if user.role != Role.ADMIN:
        raise DomainError(_("The two regions of a partnership cannot change; record a new partnership instead."),
                          field_name)
    from planner.delegations.models import Delegation
    from planner.followups.agreement_models import Agreement
    from planner.followups.models import FollowUp

    for model in (Delegation, FollowUp, Agreement):
        if db.session.scalar(select(model.id).where(model.partnership_id == current.id).limit(1)) is not None:
            raise DomainError(_("Delegations, follow-ups or agreements refer to this pair already: record a new "
                                "partnership instead."), field_name)


def _apply(partnership: Partnership, data: PartnershipData, state, prefecture, sectors) -> None:
    partnership.state = state
    partnership.prefecture = prefecture
    partnership.status = data.status
    partnership.since = data.since
    partnership.agreement_title = data.agreement_title.strip()
    partnership.agreement_date = data.agreement_date
    partnership.agreement_reference = data.agreement_reference.strip()
    partnership.notes = data.notes.strip()
    partnership.focus_sectors = sectors


def create_partnership(data: PartnershipData, user) -> Partnership:
    state, prefecture, sectors = _check(data, user)
    partnership = Partnership()
    _apply(partnership, data, state, prefecture, sectors)
    db.session.add(partnership)
    db.session.flush()
    return partnership


def update_partnership(partnership: Partnership, data: PartnershipData, user) -> Partnership:
    state, prefecture, sectors = _check(data, user, current=partnership)
    _apply(partnership, data, state, prefecture, sectors)
    db.session.flush()
    return partnership


def partnerships_of_region(region_id: int) -> list[Partnership]:
    stmt = select(Partnership).where(
        (Partnership.state_id == region_id) | (Partnership.prefecture_id == region_id)).order_by(Partnership.id)
    return list(db.session.scalars(stmt))
