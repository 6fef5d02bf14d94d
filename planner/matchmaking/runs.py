"""The scheduling button: build the solver's input from the database, run it, keep the result as a preview
(a `b2b_solver_runs` row), and apply it only when the organiser confirms — in one transaction, with the
interpreters assigned and the invites sent."""

from dataclasses import dataclass
from typing import NamedTuple

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select, update

from planner.core.audit import record_action
from planner.core.errors import DomainError
from planner.core.types import utcnow
from planner.extensions import db
from planner.i18n.names import local_name
from planner.matchmaking.interpreters import assign_interpreters
from planner.matchmaking.meetings import guarded_placement
from planner.matchmaking.models import B2BParticipant, B2BSession, Meeting, SolverRun
from planner.matchmaking.operations import lock_session, slot_plan
from planner.scheduling import ProblemError, parse_problem, participant_breaks, solve, unscheduled_reasons

MIN_TIME_LIMIT, MAX_TIME_LIMIT = 1, 120


def _participants(session: B2BSession) -> list[B2BParticipant]:
    return list(db.session.scalars(select(B2BParticipant).where(B2BParticipant.session_id == session.id)
                                   .order_by(B2BParticipant.id)).unique())


def _meetings(session: B2BSession) -> list[Meeting]:
    return list(db.session.scalars(select(Meeting).where(Meeting.session_id == session.id,
                                                         Meeting.status != "cancelled").order_by(Meeting.id)).unique())


def is_pinned(meeting: Meeting, allow_moves: bool, keep_placed: bool = False) -> bool:
    """A scheduled meeting whose invites went out stays in its slot unless the organiser allows moves; with
    ``keep_placed`` every scheduled meeting stays (the run only places the others: printed table sheets and
    agendas stay right when a meeting is added)."""
    if meeting.status != "scheduled":
        return False
    return keep_placed or (meeting.invites_sent_at is not None and not allow_moves)


def build_problem(session: B2BSession, allow_moves: bool = False, keep_placed: bool = False) -> dict:
    """The solver's input for the session: participants "p<id>", meetings "m<id>" (every meeting not cancelled:
    accepted requests and the organisers' direct meetings)."""
    plan = slot_plan(session)
    count = len(plan)
    halves = plan.morning_slots is not None
    return {
        "slots": count,
        "morning_slots": plan.morning_slots,
        "tables": len(session.tables),
        "fairness": session.fairness,
        "interpreters": session.interpreters,
        "participants": [{"id": f"p{p.id}", "unavailable": sorted(s for s in p.unavailable_slots or [] if s <= count)}
                         for p in _participants(session)],
        "meetings": [{"id": f"m{m.id}", "participants": [f"p{m.indian_participant_id}", f"p{m.japanese_participant_id}"],
                      "session": m.day_part if halves else "any", "priority": m.priority,
                      "fixed_slot": m.slot if is_pinned(m, allow_moves, keep_placed) else None,
                      "needs_interpreter": m.needs_interpreter}
                     for m in _meetings(session)],
    }


def schedule_snapshot(session: B2BSession) -> dict:
    """Where every meeting is now: meeting key -> [status, slot, table number, sequence]."""
    return {f"m{m.id}": [m.status, m.slot, m.table.number if m.table else None, m.sequence]
            for m in _meetings(session)}


def keep_tables(result: dict, snapshot: dict, pinned: set[str], tables: int) -> dict:
    """Table numbers are interchangeable within a slot: give pinned meetings, then meetings that stay in their
    slot, their current table; the rest keep the solver's table if still free, else the lowest free one."""
    by_slot: dict[int, list[dict]] = {}
    for row in result["assignments"]:
        by_slot.setdefault(row["slot"], []).append(row)
    assignments = []
    for slot, rows in sorted(by_slot.items()):
        taken: set[int] = set()
        chosen: dict[str, int] = {}

        staying = {}  # meeting -> its current table, for meetings that stay in this slot
        for row in rows:
            _status, old_slot, old_table, _sequence = snapshot.get(row["meeting"], [None, None, None, 0])
            if old_slot == slot and old_table is not None:
                staying[row["meeting"]] = old_table
        for pinned_only in (True, False):
            for row in rows:
                table = staying.get(row["meeting"])
                if pinned_only and row["meeting"] not in pinned:
                    continue
                if row["meeting"] not in chosen and table is not None and table not in taken:
                    chosen[row["meeting"]] = table
                    taken.add(table)
        for row in rows:
            if row["meeting"] not in chosen and row["table"] not in taken:
                chosen[row["meeting"]] = row["table"]
                taken.add(row["table"])
        free = iter(sorted(set(range(1, tables + 1)) - taken))
        for row in rows:
            if row["meeting"] not in chosen:
                chosen[row["meeting"]] = next(free)
        assignments += [{"meeting": row["meeting"], "slot": slot, "table": chosen[row["meeting"]]} for row in rows]
    order = {row["meeting"]: index for index, row in enumerate(result["assignments"])}
    return {**result, "assignments": sorted(assignments, key=lambda row: order[row["meeting"]])}


def run_scheduler(session: B2BSession, user, *, allow_moves: bool = False, time_limit: int = 10,
                  seed: int = 0, before_solving=None, keep_placed: bool = False) -> SolverRun:
    """Run the solver now and store its result as a preview. Nothing in the schedule changes.

    ``before_solving()`` is called once the problem is read, before the solve (up to two minutes): the web
    view ends its transaction there, which on SQLite held the database's one write lock for the whole
    solve, so that every other writer of the planner waited or failed ("database is locked").  The run is
    then stored in a new transaction; the preview's staleness check covers what changed meanwhile."""
    if not MIN_TIME_LIMIT <= time_limit <= MAX_TIME_LIMIT:
        raise DomainError(_("Give the scheduler %(a)d to %(b)d seconds.", a=MIN_TIME_LIMIT, b=MAX_TIME_LIMIT),
                          "time_limit")
    problem = build_problem(session, allow_moves, keep_placed)
    if not problem["meetings"]:
        raise DomainError(_("There is nothing to schedule yet: no accepted request and no direct meeting."))
    snapshot = schedule_snapshot(session)
    session_id, user_id = session.id, getattr(user, "id", None)
    if before_solving is not None:
        before_solving()
    run = SolverRun(session_id=session_id, allow_moves=allow_moves, keep_placed=keep_placed, time_limit=time_limit,
                    seed=seed, problem=problem, snapshot=snapshot, started_by_id=user_id)
    try:
        result = solve(problem, time_limit=time_limit, seed=seed)
        pinned = {m["id"] for m in problem["meetings"] if m["fixed_slot"] is not None}
        run.result = keep_tables(result, snapshot, pinned, problem["tables"])
        run.reasons = unscheduled_reasons(problem, run.result)
    except ProblemError as error:
        run.status, run.error = "failed", str(error)
    db.session.add(run)
    db.session.flush()
    return run


@dataclass
class PreviewRow:
    meeting: Meeting
    change: str  # new, moved, unchanged, unplaced
    slot: int | None
    table_number: int | None
    reason: str = ""


def preview(run: SolverRun) -> list[PreviewRow]:
    meetings = {f"m{m.id}": m for m in db.session.scalars(
        select(Meeting).where(Meeting.session_id == run.session_id)).unique()}
    placed = {row["meeting"]: row for row in (run.result or {}).get("assignments", [])}
    rows = []
    for item in run.problem["meetings"]:
        meeting = meetings.get(item["id"])
        if meeting is None:
            continue
        _status, old_slot, old_table, _sequence = run.snapshot.get(item["id"], [None, None, None, 0])
        if item["id"] in placed:
            new = placed[item["id"]]
            change = "new" if old_slot is None else (
                "unchanged" if (old_slot, old_table) == (new["slot"], new["table"]) else "moved")
            rows.append(PreviewRow(meeting, change, new["slot"], new["table"]))
        else:
            firms = {f"p{meeting.indian_participant_id}": local_name(meeting.indian.firm),
                     f"p{meeting.japanese_participant_id}": local_name(meeting.japanese.firm)}
            rows.append(PreviewRow(meeting, "unplaced", None, None,
                                   reason_text((run.reasons or {}).get(item["id"]), firms)))
    # what needs the organiser first (the unplaced), then the schedule in slot and table order
    return sorted(rows, key=lambda row: (row.change != "unplaced", row.slot or 0, row.table_number or 0,
                                        row.meeting.id))


def breaks_now(run: SolverRun) -> int | None:
    """The breaks (idle gaps) of the schedule as it stood when the preview was computed, counted as the scheduler
    counts them: the organiser weighs the preview's moves against what they gain. None when nothing was placed
    then (a first run has no schedule to compare with)."""
    meetings = {item["id"] for item in (run.problem or {}).get("meetings", [])}
    placed = [{"meeting": key, "slot": place[1]} for key, place in (run.snapshot or {}).items()
              if key in meetings and place[0] == "scheduled" and place[1]]
    if not placed:
        return None
    try:
        problem = parse_problem(run.problem)
    except ProblemError:
        return None
    return sum(participant_breaks(problem, placed).values())


def _slot_list(slots) -> str:
    return ", ".join(str(slot) for slot in slots)


def reason_text(reason, firms: dict[str, str]) -> str:
    """Why a meeting stayed unplaced (a reason of ``scheduling.unscheduled_reasons``), in the user's language, with
    the solver's participant ids ("p<id>") named by `firms`. A reason stored as text (runs from before the reasons
    were data) is shown as it is."""
    if not reason:
        return ""
    if isinstance(reason, str):
        return reason
    r = reason
    code, session, fixed = r.get("code"), r.get("session"), r.get("fixed_slot")
    a, b = firms.get(r.get("a"), r.get("a")), firms.get(r.get("b"), r.get("b"))
    if code == "no_interpreters":
        return _("It needs an interpreter, and the session has none.")
    if code == "fixed_outside_session":
        return (_("Its fixed slot %(n)d is not in the morning.", n=r["slot"]) if session == "morning"
                else _("Its fixed slot %(n)d is not in the afternoon.", n=r["slot"]))
    if code == "unavailable_in_fixed_slot":
        away = [firms.get(p, p) for p in r.get("participants") or [r["participant"]]]
        if len(away) == 2:
            return _("%(a)s and %(b)s are both unavailable in its fixed slot %(n)d.", a=away[0], b=away[1],
                     n=r["slot"])
        return _("%(firm)s is unavailable in its fixed slot %(n)d.", firm=away[0], n=r["slot"])
    if code == "unavailable_throughout":
        return _unavailable_throughout([firms.get(p, p) for p in r["participants"]], session)
    if code == "no_slots":
        return {"morning": _("The session has no morning slots."),
                "afternoon": _("The session has no afternoon slots.")}.get(session, _("The session has no slots."))
    if code == "no_common_free_slot":
        if session == "morning":
            return _("%(a)s and %(b)s have no free morning slot in common.", a=a, b=b)
        if session == "afternoon":
            return _("%(a)s and %(b)s have no free afternoon slot in common.", a=a, b=b)
        return _("%(a)s and %(b)s have no free slot in common.", a=a, b=b)
    if code == "stopped_early":
        return _("Slot %(n)d is still open: the scheduler stopped before placing this meeting. Give it more time.",
                 n=r["slot"])
    text = _within_day(r, a, b)
    if fixed is None and session in ("morning", "afternoon") and code in ("busy", "full", "interpreters_busy",
                                                                           "order"):
        # "every free slot they share" means those of the meeting's half of the day
        restriction = (_("This meeting is restricted to the morning.") if session == "morning"
                       else _("This meeting is restricted to the afternoon."))
        return _("%(reason)s %(restriction)s", reason=text, restriction=restriction)
    return text


def _unavailable_throughout(away: list[str], session: str) -> str:
    """One firm, or both, marked unavailable in every slot of the day or of the meeting's half of it."""
    if len(away) == 2:
        a, b = away
        if session == "morning":
            return _("%(a)s and %(b)s are both unavailable in every slot of the morning.", a=a, b=b)
        if session == "afternoon":
            return _("%(a)s and %(b)s are both unavailable in every slot of the afternoon.", a=a, b=b)
        return _("%(a)s and %(b)s are both unavailable in every slot.", a=a, b=b)
    firm = away[0]
    if session == "morning":
        return _("%(firm)s is unavailable in every slot of the morning.", firm=firm)
    if session == "afternoon":
        return _("%(firm)s is unavailable in every slot of the afternoon.", firm=firm)
    return _("%(firm)s is unavailable in every slot.", firm=firm)


def _within_day(r: dict, a: str, b: str) -> str:
    code, fixed = r.get("code"), r.get("fixed_slot")
    # the firm that has the other meetings when it is one alone; "a or b" when both have some (and for runs
    # stored before "busy_firms" was kept)
    busy_firms = r.get("busy_firms") or []
    one_busy = {r.get("a"): a, r.get("b"): b}.get(busy_firms[0]) if len(busy_firms) == 1 else None
    if code == "busy":
        if one_busy is not None:
            return (_("%(firm)s already has another meeting in its fixed slot %(n)d.", firm=one_busy, n=fixed)
                    if fixed is not None else
                    _("%(firm)s already has another meeting in every free slot they share.", firm=one_busy))
        if fixed is not None:
            return (_("%(a)s and %(b)s both have another meeting in its fixed slot %(n)d.", a=a, b=b, n=fixed)
                    if len(busy_firms) == 2 else
                    _("%(a)s or %(b)s already has another meeting in its fixed slot %(n)d.", a=a, b=b, n=fixed))
        return _("%(a)s or %(b)s already has another meeting in every free slot they share.", a=a, b=b)
    if code == "full":
        return (_("Every table is taken in its fixed slot %(n)d.", n=fixed) if fixed is not None else
                ngettext("Every slot in which both are free is full (%(num)d table).",
                         "Every slot in which both are free is full (%(num)d tables).", r["tables"]))
    if code == "interpreters_busy":
        return (_("Every interpreter is busy in its fixed slot %(n)d.", n=fixed) if fixed is not None else
                _("Every interpreter is busy in every free slot they share."))
    if code == "order":
        return (_("Its required order with other meetings rules out its fixed slot.") if fixed is not None else
                _("Its required order with other meetings rules out every free slot they share."))
    parts = []
    if r.get("busy"):
        parts.append(_("%(firm)s is busy in slots %(slots)s", firm=one_busy, slots=_slot_list(r["busy"]))
                     if one_busy is not None else
                     _("%(a)s or %(b)s is busy in slots %(slots)s", a=a, b=b, slots=_slot_list(r["busy"])))
    if r.get("full"):
        parts.append(_("all tables are taken in slots %(slots)s", slots=_slot_list(r["full"])))
    if r.get("interpreter"):
        parts.append(_("all interpreters are busy in slots %(slots)s", slots=_slot_list(r["interpreter"])))
    if r.get("order"):
        parts.append(_("the required meeting order rules out slots %(slots)s", slots=_slot_list(r["order"])))
    return _("No free slot they share is usable: %(details)s.", details="; ".join(parts))


# a run that did not prove its schedule optimal can be repeated with this much more time (seconds): on the
# benchmark's 200-meeting instance of 21 slots and 15 tables the scheduler found 16 breaks in 10 s, 10 in 30 s and
# the optimum, 2 (proven), in 60 s
LONGER_SEARCH = 60


def longer_time_limit(run: SolverRun) -> int | None:
    """The time limit to offer for a second, longer search: when the run's schedule is not proven optimal and a
    longer limit is allowed; else None."""
    result = run.result or {}
    if run.status != "ready" or result.get("status") != "feasible" or run.time_limit >= MAX_TIME_LIMIT:
        return None
    return min(MAX_TIME_LIMIT, max(LONGER_SEARCH, 2 * run.time_limit))


def is_stale(run: SolverRun) -> bool:
    """The schedule, the meetings or the session's settings changed after the preview was computed."""
    session = run.session
    try:
        current = build_problem(session, run.allow_moves, run.keep_placed)
    except DomainError:
        return True
    return current != run.problem or schedule_snapshot(session) != run.snapshot


class Applied(NamedTuple):
    changed: int  # meetings whose place changed (their sequence rose)
    mails: int  # invitations, updates and cancellations queued


def confirm_run(run: SolverRun, user) -> Applied:
    """Apply the preview in one transaction."""
    if run.status != "ready" or run.result is None:
        raise DomainError(_("This preview cannot be applied (it was applied or discarded, or the run failed)."))
    lock_session(run.session_id)  # no other change of the schedule between the check below and the apply
    db.session.expire_all()
    if is_stale(run):
        raise DomainError(_("The schedule changed after this preview was computed. Run the scheduler again."))
    claimed = db.session.execute(update(SolverRun).where(SolverRun.id == run.id, SolverRun.status == "ready")
                                 .values(status="applied", applied_at=utcnow()).execution_options(
                                     synchronize_session=False))
    if claimed.rowcount != 1:
        raise DomainError(_("This preview was applied by someone else a moment ago."))
    tables = {table.number: table for table in run.session.tables}
    placed = {row["meeting"]: row for row in run.result["assignments"]}
    targets = []
    for meeting in _meetings(run.session):
        row = placed.get(f"m{meeting.id}")
        new = (row["slot"], tables[row["table"]]) if row else (None, None)
        if (meeting.slot, meeting.table_id) != (new[0], new[1].id if new[1] else None):
            targets.append((meeting, new))
    # A moved meeting keeps its interpreter if they are free in the new slot (assign_interpreters below).
    previous = {meeting.id: meeting.interpreter_id for meeting, _new in targets if meeting.interpreter_id}
    with guarded_placement(None):
        for meeting, _new in targets:  # free every place first: moves never collide midway
            meeting.slot, meeting.table, meeting.status = None, None, "unscheduled"
            meeting.interpreter = None
        db.session.flush()
        for meeting, (slot, table) in targets:
            meeting.slot, meeting.table = slot, table
            meeting.status = "scheduled" if slot is not None else "unscheduled"
            meeting.sequence += 1
    db.session.expire(run)
    record_action(run.session, "apply_schedule", note=f"solver run {run.id}: {len(targets)} meetings changed")
    assign_interpreters(run.session, preferred=previous)
    from planner.invites.operations import send_session_invites

    mails = send_session_invites(run.session)
    return Applied(len(targets), len(mails))


def discard_run(run: SolverRun) -> None:
    if run.status != "ready":
        raise DomainError(_("Only a preview that was not applied can be discarded."))
    run.status = "discarded"
    db.session.flush()
