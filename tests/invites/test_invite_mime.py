"""The invite email (RFC 6047 iMIP) and plain notifications, parsed back from their bytes."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime

import pytest

from planner.invites import (
    Attendee,
    build_calendar,
    build_invite_message,
    build_plain_message,
    message_bytes,
)

DTSTAMP = datetime(2025, 5, 20, 8, 15, tzinfo=UTC)
SENT = datetime(2025, 5, 20, 8, 15, 30, tzinfo=UTC)
ORGANIZER = "cell@gujarat-invest.example"
TARO = "taro.yamada@suzuki-seiki.example"
MESSAGE_ID = "<outbox-123.invite@planner.example>"
SUBJECT = "招待: B2B 商談 Suzuki Seiki × Ahmedabad Tools — 2 Jun 10:00 JST / 06:30 IST"
TEXT = "山田 太郎 様\n\nB2B meeting\nIST: Mon 2 Jun 2025, 06:30–06:50\nJST: Mon 2 Jun 2025, 10:00–10:20\n"
HTML = "<p>山田 太郎 様</p><p>IST 06:30 / JST 10:00</p>"


@pytest.fixture
def calendar(make_event):
    def build(method: str = "REQUEST", **overrides) -> bytes:
        return build_calendar([make_event(**overrides)], method, DTSTAMP)

    return build


def invite(calendar_bytes: bytes, method: str = "REQUEST", **overrides):
    values = dict(
        sender_email=ORGANIZER,
        sender_name="Gujarat Investment Cell",
        to_email=TARO,
        to_name="山田 太郎",
        subject=SUBJECT,
        text_body=TEXT,
        html_body=HTML,
        calendar_bytes=calendar_bytes,
        method=method,
        message_id=MESSAGE_ID,
        date=SENT,
    )
    values.update(overrides)
    return build_invite_message(**values)


def reparse(msg) -> email.message.EmailMessage:
    return email.message_from_bytes(message_bytes(msg), policy=email.policy.default)


def tree(msg) -> list[str]:
    return [part.get_content_type() for part in msg.walk()]


def header_names(raw: bytes) -> list[str]:
    head = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    return [line.split(":", 1)[0] for line in head.split("\r\n") if line and not line[0].isspace()]


# --- layout --------------------------------------------------------------------


def test_invite_tree_is_mixed_of_alternative_and_ics_attachment(calendar):
    msg = reparse(invite(calendar()))

    assert tree(msg) == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "text/html",
        "text/calendar",
        "application/ics",
    ]
    alternative, attachment = msg.get_payload()
    assert [p.get_content_type() for p in alternative.get_payload()] == [
        "text/plain",
        "text/html",
        "text/calendar",
    ]
    assert attachment.get_content_disposition() == "attachment"
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_param("name") == "invite.ics"


@pytest.mark.parametrize("method", ["REQUEST", "CANCEL"])
def test_calendar_part_method_equals_calendar_method_and_charset_is_utf8(calendar, method):
    raw = message_bytes(invite(calendar(method), method))
    part = reparse(invite(calendar(method), method)).get_payload()[0].get_payload()[2]

    assert part.get_param("method") == method
    assert part.get_param("charset") == "UTF-8"
    assert f"Content-Type: text/calendar; charset=UTF-8; method={method}\r\n".encode() in raw
    assert f"METHOD:{method}\r\n".encode() in part.get_content().encode()


def test_text_parts_are_utf8(calendar):
    plain, html, _ = reparse(invite(calendar())).get_payload()[0].get_payload()

    assert plain.get_content_charset() == "utf-8"
    assert html.get_content_charset() == "utf-8"
    assert plain.get_content().replace("\r\n", "\n") == TEXT
    assert html.get_content().replace("\r\n", "\n") == HTML + "\n"


def test_every_part_travels_base64_quoted_printable_or_7bit_never_8bit(calendar):
    msg = reparse(invite(calendar()))
    encodings = {
        p.get_content_type(): p["Content-Transfer-Encoding"] for p in msg.walk() if not p.is_multipart()
    }

    assert encodings["text/calendar"] == "base64"
    assert encodings["application/ics"] == "base64"
    assert encodings["text/plain"] in ("base64", "quoted-printable")
    assert encodings["text/html"] in ("base64", "quoted-printable")


def test_inline_calendar_and_attachment_decode_to_the_same_bytes(calendar):
    cal = calendar()
    msg = reparse(invite(cal))
    inline = msg.get_payload()[0].get_payload()[2].get_payload(decode=True)
    attachment = msg.get_payload()[1].get_payload(decode=True)

    assert inline == cal
    assert attachment == cal


def test_message_bytes_are_ascii_crlf_and_lines_at_most_78(calendar):
    raw = message_bytes(invite(calendar()))

    assert raw.isascii()
    assert raw.count(b"\n") == raw.count(b"\r\n")
    assert raw.count(b"\r") == raw.count(b"\r\n")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 78


def test_only_top_level_has_mime_version(calendar):
    msg = reparse(invite(calendar()))

    assert [p.get_content_type() for p in msg.walk() if p["MIME-Version"]] == ["multipart/mixed"]


# --- headers -------------------------------------------------------------------


def test_invite_headers_are_from_organizer_to_recipient_subject_date_and_message_id(calendar):
    msg = reparse(invite(calendar()))

    assert msg["From"].addresses[0].addr_spec == ORGANIZER
    assert msg["From"].addresses[0].display_name == "Gujarat Investment Cell"
    assert msg["To"].addresses[0].addr_spec == TARO
    assert msg["To"].addresses[0].display_name == "山田 太郎"
    assert str(msg["Subject"]) == SUBJECT
    assert msg["Date"].datetime == SENT
    assert msg["Message-ID"] == MESSAGE_ID
    assert msg["Reply-To"] is None


def test_non_ascii_subject_and_names_are_encoded_words(calendar):
    raw = message_bytes(invite(calendar()))
    head = raw.split(b"\r\n\r\n", 1)[0]

    assert b"=?utf-8?" in head
    assert "招待".encode() not in raw


def test_message_id_is_the_given_one_so_a_resend_is_the_same_mail(calendar):
    first = reparse(invite(calendar(), date=SENT))
    resend = reparse(invite(calendar(), date=datetime(2025, 5, 20, 9, 0, tzinfo=UTC)))

    assert first["Message-ID"] == resend["Message-ID"] == MESSAGE_ID


def test_reply_to_and_extra_headers_are_added(calendar):
    msg = reparse(
        invite(
            calendar(),
            reply_to=("Shizuoka Desk", "desk@pref-shizuoka.example"),
            extra_headers={"Auto-Submitted": "auto-generated", "X-Planner-Outbox-Id": "123"},
        )
    )

    assert msg["Reply-To"].addresses[0].addr_spec == "desk@pref-shizuoka.example"
    assert msg["Reply-To"].addresses[0].display_name == "Shizuoka Desk"
    assert msg["Auto-Submitted"] == "auto-generated"
    assert msg["X-Planner-Outbox-Id"] == "123"


def test_date_defaults_to_now(calendar):
    before = datetime.now(UTC).replace(microsecond=0)
    msg = reparse(invite(calendar(), date=None))

    assert before <= msg["Date"].datetime <= datetime.now(UTC)


# --- consistency checks -----------------------------------------------------------


def test_method_not_matching_calendar_raises_value_error(calendar):
    with pytest.raises(ValueError, match="does not match"):
        invite(calendar("CANCEL"), "REQUEST")


def test_unknown_method_raises_value_error(calendar):
    with pytest.raises(ValueError, match="method"):
        invite(calendar(), "REPLY")


def test_sender_other_than_organizer_raises_value_error(calendar):
    with pytest.raises(ValueError, match="ORGANIZER"):
        invite(calendar(), sender_email="noreply@planner.example")


def test_recipient_not_listed_as_attendee_raises_value_error(calendar):
    with pytest.raises(ValueError, match="ATTENDEE"):
        invite(calendar(), to_email="someone.else@suzuki-seiki.example")


def test_recipient_match_is_case_insensitive(calendar):
    msg = reparse(invite(calendar(), to_email="Taro.Yamada@Suzuki-Seiki.example"))

    assert msg["To"].addresses[0].addr_spec == "Taro.Yamada@suzuki-seiki.example"


def test_publish_calendar_may_be_mailed_to_a_non_attendee(calendar):
    msg = reparse(
        invite(calendar("PUBLISH", attendees=(Attendee("priya.shah@ahmedabad-tools.example"),)), "PUBLISH")
    )

    assert msg.get_payload()[0].get_payload()[2].get_param("method") == "PUBLISH"


def test_calendar_bytes_that_are_not_a_calendar_raise_value_error():
    with pytest.raises(ValueError):
        invite(b"BEGIN:VCARD\r\nEND:VCARD\r\n")


# --- hostile input ---------------------------------------------------------------


def test_crlf_in_subject_and_names_adds_no_header(calendar):
    raw = message_bytes(
        invite(
            calendar(),
            subject="Invite\r\nBcc: mallory@evil.example\r\n\r\n<script>",
            sender_name='Cell"\r\nBcc: mallory@evil.example',
            to_name="Taro\nCc: mallory@evil.example",
            extra_headers={"X-Planner-Note": "ok\r\nBcc: mallory@evil.example"},
        )
    )
    msg = email.message_from_bytes(raw, policy=email.policy.default)

    assert header_names(raw) == [
        "From",
        "To",
        "Subject",
        "Date",
        "Message-ID",
        "X-Planner-Note",
        "MIME-Version",
        "Content-Type",
    ]
    assert msg["Bcc"] is None and msg["Cc"] is None
    assert str(msg["Subject"]) == "Invite Bcc: mallory@evil.example <script>"
    assert msg["From"].addresses[0].display_name == "Cell Bcc: mallory@evil.example"
    assert msg["From"].addresses[0].addr_spec == ORGANIZER
    assert [a.addr_spec for a in msg["To"].addresses] == [TARO]
    assert msg["X-Planner-Note"] == "ok Bcc: mallory@evil.example"


@pytest.mark.parametrize(
    "overrides",
    [
        {"to_email": TARO + "\r\nBcc: mallory@evil.example"},
        {"sender_email": ORGANIZER + "\n"},
        {"message_id": MESSAGE_ID + "\r\nBcc: mallory@evil.example"},
        {"message_id": "outbox-123"},
        {"reply_to": "desk@pref-shizuoka.example\r\nBcc: mallory@evil.example"},
        {"extra_headers": {"Bcc": "mallory@evil.example"}},
        {"extra_headers": {"content-type": "text/plain"}},
        {"extra_headers": {"X-Bad\r\nBcc": "x"}},
        {"extra_headers": {"X Bad": "x"}},
        {"subject": "\r\n"},
    ],
)
def test_invalid_header_input_raises_value_error(calendar, overrides):
    with pytest.raises(ValueError):
        invite(calendar(), **overrides)


def test_control_characters_in_bodies_are_stripped(calendar):
    msg = reparse(invite(calendar(), text_body="IST 06:30\x00\x1b\r\nJST 10:00", html_body="<p>x\x07</p>"))
    plain, html, _ = msg.get_payload()[0].get_payload()

    assert plain.get_content().replace("\r\n", "\n") == "IST 06:30\nJST 10:00\n"
    assert html.get_content().replace("\r\n", "\n") == "<p>x</p>\n"


# --- plain notifications -----------------------------------------------------------


def test_plain_message_with_text_only_is_single_text_part():
    msg = reparse(
        build_plain_message(
            sender_email="noreply@planner.example",
            sender_name="Delegation Planner",
            to_email=TARO,
            to_name="山田 太郎",
            subject="フォローアップ: MoU draft due 30 Jun",
            text_body="MoU draft due 30 Jun 2025.\n",
            message_id="<outbox-124.notice@planner.example>",
            date=SENT,
        )
    )

    assert tree(msg) == ["text/plain"]
    assert msg.get_content().replace("\r\n", "\n") == "MoU draft due 30 Jun 2025.\n"
    assert msg["Message-ID"] == "<outbox-124.notice@planner.example>"
    assert str(msg["Subject"]) == "フォローアップ: MoU draft due 30 Jun"
    assert msg["From"].addresses[0].addr_spec == "noreply@planner.example"
    assert msg["Date"].datetime == SENT


def test_plain_message_with_html_is_alternative_and_has_same_header_rules():
    raw = message_bytes(
        build_plain_message(
            sender_email="noreply@planner.example",
            sender_name="Delegation Planner",
            to_email=TARO,
            to_name="Taro\r\nBcc: mallory@evil.example",
            subject="Reminder\r\nBcc: mallory@evil.example",
            text_body="Reminder",
            html_body="<p>Reminder</p>",
            message_id="<outbox-125.notice@planner.example>",
            date=SENT,
        )
    )
    msg = email.message_from_bytes(raw, policy=email.policy.default)

    assert tree(msg) == ["multipart/alternative", "text/plain", "text/html"]
    assert header_names(raw) == [
        "From",
        "To",
        "Subject",
        "Date",
        "Message-ID",
        "MIME-Version",
        "Content-Type",
    ]
    assert str(msg["Subject"]) == "Reminder Bcc: mallory@evil.example"
    assert raw.isascii()


def test_plain_message_rejects_crlf_in_address():
    with pytest.raises(ValueError):
        build_plain_message(
            sender_email="noreply@planner.example",
            sender_name="Planner",
            to_email="taro@suzuki-seiki.example\r\nBcc: mallory@evil.example",
            to_name="Taro",
            subject="Hi",
            text_body="Hi",
            message_id="<outbox-126.notice@planner.example>",
        )
