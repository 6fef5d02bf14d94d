"""Interpreters of a B2B session: the pool (people the organisers name) and who interprets which placed meeting.

The solver's K (``B2BSession.interpreters``) caps how many meetings needing an interpreter run at once; the pool
says who they are. An interpreter sits in at most one meeting per slot (checked here, and by the unique index
on (session, slot, interpreter) as the last line), and is not given a meeting while interpreting one of another
session at an overlapping time (two sessions of a week, or two delegations' sessions on one day, may share
interpreters; checked here, by the slots' times, since no index spans sessions; the interpreters' rows are held
for the transaction before that check, so two organisers giving one person meetings of two sessions at the same
time in the same instant queue, and the second is refused). The interpreter is an attendee of the meeting's
invite, so each change goes through the invites' sync: the old interpreter gets a CANCEL, the new one a REQUEST,
and the firms' representatives nothing (time and place did not change). Operations add and flush; the caller
commits.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from planner.core.audit import record_action
from planner.core.errors import DomainError
from planner.core.timefmt import format_local, zone_label
from planner.delegations.models import Person
from planner.extensions import db
from planner.i18n.names import local_name
from planner.matchmaking.models import B2BSession, Meeting
from planner.matchmaking.operations import choose_people, lock_session, slot_plan
from planner.matchmaking.slots import slot_instants

Interval = tuple[datetime, datetime]


def _session_meetings(session_id: int) -> list[Meeting]:
    return list(db.session.scalars(select(Meeting).where(Meeting.session_id == session_id,
                                                         Meeting.status != "cancelled")).unique())


def _placement_order(meeting: Meeting) -> tuple:
    return (meeting.slot or 0, meeting.table.number if meeting.table else 0, meeting.id)


def _sync(meetings) -> None:
    from planner.invites.operations import update_meeting_invites

    for meeting in meetings:
        update_meeting_invites(meeting)  # only those who hold an invite; first invites go with the schedule


def _write(changes: list[tuple[Meeting, Person | None]]) -> None:
    """Set the interpreters in two steps, so that no intermediate row collides with the unique index."""
    from planner.matchmaking.meetings import guarded_placement

    with guarded_placement("interpreter"):
        for meeting, _person in changes:
            meeting.interpreter = None
        db.session.flush()
        for meeting, person in changes:
            meeting.interpreter = person


# The pool ----------------------------------------------------------------------------------------------------


def set_pool(session: B2BSession, person_ids, user) -> list[Meeting]:
    """The session's interpreters. New ones must be people the user can see; those taken off the pool leave their
    meetings (they get a CANCEL). Returns the meetings that lost their interpreter."""
    lock_session(session.id)  # one lock order for every writer of the schedule: the session first
    pool = choose_people(session.interpreter_pool, person_ids, user)
    if pool is None:
        raise DomainError(_("Choose interpreters among the people you can see."), "pool")
    before, after = {person.id for person in session.interpreter_pool}, {person.id for person in pool}
    removed = before - after
    affected = sorted((m for m in _session_meetings(session.id) if m.interpreter_id in removed), key=_placement_order)
    if affected:
        _write([(meeting, None) for meeting in affected])
        db.session.flush()
    session.interpreter_pool = pool
    db.session.flush()
    if before != after:
        record_action(session, "interpreters", note=", ".join(p.name for p in session.interpreter_pool) or "—")
    _sync(affected)
    return affected


# Times, and other sessions ----------------------------------------------------------------------------------


def slot_interval(session: B2BSession, slot: int | None) -> Interval | None:
    """When ``slot`` of ``session`` runs (aware datetimes), or None for no slot or one the plan lacks."""
    plan = slot_plan(session)
    if slot is None or not 1 <= slot <= len(plan):
        return None
    return slot_instants(session.event.local_start.date(), plan.slot(slot), session.event.zone)


def engagements_elsewhere(session: B2BSession, person_ids) -> dict[int, list[tuple[Interval, Meeting]]]:
    """Interpreter id -> the times of the placed meetings they interpret in sessions other than ``session``."""
    person_ids = set(person_ids)
    if not person_ids:
        return {}
    from planner.delegations.models import Delegation
    from planner.itinerary.models import Event

    # Sessions that take place (their event scheduled, the delegation not cancelled), on days near this one:
    # a session's slots all lie within a day of its event's start.
    start = session.event.starts_at
    found: dict[int, list[tuple[Interval, Meeting]]] = {}
    for meeting in db.session.scalars(
            select(Meeting).join(B2BSession, B2BSession.id == Meeting.session_id)
            .join(Event, Event.id == B2BSession.event_id).join(Delegation, Delegation.id == Event.delegation_id)
            .where(Meeting.interpreter_id.in_(person_ids), Meeting.session_id != session.id,
                   Meeting.status == "scheduled", Event.status == "scheduled", Delegation.status != "cancelled",
                   Event.starts_at > start - timedelta(days=2), Event.starts_at < start + timedelta(days=2))
    ).unique():
        interval = slot_interval(meeting.session, meeting.slot)
        if interval is not None:
            found.setdefault(meeting.interpreter_id, []).append((interval, meeting))
    return found


def _clash(engagements: list[tuple[Interval, Meeting]], interval: Interval | None) -> Meeting | None:
    """The first of ``engagements`` overlapping ``interval`` (touching ends do not overlap)."""
    if interval is None:
        return None
    start, end = interval
    return next((meeting for (other_start, other_end), meeting in engagements
                 if other_start < end and start < other_end), None)


def busy_elsewhere(session: B2BSession, slot: int | None, person_ids) -> set[int]:
    """Of ``person_ids``, those interpreting a meeting of another session while ``slot`` runs."""
    interval = slot_interval(session, slot)
    return {pid for pid, engagements in engagements_elsewhere(session, person_ids).items()
            if _clash(engagements, interval) is not None}


def drop_clashing_interpreters(session: B2BSession) -> list[Meeting]:
    """After a session's day, times or slots changed: interpreters now interpreting elsewhere at their meeting's
    new time leave it. Returns the meetings that lost theirs; the caller updates the invites (the interpreter
    holding one gets a CANCEL). Nobody is given a meeting here: "Assign interpreters" does that."""
    meetings = [m for m in _session_meetings(session.id) if m.status == "scheduled" and m.interpreter_id]
    elsewhere = engagements_elsewhere(session, {m.interpreter_id for m in meetings})
    clashing = sorted((m for m in meetings
                       if _clash(elsewhere.get(m.interpreter_id, []), slot_interval(session, m.slot)) is not None),
                      key=_placement_order)
    if clashing:
        _write([(meeting, None) for meeting in clashing])
        db.session.flush()
        record_action(session, "assign_interpreters", note=f"{len(clashing)} meetings lost an interpreter busy "
                                                         "in another session at the new time")
    return clashing


# Assigning ---------------------------------------------------------------------------------------------------


def _hold_interpreters(person_ids) -> None:
    """Hold the interpreters' rows until the transaction ends, before looking where they interpret: on
    PostgreSQL, SELECT … FOR UPDATE in id order (a second writer waits here, then sees what the first wrote);
    SQLite's writers go one at a time already (BEGIN IMMEDIATE)."""
    ids = sorted(set(person_ids))
    if ids and db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(select(Person.id).where(Person.id.in_(ids)).order_by(Person.id).with_for_update())


def representing_by_slot(session_id: int, exclude: set[int] = frozenset()) -> dict[int, dict[int, Meeting]]:
    """Slot -> {person id: the placed meeting they sit in as a firm's representative}, ignoring the meetings in
    `exclude`: a representative interpreting another meeting of that slot would be in two places."""
    meetings = [m for m in _session_meetings(session_id) if m.slot is not None and m.id not in exclude]
    seated: dict[int, dict[int, Meeting]] = {}
    for meeting in meetings:
        for participant in meeting.participants:
            for person in participant.representatives:
                seated.setdefault(meeting.slot, {}).setdefault(person.id, meeting)
    return seated


def busy_in_slot(session_id: int, slot: int, exclude: set[int] = frozenset()) -> dict[int, Meeting]:
    """Interpreter id -> the meeting they interpret in `slot`, ignoring the meetings in `exclude`."""
    stmt = select(Meeting).where(Meeting.session_id == session_id, Meeting.slot == slot,
                                 Meeting.interpreter_id.is_not(None))
    if exclude:
        stmt = stmt.where(Meeting.id.not_in(exclude))
    return {meeting.interpreter_id: meeting for meeting in db.session.scalars(stmt).unique()}


def assign_interpreters(session: B2BSession, preferred: dict[int, int] | None = None) -> int:
    """Give every placed meeting that needs an interpreter one from the pool, nobody twice in a slot.

    Assignments that are still valid stay; then a meeting gets its ``preferred`` interpreter (meeting id ->
    person id, e.g. the one it had before a schedule change) if free; the rest get the free interpreter with
    the fewest meetings so far (the pool's order, by name, breaks ties), meetings taken in slot and table order.
    (Takes the session's lock first, as every writer of the schedule does.)
    Free: not in another meeting of the slot, nor in a meeting of another session at an overlapping time.
    Deterministic. Meetings that no longer need one, or whose interpreter left the pool, lose theirs. Returns how
    many meetings changed interpreter; those holding invites get them (CANCEL to the old, REQUEST to the new)."""
    lock_session(session.id)
    pool = list(session.interpreter_pool)
    rank = {person.id: index for index, person in enumerate(pool)}
    people = {person.id: person for person in pool}
    meetings = sorted(_session_meetings(session.id), key=_placement_order)
    needing = [m for m in meetings if m.status == "scheduled" and m.needs_interpreter]
    chosen: dict[int, int] = {}
    busy: dict[int, set[int]] = {}
    load: Counter = Counter()
    _hold_interpreters(rank)
    elsewhere = engagements_elsewhere(session, rank)
    intervals = {slot: slot_interval(session, slot) for slot in {m.slot for m in needing}}
    seated = representing_by_slot(session.id)  # an interpreter who represents a firm in the slot is busy there
    busy.update({slot: set(people_in_slot) & set(rank) for slot, people_in_slot in seated.items()})

    def give(meeting: Meeting, person_id: int | None) -> bool:
        if person_id not in rank or person_id in busy.setdefault(meeting.slot, set()):
            return False
        if _clash(elsewhere.get(person_id, []), intervals[meeting.slot]) is not None:
            return False
        chosen[meeting.id] = person_id
        busy[meeting.slot].add(person_id)
        load[person_id] += 1
        return True

    for meeting in needing:
        give(meeting, meeting.interpreter_id)
    for meeting in needing:
        if meeting.id not in chosen:
            give(meeting, (preferred or {}).get(meeting.id))
    for meeting in needing:
        if meeting.id not in chosen:
            free = [pid for pid in rank if pid not in busy.setdefault(meeting.slot, set())
                    and _clash(elsewhere.get(pid, []), intervals[meeting.slot]) is None]
            if free:
                give(meeting, min(free, key=lambda pid: (load[pid], rank[pid])))
    changes = [(meeting, people.get(chosen.get(meeting.id))) for meeting in meetings
               if meeting.interpreter_id != chosen.get(meeting.id)]
    if changes:
        _write(changes)
        db.session.flush()
        record_action(session, "assign_interpreters", note=f"{len(changes)} meetings changed")
        _sync(meeting for meeting, _person in changes)
    return len(changes)


def fitting_interpreter(meeting: Meeting, slot: int, exclude: frozenset[int] = frozenset()) -> Person | None:
    """For a move to `slot` (call it before the move): the meeting's interpreter if free there, else a free one of
    the pool (fewest meetings first), else none; `exclude` names meetings that move away together. A meeting
    without an interpreter stays without (it may have been cleared on purpose; "Assign interpreters" fills it)."""
    if meeting.interpreter_id is None or not meeting.needs_interpreter:
        return None
    pool = list(meeting.session.interpreter_pool)
    _hold_interpreters(p.id for p in pool)
    busy = set(busy_in_slot(meeting.session_id, slot, set(exclude) | {meeting.id}))
    busy |= busy_elsewhere(meeting.session, slot, [p.id for p in pool])
    busy |= set(representing_by_slot(meeting.session_id, set(exclude) | {meeting.id}).get(slot, {}))
    busy |= {person.id for participant in meeting.participants for person in participant.representatives}
    if meeting.interpreter_id not in busy and any(p.id == meeting.interpreter_id for p in pool):
        return meeting.interpreter
    free = [person for person in pool if person.id not in busy]
    if not free:
        return None
    load = Counter(m.interpreter_id for m in _session_meetings(meeting.session_id) if m.id != meeting.id)
    return min(free, key=lambda person: (load[person.id], pool.index(person)))


def set_interpreter(meeting: Meeting, person_id: int | None) -> bool:
    """An organiser assigns, changes or clears the interpreter of one meeting. True if it changed."""
    lock_session(meeting.session_id)
    db.session.refresh(meeting)
    person = None
    if person_id is not None:
        if meeting.status != "scheduled":
            raise DomainError(_("Place the meeting on the schedule before assigning an interpreter."), "interpreter")
        if not meeting.needs_interpreter:
            raise DomainError(_("This meeting is not marked as needing an interpreter; tick “Needs an interpreter” "
                                "and save the meeting first."), "interpreter")
        person = next((p for p in meeting.session.interpreter_pool if p.id == person_id), None)
        if person is None:
            raise DomainError(_("Choose an interpreter of this session's pool."), "interpreter")
        _hold_interpreters([person.id])
        other = busy_in_slot(meeting.session_id, meeting.slot, {meeting.id}).get(person.id)
        if other is not None:
            raise DomainError(_("%(name)s interprets %(a)s – %(b)s in slot %(n)d.", name=person.name,
                                a=local_name(other.indian.firm), b=local_name(other.japanese.firm), n=meeting.slot),
                              "interpreter")
        seated = representing_by_slot(meeting.session_id).get(meeting.slot, {}).get(person.id)
        if seated is not None:
            raise DomainError(_("%(name)s represents a firm in %(a)s – %(b)s in slot %(n)d.", name=person.name,
                                a=local_name(seated.indian.firm), b=local_name(seated.japanese.firm), n=meeting.slot),
                              "interpreter")
        interval = slot_interval(meeting.session, meeting.slot)
        elsewhere = _clash(engagements_elsewhere(meeting.session, [person.id]).get(person.id, []), interval)
        if elsewhere is not None:
            # Another session may be another region's: say when, not whose meeting it is.
            raise DomainError(_("%(name)s interprets a meeting of another B2B session at that time (%(when)s).",
                                name=person.name, when=_span(elsewhere)), "interpreter")
    if meeting.interpreter_id == (person.id if person else None):
        return False
    _write([(meeting, person)])
    db.session.flush()  # the audit log records the change of interpreter_id
    _sync([meeting])
    return True


def _span(meeting: Meeting) -> str:
    """'Tue 13 Oct 2026, 10:00–10:20 JST' (in the page's language) of a placed meeting."""
    start, end = slot_interval(meeting.session, meeting.slot)
    zone = meeting.session.event.zone
    return (f"{format_local(start.astimezone(zone))}–{end.astimezone(zone):%H:%M} "
            f"{zone_label(meeting.session.event.timezone)}")


# Reading -----------------------------------------------------------------------------------------------------


@dataclass
class DoubleBooking:
    person: Person
    slot: int
    meetings: list[Meeting]


def double_bookings(session: B2BSession) -> list[DoubleBooking]:
    """People in two placed meetings of one slot: a representative of two firms, or one who interprets another
    meeting then.  The scheduler places firms, not people, so only the organiser can resolve these."""
    places: dict[tuple[int, int], list[Meeting]] = {}
    people: dict[int, Person] = {}
    for meeting in _session_meetings(session.id):
        if meeting.slot is None:
            continue
        seated = {person.id: person for participant in meeting.participants for person in participant.representatives}
        if meeting.interpreter is not None:
            seated[meeting.interpreter.id] = meeting.interpreter
        for person_id, person in seated.items():
            people[person_id] = person
            places.setdefault((meeting.slot, person_id), []).append(meeting)
    return [DoubleBooking(people[person_id], slot, sorted(meetings, key=_placement_order))
            for (slot, person_id), meetings in sorted(places.items()) if len(meetings) > 1]


@dataclass
class PoolStatus:
    pool: list[Person]
    needed: int  # placed meetings needing an interpreter
    unassigned: list[Meeting]  # of those, the ones without one
    short_of_k: bool  # the solver may put more interpreted meetings in a slot than the pool has people


def pool_status(session: B2BSession) -> PoolStatus:
    pool = list(session.interpreter_pool)
    needing = sorted((m for m in _session_meetings(session.id) if m.status == "scheduled" and m.needs_interpreter),
                     key=_placement_order)
    return PoolStatus(pool, len(needing), [m for m in needing if m.interpreter_id is None],
                      session.interpreters is not None and len(pool) < session.interpreters)
