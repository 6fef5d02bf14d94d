"""Interpreters: a session's pool, assignment to the placed meetings that need one (nobody twice in a slot, valid
assignments kept, deterministic), manual assign/change/clear with a conflict check, the database as the last line,
and the pages that show who interprets."""

from datetime import time

import pytest
from sqlalchemy.exc import IntegrityError

from planner.core.errors import DomainError
from planner.extensions import db
from planner.matchmaking import interpreters as rules
from planner.matchmaking.interpreters import assign_interpreters, set_interpreter, set_pool
from planner.matchmaking.meetings import cancel_meeting, move_meeting, swap_meetings
from planner.matchmaking.runs import confirm_run, run_scheduler
from tests import factories


class Day:
    """A session (6 slots, 3 tables) with four Indian and four Japanese firms and two interpreters, Aiko
    and Bina, in its pool; `meeting(i, j, slot, table)` places a meeting of IN i with JP j needing one."""

    def __init__(self, **settings):
        self.session = factories.b2b_session(**settings)
        self.indian = [factories.b2b_participant(self.session, "IN-GJ") for _ in range(4)]
        self.japanese = [factories.b2b_participant(self.session, "JP-22") for _ in range(4)]
        self.aiko = factories.person("Aiko Interpreter", email="aiko@interpreters.example")
        self.bina = factories.person("Bina Interpreter", email="bina@interpreters.example")
        set_pool(self.session, [self.bina.id, self.aiko.id], factories.SYSTEM)

    def meeting(self, i, j, slot=None, table=None, needs=True):
        return factories.b2b_meeting(self.session, self.indian[i], self.japanese[j], slot=slot, table=table,
                                     needs_interpreter=needs)


def _who(*meetings):
    return [m.interpreter.name if m.interpreter else None for m in meetings]


def test_assigning_gives_each_slot_distinct_interpreters_spreading_the_load(database):
    day = Day()
    m1, m2, m3 = day.meeting(0, 0, 1, 1), day.meeting(1, 1, 1, 2), day.meeting(2, 2, 1, 3)
    m4, m5 = day.meeting(0, 1, 2, 1), day.meeting(1, 2, 3, 1)
    plain = day.meeting(2, 0, 2, 2, needs=False)
    waiting = day.meeting(2, 1)  # not placed
    assert assign_interpreters(day.session) == 4
    # Slot 1 has three meetings and two interpreters; then the one with fewer meetings (the pool's order on a tie).
    assert _who(m1, m2, m3, m4, m5, plain, waiting) == [
        "Aiko Interpreter", "Bina Interpreter", None, "Aiko Interpreter", "Bina Interpreter", None, None]
    assert assign_interpreters(day.session) == 0  # the same answer again: nothing changes


def test_assigning_keeps_assignments_that_are_still_valid(database):
    day = Day()
    m1, m2 = day.meeting(0, 0, 1, 1), day.meeting(1, 1, 1, 2)
    set_interpreter(m1, day.bina.id)
    assert assign_interpreters(day.session) == 1
    assert _who(m1, m2) == ["Bina Interpreter", "Aiko Interpreter"]


def test_an_interpreter_cannot_be_given_two_meetings_of_one_slot_by_hand(database):
    day = Day()
    m1, m2 = day.meeting(0, 0, 1, 1), day.meeting(1, 1, 1, 2)
    set_interpreter(m1, day.aiko.id)
    with pytest.raises(DomainError) as caught:
        set_interpreter(m2, day.aiko.id)
    assert caught.value.field == "interpreter"
    assert caught.value.message == (f"Aiko Interpreter interprets {m1.indian.firm.name} – {m1.japanese.firm.name} "
                                    "in slot 1.")
    assert m2.interpreter is None
    assert set_interpreter(m2, day.bina.id) is True


def test_a_representative_is_not_given_a_meeting_to_interpret_while_sitting_in_one(database):
    # Mehul Shah, in the pool and representative of a firm, was made interpreter of his own firm's meeting and of
    # another meeting of the slot he sat in (found in a browser walk-through)
    from planner.matchmaking.operations import set_representatives

    day = Day()
    set_representatives(day.indian[0], [day.aiko.id], factories.SYSTEM)
    own = day.meeting(0, 0, 1, 1)
    other = day.meeting(1, 1, 1, 2)
    later = day.meeting(2, 2, 2, 1)
    assign_interpreters(day.session)
    assert _who(own, other, later) == ["Bina Interpreter", None, "Aiko Interpreter"]
    with pytest.raises(DomainError) as caught:
        set_interpreter(other, day.aiko.id)
    assert caught.value.message == (f"Aiko Interpreter represents a firm in {own.indian.firm.name} – "
                                    f"{own.japanese.firm.name} in slot 1.")
    assert rules.double_bookings(day.session) == []
    # a move into the slot she sits in does not take her along (and Bina interprets there already)
    assert rules.fitting_interpreter(later, 1) is None
    assert rules.fitting_interpreter(later, 3) == day.aiko


def test_people_due_in_two_meetings_of_one_slot_are_listed(database):
    from planner.matchmaking.operations import set_representatives

    day = Day()
    twice = factories.person("Mehul Shah", region_code="IN-GJ")
    set_representatives(day.indian[0], [twice.id], factories.SYSTEM)
    set_representatives(day.indian[1], [twice.id], factories.SYSTEM)
    first, second = day.meeting(0, 0, 3, 1, needs=False), day.meeting(1, 1, 3, 2, needs=False)
    day.meeting(1, 2, 4, 1, needs=False)
    (booking,) = rules.double_bookings(day.session)
    assert (booking.person.name, booking.slot, booking.meetings) == ("Mehul Shah", 3, [first, second])


@pytest.mark.parametrize(("case", "message"), [
    ("outside the pool", "Choose an interpreter of this session's pool."),
    ("not needed", "This meeting is not marked as needing an interpreter"),
    ("not placed", "Place the meeting on the schedule before assigning an interpreter."),
])
def test_manual_assignment_refuses_what_makes_no_sense(database, case, message):
    day = Day()
    outsider = factories.person("Not In Pool", email="outsider@example.org")
    meeting = {"outside the pool": lambda: day.meeting(0, 0, 1, 1), "not needed": lambda: day.meeting(
        0, 0, 1, 1, needs=False), "not placed": lambda: day.meeting(0, 0)}[case]()
    with pytest.raises(DomainError, match=message) as caught:
        set_interpreter(meeting, outsider.id if case == "outside the pool" else day.aiko.id)
    assert caught.value.field == "interpreter"
    assert meeting.interpreter is None


def test_the_database_refuses_one_interpreter_in_two_meetings_of_a_slot(database, monkeypatch):
    day = Day()
    m1, m2 = day.meeting(0, 0, 1, 1), day.meeting(1, 1, 1, 2)
    set_interpreter(m1, day.aiko.id)
    monkeypatch.setattr(rules, "busy_in_slot", lambda *args, **kwargs: {})  # as if a writer raced past the check
    with pytest.raises(DomainError, match="The interpreter was just given another meeting in this slot"):
        set_interpreter(m2, day.aiko.id)
    db.session.expire_all()
    assert _who(m1, m2) == ["Aiko Interpreter", None]


def test_the_database_keeps_interpreters_off_unplaced_meetings_and_meetings_not_needing_one(database):
    day = Day()
    waiting, placed = day.meeting(0, 0), day.meeting(1, 1, 1, 1, needs=False)
    for meeting in (waiting, placed):
        with pytest.raises(IntegrityError), db.session.begin_nested():
            meeting.interpreter = day.aiko
            db.session.flush()
    ready = day.meeting(2, 2, 2, 1)
    with db.session.begin_nested():
        ready.interpreter = day.aiko
        db.session.flush()
    assert ready.interpreter_id == day.aiko.id


def test_a_move_keeps_the_interpreter_where_free_else_takes_a_free_one_else_none(database):
    day = Day(tables=3)
    meeting = day.meeting(0, 0, 1, 1)
    set_interpreter(meeting, day.aiko.id)
    move_meeting(meeting, 2, day.session.tables[0].id)
    assert _who(meeting) == ["Aiko Interpreter"]
    busy = day.meeting(1, 1, 3, 1)
    set_interpreter(busy, day.aiko.id)
    move_meeting(meeting, 3, day.session.tables[1].id)
    assert _who(meeting) == ["Bina Interpreter"]
    other = day.meeting(2, 2, 4, 1)
    set_interpreter(other, day.aiko.id)
    third = day.meeting(3, 3, 4, 2)
    set_interpreter(third, day.bina.id)
    move_meeting(meeting, 4, day.session.tables[2].id)
    assert _who(meeting) == [None]


def test_unticking_needs_interpreter_cancelling_or_unscheduling_frees_the_interpreter(database):
    day = Day()
    a, b, c = day.meeting(0, 0, 1, 1), day.meeting(1, 1, 2, 1), day.meeting(2, 2, 3, 1)
    for meeting in (a, b, c):
        set_interpreter(meeting, day.aiko.id)
    move_meeting(a, 1, day.session.tables[0].id, needs_interpreter=False)
    cancel_meeting(b)
    move_meeting(c, None, None)
    assert _who(a, b, c) == [None, None, None]


def test_a_swap_carries_each_interpreter_along_where_free(database):
    day = Day()
    first, second = day.meeting(0, 0, 1, 1), day.meeting(1, 1, 2, 1)
    set_interpreter(first, day.aiko.id)
    set_interpreter(second, day.bina.id)
    swap_meetings(first, second)
    assert (first.slot, second.slot) == (2, 1)
    assert _who(first, second) == ["Aiko Interpreter", "Bina Interpreter"]


def test_confirming_a_solver_run_assigns_interpreters_nobody_twice_in_a_slot(database):
    day = Day()
    meetings = [day.meeting(i, j) for i in range(3) for j in range(3) if (i + j) % 2 == 0]
    run = run_scheduler(day.session, factories.SYSTEM, time_limit=2)
    confirm_run(run, factories.SYSTEM)
    placed = [m for m in meetings if m.status == "scheduled"]
    assert len(placed) == 5
    by_slot = {}
    for meeting in placed:
        by_slot.setdefault(meeting.slot, []).append(meeting.interpreter_id)
    for slot, people in by_slot.items():
        named = [pid for pid in people if pid is not None]
        assert len(named) == len(set(named)) == min(len(people), 2), f"slot {slot}: {people}"


def test_a_meeting_the_solver_moves_keeps_its_interpreter_if_free_in_the_new_slot(database):
    day = Day()
    meeting = day.meeting(0, 0, 1, 1)
    set_interpreter(meeting, day.bina.id)  # by hand: the load rule alone would pick Aiko (first in the pool)
    run = run_scheduler(day.session, factories.SYSTEM, time_limit=2)
    run.result = {**run.result, "assignments": [{"meeting": f"m{meeting.id}", "slot": 4, "table": 2}]}
    assert confirm_run(run, factories.SYSTEM).changed == 1
    assert (meeting.slot, meeting.table.number, _who(meeting)) == (4, 2, ["Bina Interpreter"])


def test_taking_someone_off_the_pool_frees_their_meetings_and_new_people_must_be_visible(database):
    day = Day()
    meeting = day.meeting(0, 0, 1, 1)
    set_interpreter(meeting, day.aiko.id)
    assert set_pool(day.session, [day.bina.id], factories.SYSTEM) == [meeting]
    assert meeting.interpreter is None
    assert [p.name for p in day.session.interpreter_pool] == ["Bina Interpreter"]
    state = factories.user("state", "IN-MH")
    stranger = factories.person("Stranger", region_code="JP-30")
    with pytest.raises(DomainError, match="among the people you can see") as caught:
        set_pool(day.session, [day.bina.id, stranger.id], state)
    assert caught.value.field == "pool"
    # Someone in the pool already stays, even if this organiser cannot see them.
    assert set_pool(day.session, [day.bina.id], state) == []
    assert [p.name for p in day.session.interpreter_pool] == ["Bina Interpreter"]


# Other sessions at the same time ------------------------------------------------------------------------------


class TwoDays:
    """Two sessions sharing Aiko and Bina: `first` (13 Oct, slots from 10:00 JST) and `second`, another
    delegation's, from ``second_start`` on the same day (slot 1 of both at 10:00 unless told otherwise)."""

    def __init__(self, second_start=None):
        self.first = Day()
        self.aiko, self.bina = self.first.aiko, self.first.bina
        settings = {"first_slot": second_start} if second_start else {}
        self.second = factories.b2b_session(
            factories.delegation(states=("IN-MH",), prefectures=("JP-30",), status="confirmed"), **settings)
        self.indian = [factories.b2b_participant(self.second, "IN-MH") for _ in range(2)]
        self.japanese = [factories.b2b_participant(self.second, "JP-30") for _ in range(2)]
        set_pool(self.second, [self.aiko.id, self.bina.id], factories.SYSTEM)
        self.ten = time(10, 0)

    def meeting(self, i, j, slot, table):
        return factories.b2b_meeting(self.second, self.indian[i], self.japanese[j], slot=slot, table=table,
                                     needs_interpreter=True)


def test_assigning_skips_an_interpreter_busy_in_another_session_at_that_time(database):
    days = TwoDays()
    elsewhere = days.first.meeting(0, 0, 1, 1)
    set_interpreter(elsewhere, days.aiko.id)
    at_ten, at_ten_twenty = days.meeting(0, 0, 1, 1), days.meeting(1, 1, 2, 1)

    assert assign_interpreters(days.second) == 2
    # Aiko (first in the pool's order) interprets in the other session at 10:00; Bina takes that slot.
    assert _who(at_ten, at_ten_twenty) == ["Bina Interpreter", "Aiko Interpreter"]


def test_an_interpreter_busy_in_another_session_cannot_be_given_the_meeting_by_hand(database):
    days = TwoDays()
    set_interpreter(days.first.meeting(0, 0, 1, 1), days.aiko.id)
    clash = days.meeting(0, 0, 1, 1)

    with pytest.raises(DomainError) as error:
        set_interpreter(clash, days.aiko.id)
    message = str(error.value)
    assert "Aiko Interpreter interprets a meeting of another B2B session at that time" in message
    assert "(Tue 13 Oct 2026, 10:00–10:20 JST)" in message
    # The other session belongs to another delegation: its firms are not named.
    first_firms = {p.firm.name for p in days.first.indian + days.first.japanese}
    assert not any(name in message for name in first_firms)
    assert clash.interpreter is None
    assert set_interpreter(clash, days.bina.id) and clash.interpreter.name == "Bina Interpreter"


def test_sessions_at_different_times_share_interpreters_freely(database):
    days = TwoDays(second_start=time(14, 0))  # the second session's slot 1 is 14:00, the first's 10:00
    set_interpreter(days.first.meeting(0, 0, 1, 1), days.aiko.id)
    meeting = days.meeting(0, 0, 1, 1)

    assert set_interpreter(meeting, days.aiko.id)
    assert rules.busy_elsewhere(days.second, 1, [days.aiko.id, days.bina.id]) == set()


def test_a_move_drops_an_interpreter_who_is_busy_in_another_session_at_the_new_time(database):
    days = TwoDays()
    set_interpreter(days.first.meeting(0, 0, 2, 1), days.aiko.id)  # Aiko: 10:20 in the first session
    set_interpreter(days.first.meeting(1, 1, 2, 2), days.bina.id)  # Bina too
    meeting = days.meeting(0, 0, 1, 1)
    set_interpreter(meeting, days.aiko.id)

    move_meeting(meeting, 2, days.second.tables[0].id)

    assert meeting.slot == 2 and meeting.interpreter is None
    assert rules.busy_elsewhere(days.second, 2, [days.aiko.id, days.bina.id]) == {days.aiko.id, days.bina.id}


def test_a_cancelled_session_does_not_keep_its_interpreters_busy(database):
    from planner.itinerary.operations import cancel_event

    days = TwoDays()
    set_interpreter(days.first.meeting(0, 0, 1, 1), days.aiko.id)
    cancel_event(days.first.session.event, "moved online")

    assert rules.busy_elsewhere(days.second, 1, [days.aiko.id]) == set()
    assert set_interpreter(days.meeting(0, 0, 1, 1), days.aiko.id)


def test_moving_a_session_onto_another_one_drops_the_interpreters_now_busy_there(database):
    from planner.matchmaking.operations import update_session

    days = TwoDays(second_start=time(14, 0))
    set_interpreter(days.first.meeting(0, 0, 1, 1), days.aiko.id)  # Aiko at 10:00 in the first session
    kept = days.meeting(0, 0, 1, 1)
    set_interpreter(kept, days.aiko.id)  # and at 14:00 in the second: no clash yet
    update_session(days.second, factories.b2b_settings(days.second, first_slot=days.ten))

    assert kept.interpreter is None  # 10:00 now, when Aiko interprets in the first session
    assert rules.busy_elsewhere(days.second, 1, [days.aiko.id]) == {days.aiko.id}


def test_reopening_a_delegation_takes_back_an_interpreter_given_away_meanwhile(database):
    from planner.delegations.operations import change_status

    days = TwoDays()
    first = days.first.meeting(0, 0, 1, 1)
    set_interpreter(first, days.aiko.id)
    change_status(days.first.session.event.delegation, "cancel", reason="postponed")
    given_away = days.meeting(0, 0, 1, 1)
    assert set_interpreter(given_away, days.aiko.id)  # the cancelled session does not keep her busy

    change_status(days.first.session.event.delegation, "reopen")

    assert (first.interpreter, given_away.interpreter.name) == (None, "Aiko Interpreter")


def test_an_interpreter_dropped_by_a_change_of_times_gets_a_cancel(database):
    from planner.invites.operations import send_session_invites
    from planner.matchmaking.operations import update_session
    from planner.outbox.models import OutboxMessage

    days = TwoDays(second_start=time(14, 0))
    set_interpreter(days.first.meeting(0, 0, 1, 1), days.aiko.id)
    meeting = days.meeting(0, 0, 1, 1)
    set_interpreter(meeting, days.aiko.id)
    send_session_invites(days.second)
    assert [m.calendar_method for m in db.session.query(OutboxMessage).filter_by(
        related_id=meeting.id, to_email="aiko@interpreters.example")] == ["REQUEST"]
    update_session(days.second, factories.b2b_settings(days.second, first_slot=days.ten))

    assert [m.calendar_method for m in db.session.query(OutboxMessage).filter_by(
        related_id=meeting.id, to_email="aiko@interpreters.example").order_by(OutboxMessage.id)] == [
        "REQUEST", "CANCEL"]


def test_the_number_of_interpreters_cannot_drop_below_a_slot_that_needs_more(database):
    # K caps the meetings needing an interpreter in one slot; lowering it under a slot that holds more left a
    # schedule the settings said was impossible (and the next solver run without a complete one)
    from planner.matchmaking.operations import update_session

    day = Day(interpreters=3)
    day.meeting(0, 0, 1, 1), day.meeting(1, 1, 1, 2)
    day.meeting(2, 2, 2, 1), day.meeting(2, 3, 3, 1, needs=False), day.meeting(3, 3, 1, 3, needs=False)
    day.meeting(3, 2)  # not placed: does not count
    with pytest.raises(DomainError) as refused:
        update_session(day.session, factories.b2b_settings(day.session, interpreters=1))
    assert (refused.value.field, refused.value.message) == (
        "interpreters", "Slot 1 holds 2 meetings that need an interpreter; move some of them before lowering the "
        "number of interpreters.")
    assert day.session.interpreters == 3
    update_session(day.session, factories.b2b_settings(day.session, interpreters=2))
    assert day.session.interpreters == 2
    update_session(day.session, factories.b2b_settings(day.session, interpreters=None))  # no cap
    assert day.session.interpreters is None
