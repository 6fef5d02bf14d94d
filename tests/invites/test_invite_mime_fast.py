"""The fast invite serialiser (build_invite_bytes) against the EmailMessage-built reference.

``reference_invite`` below is the builder as it was before the fast path: EmailMessage + set_content /
add_alternative / add_attachment, serialised with ``as_bytes(policy=POLICY)``. For ordinary and hostile
inputs the fast bytes must equal the reference bytes once the (random vs derived) multipart boundaries are
put aside, and both must parse to the same headers, tree, parameters and decoded payloads.
"""

from __future__ import annotations

import email
import email.policy
import random
import re
from datetime import UTC, datetime, timedelta, timezone

import pytest

from planner.invites import (
    Attendee,
    CalendarEvent,
    Organizer,
    build_calendar,
    build_invite_message,
    message_bytes,
)
from planner.invites.mime import (
    _RESERVED_HEADERS,
    ATTACHMENT_FILENAME,
    METHODS,
    POLICY,
    _address_line,
    _calendar_facts,
    _folded_address,
    _folded_text,
    _message_id_line,
    build_invite_bytes,
)
from planner.invites.text import clean_header_name, clean_line, clean_message_id, clean_text, normalize_email

DTSTAMP = datetime(2025, 5, 20, 8, 15, tzinfo=UTC)
SENT = datetime(2025, 5, 20, 8, 15, 30, tzinfo=UTC)
ORGANIZER = "cell@gujarat-invest.example"
TARO = "taro.yamada@suzuki-seiki.example"
PRIYA = "priya.o'neil+b2b@ahmedabad-tools.example"
IDN = "info@例え.テスト"
LONG_SUBJECT = ("招待: B2B 商談 Suzuki Seiki × Ahmedabad Tools — 2 Jun 10:00 JST / 06:30 IST, Granship table 12, "
                "with interpreters from the Shizuoka prefectural office and the Gujarat investment cell")
LONG_ASCII_SUBJECT = "B2B meeting " + " ".join(f"word{i}" for i in range(40))


# --- the builder as it was (reference) ---------------------------------------------------------------------


def reference_invite(*, sender_email, sender_name, to_email, to_name, subject, text_body, html_body,
                     calendar_bytes, method, message_id, reply_to=None, extra_headers=None, date=None):
    from email.headerregistry import Address
    from email.message import EmailMessage

    def mailbox(addr, name):
        return Address(display_name=clean_line(name), addr_spec=normalize_email(addr))

    method = str(method).strip().upper()
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    calendar_bytes = bytes(calendar_bytes)
    cal_method, organizers, attendees = _calendar_facts(calendar_bytes)
    if cal_method != method:
        raise ValueError("does not match")
    sender = normalize_email(sender_email)
    if organizers != {sender.lower()}:
        raise ValueError("ORGANIZER")
    recipient = normalize_email(to_email)
    if method in ("REQUEST", "CANCEL") and recipient.lower() not in attendees:
        raise ValueError("ATTENDEE")
    from_ = mailbox(sender, sender_name)
    to = mailbox(recipient, to_name)
    reply = None
    if reply_to is not None:
        reply = mailbox(reply_to[1], reply_to[0]) if isinstance(reply_to, tuple) else mailbox(reply_to, "")
    clean_subject = clean_line(subject)
    if not clean_subject:
        raise ValueError("subject must not be empty")
    mid = clean_message_id(message_id)
    extras = []
    for name, value in (extra_headers or {}).items():
        header = clean_header_name(name)
        if header.lower() in _RESERVED_HEADERS:
            raise ValueError("reserved")
        extras.append((header, clean_line(value)))
    msg = EmailMessage(policy=POLICY)
    msg["From"] = from_
    msg["To"] = to
    if reply is not None:
        msg["Reply-To"] = reply
    msg["Subject"] = clean_subject
    if date is None:
        date = datetime.now(UTC).replace(microsecond=0)
    elif date.tzinfo is None or date.utcoffset() is None:
        raise ValueError("date must be timezone-aware")
    msg["Date"] = date
    msg["Message-ID"] = mid
    for header, value in extras:
        msg[header] = value
    msg.set_content(clean_text(text_body), subtype="plain", charset="utf-8")
    msg.add_alternative(clean_text(html_body), subtype="html", charset="utf-8")
    msg.add_alternative(calendar_bytes, maintype="text", subtype="calendar", cte="base64")
    part = msg.get_payload()[-1]
    del part["Content-Type"]
    part.set_raw("Content-Type", f"text/calendar; charset=UTF-8; method={method}")
    msg.add_attachment(calendar_bytes, maintype="application", subtype="ics", cte="base64",
                       filename=ATTACHMENT_FILENAME, params={"name": ATTACHMENT_FILENAME})
    for p in msg.walk():
        if p is not msg:
            del p["MIME-Version"]
    return msg.as_bytes(policy=POLICY)


# --- helpers --------------------------------------------------------------------------------------------------


def without_boundaries(raw: bytes) -> bytes:
    boundaries = re.findall(rb'boundary="([^"]+)"', raw)
    assert len(boundaries) == 2
    for n, boundary in enumerate(boundaries):
        raw = raw.replace(boundary, b"BOUNDARY-%d" % n)
    return raw


def parsed(raw: bytes):
    return email.message_from_bytes(raw, policy=email.policy.default)


def summary(raw: bytes) -> list:
    """Headers (decoded), content types, parameters (boundary aside) and decoded payloads of every part."""
    out = []
    for part in parsed(raw).walk():
        headers = [(k, str(v)) for k, v in part.items()]
        params = [(k, v) for k, v in part["Content-Type"].params.items() if k != "boundary"]
        headers = [(k, v) for k, v in headers if k != "Content-Type" or not part.is_multipart()]
        payload = None if part.is_multipart() else part.get_payload(decode=True)
        out.append((part.get_content_type(), params, headers, part.get_content_disposition(),
                    part.get_filename(), payload, part.defects))
    return out


def make_calendar(make_event, method="REQUEST", names=("山田 太郎", "Priya O'Neil"), emails=(TARO, PRIYA), **kw):
    attendees = tuple(Attendee(e, n) for e, n in zip(emails, names, strict=True))
    event = make_event(attendees=attendees, **kw)
    return build_calendar([event], method, DTSTAMP)


def values(calendar_bytes, **overrides):
    v = dict(sender_email=ORGANIZER, sender_name="Gujarat Investment Cell", to_email=TARO, to_name="山田 太郎",
             subject="招待: B2B 商談", text_body="山田 太郎 様\nIST 06:30\nJST 10:00\n",
             html_body="<p>山田 太郎 様</p>", calendar_bytes=calendar_bytes, method="REQUEST",
             message_id="<outbox-123.0a1b2c3d4e5f@planner.example>", date=SENT)
    v.update(overrides)
    return v


HOSTILE = {
    "plain": {},
    "ascii names": dict(to_name="Taro Yamada", sender_name="Cell", subject="B2B meeting"),
    "japanese everywhere": dict(to_name="山田 太郎（鈴木精機株式会社 代表取締役社長）", subject=LONG_SUBJECT,
                                sender_name="グジャラート投資促進局 静岡デスク"),
    "crlf and quotes": dict(subject='Invite\r\nBcc: mallory@evil.example\r\n\r\n"<script>"',
                            sender_name='Cell"\r\nBcc: mallory@evil.example', to_name='Taro "the boss"\nCc: x@y.z',
                            extra_headers={"X-Planner-Note": "ok\r\nBcc: mallory@evil.example"}),
    "specials in names": dict(to_name="Yamada, Taro (Suzuki) <boss@evil.example> \\ ; : @ [x]",
                              sender_name="Cell; Gujarat.Invest@"),
    "encoded-word lookalikes": dict(subject="=?utf-8?q?hello?= =?utf-8?b?5oub5b6F?= world",
                                    to_name="=?utf-8?q?Mallory?=", sender_name="=?iso-8859-1?q?Cell?="),
    "long ascii subject": dict(subject=LONG_ASCII_SUBJECT, to_name="A" * 90),
    "long unbreakable subject": dict(subject="x" * 200),
    "emoji and bidi": dict(subject="Meeting 🎌 \u202eevil\u202c ok", to_name="Priya 🙂 Shah\u2066"),
    "tabs and controls": dict(subject="a\tb\x00c\x1bd\x7fe\x85f", to_name="\tTaro\x07 \x0b Yamada "),
    "empty names": dict(to_name="", sender_name=None),
    "reply-to tuple": dict(reply_to=("Shizuoka Desk, 静岡", "desk@pref-shizuoka.example")),
    "reply-to plain": dict(reply_to=" MAILTO:Desk@Pref-Shizuoka.Example "),
    "extra headers": dict(extra_headers={"Auto-Submitted": "auto-generated", "X-Planner-Outbox-Id": "123",
                                         "In-Reply-To": "<outbox-7.abc@planner.example>",
                                         "X-Long": "日本語 " * 30}),
    "apostrophe plus recipient": dict(to_email=PRIYA.upper().replace("@", "@"), to_name="Priya O'Neil"),
    "idn sender domain address": dict(to_email="Taro.Yamada@Suzuki-Seiki.example"),
    "odd message id": dict(message_id="<a'b!c#d$e%f&g*h+i/j=k?l^m_n`o{p|q}r~s-t.u@[planner.example]>"),
    "message id with encoded word": dict(message_id="<=?utf-8?q?x?=@planner.example>"),
    "long message id": dict(message_id="<" + "outbox-123." + "a" * 90 + "@planner.example>"),
    "ascii 7bit bodies": dict(text_body="IST 06:30\r\nJST 10:00", html_body="<p>ok</p>"),
    "long-line bodies": dict(text_body="x" * 300 + "\n" + "日本" * 200, html_body="<p>" + "a " * 400 + "</p>"),
    "many-line body": dict(text_body="\n".join(f"line {i} 山田" for i in range(40)), html_body="\r".join("ab" * 5)),
    "body with a boundary-like line": dict(text_body="--===============0000000000000000000==\n--\nx",
                                           html_body="--===============1234567890123456789==--"),
    "empty bodies": dict(text_body="", html_body=""),
    "other date zone": dict(date=datetime(2025, 6, 2, 10, 0, tzinfo=timezone(timedelta(hours=9)))),
    "other date zone negative": dict(date=datetime(2025, 6, 2, 10, 0, tzinfo=timezone(timedelta(hours=-3, minutes=-30)))),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_fast_bytes_equal_the_email_package_bytes_and_parse_the_same(make_event, name):
    calendar = make_calendar(make_event)
    kwargs = values(calendar, **HOSTILE[name])

    fast = build_invite_bytes(**kwargs)
    reference = reference_invite(**kwargs)

    assert without_boundaries(fast) == without_boundaries(reference)
    assert summary(fast) == summary(reference)
    assert fast.isascii() and fast.count(b"\n") == fast.count(b"\r\n") == fast.count(b"\r")
    assert parsed(fast).get_payload()[0].get_payload()[2].get_payload(decode=True) == calendar


@pytest.mark.parametrize("method", ["REQUEST", "CANCEL", "PUBLISH"])
def test_methods_and_calendar_names_agree(make_event, method):
    calendar = make_calendar(make_event, method, names=("山田 太郎\r\nATTENDEE:x", 'Priya "P" Shah'),
                             summary="Summary; with, specials\\ and 日本語 " * 5)
    kwargs = values(calendar, method=method)

    assert without_boundaries(build_invite_bytes(**kwargs)) == without_boundaries(reference_invite(**kwargs))


def test_message_and_bytes_agree_and_a_resend_is_the_same_bytes(make_event):
    kwargs = values(make_calendar(make_event), **HOSTILE["japanese everywhere"])

    first = build_invite_bytes(**kwargs)

    message = build_invite_message(**kwargs)
    assert message_bytes(message) == first
    assert message.policy == POLICY and all(part.policy == POLICY for part in message.walk())
    assert summary(message.as_bytes()) == summary(first)
    standard = email.message_from_bytes(first, policy=POLICY)
    assert [(p.get_content_type(), p.items(), p.get_params(), p.defects) for p in message.walk()] == [
        (p.get_content_type(), p.items(), p.get_params(), p.defects) for p in standard.walk()]
    assert type(message["To"]).__mro__[1:] == type(standard["To"]).__mro__[1:] and message["To"].addresses == standard["To"].addresses
    assert build_invite_bytes(**kwargs) == first
    other = build_invite_bytes(**{**kwargs, "message_id": "<outbox-124.0a1b2c3d4e5f@planner.example>"})
    assert re.findall(rb'boundary="([^"]+)"', other) != re.findall(rb'boundary="([^"]+)"', first)


def test_boundary_never_appears_as_a_line_of_a_7bit_body(make_event):
    kwargs = values(make_calendar(make_event), text_body="plain ascii", html_body="<p>ascii</p>")
    boundaries = re.findall(rb'boundary="([^"]+)"', build_invite_bytes(**kwargs))
    hostile = "\n".join("--" + b.decode() for b in boundaries)

    raw = build_invite_bytes(**{**kwargs, "text_body": hostile, "html_body": hostile + "--"})

    msg = parsed(raw)
    plain, html, _ = msg.get_payload()[0].get_payload()
    assert plain.get_content().replace("\r\n", "\n") == hostile + "\n"
    assert html.get_content().replace("\r\n", "\n") == hostile + "--\n"
    assert without_boundaries(raw) == without_boundaries(reference_invite(**{**kwargs, "text_body": hostile,
                                                                             "html_body": hostile + "--"}))


@pytest.mark.parametrize("overrides", [
    {"to_email": TARO + "\r\nBcc: mallory@evil.example"},
    {"sender_email": ORGANIZER + "\n"},
    {"message_id": "outbox-123"},
    {"reply_to": "desk@pref-shizuoka.example\r\nBcc: mallory@evil.example"},
    {"extra_headers": {"Bcc": "mallory@evil.example"}},
    {"extra_headers": {"X Bad": "x"}},
    {"extra_headers": {"Orig-Date": "Tue, 20 May 2025 08:15:30 +0000", "orig-date": "Tue, 20 May 2025 08:15:30 +0000"}},
    {"subject": "\r\n"},
    {"method": "REPLY"},
    {"method": "CANCEL"},
    {"to_email": "someone.else@suzuki-seiki.example"},
    {"sender_email": "noreply@planner.example"},
    {"date": datetime(2025, 5, 20, 8, 15)},
])
def test_invalid_input_raises_the_same_error_as_the_reference(make_event, overrides):
    kwargs = values(make_calendar(make_event), **overrides)
    with pytest.raises(ValueError) as reference:
        reference_invite(**kwargs)
    with pytest.raises(ValueError) as fast:
        build_invite_bytes(**kwargs)
    assert type(fast.value) is type(reference.value)


def test_memoised_header_folding_is_the_email_package_folding_for_random_addresses():
    """Address and Message-ID lines are folded once per *shape* of the address; check the substitution
    against folding every value directly, for random addresses, names and ids."""
    rng = random.Random(20250602)
    atext = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~"
    names = ["", "Taro", "山田 太郎", "Priya O'Neil", "A" * 60, "Yamada, Taro", "静岡 " * 12, "x=?y", "a (b) c"]
    for _ in range(400):
        local = ".".join("".join(rng.choice(atext) for _ in range(rng.randint(1, 12))) for _ in range(rng.randint(1, 3)))
        domain = ".".join("".join(rng.choice("abcxyz0189-") for _ in range(rng.randint(1, 10))).strip("-") or "a"
                          for _ in range(rng.randint(2, 3)))
        addr = f"{local}@{domain}"
        try:
            addr = normalize_email(addr)
        except ValueError:
            continue
        name = clean_line(rng.choice(names))
        for header in ("From", "To", "Reply-To"):
            assert _address_line(header, name, addr) == _folded_address.__wrapped__(header, name, addr)
        mid = f"<{local}@{domain}>"
        try:
            mid = clean_message_id(mid)
        except ValueError:
            continue
        assert _message_id_line(mid) == _folded_text.__wrapped__("Message-ID", mid)


# --- the calendar facts scanner against a full parser --------------------------------------------------------


def _parsed_facts(calendar_bytes: bytes):
    from icalendar import Calendar

    calendar = Calendar.from_ical(calendar_bytes)
    events = calendar.walk("VEVENT")
    return (str(calendar.get("METHOD", "")).upper(),
            frozenset(e.organizer.email.lower() for e in events if e.organizer is not None),
            frozenset(a.email.lower() for e in events for a in e.attendees))


@pytest.mark.parametrize("method", ["REQUEST", "CANCEL"])
@pytest.mark.parametrize("name", ["Shah, Priya", "Sales: Tokyo; Osaka", "山田 太郎" * 12, "Ünïcödé: 日本; \"q\""])
def test_calendar_facts_read_what_a_full_parser_reads(method, name):
    event = CalendarEvent(
        uid="b2b-meeting-42@planner.example", sequence=1, summary="B2B: 株式会社スズキ精機 × Ahmedabad Tools " * 3,
        start=datetime(2026, 6, 2, 10, 0, tzinfo=timezone(timedelta(hours=9))),
        end=datetime(2026, 6, 2, 10, 20, tzinfo=timezone(timedelta(hours=9))), tzid="Asia/Tokyo",
        organizer=Organizer(ORGANIZER, "Gujarat: Investment Cell"),
        attendees=(Attendee(TARO, name), Attendee(PRIYA.upper(), name)), description="x:y;z\n" * 30)
    calendar = build_calendar([event], method, DTSTAMP)
    assert _calendar_facts(calendar) == _parsed_facts(calendar) == (
        method, frozenset({ORGANIZER}), frozenset({TARO, PRIYA}))


def test_calendar_facts_ignore_attendees_of_an_alarm():
    calendar = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//x//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n"
                b"UID:a@b\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20260102T000000Z\r\n"
                b"ORGANIZER;CN=\"Cell: Gujarat\":mailto:cell@gujarat-invest.example\r\n"
                b"ATTENDEE;CN=Taro;RSVP=TRUE:mai\r\n lto:taro@example.jp\r\n"
                b"BEGIN:VALARM\r\nACTION:EMAIL\r\nATTENDEE:mailto:alarm@example.jp\r\nEND:VALARM\r\n"
                b"END:VEVENT\r\nEND:VCALENDAR\r\n")
    assert _calendar_facts(calendar) == _parsed_facts(calendar) == (
        "REQUEST", frozenset({"cell@gujarat-invest.example"}), frozenset({"taro@example.jp"}))


@pytest.mark.parametrize("broken", [
    b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:a@b\r\nEND:VCALENDAR\r\n",  # VEVENT not closed
    b"BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n",  # no VEVENT
    b"METHOD:REQUEST\r\nBEGIN:VEVENT\r\nEND:VEVENT\r\n",  # no VCALENDAR
    b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY no colon\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
    b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:\xff\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",  # not UTF-8
])
def test_calendar_facts_reject_what_is_not_one_calendar(broken):
    with pytest.raises(ValueError):
        _calendar_facts(broken)


_TEXT_PIECES = ["Table 3, Granship", "=", "=3D", " ", "\t", "×", "–", "é", "山田 太郎", "スズキ精機", "🙂", "\x0b",
                "\x0c", "\x1c", "\x85", "\u2028", "\r", "\r\n", "\n", "\n", "\n", "x" * 70, "y" * 77, "z" * 80,
                "https://planner.example/rsvp/eyJlIjoiYjJi.x?answer=accept", "<p>Ahmedabad Tools &amp; co</p>"]


@pytest.mark.parametrize("seed", range(300))
def test_text_bodies_are_encoded_as_the_email_package_encodes_them(seed):
    """planner.invites.mime._encode_text (quoted-printable written a line at a time) against the email
    package's own: the same transfer encoding and the same encoded body, for English, Japanese and hostile
    text, long lines, lines ending in white space, every kind of line break, few lines and many."""
    from email.contentmanager import _encode_text as reference

    from planner.invites.mime import _encode_text

    rng = random.Random(seed)
    pieces = rng.choices(_TEXT_PIECES[:5] + ["plain words"] * 5 if seed % 3 == 0 else _TEXT_PIECES,
                         k=rng.randint(0, 60))
    text = "".join(piece if rng.random() < 0.7 else piece + "\n" for piece in pieces)
    if seed % 5 == 0:
        text = text.rstrip("\r\n")  # no line break at the end

    assert _encode_text(text) == reference(text, "utf-8", None, POLICY)


@pytest.mark.parametrize("seed", range(200))
def test_quoted_printable_breaks_lines_as_the_email_package_does(seed):
    """Long lines with escapes and white space at every position near the soft line breaks."""
    from email import quoprimime

    from planner.invites.mime import _quoted_printable

    rng = random.Random(seed)
    lines = ["".join(rng.choices("ab =\té\x85", weights=[30, 30, 6, 4, 2, 3, 1], k=rng.randint(60, 240)))
             for _ in range(rng.randint(1, 4))]
    text = "\n".join(lines) + rng.choice(["", "\n", "\r\n"])
    for max_line_length in (76, 78):
        assert _quoted_printable(text, max_line_length) == quoprimime.body_encode(text, max_line_length)
