"""Enqueueing: the outbox row is part of the transaction that causes it."""

import re

import pytest
from sqlalchemy import func, select

from planner.extensions import db
from planner.invites import ATTACHMENT_FILENAME
from planner.outbox.models import OutboxMessage
from planner.outbox.operations import enqueue, enqueue_invites, enqueue_notice
from planner.outbox.worker import WorkerSettings, send_pass
from planner.regions.operations import region_by_code
from tests.outbox.conftest import BOUNCES, ORGANIZER, smtp_transport
from tests.outbox.helpers import meeting, parse


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def test_enqueue_rolled_back_sends_nothing(committed, smtp_server):
    enqueue_notice(to_email="priya.shah@ahmedabad-tools.example", subject="Visit confirmed", text_body="Hi")
    db.session.rollback()

    result = send_pass(smtp_transport(smtp_server))

    assert (_count(), result.sent, smtp_server.messages) == (0, 0, [])


def test_enqueue_committed_is_delivered_byte_for_byte(committed, smtp_server):
    message = enqueue_notice(to_email="priya.shah@ahmedabad-tools.example", to_name="Priya Shah",
                             subject="Visit confirmed", text_body="Your visit to Shizuoka is confirmed.")
    db.session.commit()
    stored = message.raw

    result = send_pass(smtp_transport(smtp_server))

    (envelope,) = smtp_server.envelopes
    assert (result.sent, result.failed) == (1, 0)
    assert envelope.data == stored
    assert (envelope.mail_from, envelope.rcpt_tos) == (BOUNCES, ("priya.shah@ahmedabad-tools.example",))
    received = parse(envelope.data)
    assert received["Message-ID"] == message.message_id
    assert re.fullmatch(r"<outbox-[0-9a-f]{32}@planner\.example>", message.message_id)
    assert received["From"] == f"Gujarat–Shizuoka Desk <{ORGANIZER}>"
    assert received.get_content().strip() == "Your visit to Shizuoka is confirmed."
    db.session.expire_all()
    row = db.session.get(OutboxMessage, message.id)
    assert (row.status, row.attempts, row.last_error, row.lease_until) == ("sent", 1, "", None)
    assert row.sent_at is not None


def test_enqueue_invites_writes_one_request_per_attendee_with_the_same_calendar(committed):
    gujarat, shizuoka = region_by_code("IN-GJ"), region_by_code("JP-22")
    messages = enqueue_invites(meeting(), method="REQUEST", subject="B2B meeting, 2 June", text_body="When: …",
                               html_body="<p>When: …</p>", related_type="meeting", related_id=7,
                               regions=[gujarat, shizuoka])
    db.session.commit()

    assert [(m.kind, m.to_email, m.calendar_method) for m in messages] == [
        ("invite", "taro.yamada@suzuki-seiki.example", "REQUEST"),
        ("invite", "priya.shah@ahmedabad-tools.example", "REQUEST")]
    assert messages[0].ics == messages[1].ics
    assert len({m.message_id for m in messages}) == 2
    assert {r.code for r in messages[0].regions} == {"IN-GJ", "JP-22"}
    mail = parse(messages[0].raw)
    calendar_part = next(p for p in mail.walk() if p.get_content_type() == "text/calendar")
    attachment = next(p for p in mail.walk() if p.get_filename() == ATTACHMENT_FILENAME)
    assert calendar_part.get_param("method") == "REQUEST"
    assert calendar_part.get_payload(decode=True) == attachment.get_payload(decode=True) == messages[0].ics
    assert (messages[0].related_type, messages[0].related_id) == ("meeting", 7)


@pytest.mark.parametrize(("method", "sequence", "kind"), [("REQUEST", 1, "update"), ("CANCEL", 2, "cancel")])
def test_enqueue_invites_kind_follows_method_and_sequence(committed, method, sequence, kind):
    messages = enqueue_invites(meeting(sequence=sequence), method=method, subject="Changed", text_body="t",
                               html_body="<p>t</p>")

    assert {(m.kind, m.calendar_method) for m in messages} == {(kind, method)}


def test_enqueue_with_an_invalid_address_raises_and_leaves_no_row(committed):
    with pytest.raises(ValueError, match="invalid email"):
        enqueue_notice(to_email="not an address", subject="x", text_body="y")
    with pytest.raises(ValueError, match="invalid Message-ID|must not be empty"):
        enqueue(kind="notice", to_email="a@example.org", subject="x", build=lambda mid: (_ for _ in ()).throw(
            ValueError("subject must not be empty")))
    db.session.commit()

    assert _count() == 0


def test_enqueue_rejects_unknown_kind_and_ics_without_method(committed):
    with pytest.raises(ValueError, match="kind must be one of"):
        enqueue(kind="spam", to_email="a@example.org", subject="x", build=lambda mid: b"")
    with pytest.raises(ValueError, match="go together"):
        enqueue(kind="invite", to_email="a@example.org", subject="x", build=lambda mid: b"", ics=b"BEGIN")
    with pytest.raises(ValueError, match="calendar_method must be one of"):
        enqueue(kind="invite", to_email="a@example.org", subject="x", build=lambda mid: b"", ics=b"BEGIN",
                calendar_method="REPLY")


def test_settings_backoff_doubles_from_the_base_and_is_capped():
    settings = WorkerSettings(backoff_seconds=60, backoff_max_seconds=600)

    assert [settings.backoff(n).total_seconds() for n in range(1, 7)] == [60, 120, 240, 480, 600, 600]
