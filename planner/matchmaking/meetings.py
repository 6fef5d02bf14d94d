"""Meeting rules: create directly, move, swap, cancel — each with a conflict check here and the database's unique
constraints as the last line (a race lost at the database becomes a DomainError with a human message). A moved
meeting keeps its interpreter where they are free (planner.matchmaking.interpreters); one taken off the schedule
loses them."""

from contextlib import contextmanager
from typing import NamedTuple

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from planner.core.audit import record_action
from planner.core.errors import DomainError
from planner.extensions import db
from planner.i18n.names import local_name
from planner.matchmaking.interpreters import fitting_interpreter
from planner.matchmaking.models import DAY_PARTS, PRIORITIES, B2BParticipant, B2BSession, B2BTable, Meeting
from planner.matchmaking.operations import lock_session, representatives_need_interpreter, slot_plan


def conflict_message(error: IntegrityError) -> str:
    """The human message for a unique constraint of b2b_meetings that refused a write."""
    text = str(error.orig)
    if "indian_participant_id" in text:
        return _("The Indian firm was just given another meeting in this slot by someone else. "
                 "Reload the schedule and choose another slot.")
    if "japanese_participant_id" in text:
        return _("The Japanese firm was just given another meeting in this slot by someone else. "
                 "Reload the schedule and choose another slot.")
    if "interpreter_id" in text:
        return _("The interpreter was just given another meeting in this slot by someone else. "
                 "Reload the page and choose another interpreter.")
    if "table_id" in text:
        return _("Someone else just put a meeting at this table in this slot. "
                 "Reload the schedule and choose another table or slot.")
    return _("The meeting conflicts with a change saved a moment ago. Reload the schedule and try again.")


@contextmanager
def guarded_placement(field: str | None = "slot"):
    """Run changes to meetings in a savepoint; a unique-constraint race becomes a DomainError (and the
    savepoint is rolled back, so the request's transaction stays usable)."""
    try:
        with db.session.begin_nested():
            yield
    except IntegrityError as error:
        raise DomainError(conflict_message(error), field) from None


def _participant_names(meeting: Meeting) -> tuple[str, str]:
    return local_name(meeting.indian.firm), local_name(meeting.japanese.firm)


def check_place(meeting: Meeting, slot: int, table: B2BTable, ignore: frozenset[int] = frozenset()) -> None:
    """Refuse a placement that breaks a rule of the session; `ignore` names meetings that move away together."""
    session = meeting.session
    plan = slot_plan(session)
    if not 1 <= slot <= len(plan):
        raise DomainError(_("Choose a slot from 1 to %(n)d.", n=len(plan)), "slot")
    if table is None or table.session_id != meeting.session_id:
        raise DomainError(_("Choose a table of this session."), "table")
    if meeting.day_part != "any" and plan.morning_slots is not None:
        if (meeting.day_part == "morning") != plan.slot(slot).is_morning:
            raise DomainError(_("This meeting is restricted to the morning.") if meeting.day_part == "morning"
                              else _("This meeting is restricted to the afternoon."), "slot")
    for participant in meeting.participants:
        if slot in (participant.unavailable_slots or []):
            raise DomainError(_("%(firm)s is unavailable in slot %(n)d.", firm=local_name(participant.firm), n=slot),
                              "slot")
    skip = set(ignore) | ({meeting.id} if meeting.id is not None else set())
    others = select(Meeting).where(Meeting.session_id == meeting.session_id, Meeting.slot == slot,
                                   Meeting.id.not_in(skip or {0}))
    for other in db.session.scalars(others):
        if other.table_id == table.id:
            raise DomainError(_("%(table)s is taken in slot %(n)d (%(a)s – %(b)s).", table=table.name, n=slot,
                                a=local_name(other.indian.firm), b=local_name(other.japanese.firm)), "table")
        shared = {other.indian_participant_id, other.japanese_participant_id} & \
            {meeting.indian_participant_id, meeting.japanese_participant_id}
        if shared:
            busy = db.session.get(B2BParticipant, shared.pop())
            raise DomainError(_("%(firm)s has another meeting in slot %(n)d.", firm=local_name(busy.firm), n=slot), "slot")
    if meeting.needs_interpreter and session.interpreters is not None:
        used = db.session.scalar(select(func.count(Meeting.id)).where(
            Meeting.session_id == meeting.session_id, Meeting.slot == slot, Meeting.needs_interpreter.is_(True),
            Meeting.id.not_in(skip or {0})))
        if used >= session.interpreters:
            raise DomainError(_("All %(n)d interpreters are busy in slot %(s)d.", n=session.interpreters, s=slot),
                              "slot")


def _obstacle(meeting: Meeting, number: int, plan, in_slot: list[Meeting], tables: int | None) -> str | None:
    """Why ``meeting`` cannot go to slot `number`, where the meetings `in_slot` are (the first reason
    ``check_place`` would give, in short), or None; `tables` None: no table check (a swap exchanges tables)."""
    session = meeting.session
    own = {meeting.indian_participant_id, meeting.japanese_participant_id}
    if meeting.day_part != "any" and plan.morning_slots is not None \
            and (meeting.day_part == "morning") != plan.slot(number).is_morning:
        return _("morning only") if meeting.day_part == "morning" else _("afternoon only")
    if away := [p for p in meeting.participants if number in (p.unavailable_slots or [])]:
        return _("%(firm)s unavailable", firm=local_name(away[0].firm))
    if busy := [m for m in in_slot if own & {m.indian_participant_id, m.japanese_participant_id}]:
        firm = busy[0].indian if busy[0].indian_participant_id in own else busy[0].japanese
        return _("%(firm)s in another meeting", firm=local_name(firm.firm))
    if tables is not None and len(in_slot) >= tables:
        return _("every table taken")
    if meeting.needs_interpreter and session.interpreters is not None \
            and sum(1 for m in in_slot if m.needs_interpreter) >= session.interpreters:
        return _("every interpreter busy")
    return None


def _placed_others(meeting: Meeting) -> list[Meeting]:
    return list(db.session.scalars(select(Meeting).where(
        Meeting.session_id == meeting.session_id, Meeting.slot.is_not(None), Meeting.id != (meeting.id or 0))))


def slot_obstacles(meeting: Meeting) -> dict[int, str]:
    """slot -> why ``meeting`` cannot go there (the first reason ``check_place`` would give, in short), for the
    move form to say before the organiser saves (it offered slots a firm had marked unavailable)."""
    plan = slot_plan(meeting.session)
    others = _placed_others(meeting)
    reasons = {}
    for number in range(1, len(plan) + 1):
        reason = _obstacle(meeting, number, plan, [m for m in others if m.slot == number], len(meeting.session.tables))
        if reason:
            reasons[number] = reason
    return reasons


def swap_obstacles(meeting: Meeting, candidates: list[Meeting]) -> dict[int, str]:
    """other meeting id -> why ``swap_meetings(meeting, other)`` would refuse (the first reason, in short), for
    the swap form to say before the organiser saves; both meetings scheduled."""
    plan = slot_plan(meeting.session)
    placed = _placed_others(meeting)
    reasons = {}
    for other in candidates:
        both = {meeting.id, other.id}
        for moving, slot in ((meeting, other.slot), (other, meeting.slot)):
            reason = _obstacle(moving, slot, plan, [m for m in placed if m.slot == slot and m.id not in both], None)
            if reason:
                reasons[other.id] = reason
                break
    return reasons


def set_place(meeting: Meeting, slot: int | None, table: B2BTable | None, status: str | None = None) -> bool:
    """Write slot, table and status; the invite's sequence rises when any of them changes. True if changed."""
    status = status or ("scheduled" if slot is not None else "unscheduled")
    new_table_id = table.id if table is not None else None
    if (meeting.slot, meeting.table_id, meeting.status) == (slot, new_table_id, status):
        return False
    meeting.slot, meeting.table, meeting.status = slot, table, status
    if status != "scheduled":
        meeting.interpreter = None  # only a placed meeting has an interpreter
    meeting.sequence = (meeting.sequence or 0) + 1
    return True


def create_meeting(session: B2BSession, indian_id, japanese_id, *, priority=2, day_part="any",
                   needs_interpreter: bool | None = None, slot: int | None = None,
                   table_id: int | None = None) -> Meeting:
    """An organiser sets a meeting directly (no request); placed at once when a slot and table are given."""
    lock_session(session.id)
    indian = db.session.get(B2BParticipant, indian_id) if indian_id else None
    japanese = db.session.get(B2BParticipant, japanese_id) if japanese_id else None
    if indian is None or indian.session_id != session.id or indian.side != "IN":
        raise DomainError(_("Choose an Indian firm registered in this session."), "indian")
    if japanese is None or japanese.session_id != session.id or japanese.side != "JP":
        raise DomainError(_("Choose a Japanese firm registered in this session."), "japanese")
    if priority not in PRIORITIES:
        raise DomainError(_("Choose “must meet” or “would like to meet”."), "priority")
    if day_part not in DAY_PARTS:
        raise DomainError(_("Choose morning, afternoon or any time."), "day_part")
    if day_part != "any" and session.lunch_start is None:
        raise DomainError(_("This session has no lunch break, so no morning or afternoon."), "day_part")
    if db.session.scalar(select(Meeting.id).where(
            Meeting.session_id == session.id, Meeting.indian_participant_id == indian.id,
            Meeting.japanese_participant_id == japanese.id, Meeting.status != "cancelled")) is not None:
        raise DomainError(_("These two firms have a meeting in this session already."), "japanese")
    if needs_interpreter is None:
        needs_interpreter = representatives_need_interpreter(indian, japanese)
    with guarded_placement():
        meeting = Meeting(session=session, indian=indian, japanese=japanese, priority=priority, day_part=day_part,
                          needs_interpreter=needs_interpreter, status="unscheduled")
        db.session.add(meeting)
        db.session.flush()
        if slot is not None or table_id is not None:
            table = db.session.get(B2BTable, table_id) if table_id else None
            if slot is None:
                raise DomainError(_("Choose a slot for the table, or neither."), "slot")
            check_place(meeting, slot, table)
            set_place(meeting, slot, table)
            meeting.sequence = 0  # a new meeting: its first invite is revision 0
    return meeting


class Moved(NamedTuple):
    changed: bool  # the slot, table or status changed
    mails: int  # invitations, updates or cancellations queued


def move_meeting(meeting: Meeting, slot: int | None, table_id: int | None,
                 needs_interpreter: bool | None = None) -> Moved:
    """Put a meeting into a slot at a table (or back to unscheduled with slot None); those holding its invite
    get the update (first invites go with a schedule, or with `move_by_hand`)."""
    lock_session(meeting.session_id)
    db.session.refresh(meeting)  # as it is now, after whoever held the session's schedule before
    if meeting.status == "cancelled":
        raise DomainError(_("A cancelled meeting cannot be moved."))
    had_interpreter = meeting.interpreter_id
    if needs_interpreter is not None:
        meeting.needs_interpreter = needs_interpreter
        if not needs_interpreter:
            meeting.interpreter = None
    if slot is None:
        with guarded_placement():
            changed = set_place(meeting, None, None)
        return Moved(changed, len(_update_invites(meeting)))
    table = db.session.get(B2BTable, table_id) if table_id else None
    check_place(meeting, slot, table)
    interpreter = meeting.interpreter if slot == meeting.slot else fitting_interpreter(meeting, slot)
    with guarded_placement():
        changed = set_place(meeting, slot, table)
        meeting.interpreter = interpreter
    if changed:
        record_action(meeting, "move", note=f"slot {slot}, {table.name}")
    mails = []
    if changed or meeting.interpreter_id != had_interpreter:
        mails = _update_invites(meeting)
    return Moved(changed, len(mails))


def move_by_hand(meeting: Meeting, slot: int | None, table_id: int | None,
                 needs_interpreter: bool | None = None) -> Moved:
    """An organiser places a meeting (`move_meeting`): its representatives get their invitations as an applied
    schedule's would; an organiser scheduling a small session by hand had no way to send them."""
    if slot is not None and not table_id:  # no table chosen: the first one free in that slot
        lock_session(meeting.session_id)
        taken = set(db.session.scalars(select(Meeting.table_id).where(
            Meeting.session_id == meeting.session_id, Meeting.slot == slot, Meeting.id != meeting.id)))
        free = [table for table in meeting.session.tables if table.id not in taken]
        if not free:
            raise DomainError(_("Every table is taken in slot %(n)d.", n=slot), "slot")
        table_id = free[0].id
    moved = move_meeting(meeting, slot, table_id, needs_interpreter)
    if meeting.status != "scheduled":
        return moved
    from planner.invites.operations import send_meeting_invites

    return Moved(moved.changed, moved.mails + len(send_meeting_invites(meeting)))


def _update_invites(*meetings: Meeting) -> list:
    """Those who hold an invite get the update (or a CANCEL); first invites go out with the schedule."""
    from planner.invites.operations import update_meeting_invites

    return [mail for meeting in meetings for mail in update_meeting_invites(meeting)]


def swap_meetings(first: Meeting, second: Meeting) -> None:
    """Exchange the slots and tables of two scheduled meetings of one session."""
    lock_session(first.session_id)
    db.session.refresh(first)
    db.session.refresh(second)
    if first.id == second.id:
        raise DomainError(_("Choose another meeting to swap with."), "other")
    if first.session_id != second.session_id:
        raise DomainError(_("Both meetings must belong to the same session."), "other")
    if first.status != "scheduled" or second.status != "scheduled":
        raise DomainError(_("Only scheduled meetings can be swapped."), "other")
    a_place, b_place = (first.slot, first.table), (second.slot, second.table)
    both = frozenset({first.id, second.id})
    check_place(first, *b_place, ignore=both)
    check_place(second, *a_place, ignore=both)
    interpreters = {first.id: fitting_interpreter(first, b_place[0], both),
                    second.id: fitting_interpreter(second, a_place[0], both)}
    with guarded_placement("other"):
        # Clear both places first, so that no intermediate state collides with the unique constraints.
        for meeting in (first, second):
            meeting.slot, meeting.table, meeting.status = None, None, "unscheduled"
            meeting.interpreter = None
        db.session.flush()
        for meeting, (slot, table) in ((first, b_place), (second, a_place)):
            meeting.slot, meeting.table, meeting.status = slot, table, "scheduled"
            meeting.interpreter = interpreters[meeting.id]
            meeting.sequence += 1
    record_action(first, "swap", note=f"with meeting {second.id}")
    _update_invites(first, second)


def cancel_meeting(meeting: Meeting) -> None:
    """Cancel: the meeting frees its slot and table (they are set to NULL), so it blocks nothing."""
    lock_session(meeting.session_id)
    db.session.refresh(meeting)
    if meeting.status == "cancelled":
        raise DomainError(_("This meeting is cancelled already."))
    with guarded_placement():
        set_place(meeting, None, None, status="cancelled")
    record_action(meeting, "cancel")
    _update_invites(meeting)


def meetings_of(participant: B2BParticipant, *, include_cancelled: bool = False) -> list[Meeting]:
    stmt = select(Meeting).where(or_(Meeting.indian_participant_id == participant.id,
                                     Meeting.japanese_participant_id == participant.id))
    if not include_cancelled:
        stmt = stmt.where(Meeting.status != "cancelled")
    return list(db.session.scalars(stmt.order_by(Meeting.slot.is_(None), Meeting.slot, Meeting.id)).unique())
