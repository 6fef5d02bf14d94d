"""Delegation rules: sides and regions, dates, explicit status changes, membership. Callable without a request."""

from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace

from flask_babel import gettext as _
from sqlalchemy import or_, select

from planner.core.audit import record_action
from planner.core.errors import DomainError
from planner.core.phones import check_phone, plain_phone
from planner.core.roles import Role
from planner.delegations.diets import KEYS as DIET_KEYS
from planner.delegations.models import (
    DIRECTIONS,
    INVITE_LANGUAGES,
    MEMBER_ROLES,
    Delegation,
    DelegationMember,
    DelegationRegion,
    Person,
)
from planner.delegations.ordering import people_order
from planner.extensions import db
from planner.firms.normalise import checked_person_reading, half_width, person_reading
from planner.partnerships.models import Partnership
from planner.regions.models import Region, Sector

MAX_DELEGATION_DAYS = 60

# action: (statuses it starts from, status it leads to)
TRANSITIONS = {
    "confirm": (("planning",), "confirmed"),
    "complete": (("confirmed",), "completed"),
    "cancel": (("planning", "confirmed"), "cancelled"),
    "reopen": (("cancelled",), "planning"),
}


@dataclass
class DelegationData:
    title: str
    direction: str
    start_date: date | None
    end_date: date | None
    indian_region_ids: list[int] = field(default_factory=list)
    japanese_region_ids: list[int] = field(default_factory=list)
    purpose: str = ""
    partnership_id: int | None = None
    focus_sector_ids: list[int] = field(default_factory=list)
    invite_language: str = "recipient"
    title_ja: str = ""


def _regions(ids: list[int], country: str, field_name: str) -> list[Region]:
    ids = list(dict.fromkeys(ids))
    regions = list(db.session.scalars(select(Region).where(Region.id.in_(ids)))) if ids else []
    if len(regions) != len(ids) or any(region.country != country for region in regions):
        raise DomainError(_("Unknown region."), field_name)
    if not regions:
        message = _("Choose at least one Indian state.") if country == "IN" else \
            _("Choose at least one Japanese prefecture.")
        raise DomainError(message, field_name)
    return regions


def plans(delegation: Delegation | None, user) -> bool:
    """Whether `user` acts for the region that planned the delegation (or is an administrator): it alone
    changes the delegation's direction, status, regions and other regions' members.  A delegation recorded
    before the planning region was kept (none) stays open to every region taking part, as it was."""
    if user is None or user.role == Role.ADMIN or delegation is None or delegation.organiser_region_id is None:
        return True
    return getattr(user, "region_id", None) == delegation.organiser_region_id


def _organiser_only(delegation: Delegation, message: str, field_name: str | None = None) -> DomainError:
    return DomainError(message % {"organiser": db.session.get(Region, delegation.organiser_region_id).display_name},
                       field_name)


def _check(data: DelegationData, user, delegation: Delegation | None = None):
    if not data.title.strip():
        raise DomainError(_("Give the delegation a title."), "title")
    if data.direction not in DIRECTIONS:
        raise DomainError(_("Choose the direction of travel."), "direction")
    if data.start_date is None or data.end_date is None:
        raise DomainError(_("Enter the first and last day of the visit."), "start_date")
    if data.end_date < data.start_date:
        raise DomainError(_("The last day cannot be before the first day."), "end_date")
    if (data.end_date - data.start_date).days + 1 > MAX_DELEGATION_DAYS:
        raise DomainError(_("A visit lasts at most %(n)d days.", n=MAX_DELEGATION_DAYS), "end_date")
    if data.invite_language not in INVITE_LANGUAGES:
        raise DomainError(_("Choose the language of invitations and emails."), "invite_language")
    indian = _regions(data.indian_region_ids, "IN", "indian_regions")
    japanese = _regions(data.japanese_region_ids, "JP", "japanese_regions")
    # the planning region stays in what it plans; another region may leave (it loses sight of the delegation)
    if user.role in (Role.STATE, Role.PREFECTURE) and plans(delegation, user) \
            and user.region_id not in {r.id for r in indian + japanese}:
        field_name = "indian_regions" if user.role == Role.STATE else "japanese_regions"
        raise DomainError(_("A delegation you plan must involve %(region)s.", region=user.region.display_name), field_name)
    if user.role not in (Role.ADMIN, Role.STATE, Role.PREFECTURE):
        raise DomainError(_("Only staff can plan delegations."))
    partnership = None
    region_ids = {r.id for r in indian + japanese}
    if data.partnership_id:
        partnership = db.session.get(Partnership, data.partnership_id)
        if partnership is None:
            raise DomainError(_("Unknown partnership."), "partnership")
        if not {partnership.state_id, partnership.prefecture_id} <= region_ids:
            raise DomainError(_("The partnership's state and prefecture must both take part."), "partnership")
    else:
        partnership = db.session.scalars(select(Partnership).where(
            Partnership.state_id.in_(region_ids), Partnership.prefecture_id.in_(region_ids))
            .order_by(Partnership.id)).first()
    sectors = list(db.session.scalars(select(Sector).where(Sector.id.in_(data.focus_sector_ids)))) \
        if data.focus_sector_ids else []
    if len(sectors) != len(set(data.focus_sector_ids)):
        raise DomainError(_("Unknown sector."), "focus_sectors")
    return indian, japanese, partnership, sectors


def _apply(delegation: Delegation, data: DelegationData, indian, japanese, partnership, sectors) -> None:
    delegation.title, delegation.title_ja = data.title.strip(), data.title_ja.strip()
    delegation.purpose = data.purpose.strip()
    delegation.invite_language = data.invite_language
    delegation.direction = data.direction
    delegation.start_date, delegation.end_date = data.start_date, data.end_date
    delegation.partnership = partnership
    delegation.focus_sectors = sectors
    sending, host = (indian, japanese) if data.direction == "IN_JP" else (japanese, indian)
    wanted = {(r.id, "sending") for r in sending} | {(r.id, "host") for r in host}
    current = {(link.region_id, link.side): link for link in delegation.region_links}
    for key, link in current.items():
        if key not in wanted:
            delegation.region_links.remove(link)
    db.session.flush()
    for region_id, side in wanted - set(current):
        delegation.region_links.append(DelegationRegion(region_id=region_id, side=side))


def create_delegation(data: DelegationData, user) -> Delegation:
    checked = _check(data, user)
    delegation = Delegation(status="planning", created_by_id=getattr(user, "id", None),
                            organiser_region_id=getattr(user, "region_id", None))
    _apply(delegation, data, *checked)
    db.session.add(delegation)
    db.session.flush()
    return delegation


def update_delegation(delegation: Delegation, data: DelegationData, user, today: date | None = None) -> Delegation:
    checked = _check(data, user, delegation)
    if data.direction != delegation.direction and not plans(delegation, user):
        # the direction swaps the sending and host sides, which the exchange tracker counts
        raise _organiser_only(delegation, _("Only %(organiser)s, which planned this delegation, or an administrator "
                                            "can change its direction."), "direction")
    if delegation.status == "completed" and data.start_date and data.start_date > (today or date.today()):
        # change_status refuses to complete a visit that has not started; an edit of the dates must not
        # get round it (the exchange tracker counted a "completed" visit of next year)
        raise DomainError(_("A completed visit cannot start in the future: give the dates it took place."),
                          "start_date")
    _check_regions_changed(delegation, checked[0] + checked[1], user)
    _check_people_seen_by_added(delegation, checked[0] + checked[1], user)
    _apply(delegation, data, *checked)
    db.session.flush()
    return delegation


def _check_regions_changed(delegation: Delegation, regions: list[Region], user) -> None:
    """Only the region that planned the delegation (whose staff recorded it; kept if their accounts move), or an
    administrator, takes a region off it or adds one: a region taken off loses sight of the delegation with its
    people and events (a host prefecture could drop the state that planned the visit from its own delegation),
    and a region added gains sight of them (a host prefecture could show Ehime a Gujarat delegation's people)."""
    if user.role == Role.ADMIN:
        return
    kept = {region.id for region in regions}
    current = {link.region_id for link in delegation.region_links}
    removed = [link.region for link in delegation.region_links if link.region_id not in kept]
    added = [region for region in regions if region.id not in current]
    organiser = delegation.organiser_region_id
    if not (removed or added) or user.region_id == organiser:
        return
    if not added and {region.id for region in removed} == {user.region_id}:
        return  # a region taking part leaves (it had not asked to be in it)
    region = (removed or added)[0]
    field_name = "indian_regions" if region.country == "IN" else "japanese_regions"
    if removed:
        message = _("Only an administrator can take %(region)s off this delegation.", region=region.display_name) \
            if organiser is None else _(
                "Only %(organiser)s, which planned this delegation, or an administrator can take %(region)s off "
                "it.", organiser=db.session.get(Region, organiser).display_name, region=region.display_name)
    else:
        message = _("Only an administrator can add %(region)s to this delegation.", region=region.display_name) \
            if organiser is None else _(
                "Only %(organiser)s, which planned this delegation, or an administrator can add %(region)s to "
                "it.", organiser=db.session.get(Region, organiser).display_name, region=region.display_name)
    raise DomainError(message, field_name)


def allowed_actions(delegation: Delegation, today: date | None = None) -> list[str]:
    """The status changes the delegation's status allows; not 'complete' before the visit has started (it was
    offered, then refused)."""
    today = today or date.today()
    return [action for action, (sources, _target) in TRANSITIONS.items() if delegation.status in sources
            and not (action == "complete" and delegation.start_date > today)]


def change_status(delegation: Delegation, action: str, *, reason: str = "", today: date | None = None,
                  user=None) -> int:
    """Move the delegation along planning → confirmed → completed, or cancel it with a reason (the planning
    region or an administrator, when `user` is given). Returns how many mails the change put in the outbox
    (invites on confirmation, cancellations when it is off)."""
    if action not in TRANSITIONS:
        raise DomainError(_("Unknown action."), "action")
    if not plans(delegation, user):
        raise _organiser_only(delegation, _("Only %(organiser)s, which planned this delegation, or an administrator "
                                            "can confirm, complete or cancel it."), "action")
    sources, target = TRANSITIONS[action]
    if delegation.status not in sources:
        from planner.delegations.forms import STATUS_LABELS

        raise DomainError(_("A delegation that is %(status)s cannot be changed that way.",
                            status=str(STATUS_LABELS.get(delegation.status, delegation.status)).lower()), "action")
    reason = (reason or "").strip()
    if action == "cancel" and not reason:
        raise DomainError(_("Say why the delegation is cancelled."), "reason")
    today = today or date.today()
    if action == "complete" and delegation.start_date > today:
        raise DomainError(_("A visit that has not started cannot be completed."), "action")
    old = delegation.status
    delegation.status = target
    delegation.cancel_reason = reason if action == "cancel" else ""
    db.session.flush()
    record_action(delegation, action, note=reason, changes={"status": {"old": old, "new": target}})
    from planner.invites.operations import send_delegation_invites

    return len(send_delegation_invites(delegation))  # confirm: invites to every attendee; cancel: cancels


# People and membership ---------------------------------------------------------------------------------------


@dataclass
class PersonData:
    name: str
    name_ja: str = ""
    name_kana: str = ""  # the reading, in katakana or hiragana, half- or full-width (stored in katakana)
    organisation: str = ""
    title: str = ""
    email: str = ""
    phone: str = ""
    preferred_language: str = "en"
    needs_interpreter: bool = False
    diet: str = ""
    dietary: str = ""
    accessibility: str = ""
    home_region_id: int | None = None
    account_email: str = ""
    firm_id: int | None = None


def _check_firm(data: PersonData, user, current: Person | None = None):
    """The firm a person represents must be one the user may see (an active profile, or their region's).
    The firm the person has already stays, seen or not: another region's staff editing a phone number
    must not unlink a draft profile they cannot see."""
    from planner.core.access import scope_clause
    from planner.firms.models import Firm

    if not data.firm_id:
        return None
    if current is not None and data.firm_id == current.firm_id:
        return current.firm
    firm = db.session.scalar(select(Firm).where(Firm.id == data.firm_id, scope_clause(Firm, user),
                                                Firm.merged_into_id.is_(None)))
    if firm is None:
        raise DomainError(_("Choose a firm from the registry."), "firm")
    return firm


def _check_person(data: PersonData, current: Person | None, user=None):
    from planner.accounts.models import User

    # letters typed full-width (ｋａｔｏ@…, the Japanese input method left on) make a valid internationalised
    # address that no office means: the invites would bounce
    data.email = half_width(data.email or "").strip()
    if not data.name.strip():
        raise DomainError(_("Enter the name."), "name")
    if data.preferred_language not in ("en", "ja"):
        raise DomainError(_("Choose English or Japanese."), "preferred_language")
    _check_diet(data.diet)
    _kana, problem = checked_person_reading(data.name_kana)
    if problem == "not_kana":
        raise DomainError(_("Write the reading in katakana or hiragana only, e.g. スズキ イチロウ."), "name_kana")
    if problem == "too_long":
        raise DomainError(_("Keep the reading under 200 characters."), "name_kana")
    check_phone(data.phone)
    home_region = None
    if data.home_region_id:
        home_region = db.session.get(Region, data.home_region_id)
        if home_region is None:
            raise DomainError(_("Unknown region."), "home_region")
    account = None
    if data.account_email.strip():
        # to a cell or office, an address with no delegate account and one held by a person it may not see get
        # the same answer: the form is no way to learn who has an account, or whose it is
        unavailable = _("No free delegate account has this e-mail address (an administrator makes delegate "
                        "accounts).")
        is_admin = user is not None and user.role == Role.ADMIN
        account = db.session.scalar(select(User).where(User.email == data.account_email.strip().lower()))
        if account is None or account.role != Role.DELEGATE:
            raise DomainError(_("No delegate account has this e-mail address.") if is_admin else unavailable,
                              "account_email")
        holder = db.session.scalar(select(Person).where(Person.user_id == account.id))
        if holder is not None and holder is not current:
            from planner.core.access import can_see

            if user is not None and can_see(holder, user):
                raise DomainError(_("This account belongs to %(name)s already.", name=holder.name), "account_email")
            raise DomainError(unavailable, "account_email")
    email = (data.email or "").strip().lower()
    if email and getattr(user, "id", None) is not None:
        # the same address twice: both records would get every invite (RK.Singh@ and rk.singh@ were accepted).
        # Checked for what an account records; data the system loads (the demo) is taken as it comes
        from planner.core.access import scope_clause

        same = db.session.scalars(select(Person).where(Person.email == email, scope_clause(Person, user),
                                                       Person.id != (current.id if current else 0))
                                  .order_by(Person.id)).first()
        if same is not None:
            raise DomainError(_("%(name)s has this e-mail address already (person no. %(id)d): open that record "
                                "instead.", name=same.name, id=same.id), "email")
    return home_region, account


def own_person(user) -> Person | None:
    """The person record an account is (a delegate's: their agenda, invites and needs), or None."""
    return db.session.scalar(select(Person).where(Person.user_id == user.id))


def _check_diet(diet: str) -> None:
    if (diet or "") not in ("",) + DIET_KEYS:
        raise DomainError(_("Choose one of the diets listed."), "diet")


def update_own_needs(person: Person, *, diet: str, dietary: str, accessibility: str, phone: str) -> None:
    """What a delegate says of themselves on their profile: their diet and notes, accessibility needs and
    phone (their organisers keep everything else)."""
    _check_diet(diet)
    check_phone(phone or "")
    person.diet = diet or ""
    person.dietary, person.accessibility = (dietary or "").strip(), (accessibility or "").strip()
    person.phone = plain_phone((phone or "").strip())


def _apply_person(person: Person, data: PersonData, home_region, account) -> None:
    for name in ("name", "name_ja", "organisation", "title", "email", "phone", "dietary", "accessibility"):
        setattr(person, name, (getattr(data, name) or "").strip())
    person.name_kana = person_reading(data.name_kana)
    person.email = person.email.lower()
    person.phone = plain_phone(person.phone)
    person.preferred_language = data.preferred_language
    person.needs_interpreter = bool(data.needs_interpreter)
    person.diet = data.diet or ""
    person.home_region = home_region
    new_user_id = account.id if account else None
    if person.id is not None and person.user_id is not None and person.user_id != new_user_id:
        # the account that may have made the person's calendar feed is not theirs any more
        from planner.invites.feeds import revoke_feeds

        revoke_feeds(person)
    person.user_id = new_user_id


def create_person(data: PersonData, user) -> Person:
    home_region, account = _check_person(data, None, user)
    firm = _check_firm(data, user)
    person = Person(created_by_region_id=getattr(user, "region_id", None))
    _apply_person(person, data, home_region, account)
    person.firm = firm
    db.session.add(person)
    db.session.flush()
    return person


def _check_identity_change(person: Person, data: PersonData, home_region, account, firm, user) -> None:
    """Where a person's mail goes and who acts as them (e-mail address, delegate account, home region,
    firm) is changed by the region that recorded the person, or an administrator: any region that
    shared a delegation with the person may edit them, and one redirected another region's invites to
    its own inbox, and linked the person to a delegate account it held (which then saw that region's
    agenda)."""
    if user.role == Role.ADMIN or (person.created_by_region_id is not None
                                   and getattr(user, "region_id", None) == person.created_by_region_id):
        return
    changed = [field for field, differs in (
        ("email", (data.email or "").strip().lower() != (person.email or "")),
        ("account_email", (account.id if account else None) != person.user_id),
        ("home_region", (home_region.id if home_region else None) != person.home_region_id),
        ("firm", (firm.id if firm else None) != person.firm_id)) if differs]
    if changed:
        if person.created_by_region is None:  # recorded by an administrator (or the demo)
            raise DomainError(_("Only an administrator can change the e-mail address, the delegate account, the "
                                "home region or the firm of this person."), changed[0])
        raise DomainError(_("Only %(region)s, which recorded this person, or an administrator can change the "
                            "e-mail address, the delegate account, the home region or the firm.",
                            region=person.created_by_region.display_name), changed[0])


def update_person(person: Person, data: PersonData, user) -> Person:
    home_region, account = _check_person(data, person, user)
    firm = _check_firm(data, user, person)
    _check_identity_change(person, data, home_region, account, firm, user)
    old_email = (person.email or "").lower()
    person.firm = firm
    _apply_person(person, data, home_region, account)
    db.session.flush()
    if (person.email or "").lower() != old_email:
        from planner.invites.operations import follow_new_address

        follow_new_address(person)
    return person


def _check_member(delegation: Delegation, role: str, precedence: int | None, current=None) -> None:
    if role not in MEMBER_ROLES:
        raise DomainError(_("Unknown role."), "role")
    if precedence is None or not 1 <= precedence <= 999:
        raise DomainError(_("Enter a number from 1 to 999."), "precedence")
    if role == "head" and any(m.role == "head" and m is not current for m in delegation.members):
        raise DomainError(_("The delegation has a head already: %(name)s.", name=delegation.head.name), "role")


def _check_people_seen_by_added(delegation: Delegation, regions: list[Region], user) -> None:
    """A region added to a delegation sees its members and attendees: the same rule as for adding them
    (``check_people_may_join``), checked before the region is in it (else it would see them through it)."""
    from planner.itinerary.models import Event, EventAttendee

    current = {link.region_id for link in delegation.region_links}
    added = [region.id for region in regions if region.id not in current]
    if not added or delegation.id is None:
        return
    attendees = select(EventAttendee.person_id).join(Event, Event.id == EventAttendee.event_id).where(
        Event.delegation_id == delegation.id)
    people = db.session.scalars(select(Person).where(or_(
        Person.id.in_(select(DelegationMember.person_id).where(DelegationMember.delegation_id == delegation.id)),
        Person.id.in_(attendees))).order_by(*people_order())).all()
    field_name = "indian_regions" if db.session.get(Region, added[0]).country == "IN" else "japanese_regions"
    check_people_may_join(delegation, people, user, field_name, region_ids=added)


def check_people_may_join(delegation: Delegation, people, user, field_name: str, *, region_ids=None) -> None:
    """A member or attendee is seen (and edited) by every region of the delegation: a region adds the people it
    recorded, or people every region of the delegation sees already. Otherwise a prefecture that sees a Gujarat
    delegate (a visit they share) could show him to Maharashtra by putting him in a delegation of its own with
    Maharashtra, which could then read and change his record. ``region_ids``: the regions to check (default:
    the delegation's)."""
    if user is None or getattr(user, "role", None) not in (Role.STATE, Role.PREFECTURE):
        return  # an administrator, or the planner itself (demo data, the command line)
    if region_ids is None:
        region_ids = [link.region_id for link in delegation.region_links]
    others = [person for person in people if person.created_by_region_id != user.region_id]
    if not others:
        return
    ids = [person.id for person in others]
    seen = {region_id: set(db.session.scalars(select(Person.id).where(  # one query a region, not one a person
        Person.id.in_(ids), Person.visible_to(SimpleNamespace(role=Role.STATE, region_id=region_id)))))
        for region_id in region_ids}
    for person in others:
        for region_id in region_ids:
            if person.id not in seen[region_id]:
                region = db.session.get(Region, region_id)
                raise DomainError(_("%(name)s's record is kept by another region, and %(region)s, which takes part "
                                    "in this delegation, does not see it: only that region or an administrator can "
                                    "add them here.", name=person.name, region=region.display_name), field_name)


def add_member(delegation: Delegation, person: Person, role: str = "member", precedence: int | None = 100,
               user=None):
    """``user``: who adds them (see ``check_people_may_join``); None: the planner itself."""
    _check_member(delegation, role, precedence)
    check_people_may_join(delegation, [person], user, "person")
    if any(m.person_id == person.id for m in delegation.members):
        raise DomainError(_("%(name)s is in this delegation already.", name=person.name), "person")
    member = DelegationMember(person=person, role=role, precedence=precedence)
    delegation.members.append(member)
    db.session.flush()
    return member


def _check_may_change_member(member: DelegationMember, user) -> None:
    """Another region's member (its head of delegation included) is changed by the planning region, the
    region that recorded the person, or an administrator; a host office adds and arranges its own people."""
    if plans(member.delegation, user) or member.person.created_by_region_id == getattr(user, "region_id", None):
        return
    raise _organiser_only(member.delegation, _("Only %(organiser)s, which planned this delegation, the region that "
                                               "recorded this person, or an administrator can change their part "
                                               "in it."), "role")


def update_member(member: DelegationMember, role: str, precedence: int | None, user=None) -> DelegationMember:
    _check_may_change_member(member, user)
    _check_member(member.delegation, role, precedence, current=member)
    member.role, member.precedence = role, precedence
    db.session.flush()
    return member


def remove_member(member: DelegationMember, user=None) -> None:
    from planner.itinerary.models import Event, EventAttendee

    _check_may_change_member(member, user)
    attending = db.session.scalar(select(EventAttendee.event_id).join(Event, Event.id == EventAttendee.event_id)
                                  .where(EventAttendee.person_id == member.person_id,
                                         Event.delegation_id == member.delegation_id).limit(1))
    if attending is not None:
        raise DomainError(_("%(name)s attends events of this delegation; take them off those events first.",
                            name=member.person.name))
    member.delegation.members.remove(member)
    db.session.delete(member)
    db.session.flush()


def delegations_of_person(person: Person, user) -> list[Delegation]:
    from planner.core.access import scoped_select

    own_profile = user.role == Role.DELEGATE and person.user_id == user.id
    base = select(Delegation) if own_profile else scoped_select(Delegation, user)
    stmt = base.join(DelegationMember, DelegationMember.delegation_id == Delegation.id) \
        .where(DelegationMember.person_id == person.id).order_by(Delegation.start_date.desc())
    return list(db.session.scalars(stmt).unique())


