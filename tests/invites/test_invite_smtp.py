"""Invites sent through a real SMTP server (aiosmtpd on 127.0.0.1) and parsed as received."""

from __future__ import annotations

import email
import email.policy
import smtplib
from datetime import UTC, datetime

import pytest
import vobject

from planner.invites import build_calendar, build_invite_message, build_plain_message, message_bytes

DTSTAMP = datetime(2025, 5, 20, 8, 15, tzinfo=UTC)
ORGANIZER = "cell@gujarat-invest.example"
TARO = "taro.yamada@suzuki-seiki.example"
PRIYA = "priya.shah@ahmedabad-tools.example"


def send(server, sender: str, recipient: str, data: bytes) -> None:
    with smtplib.SMTP(server.host, server.port, timeout=5) as client:
        client.sendmail(sender, [recipient], data)


def invite_for(calendar_bytes: bytes, method: str, to_email: str, to_name: str, outbox_id: int):
    return build_invite_message(
        sender_email=ORGANIZER,
        sender_name="Gujarat Investment Cell",
        to_email=to_email,
        to_name=to_name,
        subject="招待: B2B Suzuki Seiki × Ahmedabad Tools",
        text_body="IST: 06:30\nJST: 10:00\n",
        html_body="<p>IST 06:30 / JST 10:00</p>",
        calendar_bytes=calendar_bytes,
        method=method,
        message_id=f"<outbox-{outbox_id}.invite@planner.example>",
        date=DTSTAMP,
    )


def test_invite_sent_over_smtp_arrives_with_layout_headers_and_calendar_intact(smtp_server, make_event):
    calendar_bytes = build_calendar([make_event()], "REQUEST", DTSTAMP)
    sent = message_bytes(invite_for(calendar_bytes, "REQUEST", TARO, "山田 太郎", 123))

    send(smtp_server, ORGANIZER, TARO, sent)
    (raw,) = smtp_server.wait_for(1, timeout=5)
    received = email.message_from_bytes(raw, policy=email.policy.default)

    assert smtp_server.envelopes[0].mail_from == ORGANIZER
    assert smtp_server.envelopes[0].rcpt_tos == (TARO,)
    assert [p.get_content_type() for p in received.walk()] == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "text/html",
        "text/calendar",
        "application/ics",
    ]
    assert received["Message-ID"] == "<outbox-123.invite@planner.example>"
    assert str(received["Subject"]) == "招待: B2B Suzuki Seiki × Ahmedabad Tools"
    assert received["From"].addresses[0].addr_spec == ORGANIZER
    assert received["To"].addresses[0].addr_spec == TARO
    calendar_part = received.get_payload()[0].get_payload()[2]
    assert calendar_part.get_param("method") == "REQUEST"
    assert calendar_part["Content-Transfer-Encoding"] == "base64"
    assert calendar_part.get_payload(decode=True) == calendar_bytes
    assert received.get_payload()[1].get_payload(decode=True) == calendar_bytes
    vevent = vobject.readOne(calendar_part.get_payload(decode=True).decode("utf-8")).vevent
    assert vevent.dtstart.value.astimezone(UTC) == datetime(2025, 6, 2, 1, 0, tzinfo=UTC)
    assert {a.value for a in vevent.contents["attendee"]} == {f"mailto:{TARO}", f"mailto:{PRIYA}"}


def test_one_invite_per_recipient_arrives_with_distinct_message_ids(smtp_server, make_event):
    calendar_bytes = build_calendar([make_event(sequence=2)], "CANCEL", DTSTAMP)
    for outbox_id, (to_email, to_name) in enumerate([(TARO, "山田 太郎"), (PRIYA, "Priya Shah")], start=200):
        send(
            smtp_server,
            ORGANIZER,
            to_email,
            message_bytes(invite_for(calendar_bytes, "CANCEL", to_email, to_name, outbox_id)),
        )

    received = [email.message_from_bytes(raw, policy=email.policy.default) for raw in smtp_server.wait_for(2)]

    assert [e.rcpt_tos for e in smtp_server.envelopes] == [(TARO,), (PRIYA,)]
    assert [m["Message-ID"] for m in received] == [
        "<outbox-200.invite@planner.example>",
        "<outbox-201.invite@planner.example>",
    ]
    for message in received:
        part = message.get_payload()[0].get_payload()[2]
        assert part.get_param("method") == "CANCEL"
        cal = vobject.readOne(part.get_payload(decode=True).decode("utf-8"))
        assert (cal.method.value, cal.vevent.status.value, cal.vevent.sequence.value) == (
            "CANCEL",
            "CANCELLED",
            "2",
        )


def test_plain_notification_sent_over_smtp_arrives_unchanged(smtp_server):
    msg = build_plain_message(
        sender_email="noreply@planner.example",
        sender_name="Delegation Planner",
        to_email=PRIYA,
        to_name="Priya Shah",
        subject="Follow-up due: MoU draft — 静岡県",
        text_body=".leading dot line\nMoU draft due 30 Jun 2025\n",
        html_body="<p>MoU draft due 30 Jun 2025</p>",
        message_id="<outbox-300.notice@planner.example>",
        date=DTSTAMP,
    )
    sent = message_bytes(msg)

    send(smtp_server, "noreply@planner.example", PRIYA, sent)
    (raw,) = smtp_server.wait_for(1)
    received = email.message_from_bytes(raw, policy=email.policy.default)

    assert raw == sent
    assert str(received["Subject"]) == "Follow-up due: MoU draft — 静岡県"
    plain, html = received.get_payload()
    assert plain.get_content().replace("\r\n", "\n") == ".leading dot line\nMoU draft due 30 Jun 2025\n"
    assert html.get_content_type() == "text/html"


def test_smtp_server_wait_for_raises_assertion_error_when_nothing_arrives(smtp_server):
    with pytest.raises(AssertionError, match="expected 1 message"):
        smtp_server.wait_for(1, timeout=0.2)

    assert smtp_server.messages == []
