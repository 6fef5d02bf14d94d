"""Session rules: settings and tables of a B2B session, registering firms, unavailable slots, meeting requests,
reminders and "met before". Operations add and flush; the caller (request or CLI) commits."""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import and_, delete, func, or_, select, true, update
from sqlalchemy.orm import aliased

from planner.core.access import scope_clause
from planner.core.audit import record_action
from planner.core.errors import DomainError
from planner.core.roles import Role
from planner.core.timefmt import local_exists
from planner.core.types import utcnow
from planner.delegations.models import Person
from planner.extensions import db
from planner.firms.models import Firm
from planner.i18n.names import local_name
from planner.itinerary.models import Event
from planner.matchmaking.models import (
    DAY_PARTS,
    PRIORITIES,
    B2BParticipant,
    B2BSession,
    B2BTable,
    Meeting,
    MeetingRequest,
)
from planner.matchmaking.slots import SlotPlan, SlotSettingsError, generate_slots

MAX_TABLES = 200
MAX_MESSAGE = 500


def lock_session(session_id: int) -> None:
    """Writers of one session's schedule take turns (PostgreSQL: the session's row, FOR NO KEY UPDATE; SQLite's
    writers take turns at BEGIN already).  Without it a schedule applied from a preview checked that
    nothing had changed, then wrote over a move another organiser committed in between.  Pending changes
    are flushed first, so that callers may read the rows again (what the other writer committed) safely."""
    db.session.flush()
    # FOR NO KEY UPDATE: rows that point at the session (pool, meetings) take FOR KEY SHARE on it when
    # written, which FOR UPDATE would conflict with (a deadlock between saving the pool and a move); the
    # session is read again, so that checks after the wait see settings changed meanwhile
    session = db.session.scalar(select(B2BSession).where(B2BSession.id == session_id)
                                .with_for_update(key_share=True, of=B2BSession)
                                .execution_options(populate_existing=True))
    if session is not None:
        db.session.expire(session, ["tables"])


def slot_plan(session: B2BSession) -> SlotPlan:
    return generate_slots(session.first_slot, session.slot_minutes, session.pause_minutes,
                          count=session.slot_count, day_end=session.day_end, lunch_start=session.lunch_start,
                          lunch_minutes=session.lunch_minutes)


# Settings and tables --------------------------------------------------------------------------------------


@dataclass
class SessionData:
    first_slot: time | None
    slot_minutes: int | None
    pause_minutes: int | None = 0
    slot_count: int | None = None
    day_end: time | None = None
    lunch_start: time | None = None
    lunch_minutes: int | None = None
    table_count: int | None = 10
    fairness: int | None = 2
    interpreters: int | None = None
    reminder_hours: int | None = 48


def _check_settings(data: SessionData) -> SlotPlan:
    if data.first_slot is None:
        raise DomainError(_("Enter the time of the first slot."), "first_slot")
    if data.slot_minutes is None:
        raise DomainError(_("Enter the length of a slot."), "slot_minutes")
    if data.table_count is None or not 1 <= data.table_count <= MAX_TABLES:
        raise DomainError(_("A session has from 1 to %(n)d tables.", n=MAX_TABLES), "table_count")
    if data.fairness is not None and not 0 <= data.fairness <= 50:
        raise DomainError(_("Enter a fairness bound from 0 to 50, or leave it empty."), "fairness")
    if data.interpreters is not None and not 0 <= data.interpreters <= MAX_TABLES:
        raise DomainError(_("Enter a number of interpreters from 0 to %(n)d.", n=MAX_TABLES), "interpreters")
    if data.reminder_hours is None or not 1 <= data.reminder_hours <= 720:
        raise DomainError(_("Remind after 1 to 720 hours."), "reminder_hours")
    try:
        return generate_slots(data.first_slot, data.slot_minutes, data.pause_minutes or 0, count=data.slot_count,
                              day_end=data.day_end, lunch_start=data.lunch_start, lunch_minutes=data.lunch_minutes,
                              strict=True)
    except SlotSettingsError as error:
        raise DomainError(_(error.message, **error.params), error.field) from None


def _check_room_for_meetings(session: B2BSession, plan: SlotPlan, table_count: int,
                             interpreters: int | None = None) -> None:
    """Shrinking the day, the tables or the interpreters must not strand scheduled meetings."""
    if interpreters is not None:
        crowded = db.session.execute(
            select(Meeting.slot, func.count()).where(Meeting.session_id == session.id, Meeting.slot.is_not(None),
                                                     Meeting.status == "scheduled", Meeting.needs_interpreter)
            .group_by(Meeting.slot).having(func.count() > interpreters).order_by(Meeting.slot).limit(1)).first()
        if crowded is not None:
            raise DomainError(ngettext("Slot %(n)d holds %(num)d meeting that needs an interpreter; move it before "
                                       "lowering the number of interpreters.",
                                       "Slot %(n)d holds %(num)d meetings that need an interpreter; move some of "
                                       "them before lowering the number of interpreters.", crowded[1],
                                       n=crowded[0]), "interpreters")
    highest = db.session.scalar(select(Meeting.slot).where(Meeting.session_id == session.id, Meeting.slot.is_not(None))
                                .order_by(Meeting.slot.desc()).limit(1))
    if highest is not None and highest > len(plan):
        raise DomainError(_("Slot %(n)d holds meetings; move or cancel them before shortening the day.", n=highest),
                          "slot_count")
    busy_table = db.session.scalar(select(B2BTable.number).join(Meeting, Meeting.table_id == B2BTable.id)
                                   .where(B2BTable.session_id == session.id, B2BTable.number > table_count)
                                   .order_by(B2BTable.number.desc()).limit(1))
    if busy_table is not None:
        raise DomainError(_("Table %(n)d holds meetings; move or cancel them before removing tables.", n=busy_table),
                          "table_count")
    # a moved lunch break must not leave a morning-only meeting in the afternoon (or the other way round)
    if plan.morning_slots is None:
        return
    for slot, day_part in db.session.execute(select(Meeting.slot, Meeting.day_part).where(
            Meeting.session_id == session.id, Meeting.slot.is_not(None), Meeting.day_part != "any")):
        if day_part == "morning" and slot > plan.morning_slots:
            raise DomainError(_("Slot %(n)d holds a morning-only meeting, which these settings would put in the "
                                "afternoon; move the meeting first.", n=slot), "lunch_start")
        if day_part == "afternoon" and slot <= plan.morning_slots:
            raise DomainError(_("Slot %(n)d holds an afternoon-only meeting, which these settings would put in "
                                "the morning; move the meeting first.", n=slot), "lunch_start")


def _apply_settings(session: B2BSession, data: SessionData) -> None:
    session.first_slot, session.slot_minutes = data.first_slot, data.slot_minutes
    session.pause_minutes = data.pause_minutes or 0
    session.slot_count, session.day_end = data.slot_count, (None if data.slot_count is not None else data.day_end)
    session.lunch_start, session.lunch_minutes = data.lunch_start, data.lunch_minutes
    session.fairness, session.interpreters = data.fairness, data.interpreters
    session.reminder_hours = data.reminder_hours


def _resize_tables(session: B2BSession, count: int) -> None:
    current = list(session.tables)
    for table in current[count:]:
        session.tables.remove(table)
    taken = {table.name for table in session.tables}
    for number in range(len(current) + 1, count + 1):
        # in English whoever sets it up: both sides' delegates read it (Indian ones found 'Table: テーブル1')
        name = f"Table {number}"
        while name in taken:
            name += "'"
        taken.add(name)
        session.tables.append(B2BTable(number=number, name=name))


def slots_beyond_event(plan: SlotPlan, local_start: datetime, local_end: datetime) -> str | None:
    """'start' when the first slot begins before the event, 'end' when the last ends after it (venue time, on the
    event's first day, as the slots are), None when the event holds them all: agendas, prints and the event's
    invite show the event's times, so meetings outside them would be where nobody expects them."""
    if not len(plan):
        return None
    day = local_start.date()
    if datetime.combine(day, plan.slot(1).start) < local_start.replace(tzinfo=None):
        return "start"
    last = plan.slot(len(plan))
    if datetime.combine(day, last.end) > local_end.replace(tzinfo=None):
        return "end"
    return None


def _check_within_event(plan: SlotPlan, event: Event, data: SessionData) -> None:
    day = event.local_start.date()
    for slot in plan.slots:  # a venue with summer time: a slot in the hour the clocks skip would shift by that hour
        for moment in (slot.start, slot.end):
            if not local_exists(datetime.combine(day, moment), event.timezone):
                raise DomainError(_("Slot %(n)d (%(time)s) falls in the hour the clocks skip in %(zone)s that day. "
                                    "Move the slots before or after it.", n=slot.number,
                                    time=f"{moment:%H:%M}", zone=event.timezone), "first_slot")
    beyond = slots_beyond_event(plan, event.local_start, event.local_end)
    if beyond is None:
        return
    times = {"event": f"{event.local_start:%H:%M}–{event.local_end:%H:%M}"}
    if beyond == "start":
        raise DomainError(_("The first slot would start at %(start)s, before the event (%(event)s, venue time). "
                            "Start later, or change the event's times first.",
                            start=f"{plan.slot(1).start:%H:%M}", **times), "first_slot")
    raise DomainError(_("The last slot would end at %(end)s, after the event (%(event)s, venue time). Make "
                        "fewer or shorter slots, or change the event's times first.",
                        end=f"{plan.slot(len(plan)).end:%H:%M}", **times),
                      "slot_count" if data.slot_count is not None else "day_end")


def create_session(event: Event, data: SessionData) -> B2BSession:
    if event.kind != "b2b":
        raise DomainError(_("Only an event of kind “B2B session” can hold a B2B session."))
    if db.session.scalar(select(B2BSession.id).where(B2BSession.event_id == event.id)) is not None:
        raise DomainError(_("This event has its B2B session already."))
    if data.slot_count is not None:
        data.day_end = None
    _check_within_event(_check_settings(data), event, data)
    session = B2BSession(event=event)
    _apply_settings(session, data)
    db.session.add(session)
    _resize_tables(session, data.table_count)
    db.session.flush()
    return session


@dataclass
class SettingsSaved:
    """What saving a session's settings did besides: invite updates queued, firms whose unavailable slots were
    renumbered to keep their times, and meetings and requests whose morning or afternoon the new settings
    no longer have (the lunch break was removed)."""

    mails: int = 0
    availability_moved: int = 0
    day_parts_idle: int = 0
    clashes: list = field(default_factory=list)  # (meeting, participant, slot): a meeting now in an absence


def update_session(session: B2BSession, data: SessionData) -> SettingsSaved:
    """Apply the settings.  A firm's unavailable slots are times it is away: they keep their times when the
    slots move (slot numbers would silently mean other times).  Without a lunch break there is no morning or
    afternoon: meetings and requests that asked for one take any time until a lunch break is set again, and
    the caller says so."""
    lock_session(session.id)
    if data.slot_count is not None:
        data.day_end = None
    plan = _check_settings(data)
    _check_within_event(plan, session.event, data)
    _check_room_for_meetings(session, plan, data.table_count, data.interpreters)
    before = slot_plan(session)
    _apply_settings(session, data)
    _resize_tables(session, data.table_count)
    saved = SettingsSaved()
    _keep_unavailable_times(session, before, plan, saved)
    if plan.morning_slots is None and before.morning_slots is not None:
        saved.day_parts_idle = _idle_day_parts(session)
    db.session.flush()
    saved.mails = len(keep_session_current(session))
    return saved


def _minutes_of(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _clock_minutes(moment: time) -> int:
    return moment.hour * 60 + moment.minute


def away_times(plan: SlotPlan, numbers) -> list[list[str]]:
    """The venue times of these slots, [["12:00", "12:20"], …]: what a firm said when it marked them."""
    return [[f"{plan.slot(n).start:%H:%M}", f"{plan.slot(n).end:%H:%M}"] for n in sorted(set(numbers))
            if 1 <= n <= len(plan)]


def slots_within(plan: SlotPlan, times) -> list[int]:
    """The slots that overlap one of `times`: a firm away for part of a slot cannot meet in it (a short
    absence inside a longer slot included).  The times are kept as the firm gave them, so moving the slots
    back and forth gives the same slots back."""
    spans = [(_minutes_of(start), _minutes_of(end)) for start, end in times or ()]
    return [slot.number for slot in plan.slots
            if any(_clock_minutes(slot.start) < end and start < _clock_minutes(slot.end) for start, end in spans)]


def _keep_unavailable_times(session: B2BSession, before: SlotPlan, after: SlotPlan,
                            saved: "SettingsSaved") -> None:
    """Each firm is unavailable in the new slots that fall in the times it said it is away (kept as said, so
    a change undone gives the same slots back).  A placed meeting keeps its slot: where it now falls in its
    firm's absence, the meeting stays, the slot is left free, and `saved.clashes` names it."""
    placed = {}
    for meeting in db.session.scalars(select(Meeting).where(Meeting.session_id == session.id,
                                                            Meeting.slot.is_not(None))).unique():
        for participant_id in (meeting.indian_participant_id, meeting.japanese_participant_id):
            placed[(participant_id, meeting.slot)] = meeting
    for participant in db.session.scalars(select(B2BParticipant).where(B2BParticipant.session_id == session.id)):
        current = sorted(participant.unavailable_slots or [])
        if participant.unavailable_times is None:  # saved before the times were kept
            participant.unavailable_times = away_times(before, current)
        within = slots_within(after, participant.unavailable_times)
        wanted = []
        for number in within:
            if (participant.id, number) in placed:
                saved.clashes.append((placed[(participant.id, number)], participant, after.slot(number)))
            else:
                wanted.append(number)
        if len(wanted) < len(within):
            # the meeting stays: the absence it overlaps is given up, not kept to come back at a later save
            participant.unavailable_times = away_times(after, wanted)
        if wanted != current:
            # slots cut off the end of the day are dropped, not moved
            saved.availability_moved += wanted != [n for n in current if n <= len(after)]
            participant.unavailable_slots = wanted


def _idle_day_parts(session: B2BSession) -> int:
    """Meetings (not cancelled) and unanswered requests asking for a morning or afternoon the session no longer
    has: kept as asked (a lunch break set again restores them), taken as any time meanwhile (the scheduler and
    the move check know no morning without a lunch break)."""
    meetings = db.session.scalar(select(func.count(Meeting.id)).where(
        Meeting.session_id == session.id, Meeting.day_part != "any", Meeting.status != "cancelled"))
    requests = db.session.scalar(select(func.count(MeetingRequest.id)).where(
        MeetingRequest.session_id == session.id, MeetingRequest.status == "requested",
        MeetingRequest.day_part != "any"))
    return meetings + requests


def keep_session_current(session: B2BSession, *, may_start: bool = False, reason: str = "") -> list:
    """The session's times, place or table names changed, or its event or delegation was cancelled or came back:
    interpreters now busy elsewhere at their meeting's time leave it, and everyone holding an invite of its
    meetings gets the update (or the CANCEL); first invites only with ``may_start`` (the delegation was
    confirmed). ``reason``: why its event is cancelled, for the CANCEL mails. Returns the mails (outbox rows)."""
    from planner.invites.operations import send_session_invites
    from planner.matchmaking.interpreters import drop_clashing_interpreters

    lock_session(session.id)

    drop_clashing_interpreters(session)
    return send_session_invites(session, may_start=may_start, reason=reason)


def sessions_of_events(event_ids) -> list[B2BSession]:
    """The B2B sessions held at these itinerary events (whatever the events' kind)."""
    event_ids = list(event_ids)
    if not event_ids:
        return []
    return list(db.session.scalars(select(B2BSession).where(B2BSession.event_id.in_(event_ids))
                                   .order_by(B2BSession.id)))


def rename_tables(session: B2BSession, names: list[str]) -> int:
    """One name per table, in table order (e.g. room names). Returns how many invite updates went out."""
    names = [name.strip() for name in names]
    if len(names) != len(session.tables):
        raise DomainError(_("Give exactly %(n)d names, one per line.", n=len(session.tables)), "names")
    if any(not name or len(name) > 100 for name in names):
        raise DomainError(_("Every table needs a name of at most 100 characters."), "names")
    if len(set(names)) != len(names):
        raise DomainError(_("Two tables cannot share a name."), "names")
    for table in session.tables:  # two steps, so that swapping two names never collides midway
        table.name = f"~renaming~{table.id}"
    db.session.flush()
    for table, name in zip(session.tables, names, strict=True):
        table.name = name
    db.session.flush()
    return len(keep_session_current(session))


# Participants ---------------------------------------------------------------------------------------------


def register_firm(session: B2BSession, firm_id: int | None, user, representative_ids=()) -> B2BParticipant:
    """Register a firm into the session: organisers register any active firm, a cell or office its own."""
    firm = db.session.get(Firm, firm_id) if firm_id else None
    if firm is None or firm.status != "active":
        raise DomainError(_("Choose an active firm from the registry."), "firm")
    organiser = db.session.scalar(select(B2BSession.id).where(B2BSession.id == session.id,
                                                              scope_clause(B2BSession, user, edit=True)))
    if organiser is None and firm.region_id != getattr(user, "region_id", None):
        raise DomainError(_("You can register only firms of your own region."), "firm")
    if db.session.scalar(select(B2BParticipant.id).where(B2BParticipant.session_id == session.id,
                                                         B2BParticipant.firm_id == firm.id)) is not None:
        raise DomainError(_("%(firm)s is registered already.", firm=local_name(firm)), "firm")
    if user.role in (Role.STATE, Role.PREFECTURE) and firm.region_id != user.region_id and representative_ids:
        # the other side's firm: its representatives are its own people (they act for it), not the
        # organiser's (who would act for the firm through them)
        # (by who recorded them, which the organiser cannot change; not the home region or firm, which it may
        # set on people it recorded itself)
        people = db.session.scalars(select(Person).where(Person.id.in_(list(representative_ids)))).all()
        if any(person.created_by_region_id != firm.region_id for person in people):
            raise DomainError(_("Representatives of a firm of %(region)s are people of that region or of the "
                                "firm.", region=firm.region.display_name), "representatives")
    participant = B2BParticipant(session=session, firm=firm, side=firm.region.country, unavailable_slots=[])
    db.session.add(participant)
    set_representatives(participant, representative_ids, user)
    db.session.flush()
    return participant


def choose_people(current, person_ids, user) -> list[Person] | None:
    """`person_ids` as people, sorted by name: those in `current` stay or leave as chosen (whoever named them,
    possibly the partner region, whom `user` may not see otherwise); new ones must be people `user` can see.
    None when one is not."""
    wanted = {int(pid) for pid in person_ids or ()}
    kept = {person.id: person for person in current if person.id in wanted}
    new_ids = wanted - set(kept)
    found = list(db.session.scalars(select(Person).where(Person.id.in_(new_ids), scope_clause(Person, user)))) \
        if new_ids else []
    if len(found) != len(new_ids):
        return None
    return sorted([*kept.values(), *found], key=lambda p: (p.name, p.id))


def person_of_contact(contact, user) -> Person:
    """A firm's contact as a person (representatives get invites and agendas, which people have): the person
    the user can see with the contact's e-mail, else a new one recorded by the user's region, linked to the
    firm, so that nobody types the contact in twice."""
    from planner.delegations.operations import PersonData, create_person

    # the same person: by e-mail, or (no e-mail to go by) by name among the firm's people, so that ticking the
    # contact again does not record them twice
    # (by name only among the people the user's own region recorded: anyone may link a person to a firm, and a
    # partner region's person of the same name is not the contact)
    same = func.lower(Person.email) == contact.email.lower() if contact.email else and_(
        Person.firm_id == contact.firm_id, func.lower(Person.name) == contact.name.lower(),
        true() if user.role == Role.ADMIN else Person.created_by_region_id == getattr(user, "region_id", None))
    found = db.session.scalars(select(Person).where(same, scope_clause(Person, user)).order_by(Person.id)).first()
    if found is not None:
        if found.firm_id is None and found.created_by_region_id == getattr(user, "region_id", None):
            found.firm = contact.firm  # as the form says: linked to the firm (by whoever recorded the person)
        return found
    firm = contact.firm
    organisation = firm.name_ja if contact.language == "ja" and firm.name_ja else firm.name
    return create_person(PersonData(name=contact.name, organisation=organisation, title=contact.title,
                                    email=contact.email, phone=contact.phone, preferred_language=contact.language,
                                    home_region_id=firm.region_id, firm_id=firm.id), user)


def set_representatives(participant: B2BParticipant, person_ids, user, contact_ids=()) -> None:
    """The firm's representatives (see `choose_people`), and any of the firm's contacts (`contact_ids`), who
    become people first (`person_of_contact`)."""
    from planner.firms.operations import contact_of

    wanted = [int(pid) for pid in person_ids or ()]
    for contact_id in dict.fromkeys(contact_ids or ()):
        contact = contact_of(participant.firm, contact_id)
        if contact is None:
            raise DomainError(_("Choose among the firm's own contacts."), "contacts")
        try:
            wanted.append(person_of_contact(contact, user).id)
        except DomainError as error:
            raise DomainError(f"{contact.name}: {error.message}", "contacts") from None
    people = choose_people(participant.representatives, wanted, user)
    if people is None:
        raise DomainError(_("Choose representatives among the people you can see."), "representatives")
    participant.representatives = people
    db.session.flush()
    from planner.invites.operations import update_meeting_invites

    for meeting in db.session.scalars(select(Meeting).where(or_(Meeting.indian_participant_id == participant.id,
                                                                Meeting.japanese_participant_id == participant.id))):
        update_meeting_invites(meeting)  # a new representative gets the invite, a removed one a CANCEL


def set_unavailable(participant: B2BParticipant, slots) -> None:
    lock_session(participant.session_id)
    count = len(slot_plan(participant.session))
    chosen = sorted({int(slot) for slot in slots or ()})
    if any(not 1 <= slot <= count for slot in chosen):
        raise DomainError(_("Choose slots of this session."), "unavailable")
    busy = db.session.scalars(select(Meeting.slot).where(
        Meeting.slot.in_(chosen), Meeting.session_id == participant.session_id,
        or_(Meeting.indian_participant_id == participant.id, Meeting.japanese_participant_id == participant.id)))
    clash = sorted(busy)
    if clash:
        # said to the firm's delegates too, who cannot move meetings: who does
        raise DomainError(_("The firm has a meeting in slot %(n)d; it has to be moved first (the session's "
                            "organisers do so on the schedule).", n=clash[0]), "unavailable")
    participant.unavailable_slots = chosen
    plan = slot_plan(participant.session)
    # what the firm marks now, and the times it gave outside today's slots (a day shortened for now)
    outside = [[start, end] for start, end in participant.unavailable_times or ()
               if not slots_within(plan, [[start, end]])]
    participant.unavailable_times = away_times(plan, chosen) + outside
    db.session.flush()


def representatives_need_interpreter(*participants: B2BParticipant) -> bool:
    return any(person.needs_interpreter for p in participants for person in p.representatives)


# Requests -------------------------------------------------------------------------------------------------


@dataclass
class RequestData:
    target_id: int | None
    priority: int | None = 1
    day_part: str = "any"
    message: str = ""


def taken_partners(participant: B2BParticipant) -> set[int]:
    """The participants this firm has a request with (either way, whatever its answer) or a meeting that is
    not cancelled: a new request to them would be refused."""
    asked = db.session.execute(select(MeetingRequest.requester_id, MeetingRequest.target_id).where(
        MeetingRequest.session_id == participant.session_id,
        or_(MeetingRequest.requester_id == participant.id, MeetingRequest.target_id == participant.id))).all()
    met = db.session.execute(select(Meeting.indian_participant_id, Meeting.japanese_participant_id).where(
        Meeting.session_id == participant.session_id, Meeting.status != "cancelled",
        or_(Meeting.indian_participant_id == participant.id, Meeting.japanese_participant_id == participant.id))).all()
    return {other for pair in [*asked, *met] for other in pair} - {participant.id}


def _pair_refusal(requester: B2BParticipant, target: B2BParticipant) -> str | None:
    """Why these two firms cannot have a new request, in words that say what happened and what is left."""
    pair = or_(and_(MeetingRequest.requester_id == requester.id, MeetingRequest.target_id == target.id),
               and_(MeetingRequest.requester_id == target.id, MeetingRequest.target_id == requester.id))
    earlier = db.session.scalars(select(MeetingRequest).where(MeetingRequest.session_id == requester.session_id,
                                                              pair)).first()
    meeting = db.session.scalar(select(Meeting.status).where(
        Meeting.session_id == requester.session_id,
        or_(and_(Meeting.indian_participant_id == requester.id, Meeting.japanese_participant_id == target.id),
            and_(Meeting.indian_participant_id == target.id, Meeting.japanese_participant_id == requester.id)))
        .order_by(Meeting.status == "cancelled").limit(1))
    if meeting is not None and meeting != "cancelled":
        return _("These two firms have a meeting in this session already.")
    if earlier is None:
        return None
    asked, answering = local_name(earlier.requester.firm), local_name(earlier.target.firm)
    if earlier.status == "declined":
        return _("%(target)s declined a meeting with %(requester)s in this session; an organiser can still set "
                 "one directly (New meeting).", target=answering, requester=asked)
    if earlier.status == "requested":
        return _("%(requester)s has asked %(target)s already; the request waits for an answer.",
                 requester=asked, target=answering)
    return _("The meeting of these two firms in this session was cancelled; an organiser can set it again (New "
             "meeting).")


def request_meeting(requester: B2BParticipant, data: RequestData, user) -> MeetingRequest:
    target = db.session.get(B2BParticipant, data.target_id) if data.target_id else None
    if target is None or target.session_id != requester.session_id:
        raise DomainError(_("Choose a firm registered in this session."), "target")
    if target.side == requester.side:
        raise DomainError(_("A meeting is between an Indian and a Japanese firm."), "target")
    if data.priority not in PRIORITIES:
        raise DomainError(_("Choose “must meet” or “would like to meet”."), "priority")
    if data.day_part not in DAY_PARTS:
        raise DomainError(_("Choose morning, afternoon or any time."), "day_part")
    if data.day_part != "any" and requester.session.lunch_start is None:
        raise DomainError(_("This session has no lunch break, so no morning or afternoon."), "day_part")
    message = (data.message or "").strip()
    if len(message) > MAX_MESSAGE:
        raise DomainError(_("Keep the message to %(n)d characters.", n=MAX_MESSAGE), "message")
    if refusal := _pair_refusal(requester, target):
        raise DomainError(refusal, "target")
    request = MeetingRequest(session_id=requester.session_id, requester=requester, target=target,
                             priority=data.priority, day_part=data.day_part, message=message,
                             created_by_id=getattr(user, "id", None))
    db.session.add(request)
    db.session.flush()
    return request


def _request_status(request_id: int) -> str | None:
    """The request's status as stored now (None once it is withdrawn): read afresh, as a refresh of a row
    another transaction deleted fails."""
    return db.session.scalar(select(MeetingRequest.status).where(MeetingRequest.id == request_id)
                             .execution_options(populate_existing=True))


def withdraw_request(request: MeetingRequest, user) -> None:
    """The requesting firm takes back a request not answered yet (the pair may ask again later). An answered
    one stays: an accepted request is a meeting, cancelled as a meeting; a declined one is history."""
    lock_session(request.session_id)
    gone = db.session.execute(
        delete(MeetingRequest).where(MeetingRequest.id == request.id, MeetingRequest.status == "requested")
        .execution_options(synchronize_session=False)).rowcount
    if not gone:
        if _request_status(request.id) is None:  # withdrawn at the same moment (a double click)
            raise DomainError(_("This request was withdrawn already."))
        raise DomainError(_("This request was answered already, so it cannot be withdrawn; cancel the meeting "
                            "instead if it was accepted."))
    record_action(request, "withdraw")  # the entry keeps who asked whom; the row itself is gone
    db.session.expunge(request)


def answer_request(request: MeetingRequest, accept: bool, user, now: datetime | None = None) -> Meeting | None:
    """Accept (the meeting is created, unscheduled, for the scheduler) or decline a request."""
    lock_session(request.session_id)
    # the answer is claimed in one UPDATE: of two answers at once (two browsers, accept and decline) one
    # finds the request still open, the other not (checked in Python, both were saved, or the second accept
    # hit the meeting's unique request and answered 500)
    status = "accepted" if accept else "declined"
    claimed = db.session.execute(
        update(MeetingRequest).where(MeetingRequest.id == request.id, MeetingRequest.status == "requested")
        .values(status=status, answered_at=now or utcnow(), answered_by_id=getattr(user, "id", None))
        .execution_options(synchronize_session=False)).rowcount
    if not claimed:
        if _request_status(request.id) is None:
            raise DomainError(_("This request was withdrawn by the firm that made it."))
        raise DomainError(_("This request was answered already."))
    db.session.refresh(request)
    meeting = None
    if accept:
        indian, japanese = sorted((request.requester, request.target), key=lambda p: p.side)
        meeting = db.session.scalar(select(Meeting).where(
            Meeting.session_id == request.session_id, Meeting.indian_participant_id == indian.id,
            Meeting.japanese_participant_id == japanese.id, Meeting.status != "cancelled"))
        if meeting is not None:  # an organiser set this pair's meeting meanwhile: it is the answer, not a second
            meeting.request_id = meeting.request_id or request.id
        else:
            meeting = Meeting(session_id=request.session_id, indian=indian, japanese=japanese,
                              status="unscheduled", priority=request.priority, day_part=request.day_part,
                              request_id=request.id,
                              needs_interpreter=representatives_need_interpreter(indian, japanese))
            db.session.add(meeting)
    db.session.flush()
    record_action(request, request.status)
    return meeting


def requests_to_remind(now: datetime, session_id: int | None = None) -> list[MeetingRequest]:
    """Unanswered requests older than their session's reminder time, not reminded within that time either.

    The outbox wiring calls this, sends one reminder per request to whoever acts for the asked firm, then
    :func:`mark_reminded` in the same transaction."""
    stmt = (select(MeetingRequest).join(B2BSession, B2BSession.id == MeetingRequest.session_id)
            .where(MeetingRequest.status == "requested").order_by(MeetingRequest.created_at, MeetingRequest.id))
    if session_id is not None:
        stmt = stmt.where(MeetingRequest.session_id == session_id)
    due = []
    for request in db.session.scalars(stmt):
        wait = timedelta(hours=request.target.session.reminder_hours)
        last = request.reminded_at or request.created_at
        if last + wait <= now:
            due.append(request)
    return due


def mark_reminded(requests: list[MeetingRequest], now: datetime) -> None:
    for request in requests:
        request.reminded_at = now
    db.session.flush()


def met_before(session: B2BSession, viewer) -> set[tuple[int, int]]:
    """(Indian firm id, Japanese firm id) pairs that met in a scheduled meeting of an earlier session that `viewer`
    may see (another pair's sessions stay theirs, even as a badge)."""
    indian, japanese = aliased(B2BParticipant), aliased(B2BParticipant)
    earlier = (select(B2BSession.id).join(Event, Event.id == B2BSession.event_id)
               .where(Event.starts_at < session.event.starts_at, B2BSession.id != session.id))
    rows = db.session.execute(
        select(indian.firm_id, japanese.firm_id).select_from(Meeting)
        .join(indian, indian.id == Meeting.indian_participant_id)
        .join(japanese, japanese.id == Meeting.japanese_participant_id)
        .where(Meeting.status == "scheduled", Meeting.session_id.in_(earlier), scope_clause(Meeting, viewer)))
    return {(a, b) for a, b in rows}
