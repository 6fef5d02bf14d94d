"""What arrives at a real SMTP server (aiosmtpd) through the outbox worker, read back with a second, independent
parser (vobject): UTC start, the venue's wall time, the attendees — for one itinerary event and one B2B meeting."""

import email
import email.policy
from datetime import UTC

import vobject

from planner.invites.operations import send_session_invites
from planner.outbox.transport import SMTPTransport
from planner.outbox.worker import send_pass
from tests.invites.world import PRIYA, TARO, b2b_meeting, confirmed_event
from tests.mail_server import smtp_server  # noqa: F401 (fixture)


def _deliver(server):
    transport = SMTPTransport(host=server.host, port=server.port, use_tls=False, use_ssl=False, username=None,
                              password=None, timeout=5, envelope_from="bounces@planner.example")
    return send_pass(transport)


def _calendar_text(raw: bytes) -> tuple[str, str]:
    mail = email.message_from_bytes(raw, policy=email.policy.default)
    part = next(p for p in mail.walk() if p.get_content_type() == "text/calendar")
    return part.get_param("method"), part.get_payload(decode=True).decode("utf-8")


def _by_recipient(server) -> dict[str, bytes]:
    return {envelope.rcpt_tos[0]: envelope.data for envelope in server.envelopes}


def test_event_invite_arrives_and_vobject_reads_utc_start_wall_time_and_attendees(database, factories,
                                                                                   smtp_server):  # noqa: F811
    event = confirmed_event()
    result = _deliver(smtp_server)
    assert result.sent == 2
    received = _by_recipient(smtp_server)
    assert sorted(received) == [PRIYA, TARO]
    for recipient, raw in received.items():
        mail = email.message_from_bytes(raw, policy=email.policy.default)
        assert mail["To"].addresses[0].addr_spec == recipient
        method, text = _calendar_text(raw)
        parsed = vobject.readOne(text)
        assert method == parsed.method.value == "REQUEST"
        vevent = parsed.vevent
        assert vevent.uid.value == event.uid
        assert vevent.dtstart.value.isoformat() == "2026-10-13T10:00:00+09:00"  # wall time at the venue
        assert "DTSTART;TZID=Asia/Tokyo:20261013T100000" in text
        assert vevent.dtstart.value.utcoffset().total_seconds() == 9 * 3600
        assert vevent.dtstart.value.astimezone(UTC).isoformat() == "2026-10-13T01:00:00+00:00"
        attendees = sorted(a.value.removeprefix("mailto:") for a in vevent.attendee_list)
        assert attendees == [PRIYA, TARO]
        assert all(a.params["RSVP"] == ["TRUE"] for a in vevent.attendee_list)


def test_b2b_meeting_invite_arrives_and_vobject_reads_it(database, factories, smtp_server):  # noqa: F811
    session, meeting, _people = b2b_meeting()
    send_session_invites(session)
    assert _deliver(smtp_server).sent == 2
    received = _by_recipient(smtp_server)
    assert sorted(received) == [PRIYA, TARO]
    method, text = _calendar_text(received[TARO])
    parsed = vobject.readOne(text)
    assert method == parsed.method.value == "REQUEST"
    vevent = parsed.vevent
    assert vevent.uid.value == meeting.uid
    assert "DTSTART;TZID=Asia/Tokyo:20261013T102000" in text
    assert vevent.dtstart.value.strftime("%H:%M") == "10:20"
    assert vevent.dtstart.value.astimezone(UTC).isoformat() == "2026-10-13T01:20:00+00:00"
    assert vevent.dtend.value.astimezone(UTC).isoformat() == "2026-10-13T01:40:00+00:00"
    assert sorted(a.value.removeprefix("mailto:") for a in vevent.attendee_list) == [PRIYA, TARO]
    assert vevent.organizer.value == "mailto:delegations@planner.localhost"


def test_a_flight_invite_lands_on_the_arrival_clock_in_text_and_calendar(database, factories,
                                                                         smtp_server):  # noqa: F811
    # Ahmedabad 01:30 IST → Narita 14:45 JST (05:45 UTC): the mail and the calendar say 14:45 JST, not the
    # 11:15 IST it is in Ahmedabad then
    from datetime import datetime

    from tests.invites.world import edit_event

    event = confirmed_event()
    edit_event(event, kind="travel", title="Flight AMD → NRT", venue_id=None, timezone="Asia/Kolkata",
               end_timezone="Asia/Tokyo", local_start=datetime(2026, 10, 13, 1, 30),
               local_end=datetime(2026, 10, 13, 14, 45))
    _deliver(smtp_server)
    raw = [e.data for e in smtp_server.envelopes if list(e.rcpt_tos) == [PRIYA]][-1]  # the update
    mail = email.message_from_bytes(raw, policy=email.policy.default)
    text = mail.get_body(("plain",)).get_content()
    assert "Venue time: Tue 13 Oct 2026, 01:30 IST–14:45 JST" in text
    assert "IST: Tue 13 Oct 2026, 01:30–11:15" in text and "JST: Tue 13 Oct 2026, 05:00–14:45" in text
    _method, calendar = _calendar_text(raw)
    assert "DTSTART;TZID=Asia/Kolkata:20261013T013000" in calendar
    assert "DTEND;TZID=Asia/Tokyo:20261013T144500" in calendar
    assert calendar.count("BEGIN:VTIMEZONE") == 2
    vevent = vobject.readOne(calendar).vevent
    assert vevent.dtend.value.isoformat() == "2026-10-13T14:45:00+09:00"
    assert vevent.dtend.value.astimezone(UTC).isoformat() == "2026-10-13T05:45:00+00:00"
    assert vevent.dtstart.value.astimezone(UTC).isoformat() == "2026-10-12T20:00:00+00:00"
