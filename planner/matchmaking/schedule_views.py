"""The schedule: grid, table sheets, CSV, the scheduling button with its preview, and manual edits."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from planner.core.access import can_edit, load
from planner.core.errors import DomainError, populate_errors
from planner.core.roles import staff_required
from planner.core.views import local_url
from planner.delegations.ordering import sorted_people
from planner.extensions import db
from planner.i18n.locales import next_sentence
from planner.i18n.names import local_name
from planner.invites.subjects import invites_wait
from planner.matchmaking import schedule
from planner.matchmaking.forms import (
    CHANGE_LABELS,
    DAY_PART_LABELS,
    ConfirmForm,
    InterpreterForm,
    MeetingForm,
    MoveForm,
    SolveForm,
    SwapForm,
)
from planner.matchmaking.interpreters import assign_interpreters as assign_pool_interpreters
from planner.matchmaking.interpreters import busy_elsewhere, busy_in_slot, pool_status, set_interpreter
from planner.matchmaking.meetings import (
    cancel_meeting,
    create_meeting,
    move_by_hand,
    slot_obstacles,
    swap_meetings,
    swap_obstacles,
)
from planner.matchmaking.models import B2BSession, B2BTable, Meeting, SolverRun
from planner.matchmaking.runs import (
    breaks_now,
    confirm_run,
    discard_run,
    is_stale,
    longer_time_limit,
    preview,
    run_scheduler,
)
from planner.matchmaking.views import LABELS


@staff_required
def grid(session_id: int):
    session = load(B2BSession, session_id)
    meetings = schedule.session_meetings(session, viewer=current_user)
    return render_template("matchmaking/grid.html", session=session, slot_times=schedule.slot_times(session),
                           grid=schedule.grid(session, viewer=current_user), organiser=can_edit(session),
                           waiting=[m for m in meetings if m.status == "unscheduled"], **LABELS)


@staff_required
def table_sheet(session_id: int, table_id: int):
    session = load(B2BSession, session_id)
    table = load(B2BTable, table_id)
    if table.session_id != session.id:
        abort(404)
    return render_template("matchmaking/table_sheet.html", session=session, table=table,
                           rows=schedule.table_sheet(table, viewer=current_user), organiser=can_edit(session))


@staff_required
def schedule_csv(session_id: int):
    session = load(B2BSession, session_id)
    filename = f"b2b-schedule-{session.id}-{schedule.session_day(session).isoformat()}.csv"
    return Response("\ufeff" + schedule.schedule_csv(session, viewer=current_user), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@staff_required
def solve(session_id: int):
    session = load(B2BSession, session_id, edit=True)
    form = SolveForm()
    if form.validate_on_submit():
        try:
            run = run_scheduler(session, current_user, allow_moves=form.allow_moves.data,
                                keep_placed=form.keep_placed.data,
                                time_limit=form.time_limit.data, before_solving=db.session.commit)
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            return redirect(url_for("matchmaking.run", run_id=run.id))
    return render_template("matchmaking/solve.html", session=session, form=form), (400 if form.errors else 200)


@staff_required
def run(run_id: int):
    solver_run = load(SolverRun, run_id)
    rows = preview(solver_run)
    names = {f"p{p.id}": local_name(p.firm) for p in schedule.participants(solver_run.session)}
    breaks = (solver_run.result or {}).get("breaks_per_participant", {})
    times = {t.number: t for t in schedule.slot_times(solver_run.session)}
    tables = {t.number: t.name for t in solver_run.session.tables}
    counts = {kind: sum(1 for row in rows if row.change == kind) for kind in CHANGE_LABELS}
    stale = solver_run.status == "ready" and is_stale(solver_run)
    # previews are only the organisers', who may run the scheduler (SolverRun.visible_to)
    longer = None if stale else longer_time_limit(solver_run)
    again = SolveForm(formdata=None, time_limit=longer, allow_moves=solver_run.allow_moves,
                      keep_placed=solver_run.keep_placed) if longer else None
    # firms placed by this preview that nobody represents: their side gets no invitation
    unrepresented = sorted({local_name(p.firm) for row in rows if row.change in ("new", "moved")
                            for p in row.meeting.participants if not p.representatives})
    return render_template("matchmaking/run.html", run=solver_run, session=solver_run.session, rows=rows,
                           unrepresented=unrepresented,
                           # only the firms with breaks, most first: a list of every firm at 0 said nothing
                           counts=counts, breaks=sorted(((names.get(k, k), v) for k, v in breaks.items() if v),
                                                        key=lambda item: (-item[1], item[0])),
                           times=times, tables=tables, stale=stale, again=again, breaks_now=breaks_now(solver_run),
                           form=ConfirmForm(), change_labels=CHANGE_LABELS)


def _mails_said(session, mails: int) -> str:
    """What a schedule change sent, or that the invitations wait for the delegation's confirmation."""
    if mails:
        return next_sentence(ngettext("%(num)d invitation or update is queued for the representatives.",
                                      "%(num)d invitations and updates are queued for the representatives.", mails))
    if invites_wait(session.event.delegation):
        return next_sentence(_("Invitations go out when the delegation is confirmed."))
    return ""


@staff_required
def confirm(run_id: int):
    solver_run = load(SolverRun, run_id, edit=True)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        action = request.form.get("action", "")
        if action not in ("apply", "discard"):  # only the page's two buttons: anything else changes nothing
            abort(400)
        try:
            if action == "discard":
                discard_run(solver_run)
                message = _("Preview discarded; the schedule is unchanged.")
            else:
                applied = confirm_run(solver_run, current_user)
                message = ngettext("Schedule applied: %(num)d meeting changed.",
                                   "Schedule applied: %(num)d meetings changed.", applied.changed)
                message += _mails_said(solver_run.session, applied.mails)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "warning")
            return redirect(url_for("matchmaking.run", run_id=run_id))
        db.session.commit()
        flash(message, "success")
        return redirect(url_for("matchmaking.grid", session_id=solver_run.session_id))
    return redirect(url_for("matchmaking.run", run_id=run_id))


def _slot_choices(session, empty_label, obstacles: dict[int, str] | None = None):
    """The slots, each with why the meeting cannot go there when it cannot (still offered: the check on saving
    gives the full reason)."""
    obstacles = obstacles or {}
    return [("", empty_label)] + [
        (t.number, f"{t.number}: {t}" + (f" — {obstacles[t.number]}" if t.number in obstacles else ""))
        for t in schedule.slot_times(session)]


@staff_required
def new_meeting(session_id: int):
    session = load(B2BSession, session_id, edit=True)
    form = MeetingForm()
    for name, side in (("indian", "IN"), ("japanese", "JP")):
        getattr(form, name).choices = [("", _("Choose a firm"))] + [
            (p.id, local_name(p.firm)) for p in schedule.participants(session, side)]
    if session.lunch_start is None:  # no lunch break: no morning or afternoon (as for requests)
        form.day_part.choices = [("any", DAY_PART_LABELS["any"])]
    if form.validate_on_submit():
        try:
            meeting = create_meeting(session, form.indian.data, form.japanese.data, priority=form.priority.data,
                                     day_part=form.day_part.data, needs_interpreter=form.needs_interpreter.data)
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("Meeting %(a)s – %(b)s created; place it on the schedule or run the scheduler.",
                    a=local_name(meeting.indian.firm), b=local_name(meeting.japanese.firm)), "success")
            return redirect(url_for("matchmaking.view", session_id=session.id))
    return render_template("matchmaking/meeting_form.html", form=form, session=session)


def _interpreter_choices(form: InterpreterForm, meeting: Meeting) -> None:
    pool = sorted_people(meeting.session.interpreter_pool)
    busy = set(busy_in_slot(meeting.session_id, meeting.slot, {meeting.id})) if meeting.slot else set()
    elsewhere = busy_elsewhere(meeting.session, meeting.slot, [p.id for p in pool]) if meeting.slot else set()
    form.interpreter.choices = [("", _("No interpreter"))] + [
        (person.id, _("%(name)s (busy in this slot)", name=person.display_name) if person.id in busy
         else _("%(name)s (in another session at this time)", name=person.display_name) if person.id in elsewhere
         else person.display_name) for person in pool]


def _back(default: str) -> str:
    """Where the organiser came from: the grid's and the session page's links to a meeting's move, swap and
    cancel pages give it as ?next= (the forms carry it on); only a page of this site, else `default`."""
    return local_url(request.values.get("next")) or default


def _meeting_page(meeting: Meeting, form: MoveForm | None = None,
                  interpreter_form: InterpreterForm | None = None):
    """The meeting's page: where and when it is, its interpreter, and the forms to move it or change them."""
    session = meeting.session
    back = _back(url_for("matchmaking.grid", session_id=session.id))
    if form is None:
        form = MoveForm(slot=meeting.slot, table=meeting.table_id, needs_interpreter=meeting.needs_interpreter,
                        formdata=None)
    obstacles = slot_obstacles(meeting) if meeting.status != "cancelled" else {}
    form.slot.choices = _slot_choices(session, _("Not scheduled"), obstacles)
    form.table.choices = [("", _("Any free table"))] + [(t.id, t.name) for t in session.tables]
    interpreter_form = interpreter_form or InterpreterForm(interpreter=meeting.interpreter_id, formdata=None)
    _interpreter_choices(interpreter_form, meeting)
    times = {t.number: t for t in schedule.slot_times(session)}
    status = 400 if form.errors or interpreter_form.errors else 200
    # the slots it can take, said before the form (a meeting that fits nowhere got a form that only refused)
    free_slots = [number for number in times if number not in obstacles]
    return render_template("matchmaking/move.html", form=form, interpreter_form=interpreter_form, meeting=meeting,
                           session=session, times=times, back=back, free_slots=free_slots,
                           obstacles=obstacles), status


@staff_required
def move(meeting_id: int):
    meeting = load(Meeting, meeting_id, edit=True)
    session = meeting.session
    form = MoveForm(slot=meeting.slot, table=meeting.table_id, needs_interpreter=meeting.needs_interpreter)
    form.slot.choices = _slot_choices(session, _("Not scheduled"))
    form.table.choices = [("", _("Any free table"))] + [(t.id, t.name) for t in session.tables]
    if form.validate_on_submit():
        try:
            moved = move_by_hand(meeting, form.slot.data, form.table.data, form.needs_interpreter.data)
        except DomainError as error:
            db.session.rollback()
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("Meeting saved.") + _mails_said(session, moved.mails), "success")
            return redirect(_back(url_for("matchmaking.grid", session_id=session.id)))
    return _meeting_page(meeting, form=form)


@staff_required
def interpreter(meeting_id: int):
    """Assign, change or clear the interpreter of one meeting (organisers)."""
    meeting = load(Meeting, meeting_id, edit=True)
    # back to the meeting's page, which keeps where the organiser came from
    page = url_for("matchmaking.move", meeting_id=meeting.id, next=local_url(request.values.get("next")),
                   _anchor="meeting-interpreter")
    if request.method == "GET":
        return redirect(page)
    form = InterpreterForm()
    _interpreter_choices(form, meeting)
    if form.validate_on_submit():
        try:
            changed = set_interpreter(meeting, form.interpreter.data)
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("Interpreter saved.") if changed else _("Nothing changed."), "success")
            return redirect(page)
    db.session.rollback()
    return _meeting_page(meeting, interpreter_form=form)


@staff_required
def assign_interpreters(session_id: int):
    """The button: give every scheduled meeting needing an interpreter one from the pool."""
    session = load(B2BSession, session_id, edit=True)
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            changed = assign_pool_interpreters(session)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "warning")
        else:
            db.session.commit()
            unassigned = len(pool_status(session).unassigned)
            flash(ngettext("Interpreters assigned: %(num)d meeting changed.",
                           "Interpreters assigned: %(num)d meetings changed.", changed), "success")
            if unassigned:
                flash(ngettext("%(num)d meeting needing an interpreter still has none: the pool is too small for "
                               "its slot.", "%(num)d meetings needing an interpreter still have none: the pool is "
                               "too small for their slots.", unassigned), "warning")
    return redirect(url_for("matchmaking.view", session_id=session.id, _anchor="interpreters"))


@staff_required
def swap(meeting_id: int):
    meeting = load(Meeting, meeting_id, edit=True)
    session = meeting.session
    times = {t.number: t for t in schedule.slot_times(session)}
    form = SwapForm()
    # only a scheduled meeting swaps: the page says so instead of a form that refuses (see swap.html)
    candidates = [m for m in schedule.session_meetings(session) if m.status == "scheduled" and m.id != meeting.id] \
        if meeting.status == "scheduled" else []
    obstacles = swap_obstacles(meeting, candidates)  # said beside each, as the move form does for slots
    form.other.choices = [("", _("Choose a meeting"))] + [
        (m.id, f"{m.slot}: {times[m.slot]} · {m.table.name} · {local_name(m.indian.firm)} – "
               f"{local_name(m.japanese.firm)}" + (f" — {obstacles[m.id]}" if m.id in obstacles else ""))
        for m in candidates]
    if form.validate_on_submit():
        # 'None' passes InputRequired and coerces to None, the empty choice's value
        other = db.session.get(Meeting, form.other.data) if form.other.data is not None else None
        try:
            if other is None:
                raise DomainError(_("Choose a meeting of this session."), "other")
            swap_meetings(meeting, other)
        except DomainError as error:
            db.session.rollback()
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("Meetings swapped."), "success")
            return redirect(_back(url_for("matchmaking.grid", session_id=session.id)))
    return render_template("matchmaking/swap.html", form=form, meeting=meeting, session=session, times=times,
                           candidates=candidates,
                           back=_back(url_for("matchmaking.grid", session_id=session.id))), (400 if form.errors else 200)


@staff_required
def cancel(meeting_id: int):
    meeting = load(Meeting, meeting_id, edit=True)
    back = _back(url_for("matchmaking.view", session_id=meeting.session_id, _anchor="meetings"))
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            cancel_meeting(meeting)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "warning")
        else:
            db.session.commit()
            flash(_("Meeting cancelled; its slot and table are free."), "success")
        return redirect(back)
    return render_template("matchmaking/cancel.html", form=form, meeting=meeting, session=meeting.session,
                           times={t.number: t for t in schedule.slot_times(meeting.session)}, back=back)
