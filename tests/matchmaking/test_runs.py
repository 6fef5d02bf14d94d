"""The scheduling button: the solver's input built from the database, the preview, and confirm."""

from datetime import UTC, datetime, time

import pytest

from planner.core.errors import DomainError
from planner.matchmaking.meetings import cancel_meeting, move_meeting
from planner.matchmaking.models import Meeting
from planner.matchmaking.operations import RequestData, answer_request, request_meeting, set_unavailable
from planner.matchmaking.runs import (
    build_problem,
    confirm_run,
    is_stale,
    keep_tables,
    preview,
    reason_text,
    run_scheduler,
)
from tests import factories
from tests.matchmaking.helpers import small_session


def _ids(small):
    return {name: getattr(small, name).id for name in ("in1", "in2", "jp1", "jp2")}


def test_solver_input_is_built_from_accepted_requests_and_direct_meetings(database):
    small = small_session(lunch_start=time(10, 40), lunch_minutes=60, interpreters=2, fairness=1)
    set_unavailable(small.jp2, [5])
    request = request_meeting(small.in1, RequestData(target_id=small.jp1.id, priority=2, day_part="morning"),
                              factories.SYSTEM)
    accepted = answer_request(request, True, factories.SYSTEM)
    request_meeting(small.in2, RequestData(target_id=small.jp1.id), factories.SYSTEM)  # not answered: left out
    direct = factories.b2b_meeting(small.session, small.in2, small.jp2, slot=3, table=2, needs_interpreter=True)
    direct.invites_sent_at = datetime(2026, 10, 1, tzinfo=UTC)
    cancelled = factories.b2b_meeting(small.session, small.in1, small.jp2)
    cancel_meeting(cancelled)
    i = _ids(small)
    assert build_problem(small.session) == {
        "slots": 6, "morning_slots": 2, "tables": 3, "fairness": 1, "interpreters": 2,
        "participants": [{"id": f"p{i['in1']}", "unavailable": []}, {"id": f"p{i['in2']}", "unavailable": []},
                         {"id": f"p{i['jp1']}", "unavailable": []}, {"id": f"p{i['jp2']}", "unavailable": [5]}],
        "meetings": [
            {"id": f"m{accepted.id}", "participants": [f"p{i['in1']}", f"p{i['jp1']}"], "session": "morning",
             "priority": 2, "fixed_slot": None, "needs_interpreter": False},
            {"id": f"m{direct.id}", "participants": [f"p{i['in2']}", f"p{i['jp2']}"], "session": "any",
             "priority": 1, "fixed_slot": 3, "needs_interpreter": True},
        ]}
    assert build_problem(small.session, allow_moves=True)["meetings"][1]["fixed_slot"] is None


def test_the_preview_changes_nothing_until_the_organiser_confirms(database):
    small = small_session()
    first = factories.b2b_meeting(small.session, small.in1, small.jp1)
    second = factories.b2b_meeting(small.session, small.in2, small.jp2, slot=6, table=3)
    third = factories.b2b_meeting(small.session, small.in1, small.jp2, priority=2)
    run = run_scheduler(small.session, factories.SYSTEM, time_limit=1)
    database.session.flush()
    assert run.status == "ready" and run.result["scheduled"] == 3
    assert [(m.status, m.slot) for m in (first, second, third)] == [("unscheduled", None), ("scheduled", 6),
                                                                   ("unscheduled", None)]
    changes = {row.meeting.id: row.change for row in preview(run)}
    assert changes[first.id] == "new" and changes[third.id] == "new"
    assert changes[second.id] in ("moved", "unchanged")
    changed = confirm_run(run, factories.SYSTEM).changed
    database.session.flush()
    placed = {row["meeting"]: (row["slot"], row["table"]) for row in run.result["assignments"]}
    for meeting in (first, second, third):
        database.session.refresh(meeting)
        assert (meeting.status, meeting.slot, meeting.table.number) == ("scheduled", *placed[f"m{meeting.id}"])
    assert changed == 2 + (changes[second.id] == "moved")
    assert run.status == "applied"
    with pytest.raises(DomainError, match="cannot be applied"):
        confirm_run(run, factories.SYSTEM)


def test_a_preview_is_refused_once_the_schedule_changed(database):
    small = small_session()
    meeting = factories.b2b_meeting(small.session, small.in1, small.jp1)
    run = run_scheduler(small.session, factories.SYSTEM, time_limit=1)
    move_meeting(meeting, 4, small.session.tables[1].id)
    assert is_stale(run)
    with pytest.raises(DomainError, match="changed after this preview"):
        confirm_run(run, factories.SYSTEM)
    database.session.refresh(meeting)
    assert (meeting.slot, meeting.table.number) == (4, 2)


def test_meetings_whose_invites_were_sent_keep_slot_and_table_unless_moves_are_allowed(database):
    small = small_session(slot_count=3, tables=2)
    pinned = factories.b2b_meeting(small.session, small.in1, small.jp1, slot=3, table=2)
    pinned.invites_sent_at = datetime(2026, 10, 1, tzinfo=UTC)
    factories.b2b_meeting(small.session, small.in2, small.jp2)
    factories.b2b_meeting(small.session, small.in1, small.jp2)
    factories.b2b_meeting(small.session, small.in2, small.jp1)
    run = run_scheduler(small.session, factories.SYSTEM, time_limit=1)
    rows = {row.meeting.id: row for row in preview(run)}
    assert (rows[pinned.id].change, rows[pinned.id].slot, rows[pinned.id].table_number) == ("unchanged", 3, 2)
    assert run.problem["meetings"][0]["fixed_slot"] == 3
    free = run_scheduler(small.session, factories.SYSTEM, time_limit=1, allow_moves=True)
    assert free.problem["meetings"][0]["fixed_slot"] is None


def test_unplaced_meetings_come_with_a_reason(database):
    small = small_session(slot_count=1, tables=1)
    factories.b2b_meeting(small.session, small.in1, small.jp1, priority=2)
    lost = factories.b2b_meeting(small.session, small.in2, small.jp2, priority=1)
    run = run_scheduler(small.session, factories.SYSTEM, time_limit=1)
    rows = {row.meeting.id: row for row in preview(run)}
    assert rows[lost.id].change == "unplaced"
    assert rows[lost.id].reason == "Every slot in which both are free is full (1 table)."
    assert run.result["unscheduled"] == [f"m{lost.id}"]


def test_the_reasons_name_the_firms_in_the_users_language(database):
    from flask_babel import force_locale

    # the solver knows the firms as "p<id>": the preview names them, in English or in Japanese
    small = small_session(slot_count=2)
    set_unavailable(small.in1, [1])
    set_unavailable(small.jp1, [2])
    lost = factories.b2b_meeting(small.session, small.in1, small.jp1)
    factories.b2b_meeting(small.session, small.in2, small.jp2)
    run = run_scheduler(small.session, factories.SYSTEM, time_limit=1)
    assert run.reasons == {f"m{lost.id}": {"code": "no_common_free_slot", "a": f"p{small.in1.id}",
                                           "b": f"p{small.jp1.id}", "session": "any"}}
    names = (small.in1.firm.name, small.jp1.firm.name)
    for language, text in (("en", "%s and %s have no free slot in common."), ("ja", "%sと%sには共通の空き枠がありません。")):
        with force_locale(language):
            reason = {row.meeting.id: row.reason for row in preview(run)}[lost.id]
        assert reason == text % names, language
    # a meeting restricted to half of the day: the slots they share are those of that half
    with force_locale("en"):
        assert reason_text({"code": "full", "tables": 3, "session": "morning", "fixed_slot": None}, {}) == \
            "Every slot in which both are free is full (3 tables). This meeting is restricted to the morning."
    # a run stored before the reasons were data shows its text as it is
    run.reasons = {f"m{lost.id}": "p1 and p2 have no common free slot"}
    assert {row.meeting.id: row.reason for row in preview(run)}[lost.id] == "p1 and p2 have no common free slot"


def test_a_firm_unavailable_in_the_whole_afternoon_is_named_as_the_reason(database):
    # the preview said "… and … have no free afternoon slot in common." although only one firm was away
    small = small_session(lunch_start=time(10, 40), lunch_minutes=60)  # slots 1-2 morning, 3-6 afternoon
    set_unavailable(small.jp1, [3, 4, 5, 6])
    set_unavailable(small.in2, [1, 2, 3, 4, 5, 6])
    afternoon = factories.b2b_meeting(small.session, small.in1, small.jp1, day_part="afternoon")
    whole_day = factories.b2b_meeting(small.session, small.in2, small.jp2)
    run = run_scheduler(small.session, factories.SYSTEM, time_limit=1)
    reasons = {row.meeting.id: row.reason for row in preview(run)}
    assert reasons[afternoon.id] == f"{small.jp1.firm.name} is unavailable in every slot of the afternoon."
    assert reasons[whole_day.id] == f"{small.in2.firm.name} is unavailable in every slot."
    # the firm that has the other meeting is named, not "one or the other"
    firms = {"p1": "Alpha", "p2": "Beta"}
    with_fixed = {"code": "busy", "a": "p1", "b": "p2", "busy_firms": ["p2"], "fixed_slot": 4, "session": "any"}
    assert reason_text(with_fixed, firms) == "Beta already has another meeting in its fixed slot 4."
    assert reason_text({**with_fixed, "fixed_slot": None, "session": "morning"}, firms) == (
        "Beta already has another meeting in every free slot they share. This meeting is restricted to the "
        "morning.")
    # a run stored before the firms were told apart still reads
    assert reason_text({**with_fixed, "busy_firms": None}, firms) == (
        "Alpha or Beta already has another meeting in its fixed slot 4.")
    assert reason_text({"code": "unavailable_in_fixed_slot", "participant": "p1", "participants": ["p1", "p2"],
                        "slot": 2}, firms) == "Alpha and Beta are both unavailable in its fixed slot 2."


def test_running_with_nothing_to_schedule_is_refused(database):
    small = small_session()
    with pytest.raises(DomainError, match="nothing to schedule"):
        run_scheduler(small.session, factories.SYSTEM, time_limit=1)
    assert database.session.query(Meeting).count() == 0


def test_keep_tables_gives_pinned_and_staying_meetings_their_current_table():
    result = {"assignments": [{"meeting": "m1", "slot": 1, "table": 1}, {"meeting": "m2", "slot": 1, "table": 2},
                              {"meeting": "m3", "slot": 2, "table": 1}]}
    snapshot = {"m1": ["scheduled", 2, 1, 0], "m2": ["scheduled", 1, 1, 0], "m3": ["unscheduled", None, None, 0]}
    kept = keep_tables(result, snapshot, pinned={"m2"}, tables=2)
    assert kept["assignments"] == [{"meeting": "m1", "slot": 1, "table": 2}, {"meeting": "m2", "slot": 1, "table": 1},
                                   {"meeting": "m3", "slot": 2, "table": 1}]


def test_a_stale_preview_leads_back_to_the_scheduler(database, login_as):
    # the page said "Run the scheduler again." and offered no way there
    small = small_session()
    meeting = factories.b2b_meeting(small.session, small.in1, small.jp1)
    run = run_scheduler(small.session, factories.SYSTEM, time_limit=1)
    move_meeting(meeting, 4, small.session.tables[1].id)
    database.session.commit()
    page = login_as("admin").get(f"/b2b/runs/{run.id}").get_data(as_text=True)
    assert f'href="/b2b/{small.session.id}#scheduler">To the scheduler</a>' in page


def test_keeping_placed_meetings_places_only_the_new_one(database):
    # one meeting added after the schedule was applied moved 17 of 25 meetings in the next run: printed table
    # sheets and agendas were wrong
    small = small_session(slot_count=4, tables=2)
    first = factories.b2b_meeting(small.session, small.in1, small.jp1, slot=3, table=2)
    second = factories.b2b_meeting(small.session, small.in2, small.jp2, slot=4, table=1)
    added = factories.b2b_meeting(small.session, small.in1, small.jp2)
    run = run_scheduler(small.session, factories.SYSTEM, time_limit=1, keep_placed=True)
    assert run.keep_placed and not is_stale(run)
    rows = {row.meeting.id: row for row in preview(run)}
    assert [(rows[m.id].change, rows[m.id].slot, rows[m.id].table_number) for m in (first, second)] == [
        ("unchanged", 3, 2), ("unchanged", 4, 1)]
    assert rows[added.id].change == "new" and rows[added.id].slot not in (3, 4)
    confirm_run(run, factories.SYSTEM)
    assert (first.slot, second.slot, added.status) == (3, 4, "scheduled")


def test_the_preview_lists_the_unplaced_first_then_the_schedule_in_slot_order(database):
    small = small_session()
    set_unavailable(small.jp2, [1, 2, 3, 4, 5, 6])  # its meetings cannot be placed
    meetings = [factories.b2b_meeting(small.session, indian, japanese)
                for indian, japanese in ((small.in1, small.jp1), (small.in2, small.jp2), (small.in2, small.jp1),
                                         (small.in1, small.jp2))]
    run = run_scheduler(small.session, factories.SYSTEM, time_limit=1)
    rows = preview(run)
    assert [row.change for row in rows[:2]] == ["unplaced", "unplaced"]
    assert {row.meeting.id for row in rows[:2]} == {meetings[1].id, meetings[3].id}
    placed = [(row.slot, row.table_number) for row in rows[2:]]
    assert placed == sorted(placed) and len(placed) == 2
