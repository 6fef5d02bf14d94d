"""Manual edits: move, swap, cancel — conflict checks in Python, unique constraints in the database."""

import re

import pytest
from sqlalchemy.exc import IntegrityError

from planner.core.errors import DomainError
from planner.matchmaking.meetings import cancel_meeting, create_meeting, move_meeting, swap_meetings
from planner.matchmaking.models import Meeting
from planner.matchmaking.operations import set_unavailable
from tests import factories
from tests.matchmaking.helpers import small_session


def test_moving_a_meeting_into_a_taken_table_is_refused_at_the_table(database):
    small = small_session()
    factories.b2b_meeting(small.session, small.in1, small.jp1, slot=1, table=1)
    other = factories.b2b_meeting(small.session, small.in2, small.jp2)
    with pytest.raises(DomainError) as caught:
        move_meeting(other, 1, small.session.tables[0].id)
    assert caught.value.field == "table"
    assert (other.status, other.slot) == ("unscheduled", None)


def test_a_firm_cannot_sit_in_two_meetings_of_one_slot(database):
    small = small_session()
    factories.b2b_meeting(small.session, small.in1, small.jp1, slot=1, table=1)
    second = factories.b2b_meeting(small.session, small.in1, small.jp2)
    with pytest.raises(DomainError, match="another meeting in slot 1"):
        move_meeting(second, 1, small.session.tables[1].id)


def test_moving_respects_unavailability_and_the_slot_range(database):
    small = small_session()
    set_unavailable(small.jp1, [4])
    meeting = factories.b2b_meeting(small.session, small.in1, small.jp1)
    with pytest.raises(DomainError, match="unavailable in slot 4"):
        move_meeting(meeting, 4, small.session.tables[0].id)
    with pytest.raises(DomainError, match="from 1 to 6"):
        move_meeting(meeting, 7, small.session.tables[0].id)


def test_a_morning_meeting_cannot_move_to_the_afternoon(database):
    from datetime import time

    small = small_session(lunch_start=time(10, 40), lunch_minutes=60)  # slots 1-2 morning, 3-6 afternoon
    meeting = create_meeting(small.session, small.in1.id, small.jp1.id, day_part="morning")
    with pytest.raises(DomainError, match="restricted to the morning"):
        move_meeting(meeting, 3, small.session.tables[0].id)
    assert move_meeting(meeting, 2, small.session.tables[0].id).changed is True


def test_interpreters_limit_the_meetings_needing_one_per_slot(database):
    small = small_session(interpreters=1)
    factories.b2b_meeting(small.session, small.in1, small.jp1, slot=1, table=1, needs_interpreter=True)
    second = factories.b2b_meeting(small.session, small.in2, small.jp2, needs_interpreter=True)
    with pytest.raises(DomainError, match="interpreters are busy"):
        move_meeting(second, 1, small.session.tables[1].id)


def test_every_move_raises_the_invite_sequence_once(database):
    small = small_session()
    meeting = factories.b2b_meeting(small.session, small.in1, small.jp1, slot=1, table=1)
    assert meeting.sequence == 1
    assert move_meeting(meeting, 1, small.session.tables[0].id).changed is False
    assert meeting.sequence == 1
    move_meeting(meeting, 2, small.session.tables[0].id)
    assert (meeting.slot, meeting.sequence) == (2, 2)


def test_swapping_exchanges_slots_and_tables(database):
    small = small_session()
    first = factories.b2b_meeting(small.session, small.in1, small.jp1, slot=1, table=1)
    second = factories.b2b_meeting(small.session, small.in2, small.jp2, slot=3, table=2)
    swap_meetings(first, second)
    database.session.flush()
    assert (first.slot, first.table.number, second.slot, second.table.number) == (3, 2, 1, 1)
    assert (first.sequence, second.sequence) == (2, 2)


def test_a_swap_that_puts_a_firm_into_an_unavailable_slot_is_refused(database):
    small = small_session()
    first = factories.b2b_meeting(small.session, small.in1, small.jp1, slot=1, table=1)
    second = factories.b2b_meeting(small.session, small.in2, small.jp2, slot=3, table=2)
    set_unavailable(small.in1, [3])
    with pytest.raises(DomainError, match="unavailable in slot 3"):
        swap_meetings(first, second)
    assert (first.slot, second.slot) == (1, 3)


def test_a_cancelled_meeting_frees_its_slot_and_table(database):
    small = small_session()
    meeting = factories.b2b_meeting(small.session, small.in1, small.jp1, slot=1, table=1)
    cancel_meeting(meeting)
    assert (meeting.status, meeting.slot, meeting.table_id) == ("cancelled", None, None)
    again = factories.b2b_meeting(small.session, small.in1, small.jp1, slot=1, table=1)
    assert again.status == "scheduled"
    with pytest.raises(DomainError, match="cancelled already"):
        cancel_meeting(meeting)


def test_direct_meetings_need_one_firm_of_each_side(database):
    small = small_session()
    with pytest.raises(DomainError) as caught:
        create_meeting(small.session, small.in1.id, small.in2.id)
    assert caught.value.field == "japanese"
    with pytest.raises(DomainError) as caught:
        create_meeting(small.session, small.jp1.id, small.jp2.id)
    assert caught.value.field == "indian"


@pytest.mark.parametrize("column", ["table", "indian", "japanese"])
def test_the_database_forbids_double_booking_even_without_the_python_checks(database, column):
    small = small_session()
    tables = small.session.tables
    factories.b2b_meeting(small.session, small.in1, small.jp1, slot=1, table=1)
    indian, japanese, table = {"table": (small.in2, small.jp2, tables[0]),
                               "indian": (small.in1, small.jp2, tables[1]),
                               "japanese": (small.in2, small.jp1, tables[1])}[column]
    with pytest.raises(IntegrityError):
        with database.session.begin_nested():
            database.session.add(Meeting(session_id=small.session.id, indian=indian, japanese=japanese, slot=1,
                                         table=table, status="scheduled"))


def test_the_database_forbids_a_scheduled_meeting_without_a_slot(database):
    small = small_session()
    with pytest.raises(IntegrityError):
        with database.session.begin_nested():
            database.session.add(Meeting(session_id=small.session.id, indian=small.in1, japanese=small.jp1,
                                         status="scheduled"))


def test_moving_the_lunch_break_over_a_restricted_meeting_is_refused(database):
    from datetime import time

    from planner.matchmaking.operations import update_session

    # 10:00, 20-minute slots, lunch 11:00-12:00: slots 1-3 are the morning
    small = small_session(lunch_start=time(11, 0), lunch_minutes=60)
    morning = create_meeting(small.session, small.in1.id, small.jp1.id, day_part="morning", slot=3,
                             table_id=small.session.tables[0].id)
    with pytest.raises(DomainError, match="morning-only meeting") as error:
        update_session(small.session, factories.b2b_settings(small.session, lunch_start=time(10, 30)))
    assert error.value.field == "lunch_start"
    assert (morning.slot, small.session.lunch_start) == (3, time(11, 0))
    update_session(small.session, factories.b2b_settings(small.session, lunch_start=time(11, 30)))  # still fits


def test_the_move_form_says_which_slots_the_meeting_cannot_take(login_as, database):
    # it offered a slot the firm had marked unavailable, and one where a firm was busy; the error came on saving
    small = small_session(slot_count=4, tables=2)
    meeting = factories.b2b_meeting(small.session, small.in1, small.jp1, slot=1, table=1)
    factories.b2b_meeting(small.session, small.in2, small.jp1, slot=2, table=1)
    set_unavailable(small.in1, [3])
    database.session.commit()
    page = login_as("admin").get(f"/b2b/meetings/{meeting.id}/edit").get_data(as_text=True)
    slot_select = re.search(r'<select[^>]*name="slot".*?</select>', page, re.S).group(0)
    options = {m.group(1): m.group(2) for m in re.finditer(r'<option[^>]*value="(\d)"[^>]*>([^<]*)</option>',
                                                           slot_select)}
    assert options["2"].endswith(f"— {small.jp1.firm.name} in another meeting")
    assert options["3"].endswith(f"— {small.in1.firm.name} unavailable")
    assert "—" not in options["1"] and "—" not in options["4"]


def test_unavailable_slots_keep_their_times_when_the_slots_move(database):
    from datetime import time

    from planner.matchmaking.operations import set_unavailable, update_session

    # 10:00, 20-minute slots, lunch 11:00-12:00: slots 4-6 are 12:00-13:00; without the lunch break those slot
    # numbers would mean 11:00-12:00, while the firm is away 12:00-13:00
    small = small_session(slot_count=8, lunch_start=time(11, 0), lunch_minutes=60)
    set_unavailable(small.in1, [4, 5])  # 12:00-12:40
    set_unavailable(small.jp1, [1])  # 10:00-10:20: the same slot either way
    assert small.in1.unavailable_times == [["12:00", "12:20"], ["12:20", "12:40"]]
    saved = update_session(small.session, factories.b2b_settings(small.session, lunch_start=None,
                                                                 lunch_minutes=None))
    assert small.in1.unavailable_slots == [7, 8]  # 12:00-12:40 without the break
    assert small.jp1.unavailable_slots == [1]
    assert saved.availability_moved == 1
    # a shorter day drops what falls off its end: not a move
    set_unavailable(small.jp1, [1, 8])
    saved = update_session(small.session, factories.b2b_settings(small.session, slot_count=6))
    assert (small.jp1.unavailable_slots, small.in1.unavailable_slots, saved.availability_moved) == ([1], [], 0)


def test_moving_the_slots_back_and_forth_gives_the_same_unavailable_slots_back(database):
    from datetime import time

    from planner.matchmaking.operations import set_unavailable, update_session

    # away 10:20-10:40 (slot 2); slots 10 minutes later each cover half of it: the firm cannot meet in either,
    # and moved back, it is away in slot 2 alone again (the numbers alone widened the absence at each move)
    small = small_session()
    set_unavailable(small.in1, [2])
    update_session(small.session, factories.b2b_settings(small.session, first_slot=time(10, 10)))
    assert small.in1.unavailable_slots == [1, 2]  # 10:10-10:30 and 10:30-10:50
    update_session(small.session, factories.b2b_settings(small.session, first_slot=time(10, 0)))
    assert small.in1.unavailable_slots == [2]
    # a short absence inside longer slots is not lost either
    update_session(small.session, factories.b2b_settings(small.session, slot_minutes=40, slot_count=3))
    assert small.in1.unavailable_slots == [1]  # 10:00-10:40
    update_session(small.session, factories.b2b_settings(small.session, slot_minutes=20, slot_count=6))
    assert small.in1.unavailable_slots == [2]


def test_a_placed_meeting_that_now_falls_in_its_firms_absence_stays_and_is_named(database):
    from datetime import time

    from planner.matchmaking.operations import set_unavailable, update_session

    # slot 7 is 13:00 with the lunch break and 12:00 without it, when the firm is away (slot 4 before)
    small = small_session(slot_count=8, lunch_start=time(11, 0), lunch_minutes=60)
    set_unavailable(small.in1, [4])
    meeting = factories.b2b_meeting(small.session, small.in1, small.jp1, slot=7, table=1)
    saved = update_session(small.session, factories.b2b_settings(small.session, lunch_start=None,
                                                                 lunch_minutes=None))
    assert meeting.slot == 7 and small.in1.unavailable_slots == []
    ((clashing, participant, slot),) = saved.clashes
    assert (clashing, participant, f"{slot.start:%H:%M}") == (meeting, small.in1, "12:00")
    # the meeting stays, the absence it overlaps is given up: moved away, the slot stays free at the next save
    assert small.in1.unavailable_times == []
    move_meeting(meeting, 2, small.session.tables[0].id)
    saved = update_session(small.session, factories.b2b_settings(small.session, table_count=4))
    assert (small.in1.unavailable_slots, saved.clashes, saved.availability_moved) == ([], [], 0)


def test_without_a_lunch_break_morning_and_afternoon_wait_for_one(database):
    from datetime import time

    from planner.matchmaking.operations import RequestData, request_meeting, update_session
    from planner.matchmaking.runs import build_problem

    small = small_session(lunch_start=time(11, 0), lunch_minutes=60)
    morning = create_meeting(small.session, small.in1.id, small.jp1.id, day_part="morning")
    asked = request_meeting(small.jp2, RequestData(target_id=small.in2.id, day_part="afternoon"), factories.SYSTEM)
    cancelled = create_meeting(small.session, small.in2.id, small.jp1.id, day_part="morning")
    cancel_meeting(cancelled)
    saved = update_session(small.session, factories.b2b_settings(small.session, lunch_start=None,
                                                                 lunch_minutes=None))
    assert saved.day_parts_idle == 2  # not the cancelled meeting
    assert (morning.day_part, asked.day_part) == ("morning", "afternoon")  # kept as asked
    assert {m["session"] for m in build_problem(small.session)["meetings"]} == {"any"}
    with pytest.raises(DomainError, match="no lunch break") as error:
        create_meeting(small.session, small.in2.id, small.jp2.id, day_part="afternoon")
    assert error.value.field == "day_part"
    saved = update_session(small.session, factories.b2b_settings(small.session, lunch_start=time(11, 0),
                                                                 lunch_minutes=60))
    assert saved.day_parts_idle == 0
    assert "morning" in {m["session"] for m in build_problem(small.session)["meetings"]}


def test_an_absence_beyond_a_shortened_day_survives_the_firms_own_save_and_comes_back(database):
    from planner.matchmaking.operations import set_unavailable, update_session

    small = small_session()  # six 20-minute slots from 10:00
    set_unavailable(small.in1, [6])  # 11:40-12:00
    update_session(small.session, factories.b2b_settings(small.session, slot_count=4))
    set_unavailable(small.in1, [1])  # the firm's own save while the day is short
    update_session(small.session, factories.b2b_settings(small.session, slot_count=6))
    assert small.in1.unavailable_slots == [1, 6]


def test_a_meeting_that_fits_in_no_slot_gets_the_reasons_instead_of_a_form(login_as, database):
    # the place page offered every slot and a Save button, and each slot was refused on saving
    small = small_session(slot_count=2, tables=2)
    factories.b2b_meeting(small.session, small.in1, small.jp2, slot=1, table=1)
    set_unavailable(small.jp1, [2])
    stuck = factories.b2b_meeting(small.session, small.in1, small.jp1)
    database.session.commit()
    client = login_as("state", "IN-GJ")
    page = client.get(f"/b2b/meetings/{stuck.id}/edit").get_data(as_text=True)
    assert "<title>Place a meeting" in page
    alert = re.search(r"<div[^>]*data-no-free-slot>(.*?)</div>", page, re.S).group(1)
    reasons = [re.sub(r"<[^>]+>|\s+", " ", item).split(" — ")[1].strip()
               for item in re.findall(r"<li>(.*?)</li>", alert, re.S)]
    assert reasons == [f"{small.in1.firm.name} in another meeting", f"{small.jp1.firm.name} unavailable"]
    assert 'name="slot"' not in page
    # once a slot is free, the page says which, then offers the form
    set_unavailable(small.jp1, [])
    database.session.commit()
    page = client.get(f"/b2b/meetings/{stuck.id}/edit").get_data(as_text=True)
    assert re.search(r"<p data-free-slots>Free for this meeting: slot 2.</p>", page)
    assert 'name="slot"' in page and "data-no-free-slot" not in page
    # a scheduled meeting's page is still "Move a meeting", with no such line
    placed = factories.b2b_meeting(small.session, small.in2, small.jp2, slot=2, table=1)
    database.session.commit()
    page = client.get(f"/b2b/meetings/{placed.id}/edit").get_data(as_text=True)
    assert "<title>Move a meeting" in page and "data-free-slots" not in page and 'name="slot"' in page


def test_the_swap_page_says_what_can_be_swapped_instead_of_refusing_on_saving(login_as, database):
    # an unscheduled meeting's swap page offered the scheduled meetings, then refused: "Only scheduled meetings
    # can be swapped."; a swap that broke a firm's unavailability was offered like any other
    small = small_session(slot_count=3, tables=2)
    unplaced = factories.b2b_meeting(small.session, small.in1, small.jp1)
    alone = factories.b2b_meeting(small.session, small.in2, small.jp2, slot=1, table=1)
    database.session.commit()
    client = login_as("state", "IN-GJ")
    page = client.get(f"/b2b/meetings/{unplaced.id}/swap").get_data(as_text=True)
    assert re.search(r"data-no-swap>Only scheduled meetings can be swapped. <a [^>]*href=\"/b2b/meetings/"
                     rf"{unplaced.id}/edit\?next=/b2b/{small.session.id}/schedule\">Place it on the schedule</a>",
                     page)
    assert 'name="other"' not in page
    response = client.post(f"/b2b/meetings/{unplaced.id}/swap", data={"other": alone.id})
    assert response.status_code == 400 and alone.slot == 1
    page = client.get(f"/b2b/meetings/{alone.id}/swap").get_data(as_text=True)
    assert "No other meeting is scheduled to swap with." in page and 'name="other"' not in page
    # each meeting offered says why a swap with it cannot be
    move_meeting(unplaced, 2, small.session.tables[0].id)
    third = factories.b2b_meeting(small.session, small.in1, small.jp2, slot=3, table=1)
    set_unavailable(small.jp1, [3])
    database.session.commit()
    page = client.get(f"/b2b/meetings/{unplaced.id}/swap").get_data(as_text=True)
    options = {int(m.group(1)): m.group(2) for m in re.finditer(r'<option[^>]*value="(\d+)"[^>]*>([^<]*)</option>',
                                                                page)}
    assert options[third.id].endswith(f"— {small.jp1.firm.name} unavailable")  # jp1 would go to slot 3
    assert "—" not in options[alone.id].split("JST)")[-1]
