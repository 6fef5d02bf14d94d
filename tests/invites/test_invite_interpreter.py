"""The interpreter of a B2B meeting is an attendee of its invite: REQUEST with the schedule, update on a move,
CANCEL when taken off; changing the interpreter mails only the two interpreters, never the firms' delegates."""

import email
import email.policy

import vobject

from planner.invites.feeds import person_calendar_events
from planner.invites.operations import send_session_invites
from planner.matchmaking.interpreters import set_interpreter, set_pool
from planner.matchmaking.meetings import cancel_meeting, move_meeting
from planner.matchmaking.runs import confirm_run, run_scheduler
from planner.outbox.transport import SMTPTransport
from planner.outbox.worker import send_pass
from tests import factories
from tests.invites.world import PRIYA, TARO, attendee_emails, b2b_meeting, outbox, parse, vevent
from tests.mail_server import smtp_server  # noqa: F401 (fixture)

YOKO = "y.tanaka@shizuoka-pref.example"
ARJUN = "arjun.nair@indextb.example"


def _interpreted_meeting():
    """The world's meeting (slot 2, 10:20–10:40 JST, table 1), needing an interpreter, with Yoko and Arjun in the
    session's pool. Nothing sent yet."""
    session, meeting, (priya, taro) = b2b_meeting()
    yoko = factories.person("Yoko Tanaka", name_ja="田中 陽子", email=YOKO)
    arjun = factories.person("Arjun Nair", email=ARJUN)
    set_pool(session, [yoko.id, arjun.id], factories.SYSTEM)
    move_meeting(meeting, 2, session.tables[0].id, needs_interpreter=True)
    return session, meeting, yoko, arjun


def _new(before, meeting):
    return outbox("b2b_meeting", meeting.id)[before:]


def test_confirming_the_schedule_assigns_the_interpreter_and_invites_them_as_an_attendee(database, factories):
    session, meeting, yoko, arjun = _interpreted_meeting()
    run = run_scheduler(session, factories.SYSTEM, time_limit=2)
    confirm_run(run, factories.SYSTEM)
    assert meeting.interpreter == arjun  # fewest meetings, then the pool's order by name: Arjun before Yoko
    messages = outbox("b2b_meeting", meeting.id)
    assert sorted((m.to_email, m.kind, m.calendar_method) for m in messages) == [
        (ARJUN, "invite", "REQUEST"), (PRIYA, "invite", "REQUEST"), (TARO, "invite", "REQUEST")]
    to_arjun = next(m for m in messages if m.to_email == ARJUN)
    component = vevent(to_arjun.raw)
    assert str(component["UID"]) == meeting.uid
    assert attendee_emails(component) == [ARJUN, PRIYA, TARO]
    text = parse(to_arjun.raw).get_body(("plain",)).get_content()
    assert "You meet" not in text  # the interpreter represents neither firm
    assert "IST: Tue 13 Oct 2026, " in text and "JST: Tue 13 Oct 2026, " in text


def test_changing_the_interpreter_cancels_for_the_old_one_invites_the_new_one_and_spares_the_delegates(
        database, factories):
    session, meeting, yoko, arjun = _interpreted_meeting()
    set_interpreter(meeting, yoko.id)
    send_session_invites(session)
    before = len(outbox("b2b_meeting", meeting.id))
    held = int(vevent(outbox("b2b_meeting", meeting.id)[0].raw)["SEQUENCE"])
    assert set_interpreter(meeting, arjun.id) is True
    new = _new(before, meeting)
    assert [(m.to_email, m.kind, m.calendar_method) for m in new] == [
        (YOKO, "cancel", "CANCEL"), (ARJUN, "invite", "REQUEST")]
    cancel, request = (vevent(m.raw) for m in new)
    assert str(cancel["UID"]) == str(request["UID"]) == meeting.uid
    assert str(cancel["STATUS"]) == "CANCELLED" and int(cancel["SEQUENCE"]) > held
    assert attendee_emails(cancel) == [YOKO]
    assert attendee_emails(request) == [ARJUN, PRIYA, TARO]
    assert request["DTSTART"].dt.isoformat() == "2026-10-13T10:20:00+09:00"


def test_clearing_the_interpreter_sends_only_them_a_cancel(database, factories):
    session, meeting, yoko, _arjun = _interpreted_meeting()
    set_interpreter(meeting, yoko.id)
    send_session_invites(session)
    before = len(outbox("b2b_meeting", meeting.id))
    set_interpreter(meeting, None)
    assert [(m.to_email, m.kind) for m in _new(before, meeting)] == [(YOKO, "cancel")]
    assert set_interpreter(meeting, None) is False
    assert len(outbox("b2b_meeting", meeting.id)) == before + 1


def test_moving_updates_the_interpreter_with_the_delegates_and_cancelling_cancels_for_all(database, factories):
    session, meeting, yoko, _arjun = _interpreted_meeting()
    set_interpreter(meeting, yoko.id)
    send_session_invites(session)
    before = len(outbox("b2b_meeting", meeting.id))
    move_meeting(meeting, 4, session.tables[1].id)
    assert meeting.interpreter == yoko
    updates = _new(before, meeting)
    assert sorted((m.to_email, m.kind) for m in updates) == [(PRIYA, "update"), (TARO, "update"), (YOKO, "update")]
    assert vevent(updates[0].raw)["DTSTART"].dt.isoformat() == "2026-10-13T11:00:00+09:00"
    before = len(outbox("b2b_meeting", meeting.id))
    cancel_meeting(meeting)
    assert meeting.interpreter is None
    assert sorted((m.to_email, m.kind) for m in _new(before, meeting)) == [
        (PRIYA, "cancel"), (TARO, "cancel"), (YOKO, "cancel")]


def test_taking_the_interpreter_off_the_pool_cancels_their_meetings(database, factories):
    session, meeting, yoko, arjun = _interpreted_meeting()
    set_interpreter(meeting, yoko.id)
    send_session_invites(session)
    before = len(outbox("b2b_meeting", meeting.id))
    assert set_pool(session, [arjun.id], factories.SYSTEM) == [meeting]
    assert meeting.interpreter is None
    assert [(m.to_email, m.kind) for m in _new(before, meeting)] == [(YOKO, "cancel")]


def test_the_interpreters_feed_lists_the_meeting_with_the_invites_uid(database, factories):
    session, meeting, yoko, _arjun = _interpreted_meeting()
    set_interpreter(meeting, yoko.id)
    send_session_invites(session)
    (entry,) = person_calendar_events(yoko)
    assert (entry.uid, entry.status) == (meeting.uid, "CONFIRMED")


def test_the_interpreters_invite_arrives_over_smtp_and_vobject_reads_them_as_attendee(database, factories,
                                                                                       smtp_server):  # noqa: F811
    session, meeting, yoko, _arjun = _interpreted_meeting()
    set_interpreter(meeting, yoko.id)
    send_session_invites(session)
    transport = SMTPTransport(host=smtp_server.host, port=smtp_server.port, use_tls=False, use_ssl=False,
                              username=None, password=None, timeout=5, envelope_from="bounces@planner.example")
    assert send_pass(transport).sent == 3
    received = {envelope.rcpt_tos[0]: envelope.data for envelope in smtp_server.envelopes}
    assert sorted(received) == [PRIYA, TARO, YOKO]
    mail = email.message_from_bytes(received[YOKO], policy=email.policy.default)
    part = next(p for p in mail.walk() if p.get_content_type() == "text/calendar")
    assert part.get_param("method") == "REQUEST"
    parsed = vobject.readOne(part.get_payload(decode=True).decode("utf-8"))
    assert parsed.vevent.uid.value == meeting.uid
    attendees = {a.value.removeprefix("mailto:"): a.params for a in parsed.vevent.attendee_list}
    assert sorted(attendees) == [PRIYA, TARO, YOKO]
    assert attendees[YOKO]["RSVP"] == ["TRUE"] and attendees[YOKO]["CN"] == ["Yoko Tanaka"]
    assert parsed.vevent.dtstart.value.isoformat() == "2026-10-13T10:20:00+09:00"


def test_the_interpreter_reads_whom_they_interpret_for_and_the_delegates_read_who_interprets(database, factories):
    session, meeting, yoko, _arjun = _interpreted_meeting()
    yoko.preferred_language = "ja"
    set_interpreter(meeting, yoko.id)
    send_session_invites(session)
    messages = {m.to_email: m for m in outbox("b2b_meeting", meeting.id)}
    indian, japanese = meeting.indian.firm, meeting.japanese.firm

    to_yoko = parse(messages[YOKO].raw).get_body(("plain",)).get_content().splitlines()
    to_priya = parse(messages[PRIYA].raw).get_body(("plain",)).get_content().splitlines()
    assert f"通訳を担当する商談: {indian.name_ja or indian.name} (Priya Shah) × {japanese.name_ja or japanese.name} " \
           f"({meeting.japanese.representatives[0].name_ja or 'Taro Yamada'})" in to_yoko
    assert not any(line.startswith(("商談相手", "You meet")) for line in to_yoko)
    assert "Interpreter: Yoko Tanaka" in to_priya and f"You meet: {japanese.name} (Taro Yamada)" in to_priya
    # The calendar entry does not name the interpreter: changing the interpreter does not mail the delegates
    # (INVITES: no mail for changes that do not concern them), so their entry would go on naming the old one.
    assert "Yoko" not in str(vevent(messages[PRIYA].raw)["DESCRIPTION"])
