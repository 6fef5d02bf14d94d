"""Answers given with a mail client's own buttons: an iTIP REPLY mailed to the organiser address arrives over
real SMTP (aiosmtpd delivering into a Maildir), and `planner invites replies` records it as the answer links
record theirs — only from the attendee's own address, for an invite they hold, at its latest revision."""

import mailbox
import smtplib
from datetime import UTC, datetime
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Mailbox
from icalendar import Calendar, Event, vCalAddress

from planner.invites.operations import send_session_invites
from planner.invites.replies import read_replies
from planner.itinerary.models import EventAttendee
from tests.invites.world import PRIYA, TARO, b2b_meeting, confirmed_event, edit_event
from tests.mail_server import _free_port

ORGANIZER = "delegations@planner.localhost"


@pytest.fixture
def organiser_mailbox(tmp_path):
    """An SMTP server on 127.0.0.1 delivering into a Maildir, as the organiser address's mail server would."""
    path = tmp_path / "Maildir"
    controller = Controller(Mailbox(path), hostname="127.0.0.1", port=_free_port(),
                            server_hostname="mx.test.example", ready_timeout=5.0)
    controller.start()
    try:
        yield controller, path
    finally:
        controller.stop()


def _reply(uid: str, attendee: str, partstat: str, *, sequence: int | None, sender: str | None = None,
           method: str = "REPLY", attach: bool = True) -> bytes:
    """A reply as Gmail writes one: text, the calendar inline (method=REPLY) and as invite.ics."""
    calendar = Calendar()
    calendar.add("PRODID", "-//Google Inc//Google Calendar 70.9054//EN")
    calendar.add("VERSION", "2.0")
    calendar.add("METHOD", method)
    event = Event()
    event.add("UID", uid)
    if sequence is not None:
        event.add("SEQUENCE", sequence)
    event.add("DTSTAMP", datetime(2026, 10, 1, 9, tzinfo=UTC))
    event.add("DTSTART", datetime(2026, 10, 13, 1, tzinfo=UTC))
    event.add("ORGANIZER", vCalAddress(f"mailto:{ORGANIZER}"))
    address = vCalAddress(f"mailto:{attendee.upper()}")  # clients do not keep the case
    address.params["PARTSTAT"] = partstat
    address.params["CN"] = "Someone"
    event.add("ATTENDEE", address)
    calendar.add_component(event)
    ics = calendar.to_ical()
    mail = EmailMessage()
    mail["From"] = f"Someone <{sender or attendee}>"
    mail["To"] = ORGANIZER
    mail["Subject"] = f"{partstat.title()}: Courtesy call"
    mail.set_content(f"{sender or attendee} has {partstat.lower()} this invitation.")
    mail.add_alternative(ics, maintype="text", subtype="calendar", params={"method": method, "charset": "UTF-8"})
    if attach:
        mail.add_attachment(ics, maintype="application", subtype="ics", filename="invite.ics")
    return bytes(mail)


def _deliver(server, *messages: bytes) -> None:
    controller, _path = server
    with smtplib.SMTP(controller.hostname, controller.port, timeout=5) as smtp:
        for raw in messages:
            smtp.sendmail("bounce@mail.example", [ORGANIZER], raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))


def _read(app, path):
    return app.test_cli_runner().invoke(args=["invites", "replies", str(path), "-v"])


def _answer(event, email):
    return next(link.rsvp for link in event.attendee_links if link.person.email == email)


def test_an_accept_pressed_in_gmail_is_recorded_and_the_mail_filed_as_read(app, database, organiser_mailbox):
    event = confirmed_event()  # Priya and Taro hold the invite at SEQUENCE 0
    database.session.commit()
    _deliver(organiser_mailbox, _reply(event.uid, PRIYA, "ACCEPTED", sequence=event.sequence))

    result = _read(app, organiser_mailbox[1])

    assert result.exit_code == 0, result.output
    assert "Replies: 1 new mails read: 1 recorded; 0 other mails left unread." in result.output
    database.session.expire_all()
    assert (_answer(event, PRIYA), _answer(event, TARO)) == ("accepted", "needs-action")
    box = mailbox.Maildir(organiser_mailbox[1], create=False)
    [(key, message)] = list(box.items())
    assert message.get_subdir() == "cur" and "S" in message.get_flags()
    assert _read(app, organiser_mailbox[1]).output.startswith("Replies: 0 new mails read")  # read once


def test_a_decline_of_a_b2b_meeting_reaches_the_organisers_page(app, database, organiser_mailbox, login_as):
    session, meeting, _people = b2b_meeting()
    send_session_invites(session)
    database.session.commit()
    _deliver(organiser_mailbox, _reply(meeting.uid, TARO, "DECLINED", sequence=meeting.sequence, attach=False),
             _reply(meeting.uid, PRIYA, "TENTATIVE", sequence=None))  # Outlook may leave SEQUENCE out at 0

    assert "2 recorded" in _read(app, organiser_mailbox[1]).output

    page = login_as("admin").get(f"/b2b/{session.id}").get_data(as_text=True)
    assert "declined" in page and "tentative" in page


def test_a_reply_counts_only_from_the_attendee_for_the_latest_time(app, database, organiser_mailbox):
    event = confirmed_event()
    old_sequence = event.sequence
    edit_event(event, local_start=datetime(2026, 10, 13, 15), local_end=datetime(2026, 10, 13, 16))  # moved
    database.session.commit()
    _deliver(organiser_mailbox,
             _reply(event.uid, PRIYA, "DECLINED", sequence=event.sequence, sender=TARO),  # Taro for Priya
             _reply(event.uid, TARO, "ACCEPTED", sequence=old_sequence),  # the old time
             _reply(event.uid, "stranger@example.com", "ACCEPTED", sequence=event.sequence),
             _reply("no-such-uid@planner", TARO, "ACCEPTED", sequence=0),
             _reply(event.uid, TARO, "NEEDS-ACTION", sequence=event.sequence))

    output = _read(app, organiser_mailbox[1]).output

    assert ("5 new mails read: 1 not an answer, 1 not sent by the attendee, 1 not holding the invite, "
            "1 answered an older time or place, 1 no such invite; 0 other") in output
    database.session.expire_all()
    assert {link.rsvp for link in database.session.query(EventAttendee).filter_by(event_id=event.id)} == {
        "needs-action"}


def test_other_mail_to_the_organiser_stays_unread_for_people(app, database, organiser_mailbox):
    event = confirmed_event()
    database.session.commit()
    letter = EmailMessage()
    letter["From"], letter["To"], letter["Subject"] = PRIYA, ORGANIZER, "Can we move the call?"
    letter.set_content("Could the courtesy call start at 11:00?")
    garbled = EmailMessage()  # a calendar part no parser can read
    garbled["From"], garbled["To"], garbled["Subject"] = PRIYA, ORGANIZER, "Accepted"
    garbled.set_content(b"BEGIN:VCALENDAR\r\nMETHOD:REPLY\r\nBEGIN:VEVENT\r\n\x00\xff;;:\r\n", maintype="text",
                        subtype="calendar", params={"method": "REPLY"})
    garbled = bytes(garbled)
    _deliver(organiser_mailbox, bytes(letter), _reply(event.uid, PRIYA, "ACCEPTED", sequence=0, method="REQUEST"),
             garbled)

    result = _read(app, organiser_mailbox[1])

    assert result.exit_code == 0 and "3 other mails left unread" in result.output
    messages = list(mailbox.Maildir(organiser_mailbox[1], create=False))
    assert [(m.get_subdir(), "S" in m.get_flags()) for m in messages] == [("cur", False)] * 3
    database.session.expire_all()
    assert _answer(event, PRIYA) == "needs-action"


def test_the_command_refuses_a_folder_that_is_no_maildir(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["invites", "replies", str(tmp_path)])
    assert result.exit_code == 2 and "not a Maildir" in result.output


def test_read_replies_takes_the_inline_part_and_the_attachment_as_one_answer():
    raw = _reply("u-1@planner", PRIYA, "ACCEPTED", sequence=3)
    [reply] = read_replies(raw)
    assert (reply.uid, reply.sequence, reply.attendee, reply.partstat, reply.sender) == (
        "u-1@planner", 3, PRIYA, "ACCEPTED", PRIYA)
    assert read_replies(b"\x00\xff not a mail") == [] and read_replies(b"x" * 5_000_001) == []
