"""Follow-up rules: where a follow-up comes from (checked through the user's tenant scope), who may own it,
and the history entry every change writes. Operations add and flush; the request or command commits."""

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_, select

from planner.accounts.models import User
from planner.core.access import MAX_ID, scoped_select
from planner.core.audit import current_actor
from planner.core.errors import DomainError
from planner.core.roles import Role
from planner.delegations.models import Delegation
from planner.extensions import db
from planner.firms.models import Firm
from planner.followups.models import STAGES, FollowUp, FollowUpEntry
from planner.i18n.names import local_name
from planner.itinerary.models import Event
from planner.matchmaking.models import Meeting
from planner.regions.models import Region

ORIGIN_MODELS = {"meeting": Meeting, "event": Event, "delegation": Delegation}
TRACKED = ("title", "stage", "notes", "next_action", "owner", "due_date", "is_open", "firms", "regions")
FIRST_DUE_YEAR, LAST_DUE_YEAR = 2000, 2100
TITLE_MAX = 200  # FollowUp.title's column


@dataclass
class FollowUpData:
    title: str = ""
    stage: str = "exploring"
    notes: str = ""
    next_action: str = ""
    owner_id: int | None = None
    due_date: date | None = None
    is_open: bool = True
    firm_ids: list[int] = field(default_factory=list)
    region_ids: list[int] = field(default_factory=list)


@dataclass
class Origin:
    kind: str
    obj: object
    delegation: Delegation
    day: date
    label: str
    firms: list[Firm]  # the firms a follow-up of this origin names by default

    @property
    def regions(self) -> list[Region]:
        """The regions a follow-up may name: the visit's regions and those of the default firms."""
        found = {link.region.id: link.region for link in self.delegation.region_links}
        found.update({firm.region.id: firm.region for firm in self.firms})
        return sorted(found.values(), key=lambda region: region.code)


def load_origin(kind: str, ident, user) -> Origin:
    """The meeting, event or delegation `ident` if `user` may see it; a DomainError otherwise (never another
    tenant's record, whatever id is posted)."""
    model = ORIGIN_MODELS.get(kind)
    try:
        ident = int(ident)
    except (TypeError, ValueError):
        ident = None
    obj = None
    if model is not None and ident is not None and 0 < ident <= 2**31 - 1:
        obj = db.session.scalars(scoped_select(model, user).where(model.id == ident)).first()
    if obj is None:
        raise DomainError(_("Choose a meeting, event or delegation that you can see."), "origin")
    if kind == "meeting":
        event = obj.session.event
        return Origin(kind, obj, event.delegation, event.starts_at.astimezone(event.zone).date(),
                      _("B2B meeting %(a)s – %(b)s", a=local_name(obj.indian.firm), b=local_name(obj.japanese.firm)),
                      [obj.indian.firm, obj.japanese.firm])
    if kind == "event":
        return Origin(kind, obj, obj.delegation, obj.starts_at.astimezone(obj.zone).date(), obj.display_title, [])
    return Origin(kind, obj, obj, obj.start_date, obj.display_title, [])


def origin_of(followup: FollowUp) -> Origin:
    obj = followup.meeting or followup.event or followup.delegation
    kind = followup.origin_kind
    if kind == "meeting":
        event = obj.session.event
        return Origin(kind, obj, event.delegation, followup.origin_date,
                      _("B2B meeting %(a)s – %(b)s", a=local_name(obj.indian.firm), b=local_name(obj.japanese.firm)),
                      [obj.indian.firm, obj.japanese.firm])
    if kind == "event":
        return Origin(kind, obj, obj.delegation, followup.origin_date, obj.display_title, [])
    return Origin(kind, obj, obj, followup.origin_date, obj.display_title, [])


def followups_of_origin(origin: Origin, user) -> list[FollowUp]:
    """The follow-ups already recorded from this meeting, event or visit that ``user`` may see, newest first:
    the form for a new one lists them, so that a second record of the same outcome is a choice, not a slip."""
    column = getattr(FollowUp, f"{origin.kind}_id")
    return list(db.session.scalars(scoped_select(FollowUp, user).where(column == origin.obj.id)
                                   .order_by(FollowUp.id.desc())).unique())


def owner_candidates(region_ids) -> list[User]:
    """Active staff who may own a follow-up naming `region_ids`: their cells and offices, and administrators."""
    stmt = select(User).where(User.is_active.is_(True), or_(
        User.role == Role.ADMIN,
        User.role.in_((Role.STATE, Role.PREFECTURE)) & User.region_id.in_(list(region_ids) or [-1])))
    return list(db.session.scalars(stmt.order_by(User.name)))


def may_see(user, region_ids) -> bool:
    """Whether `user` sees a follow-up naming `region_ids` (FollowUp.visible_to, for regions not saved yet)."""
    if user.role == Role.ADMIN:
        return True
    return user.role in (Role.STATE, Role.PREFECTURE) and user.region_id in set(region_ids)


def release_followups_out_of_sight(user) -> list[FollowUp]:
    """The open follow-ups `user` owns but may no longer see, once an administrator has moved the account to
    another region or role: left without an owner, each with a history entry.  Kept, they showed an owner who
    met "not found" on them and whose digest left them out, so nobody was reminded of them; without an owner,
    the regions that follow them up must choose one at their next edit."""
    stmt = select(FollowUp).where(FollowUp.owner_id == user.id, FollowUp.is_open.is_(True),
                                  ~FollowUp.visible_to(user)).order_by(FollowUp.id)
    released = list(db.session.scalars(stmt).unique())
    for followup in released:
        followup.owner = None
        write_entry(followup, "update", {"owner": {"old": user.name, "new": ""}},
                    _("%(name)s may no longer see this follow-up (the account moved to another region or role): "
                      "choose a new owner.", name=user.name))
    db.session.flush()
    return released


def default_title(label: str) -> str:
    """A title made from the origin's label ("B2B meeting <firm> – <firm>"), cut to the column's
    200 characters: two long firm names made it longer (a 500 on PostgreSQL, and a "keep the
    title under 200 characters" for a title nobody typed)."""
    return label if len(label) <= TITLE_MAX else label[:TITLE_MAX - 1] + "…"


def _check(data: FollowUpData, origin: Origin, user,
           followup: FollowUp | None = None) -> tuple[list[Firm], list[Region], User | None]:
    """On an edit, what is on the follow-up already stays allowed though the user could not
    choose it now: a firm another region has archived since, a region that has left the visit,
    an owner who is no longer a candidate.  Dropping them is the user's choice, not a side effect."""
    data.title = (data.title or "").strip() or default_title(origin.label)
    if len(data.title) > TITLE_MAX:
        raise DomainError(_("Keep the title under 200 characters."), "title")
    if data.stage not in STAGES:
        raise DomainError(_("Choose a stage from the list."), "stage")
    if len(data.next_action or "") > 500:
        raise DomainError(_("Keep the next action under 500 characters."), "next_action")
    if len(data.notes or "") > 20000:
        raise DomainError(_("Notes are limited to 20,000 characters."), "notes")
    if data.due_date is not None and not FIRST_DUE_YEAR <= data.due_date.year <= LAST_DUE_YEAR:
        raise DomainError(_("Enter a due date between %(a)s and %(b)s.", a=FIRST_DUE_YEAR, b=LAST_DUE_YEAR),
                          "due_date")
    firm_ids = set(data.firm_ids or [])
    firms = [firm for firm in (followup.firms if followup else []) if firm.id in firm_ids]
    new_ids = firm_ids - {firm.id for firm in firms}
    if new_ids and not all(0 < i <= MAX_ID for i in new_ids):
        raise DomainError(_("Unknown firm."), "firms")
    firms += list(db.session.scalars(scoped_select(Firm, user).where(Firm.id.in_(new_ids)))) if new_ids else []
    if len(firms) != len(firm_ids):
        raise DomainError(_("Unknown firm."), "firms")
    allowed = {region.id: region for region in origin.regions}
    for region in followup.regions if followup else []:
        allowed.setdefault(region.id, region)
    for firm in firms:
        allowed.setdefault(firm.region_id, firm.region)
    if any(region_id not in allowed for region_id in data.region_ids or []):
        raise DomainError(_("Choose regions the meeting, event or visit involves."), "regions")
    regions = {region_id: allowed[region_id] for region_id in data.region_ids or []}
    regions.update({firm.region_id: firm.region for firm in firms})
    if getattr(user, "region_id", None) in allowed:
        regions.setdefault(user.region_id, allowed[user.region_id])  # the author keeps seeing what they wrote
    if not regions:
        raise DomainError(_("Name at least one firm or region involved."), "regions")
    _check_regions_kept(followup, regions, user)
    owner = None
    if followup is not None and followup.owner is not None and data.owner_id == followup.owner_id:
        owner = followup.owner
        if not may_see(owner, regions):
            # moved to another region (or role), or their region taken off: an owner who meets "not found"
            raise DomainError(_("%(name)s may not see this follow-up (their region is not among its regions): "
                                "choose another owner.", name=owner.name), "owner")
    elif data.owner_id is not None:
        owner = next((u for u in owner_candidates(regions) if u.id == data.owner_id), None)
        if owner is None:
            raise DomainError(_("The owner must be a user of a cell or office involved."), "owner")
    if data.is_open and data.stage != "no_interest":  # each open outcome: a next action, an owner, a due date
        if data.owner_id is None:
            raise DomainError(_("An open follow-up needs an owner."), "owner")
        if not (data.next_action or "").strip():
            raise DomainError(_("An open follow-up needs its next action."), "next_action")
        if data.due_date is None:
            raise DomainError(_("An open follow-up needs a due date for its next action."), "due_date")
    return firms, sorted(regions.values(), key=lambda r: r.code), owner


def _check_regions_kept(followup: FollowUp | None, regions: dict, user) -> None:
    """A region named on a follow-up sees it; another region taking it off would make the follow-up vanish from
    that region's lists and digest.  Only the region itself or an administrator takes it off."""
    if followup is None or user.role == Role.ADMIN:
        return
    lost = [region for region in followup.regions if region.id not in regions and region.id != user.region_id]
    if lost:
        region = min(lost, key=lambda r: r.code)
        raise DomainError(_("%(region)s follows this up too: only %(region)s itself or an administrator can take "
                            "it off.", region=region.display_name), "regions")


def _snapshot(followup: FollowUp) -> dict:
    return {
        "title": followup.title, "stage": followup.stage, "notes": followup.notes,
        "next_action": followup.next_action, "owner": followup.owner.name if followup.owner else "",
        "due_date": followup.due_date.isoformat() if followup.due_date else "",
        "is_open": "open" if followup.is_open else "done",
        "firms": ", ".join(sorted(firm.name for firm in followup.firms)),
        "regions": ", ".join(sorted(region.code for region in followup.regions)),
    }


def history_names(followup: FollowUp):
    """How the history shows the firms and regions its entries name as they were recorded (romanised firm
    names joined by ', ', region codes): a function of a recorded value ('Kofu Shoji Co., Ltd., …' or 'IN-UP,
    JP-19') giving the names in the page's script (株式会社甲府商事, 山梨県) where the records are still there.
    A firm's name may hold ', ' itself: the longest run of pieces that names a firm is taken."""
    from planner.i18n.names import local_name, region_name

    candidates = set()
    for entry in followup.entries:
        for key in ("firms", "regions"):
            change = (entry.changes or {}).get(key) or {}
            for side in ("old", "new"):
                pieces = _pieces(change.get(side))
                candidates.update(", ".join(pieces[i:j]) for i in range(len(pieces))
                                  for j in range(i + 1, min(len(pieces), i + MAX_NAME_PIECES) + 1))
    names = {}
    if candidates:
        names.update({region.code: region_name(region) for region in
                      db.session.scalars(select(Region).where(Region.code.in_(candidates)))})
        names.update({firm.name: local_name(firm) for firm in
                      db.session.scalars(select(Firm).where(Firm.name.in_(candidates)))})

    def rename(value) -> list[str]:
        pieces, parts, i = _pieces(value), [], 0
        while i < len(pieces):
            j = next((j for j in range(min(len(pieces), i + MAX_NAME_PIECES), i, -1)
                      if ", ".join(pieces[i:j]) in names), i + 1)
            text = ", ".join(pieces[i:j])
            parts.append(names.get(text, text))
            i = j
        return parts

    return rename


MAX_NAME_PIECES = 4  # 'Tata Motors Co., Ltd., Pune' is three


def _pieces(value) -> list[str]:
    return [part for part in str(value or "").split(", ") if part]


def write_entry(followup: FollowUp, action: str, changes: dict, note: str = "") -> FollowUpEntry:
    actor_id, actor_label = current_actor()
    entry = FollowUpEntry(followup=followup, action=action, changes=changes, note=(note or "").strip(),
                          actor_id=actor_id, actor_label=actor_label[:255])
    db.session.add(entry)
    return entry


def _apply(followup: FollowUp, data: FollowUpData, firms, regions, owner) -> None:
    followup.title = data.title
    followup.stage = data.stage
    followup.notes = (data.notes or "").strip()
    followup.next_action = (data.next_action or "").strip()
    followup.owner = owner
    followup.due_date = data.due_date
    followup.is_open = bool(data.is_open)
    followup.firms = firms
    followup.regions = regions


def create_followup(origin: Origin, data: FollowUpData, user, note: str = "") -> FollowUp:
    firms, regions, owner = _check(data, origin, user)
    followup = FollowUp(origin_date=origin.day, partnership_id=origin.delegation.partnership_id,
                        **{f"{origin.kind}_id": origin.obj.id})
    _apply(followup, data, firms, regions, owner)
    db.session.add(followup)
    db.session.flush()
    snapshot = _snapshot(followup)
    write_entry(followup, "create", {key: {"old": "", "new": value} for key, value in snapshot.items() if value},
                note)
    db.session.flush()
    return followup


def update_followup(followup: FollowUp, data: FollowUpData, user, note: str = "", action: str = "update") -> dict:
    """Apply `data`; write one history entry with what changed (or only the note). Returns the changes."""
    firms, regions, owner = _check(data, origin_of(followup), user, followup)
    before = _snapshot(followup)
    _apply(followup, data, firms, regions, owner)
    db.session.flush()
    after = _snapshot(followup)
    changes = {key: {"old": before[key], "new": after[key]} for key in TRACKED if before[key] != after[key]}
    if changes or (note or "").strip():
        write_entry(followup, action, changes, note)
        db.session.flush()
    return changes


def data_of(followup: FollowUp) -> FollowUpData:
    return FollowUpData(title=followup.title, stage=followup.stage, notes=followup.notes,
                        next_action=followup.next_action, owner_id=followup.owner_id, due_date=followup.due_date,
                        is_open=followup.is_open, firm_ids=[f.id for f in followup.firms],
                        region_ids=[r.id for r in followup.regions])
