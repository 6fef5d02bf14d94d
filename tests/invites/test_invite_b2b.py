"""B2B meetings: schedule confirm → REQUEST to both firms' representatives; move/swap → update; cancel → CANCEL."""

from planner.invites.operations import send_session_invites
from planner.matchmaking.meetings import cancel_meeting, move_meeting, swap_meetings
from planner.matchmaking.operations import set_representatives
from planner.matchmaking.runs import confirm_run, run_scheduler
from tests.invites.world import KEIKO, PRIYA, TARO, attendee_emails, b2b_meeting, outbox, parse, vevent


def test_schedule_confirm_invites_both_representatives_and_marks_invites_sent(database, factories):
    session, meeting, _people = b2b_meeting()
    assert meeting.invites_sent_at is None
    run = run_scheduler(session, factories.SYSTEM, allow_moves=True, time_limit=2)
    confirm_run(run, factories.SYSTEM)
    messages = outbox("b2b_meeting", meeting.id)
    assert sorted((m.to_email, m.kind, m.calendar_method) for m in messages) == [
        (PRIYA, "invite", "REQUEST"), (TARO, "invite", "REQUEST")]
    assert meeting.invites_sent_at is not None
    component = vevent(messages[0].raw)
    assert str(component["UID"]) == meeting.uid
    assert attendee_emails(component) == [PRIYA, TARO]
    assert "Table 1" in str(component["LOCATION"])


def test_b2b_body_names_the_counterpart_firm_and_its_representative(database, factories):
    session, meeting, _people = b2b_meeting()
    send_session_invites(session)
    to_priya = next(m for m in outbox("b2b_meeting", meeting.id) if m.to_email == PRIYA)
    text = parse(to_priya.raw).get_body(("plain",)).get_content()
    assert f"You meet: {meeting.japanese.firm.name} (Taro Yamada)" in text
    assert "Table: Table 1" in text
    assert "IST: Tue 13 Oct 2026, 06:50–07:10" in text


def test_move_sends_an_update_with_higher_sequence(database, factories):
    session, meeting, _people = b2b_meeting()
    send_session_invites(session)
    first = meeting.sequence
    move_meeting(meeting, 4, session.tables[1].id)
    updates = [m for m in outbox("b2b_meeting", meeting.id) if m.kind == "update"]
    assert sorted(m.to_email for m in updates) == [PRIYA, TARO]
    component = vevent(updates[0].raw)
    assert int(component["SEQUENCE"]) > first
    assert component["DTSTART"].dt.isoformat() == "2026-10-13T11:00:00+09:00"


def test_swap_updates_both_meetings(database, factories):
    session, meeting, (priya, taro) = b2b_meeting(slot=2)
    other_in = factories.b2b_participant(session, "IN-GJ", representatives=[factories.person("A", email="a@x.example")])
    other_jp = factories.b2b_participant(session, "JP-22", representatives=[factories.person("B", email="b@x.example")])
    other = factories.b2b_meeting(session, other_in, other_jp, slot=3, table=2)
    send_session_invites(session)
    swap_meetings(meeting, other)
    kinds = sorted((m.related_id == meeting.id, m.kind) for m in outbox("b2b_meeting") if m.kind == "update")
    assert kinds == [(False, "update"), (False, "update"), (True, "update"), (True, "update")]


def test_cancel_meeting_sends_cancel_repeating_dtstart(database, factories):
    session, meeting, _people = b2b_meeting()
    send_session_invites(session)
    cancel_meeting(meeting)
    cancels = [m for m in outbox("b2b_meeting", meeting.id) if m.kind == "cancel"]
    assert sorted(m.to_email for m in cancels) == [PRIYA, TARO]
    component = vevent(cancels[0].raw)
    assert str(component["STATUS"]) == "CANCELLED"
    assert component["DTSTART"].dt.isoformat() == "2026-10-13T10:20:00+09:00"


def test_meeting_changes_before_the_schedule_is_confirmed_send_nothing(database, factories):
    session, meeting, _people = b2b_meeting()
    move_meeting(meeting, 5, session.tables[0].id)
    cancel_meeting(meeting)
    assert outbox("b2b_meeting", meeting.id) == []


def test_new_representative_gets_a_request_and_the_old_one_a_cancel(database, factories):
    session, meeting, (priya, taro) = b2b_meeting()
    send_session_invites(session)
    keiko = factories.person("Keiko Ito", email=KEIKO)
    set_representatives(meeting.japanese, [keiko.id], factories.user("admin"))
    new = [(m.to_email, m.kind) for m in outbox("b2b_meeting", meeting.id)][2:]
    assert sorted(new) == [(KEIKO, "invite"), (TARO, "cancel")]


def test_a_meeting_placed_by_hand_invites_its_representatives_and_the_page_says_so(database, factories, login_as):
    # placed with Move, a meeting sent nothing until the scheduler was run and applied (Japanese walk-through)
    session, meeting, _people = b2b_meeting()
    move_meeting(meeting, None, None)  # back off the schedule: nothing was ever sent
    database.session.commit()
    assert outbox("b2b_meeting", meeting.id) == []
    client = login_as("state", "IN-GJ")
    page = client.post(f"/b2b/meetings/{meeting.id}/edit", data={"slot": "3", "table": str(session.tables[0].id)},
                       follow_redirects=True).get_data(as_text=True)
    assert "Meeting saved. 2 invitations and updates are queued for the representatives." in page
    assert sorted((m.to_email, m.calendar_method) for m in outbox("b2b_meeting", meeting.id)) == [
        (PRIYA, "REQUEST"), (TARO, "REQUEST")]
    page = client.post(f"/b2b/meetings/{meeting.id}/edit", data={"slot": "4", "table": str(session.tables[0].id)},
                       follow_redirects=True).get_data(as_text=True)
    assert "Meeting saved. 2 invitations and updates are queued" in page  # the updates, once each
    assert len(outbox("b2b_meeting", meeting.id)) == 4


def test_placing_by_hand_without_a_table_takes_the_first_free_one(database, factories):
    from planner.matchmaking.meetings import move_by_hand

    session, meeting, _people = b2b_meeting(slot=2)  # at table 1
    other = factories.b2b_meeting(session, meeting.indian, factories.b2b_participant(session, "JP-22"))
    move_by_hand(other, 3, None)
    assert (other.slot, other.table.number) == (3, 1)
    third = factories.b2b_meeting(session, factories.b2b_participant(session, "IN-GJ"), meeting.japanese)
    move_by_hand(third, 3, None)
    assert (third.slot, third.table.number) == (3, 2)
