"""A B2B session's meetings take their day and place from the session's event and their times from its slots:
changing any of those, renaming the tables, cancelling or restoring the event, or cancelling the delegation
updates (or cancels) the invites of everyone who holds one — and sends no first invite."""

from datetime import datetime, time

import pytest

from planner.core.errors import DomainError
from planner.delegations.operations import change_status
from planner.invites.operations import send_session_invites
from planner.itinerary.operations import cancel_event, restore_event
from planner.matchmaking.operations import rename_tables, update_session
from tests.invites.world import PRIYA, TARO, b2b_meeting, edit_event, outbox, parse, vevent


def _confirmed():
    session, meeting, people = b2b_meeting()  # slot 2: 10:20–10:40 JST on 13 Oct 2026
    send_session_invites(session)
    return session, meeting, people


def _new(meeting, kind):
    return sorted(m.to_email for m in outbox("b2b_meeting", meeting.id) if m.kind == kind)


def test_moving_the_session_to_another_day_updates_the_meetings_invites(database, factories):
    session, meeting, _people = _confirmed()
    before = int(vevent(outbox("b2b_meeting", meeting.id)[0].raw)["SEQUENCE"])

    edit_event(session.event, local_start=datetime(2026, 10, 14, 10), local_end=datetime(2026, 10, 14, 17))

    updates = [m for m in outbox("b2b_meeting", meeting.id) if m.kind == "update"]
    assert sorted(m.to_email for m in updates) == [PRIYA, TARO]
    component = vevent(updates[0].raw)
    assert component["DTSTART"].dt.isoformat() == "2026-10-14T10:20:00+09:00"
    assert int(component["SEQUENCE"]) > before


def test_changing_the_slots_updates_the_meetings_times(database, factories):
    session, meeting, _people = _confirmed()

    update_session(session, factories.b2b_settings(session, first_slot=time(11, 0)))

    updates = [m for m in outbox("b2b_meeting", meeting.id) if m.kind == "update"]
    assert sorted(m.to_email for m in updates) == [PRIYA, TARO]
    assert vevent(updates[0].raw)["DTSTART"].dt.isoformat() == "2026-10-13T11:20:00+09:00"
    update_session(session, factories.b2b_settings(session, reminder_hours=24))  # nothing the invite shows
    assert len(_new(meeting, "update")) == 2


def test_renaming_the_tables_updates_the_place_in_the_invites(database, factories):
    session, meeting, _people = _confirmed()

    rename_tables(session, ["Fuji"] + [table.name for table in session.tables[1:]])

    updates = [m for m in outbox("b2b_meeting", meeting.id) if m.kind == "update"]
    assert sorted(m.to_email for m in updates) == [PRIYA, TARO]
    assert str(vevent(updates[0].raw)["LOCATION"]).endswith(", Fuji")


def test_cancelling_the_session_event_cancels_the_meetings_and_restoring_invites_again(database, factories):
    session, meeting, _people = _confirmed()

    cancel_event(session.event, "typhoon")
    assert _new(meeting, "cancel") == [PRIYA, TARO]
    cancel = next(m for m in outbox("b2b_meeting", meeting.id) if m.kind == "cancel")
    assert str(vevent(cancel.raw)["STATUS"]) == "CANCELLED"
    # the reason given for the session's event reaches the firms' representatives too (found in review)
    assert "Reason: typhoon" in parse(cancel.raw).get_body(("plain",)).get_content()

    restore_event(session.event)
    requests = [m for m in outbox("b2b_meeting", meeting.id) if m.calendar_method == "REQUEST"][2:]
    assert sorted(m.to_email for m in requests) == [PRIYA, TARO]
    assert int(vevent(requests[0].raw)["SEQUENCE"]) > int(vevent(cancel.raw)["SEQUENCE"])


def test_cancelling_the_delegation_cancels_its_b2b_meetings(database, factories):
    session, meeting, _people = _confirmed()

    change_status(session.event.delegation, "cancel", reason="postponed to next year")

    assert _new(meeting, "cancel") == [PRIYA, TARO]
    cancel = next(m for m in outbox("b2b_meeting", meeting.id) if m.kind == "cancel")
    assert "Reason: postponed to next year" in cancel.raw.decode()


def test_session_changes_before_the_schedule_is_confirmed_send_nothing(database, factories):
    session, meeting, _people = b2b_meeting()

    update_session(session, factories.b2b_settings(session, first_slot=time(11, 0)))
    rename_tables(session, ["Fuji"] + [table.name for table in session.tables[1:]])
    edit_event(session.event, local_start=datetime(2026, 10, 14, 10), local_end=datetime(2026, 10, 14, 17))
    cancel_event(session.event)

    assert outbox("b2b_meeting", meeting.id) == []


def test_the_event_of_a_session_stays_a_b2b_session(database, factories):
    session, meeting, _people = _confirmed()

    with pytest.raises(DomainError) as error:
        edit_event(session.event, kind="meeting", local_start=datetime(2026, 10, 14, 10),
                   local_end=datetime(2026, 10, 14, 17))
    assert error.value.field == "kind"
    assert _new(meeting, "update") == []


def _planned():
    """The world's meeting (placed in slot 2) in a delegation that is still being planned."""
    session, meeting, people = b2b_meeting()
    session.event.delegation.status = "planning"
    return session, meeting, people


def test_a_schedule_of_a_planned_delegation_waits_for_its_confirmation(database, factories):
    session, meeting, _people = _planned()

    send_session_invites(session)  # the schedule applied
    update_session(session, factories.b2b_settings(session, first_slot=time(11, 0)))
    assert outbox("b2b_meeting", meeting.id) == [] and meeting.invites_sent_at is None

    mails = change_status(session.event.delegation, "confirm")

    assert mails == 2 and _new(meeting, "invite") == [PRIYA, TARO]
    assert vevent(outbox("b2b_meeting", meeting.id)[0].raw)["DTSTART"].dt.isoformat() == "2026-10-13T11:20:00+09:00"
    assert meeting.invites_sent_at is not None


def test_a_reopened_delegation_invites_again_only_when_confirmed_again(database, factories):
    session, meeting, _people = _confirmed()
    change_status(session.event.delegation, "cancel", reason="postponed")
    assert _new(meeting, "cancel") == [PRIYA, TARO]

    assert change_status(session.event.delegation, "reopen") == 0
    send_session_invites(session)  # a schedule applied while it is planned again
    assert [m.kind for m in outbox("b2b_meeting", meeting.id)].count("invite") == 2

    change_status(session.event.delegation, "confirm")
    requests = [m for m in outbox("b2b_meeting", meeting.id) if m.calendar_method == "REQUEST"][2:]
    assert sorted(m.to_email for m in requests) == [PRIYA, TARO]


def test_invites_sent_while_a_delegation_was_planned_are_kept_up_to_date_not_cancelled(database, factories):
    # Before first invites waited for the confirmation, a planned delegation's schedule sent them: those
    # calendars keep the meeting, and a change updates it
    session, meeting, _people = _confirmed()
    session.event.delegation.status = "planning"

    update_session(session, factories.b2b_settings(session, first_slot=time(11, 0)))

    assert _new(meeting, "update") == [PRIYA, TARO] and _new(meeting, "cancel") == []


def test_completing_a_delegation_sends_no_first_invite(database, factories):
    # the schedule was applied before the firms named representatives (nothing to send then), and naming
    # them sends no first invite: marking the visit completed afterwards mailed invitations to a past meeting
    from datetime import date

    from planner.matchmaking.operations import set_representatives
    from tests.invites.world import people

    session = factories.b2b_session()  # a confirmed delegation
    indian, japanese = factories.b2b_participant(session, "IN-GJ"), factories.b2b_participant(session, "JP-22")
    meeting = factories.b2b_meeting(session, indian, japanese, slot=2)
    send_session_invites(session)
    priya, taro = people()
    set_representatives(indian, [priya.id], factories.SYSTEM)
    set_representatives(japanese, [taro.id], factories.SYSTEM)

    assert change_status(session.event.delegation, "complete", today=date(2026, 11, 1)) == 0
    assert outbox("b2b_meeting", meeting.id) == []
