"""Two organisers at once (threads with their own connections, real commits): the database lets exactly one
meeting into a table of a slot, and a firm into one meeting per slot; the loser gets a clear message."""

import threading

import pytest

from planner.extensions import db
from planner.matchmaking import meetings as meeting_rules
from planner.matchmaking.models import Meeting
from tests import factories
from tests.races import race_calls

TABLE_TAKEN = "Someone else just put a meeting at this table in this slot."
INDIAN_BUSY = "The Indian firm was just given another meeting in this slot by someone else."


def _race(app, moves):
    """Each (meeting id, slot, table id) is moved and committed in its own thread, both starting together."""
    return race_calls(app, [lambda m=meeting_id, s=slot, t=table_id: meeting_rules.move_meeting(
        db.session.get(Meeting, m), s, t) for meeting_id, slot, table_id in moves])


def _set_interpreters(app, meeting_ids, person_id):
    """The interpreter given to each meeting by its own writer, all at once."""
    from planner.matchmaking.interpreters import set_interpreter

    return race_calls(app, [lambda m=meeting_id: set_interpreter(db.session.get(Meeting, m), person_id)
                             for meeting_id in meeting_ids])


def _session_with_meetings(committed, pairs):
    session = factories.b2b_session(slot_count=4, tables=2)
    firms = {code: factories.b2b_participant(session, code[:5]) for code in ("IN-GJ1", "IN-GJ2", "JP-221", "JP-222")}
    meetings = [factories.b2b_meeting(session, firms[a], firms[b]) for a, b in pairs]
    ids = session.id, [m.id for m in meetings], [t.id for t in session.tables]
    committed.session.commit()
    committed.session.close()  # hold no transaction (on SQLite, no write lock) while the writers race
    return ids


@pytest.fixture(params=["checked", "database only"])
def checks(request, monkeypatch):
    """Run each race with the Python conflict checks, and without them (only the constraints stand)."""
    if request.param == "database only":
        monkeypatch.setattr(meeting_rules, "check_place", lambda *args, **kwargs: None)
    return request.param


def _placed(session_id):
    db.session.expire_all()
    return sorted((m.slot, m.table_id, m.indian_participant_id) for m in db.session.query(Meeting).filter(
        Meeting.session_id == session_id, Meeting.status == "scheduled"))


def test_two_writers_putting_meetings_at_one_table_in_one_slot_exactly_one_wins(committed, b2b_app, checks):
    session_id, (first, second), (table, _other) = _session_with_meetings(
        committed, [("IN-GJ1", "JP-221"), ("IN-GJ2", "JP-222")])
    outcomes = _race(b2b_app, [(first, 1, table), (second, 1, table)])
    assert outcomes[0] == "saved"
    assert len(outcomes) == 2 and outcomes[1] != "saved"
    if checks == "database only":
        assert outcomes[1].startswith(TABLE_TAKEN)
    assert len(_placed(session_id)) == 1


def test_two_writers_putting_one_firm_into_two_meetings_of_a_slot_exactly_one_wins(committed, b2b_app, checks):
    session_id, (first, second), (table_1, table_2) = _session_with_meetings(
        committed, [("IN-GJ1", "JP-221"), ("IN-GJ1", "JP-222")])
    outcomes = _race(b2b_app, [(first, 2, table_1), (second, 2, table_2)])
    assert outcomes[0] == "saved"
    assert len(outcomes) == 2 and outcomes[1] != "saved"
    if checks == "database only":
        assert outcomes[1].startswith(INDIAN_BUSY)
    assert len(_placed(session_id)) == 1


INTERPRETER_TAKEN = "The interpreter was just given another meeting in this slot by someone else."


@pytest.fixture(params=["checked", "database only"])
def interpreter_checks(request, monkeypatch):
    from planner.matchmaking import interpreters

    if request.param == "database only":
        monkeypatch.setattr(interpreters, "busy_in_slot", lambda *args, **kwargs: {})
    return request.param


def test_two_writers_giving_one_interpreter_two_meetings_of_a_slot_exactly_one_wins(committed, b2b_app,
                                                                                     interpreter_checks):
    from planner.matchmaking.interpreters import set_pool

    session = factories.b2b_session(slot_count=4, tables=2)
    firms = [factories.b2b_participant(session, code) for code in ("IN-GJ", "IN-GJ", "JP-22", "JP-22")]
    meetings = [factories.b2b_meeting(session, firms[0], firms[2], slot=1, table=1, needs_interpreter=True),
                factories.b2b_meeting(session, firms[1], firms[3], slot=1, table=2, needs_interpreter=True)]
    interpreter = factories.person("Yoko Tanaka", email="y.tanaka@example.jp")
    set_pool(session, [interpreter.id], factories.SYSTEM)
    ids, person_id = [m.id for m in meetings], interpreter.id
    committed.session.commit()
    committed.session.close()
    outcomes = _set_interpreters(b2b_app, ids, person_id)
    assert outcomes[0] == "saved" and len(outcomes) == 2 and outcomes[1] != "saved"
    if interpreter_checks == "database only":
        assert outcomes[1].startswith(INTERPRETER_TAKEN)
    db.session.expire_all()
    assert sorted(m.interpreter_id for m in db.session.query(Meeting).filter(Meeting.id.in_(ids))
                  if m.interpreter_id) == [person_id]


def test_two_writers_giving_one_interpreter_meetings_of_two_sessions_at_one_time_exactly_one_wins(
        committed, b2b_app, monkeypatch):
    """No index spans sessions: both writers would pass the check if each looked before the other wrote (the
    check is made to wait for the other writer's check, up to a second). The interpreter's row is held from
    before the check, so the second writer looks only after the first has committed, and is refused."""
    from planner.matchmaking import interpreters
    from tests.matchmaking.test_interpreters import TwoDays

    days = TwoDays()
    ids, person_id = [days.first.meeting(0, 0, 1, 1).id, days.meeting(0, 0, 1, 1).id], days.aiko.id
    committed.session.commit()
    committed.session.close()
    real, both_checked = interpreters.engagements_elsewhere, threading.Barrier(2)

    def engagements_elsewhere(*args, **kwargs):
        found = real(*args, **kwargs)
        try:
            both_checked.wait(timeout=1)
        except threading.BrokenBarrierError:  # the other writer waits for this one (its turn or the row)
            pass
        return found

    monkeypatch.setattr(interpreters, "engagements_elsewhere", engagements_elsewhere)
    outcomes = _set_interpreters(b2b_app, ids, person_id)
    assert outcomes[0] == "saved" and len(outcomes) == 2
    assert "interprets a meeting of another B2B session at that time" in outcomes[1]
    db.session.expire_all()
    assert [m.interpreter_id for m in db.session.query(Meeting).filter(Meeting.id.in_(ids))
            if m.interpreter_id] == [person_id]


def test_two_answers_to_one_request_at_once_exactly_one_counts(committed, b2b_app):
    # accept and decline from two browsers: both were saved (the decline over a meeting the accept had made);
    # two accepts: the second hit the meeting's unique request (a 500)
    from planner.matchmaking.models import MeetingRequest
    from planner.matchmaking.operations import RequestData, answer_request, request_meeting

    session = factories.b2b_session(slot_count=4, tables=2)
    indian, japanese = factories.b2b_participant(session, "IN-GJ"), factories.b2b_participant(session, "JP-22")
    request_id = request_meeting(indian, RequestData(target_id=japanese.id), factories.SYSTEM).id
    committed.session.commit()
    committed.session.close()
    for answers in ((True, False), (True, True)):
        outcomes = race_calls(b2b_app, [lambda accept=accept: answer_request(
            db.session.get(MeetingRequest, request_id), accept, factories.SYSTEM) for accept in answers])
        assert outcomes == ["saved", "This request was answered already."]
        db.session.expire_all()
        request = db.session.get(MeetingRequest, request_id)
        meetings = db.session.query(Meeting).filter_by(session_id=request.session_id).all()
        assert len(meetings) == (1 if request.status == "accepted" else 0)
        db.session.query(Meeting).filter_by(session_id=request.session_id).delete()
        request.status = "requested"
        db.session.commit()


def test_accepting_a_request_for_a_pair_that_has_a_meeting_makes_no_second_one(database):
    from planner.matchmaking.operations import RequestData, answer_request, request_meeting

    session = factories.b2b_session(slot_count=4, tables=2)
    indian, japanese = factories.b2b_participant(session, "IN-GJ"), factories.b2b_participant(session, "JP-22")
    request = request_meeting(indian, RequestData(target_id=japanese.id), factories.SYSTEM)
    direct = meeting_rules.create_meeting(session, indian.id, japanese.id)  # an organiser, meanwhile
    assert answer_request(request, True, factories.SYSTEM) is direct
    assert db.session.query(Meeting).filter_by(session_id=session.id).all() == [direct]
    assert direct.request_id == request.id


def test_a_move_committed_while_a_preview_is_being_applied_is_not_written_over(committed, b2b_app, monkeypatch):
    # the apply checked that nothing had changed, then wrote: a move committed in between was lost (PostgreSQL)
    import time

    from planner.matchmaking import runs
    from planner.matchmaking.models import B2BSession, SolverRun

    session_id, (meeting_id,), (table_1, table_2) = _session_with_meetings(committed, [("IN-GJ1", "JP-221")])
    with b2b_app.app_context():
        session = db.session.get(B2BSession, session_id)
        run_id = runs.run_scheduler(session, factories.SYSTEM, time_limit=1).id
        db.session.commit()
        db.session.remove()
    real = runs.is_stale

    def slow_check(run):
        stale = real(run)
        time.sleep(1.0)  # the other organiser's move comes now
        return stale

    monkeypatch.setattr(runs, "is_stale", slow_check)

    def apply():
        runs.confirm_run(db.session.get(SolverRun, run_id), factories.SYSTEM)

    def move():
        time.sleep(0.3)
        meeting_rules.move_meeting(db.session.get(Meeting, meeting_id), 4, table_2)

    outcomes = race_calls(b2b_app, [apply, move])
    db.session.expire_all()
    meeting = db.session.get(Meeting, meeting_id)
    # the move went after the apply (both saved), or the apply saw it and refused: the move is never lost
    assert (meeting.slot, meeting.table_id) == (4, table_2), outcomes


def test_other_writers_go_on_while_the_scheduler_solves(committed, b2b_app, monkeypatch):
    # the solve ran inside the web request's write transaction (the page passes db.session.commit as
    # before_solving): on SQLite every other writer of the planner waited for it (up to two minutes) or
    # failed with "database is locked"
    import time

    from planner.matchmaking import runs
    from planner.matchmaking.models import B2BSession

    session_id, (first, second), (table_1, _table_2) = _session_with_meetings(
        committed, [("IN-GJ1", "JP-221"), ("IN-GJ2", "JP-222")])
    real, times = runs.solve, {}

    def slow_solve(*args, **kwargs):
        time.sleep(2.0)
        times["solved"] = time.monotonic()
        return real(*args, **kwargs)

    monkeypatch.setattr(runs, "solve", slow_solve)

    def solve_as_the_page_does():
        runs.run_scheduler(db.session.get(B2BSession, session_id), factories.SYSTEM, time_limit=1,
                           before_solving=db.session.commit)

    def move():
        time.sleep(0.5)
        meeting_rules.move_meeting(db.session.get(Meeting, second), 3, table_1)
        times["moved"] = time.monotonic()

    assert race_calls(b2b_app, [solve_as_the_page_does, move]) == ["saved", "saved"]
    assert times["moved"] < times["solved"]  # the move did not wait for the solve


def test_saving_the_interpreter_pool_while_a_meeting_moves_does_not_deadlock(committed, b2b_app, monkeypatch):
    # the move held the session's row (FOR UPDATE) and waited for the meeting, which the pool save had
    # written before it inserted a pool row (FOR KEY SHARE on the session): a deadlock on PostgreSQL
    import time

    from planner.matchmaking.interpreters import set_interpreter, set_pool
    from planner.matchmaking.models import B2BSession

    session = factories.b2b_session(slot_count=4, tables=2, interpreters=2)
    indian, japanese = factories.b2b_participant(session, "IN-GJ"), factories.b2b_participant(session, "JP-22")
    first, second = factories.person("Interpreter X"), factories.person("Interpreter Y")
    set_pool(session, [first.id], factories.SYSTEM)
    meeting = factories.b2b_meeting(session, indian, japanese, slot=1, table=1, needs_interpreter=True)
    set_interpreter(meeting, first.id)
    ids = session.id, meeting.id, session.tables[1].id, second.id
    committed.session.commit()
    committed.session.close()
    session_id, meeting_id, table_id, second_id = ids
    real_check = meeting_rules.check_place

    def slow_check(*args, **kwargs):
        time.sleep(1.0)  # the other organiser saves the pool now
        return real_check(*args, **kwargs)

    monkeypatch.setattr(meeting_rules, "check_place", slow_check)

    def move():
        meeting_rules.move_meeting(db.session.get(Meeting, meeting_id), 2, table_id)

    def save_pool():
        time.sleep(0.3)
        set_pool(db.session.get(B2BSession, session_id), [second_id], factories.SYSTEM)  # X out, Y in

    assert race_calls(b2b_app, [move, save_pool]) == ["saved", "saved"]


def test_a_meeting_placed_after_waiting_for_a_settings_change_sees_the_new_day(committed, b2b_app):
    # the writer waited for the session's lock, then checked the slot against the settings it had read before:
    # a meeting in slot 4 of a day shortened to 2 slots meanwhile (PostgreSQL)
    import time

    from planner.matchmaking.models import B2BSession
    from planner.matchmaking.operations import update_session

    session = factories.b2b_session(slot_count=4, tables=2)
    indian, japanese = factories.b2b_participant(session, "IN-GJ"), factories.b2b_participant(session, "JP-22")
    session_id, table_id, indian_id, japanese_id = session.id, session.tables[0].id, indian.id, japanese.id
    committed.session.commit()
    committed.session.close()

    def shorten_the_day():
        session = db.session.get(B2BSession, session_id)
        update_session(session, factories.b2b_settings(session, slot_count=2))
        time.sleep(1.0)  # holding the session's lock

    def place_in_slot_4():
        session = db.session.get(B2BSession, session_id)
        _ = session.slot_count, list(session.tables)  # the page read the settings before the wait
        time.sleep(0.3)
        meeting_rules.create_meeting(session, indian_id, japanese_id, slot=4, table_id=table_id)

    outcomes = race_calls(b2b_app, [shorten_the_day, place_in_slot_4])
    db.session.expire_all()
    slots = db.session.get(B2BSession, session_id).slot_count
    placed = [m.slot for m in db.session.query(Meeting).filter_by(session_id=session_id) if m.slot is not None]
    # whichever went first, the other saw it: no meeting beyond the day (SQLite's writers take turns at BEGIN,
    # so there the placement may come first and the shortening is refused)
    assert all(slot <= slots for slot in placed), (outcomes, slots, placed)
    assert outcomes[0] == "saved" and len(outcomes) == 2
