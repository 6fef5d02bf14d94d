"""Email messages carrying calendar invites (RFC 6047 iMIP), and plain notifications.

Built with the standard library's :class:`email.message.EmailMessage` (Flask-Mail's
``alts`` cannot set ``method=`` on the calendar part). Plain values in, a message
out; :func:`message_bytes` gives the CRLF wire form for ``smtplib``. No Flask, no
database. Rule numbers (``[r11]``) refer to shared INVITES.md.

Layout of an invite [r13]::

    multipart/mixed
    ├─ multipart/alternative
    │   ├─ text/plain; charset="utf-8"
    │   ├─ text/html; charset="utf-8"
    │   └─ text/calendar; charset="UTF-8"; method=REQUEST   (base64)
    └─ application/ics; name="invite.ics"   (attachment, base64, same bytes)
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Mapping
from datetime import UTC, datetime
from email import quoprimime
from email.contentmanager import _encode_base64
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import SMTP, compat32
from email.utils import format_datetime
from functools import lru_cache

from .ical import METHODS, built_calendar_facts
from .text import (
    clean_header_name,
    clean_line,
    clean_message_id,
    clean_text,
    normalize_email,
)

__all__ = [
    "POLICY",
    "ATTACHMENT_FILENAME",
    "build_invite_bytes",
    "build_invite_message",
    "build_plain_message",
    "message_bytes",
]

# SMTP = CRLF line endings, 78-column folding. cte_type="7bit" makes the email
# package choose quoted-printable/base64 for non-ASCII bodies instead of raw
# 8bit, so every part survives any relay [r12].
POLICY = SMTP.clone(cte_type="7bit")
ATTACHMENT_FILENAME = "invite.ics"

# Headers the builders own; extra_headers may not set or duplicate them.
_RESERVED_HEADERS = frozenset(
    name.lower()
    for name in (
        "From",
        "To",
        "Cc",
        "Bcc",
        "Reply-To",
        "Sender",
        "Subject",
        "Date",
        "Message-ID",
        "MIME-Version",
        "Content-Type",
        "Content-Transfer-Encoding",
        "Content-Disposition",
        "Return-Path",
    )
)


def _mailbox(email: str, name: str | None) -> Address:
    return Address(display_name=clean_line(name), addr_spec=normalize_email(email))


def _reply_to(value: str | tuple[str, str] | None) -> Address | None:
    if value is None:
        return None
    if isinstance(value, tuple):
        name, email = value
        return _mailbox(email, name)
    return _mailbox(value, "")


def _date(value: datetime | None) -> datetime:
    if value is None:
        return datetime.now(UTC).replace(microsecond=0)
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("date must be timezone-aware")
    return value


def _new_message(
    *,
    sender_email: str,
    sender_name: str | None,
    to_email: str,
    to_name: str | None,
    subject: str,
    message_id: str,
    reply_to: str | tuple[str, str] | None,
    extra_headers: Mapping[str, str] | None,
    date: datetime | None,
) -> EmailMessage:
    # Everything is validated and sanitised before the first header is set, so
    # a bad value raises ValueError and never reaches a header [r9].
    sender = _mailbox(sender_email, sender_name)
    recipient = _mailbox(to_email, to_name)
    reply = _reply_to(reply_to)
    clean_subject = clean_line(subject)
    if not clean_subject:
        raise ValueError("subject must not be empty")
    mid = clean_message_id(message_id)
    extras: list[tuple[str, str]] = []
    for name, value in (extra_headers or {}).items():
        header = clean_header_name(name)
        if header.lower() in _RESERVED_HEADERS:
            raise ValueError(f"{header} is set by the builder, not by extra_headers")
        extras.append((header, clean_line(value)))

    msg = EmailMessage(policy=POLICY)
    msg["From"] = sender
    msg["To"] = recipient
    if reply is not None:
        msg["Reply-To"] = reply
    msg["Subject"] = clean_subject
    msg["Date"] = _date(date)
    msg["Message-ID"] = mid
    for header, value in extras:
        msg[header] = value
    return msg


_FOLD = re.compile(rb"\r?\n[ \t]")


def _property(line: str) -> tuple[str, str]:
    """(NAME, value) of an unfolded content line: the value starts after the first colon outside a quoted
    parameter value (RFC 5545 §3.1: param-value may be a quoted-string holding ':' and ';')."""
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            return re.split(r"[;:]", line, maxsplit=1)[0].upper(), line[index + 1:]
    raise ValueError(f"calendar_bytes is not an iCalendar object: no value in {line[:40]!r}")


def _address_value(value: str) -> str:
    return value[7:].lower() if value[:7].lower() == "mailto:" else value.lower()


@lru_cache(maxsize=256)
def _calendar_facts(calendar_bytes: bytes) -> tuple[str, frozenset[str], frozenset[str]]:
    """METHOD, organizer addresses and attendee addresses of a calendar.

    Read by scanning the unfolded content lines (RFC 5545 §3.1) rather than with a full parser: this check runs
    on every message, and only needs these three properties and the component structure. Cached by the bytes:
    one calendar goes to each of its attendees."""
    try:
        text = _FOLD.sub(b"", calendar_bytes).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"calendar_bytes is not an iCalendar object: {exc}") from exc
    lines = [line for line in text.replace("\r\n", "\n").split("\n") if line]
    if not lines or lines[0].upper() != "BEGIN:VCALENDAR" or lines[-1].upper() != "END:VCALENDAR":
        raise ValueError("calendar_bytes is not an iCalendar object: no BEGIN:VCALENDAR … END:VCALENDAR")
    method, events, depth = "", 0, []
    organizers: set[str] = set()
    attendees: set[str] = set()
    for line in lines:
        name, value = _property(line)
        if name == "BEGIN":
            depth.append(value.upper())
            events += value.upper() == "VEVENT"
        elif name == "END":
            if not depth or depth.pop() != value.upper():
                raise ValueError(f"calendar_bytes is not an iCalendar object: unbalanced END:{value}")
        elif name == "METHOD" and depth == ["VCALENDAR"]:
            method = value.strip().upper()
        elif depth[-1:] == ["VEVENT"] and name == "ORGANIZER":
            organizers.add(_address_value(value))
        elif depth[-1:] == ["VEVENT"] and name == "ATTENDEE":
            attendees.add(_address_value(value))
    if depth:
        raise ValueError("calendar_bytes is not an iCalendar object: a component is not closed")
    if not events:
        raise ValueError("calendar_bytes has no VEVENT")
    return method, frozenset(organizers), frozenset(attendees)


def build_invite_message(
    *,
    sender_email: str,
    sender_name: str | None,
    to_email: str,
    to_name: str | None,
    subject: str,
    text_body: str,
    html_body: str,
    calendar_bytes: bytes,
    method: str,
    message_id: str,
    reply_to: str | tuple[str, str] | None = None,
    extra_headers: Mapping[str, str] | None = None,
    date: datetime | None = None,
) -> EmailMessage:
    """An iMIP invite for one recipient.

    ``calendar_bytes`` come from :func:`planner.invites.ical.build_calendar`.
    Raises :class:`ValueError` when ``method`` differs from the calendar's METHOD
    [r11], when ``sender_email`` is not the calendar's ORGANIZER [r14], when
    ``to_email`` is not one of its ATTENDEEs on a REQUEST or CANCEL [r6], or on
    any invalid address, Message-ID or header.

    ``message_id`` is derived by the caller from the stored outbox row (e.g.
    ``<outbox-123.invite@planner.example>``) so a resend is the same mail.
    ``date`` defaults to now.

    The message is :func:`build_invite_bytes` parsed back (``message_bytes`` of it gives those bytes
    again); callers that only need the wire form should use :func:`build_invite_bytes`.
    """
    raw = build_invite_bytes(
        sender_email=sender_email,
        sender_name=sender_name,
        to_email=to_email,
        to_name=to_name,
        subject=subject,
        text_body=text_body,
        html_body=html_body,
        calendar_bytes=calendar_bytes,
        method=method,
        message_id=message_id,
        reply_to=reply_to,
        extra_headers=extra_headers,
        date=date,
    )
    return _parse(raw)


def _parse(raw: bytes) -> EmailMessage:
    """``email.message_from_bytes(raw, policy=POLICY)``, faster: parsed under compat32 (whose
    header_source_parse stores the same (name, value) pairs, without building header objects for the
    parser's own Content-Type look-ups), then every part is switched to POLICY."""
    msg = BytesParser(_class=EmailMessage, policy=compat32).parsebytes(raw)
    for part in msg.walk():
        part.policy = POLICY
    return msg


# --- the fast invite serialiser ----------------------------------------------------------------------------
#
# build_invite_bytes writes the bytes the email package writes for the message the earlier
# EmailMessage-based builder made (set_content/add_alternative/add_attachment, then as_bytes(policy=POLICY)),
# apart from the multipart boundaries, which are derived from the Message-ID instead of random. Every
# header value still goes through the email package (policy.header_store_parse + policy.fold_binary, exactly
# what EmailMessage.__setitem__ and the generator do), but memoised; the MIME skeleton and the part bodies,
# which the email package would produce the same way every time, are written directly. Text bodies are
# encoded by the email package's heuristic (email.contentmanager._encode_text: 7bit, quoted-printable or
# base64 under cte_type="7bit"; :func:`_encode_text` below, with a faster quoted-printable), the calendar as
# base64 in 76-character lines as set_bytes_content does.
# tests/invites/test_invite_mime_fast.py compares the result with the EmailMessage-built one.

_CRLF = b"\r\n"
_NEWLINES = re.compile(r"\r\n|\r|\n")  # email.generator.NLCRE: the generator's line-ending rewrite
_ALNUM = re.compile(r"[A-Za-z0-9]")
# Values the header parsers read differently when letters or digits change: encoded words (=?cs?q?..?=).
_SHAPE_UNSAFE = "=?"


def _fold(name: str, value: object) -> bytes:
    """The header line as EmailMessage.__setitem__ + BytesGenerator write it (CRLF-terminated)."""
    return POLICY.fold_binary(*POLICY.header_store_parse(name, value))


@lru_cache(maxsize=1024)
def _folded_text(name: str, value: str) -> bytes:
    return _fold(name, value)


@lru_cache(maxsize=1024)
def _folded_address(name: str, display_name: str, addr_spec: str) -> bytes:
    return _fold(name, Address(display_name=display_name, addr_spec=addr_spec))


def _shape(value: str) -> str:
    """``value`` with every ASCII letter and digit replaced by ``x``: the same tokens to the header parser
    (when it holds no encoded word), so the same folding, with the same lengths."""
    return _ALNUM.sub("x", value)


def _address_line(name: str, display_name: str, addr_spec: str) -> bytes:
    """From/To/Reply-To for ``Address(display_name, addr_spec)``. Memoised per display name and *shape* of the
    address: folding depends on the address only through its length and token classes (it is ASCII and
    never encoded), so one fold serves every recipient whose address looks alike."""
    if _SHAPE_UNSAFE not in addr_spec:
        shape = _shape(addr_spec)
        line = _folded_address(name, display_name, shape)
        if line.count(shape.encode("ascii")) == 1:
            return line.replace(shape.encode("ascii"), addr_spec.encode("ascii"))
    return _folded_address(name, display_name, addr_spec)


def _message_id_line(mid: str) -> bytes:
    if _SHAPE_UNSAFE not in mid:
        shape = _shape(mid)
        line = _folded_text("Message-ID", shape)
        if line.count(shape.encode("ascii")) == 1:
            return line.replace(shape.encode("ascii"), mid.encode("ascii"))
    return _folded_text("Message-ID", mid)


_DATE_LINES: dict[str, bytes] = {}


def _date_line(value: datetime) -> bytes:
    # The Date header is written from email.utils.format_datetime(value) alone (DateHeader.parse), so that
    # string is the key.
    key = format_datetime(value)
    line = _DATE_LINES.get(key)
    if line is None:
        if len(_DATE_LINES) >= 256:
            _DATE_LINES.clear()
        line = _DATE_LINES[key] = _fold("Date", value)
    return line


def _header_block(
    *,
    sender_email: str,
    sender_name: str | None,
    to_email: str,
    to_name: str | None,
    subject: str,
    message_id: str,
    reply_to: str | tuple[str, str] | None,
    extra_headers: Mapping[str, str] | None,
    date: datetime | None,
) -> bytes:
    """The top-level headers up to (without) MIME-Version, validated exactly as :func:`_new_message` does."""
    sender = (normalize_email(sender_email), clean_line(sender_name))
    recipient = (normalize_email(to_email), clean_line(to_name))
    reply: tuple[str, str] | None = None
    if reply_to is not None:
        if isinstance(reply_to, tuple):
            reply_name, reply_email = reply_to
            reply = (normalize_email(reply_email), clean_line(reply_name))
        else:
            reply = (normalize_email(reply_to), "")
    clean_subject = clean_line(subject)
    if not clean_subject:
        raise ValueError("subject must not be empty")
    mid = clean_message_id(message_id)
    extras: list[tuple[str, str]] = []
    for name, value in (extra_headers or {}).items():
        header = clean_header_name(name)
        if header.lower() in _RESERVED_HEADERS:
            raise ValueError(f"{header} is set by the builder, not by extra_headers")
        extras.append((header, clean_line(value)))

    lines = [_address_line("From", sender[1], sender[0]), _address_line("To", recipient[1], recipient[0])]
    if reply is not None:
        lines.append(_address_line("Reply-To", reply[1], reply[0]))
    lines.append(_folded_text("Subject", clean_subject))
    lines.append(_date_line(_date(date)))
    lines.append(_message_id_line(mid))
    counts: dict[str, int] = {}
    for header, value in extras:
        # EmailMessage.__setitem__'s limit on unique headers (a second "References" raises ValueError).
        lower = header.lower()
        max_count = POLICY.header_max_count(header)
        if max_count and counts.get(lower, 0) >= max_count:
            raise ValueError(f"There may be at most {max_count} {header} headers in a message")
        counts[lower] = counts.get(lower, 0) + 1
        lines.append(_folded_text(header, value))
    return b"".join(lines)


# The characters quoted-printable leaves as they are (quoprimime's body map): tab, space to '~' but '='.
_QP_PLAIN_LINE = re.compile(r"[\t -<>-~]*")
_QP_ESCAPED = re.compile(r"[^\t -<>-~]+")


def _qp_escape(match: re.Match) -> str:
    return match.group().translate(quoprimime._QUOPRI_BODY_ENCODE_MAP)


def _qp_line(line: str, max_line_length: int) -> str:
    """``quoprimime.body_encode(line, max_line_length)`` for one line (no CR or LF in it)."""
    if not _QP_PLAIN_LINE.fullmatch(line):
        line = _QP_ESCAPED.sub(_qp_escape, line)  # body_encode's translation, run by run
    if len(line) <= max_line_length and not line.endswith((" ", "\t")):
        return line
    # body_encode's soft line breaks, as it writes them (CPython's Lib/email/quoprimime.py, for one line).
    pieces = []
    start, last_start = 0, len(line) - 1 - max_line_length
    while start <= last_start:
        stop = start + max_line_length - 1
        if line[stop - 2] == "=":  # never split an escape
            pieces.append(line[start:stop - 1])
            start = stop - 2
        elif line[stop - 1] == "=":
            pieces.append(line[start:stop])
            start = stop - 1
        else:
            pieces.append(line[start:stop] + "=")
            start = stop
    if line and line[-1] in " \t":  # white space at the end is escaped, room permitting
        room = start - last_start
        if room >= 3:
            tail = quoprimime.quote(line[-1])
        elif room == 2:
            tail = line[-1] + "=\n"
        else:
            tail = "=\n" + quoprimime.quote(line[-1])
        pieces.append(line[start:-1] + tail)
    else:
        pieces.append(line[start:])
    return "\n".join(pieces)


def _quoted_printable(text: str, max_line_length: int) -> str:
    """``quoprimime.body_encode(text, max_line_length)``, a line at a time (body_encode works line by line, so
    the result is the same): a line that fits after escaping and does not end in white space is escaped run by
    run (most lines of a mail in English need nothing, or one "×" or "–"), and only lines too long are broken.
    body_encode's translation of every character through a table was most of the cost of an invite's text
    parts."""
    return "\n".join(_qp_line(line, max_line_length) for line in _NEWLINES.split(text))


def _encode_text(string: str) -> tuple[str, str]:
    """``email.contentmanager._encode_text(string, "utf-8", None, POLICY)``, set_content's choice of transfer
    encoding and the encoded body: 7bit if it can, else quoted-printable or base64, whichever the first ten
    lines make shorter (POLICY has cte_type 7bit, so never 8bit); quoted-printable by :func:`_quoted_printable`.
    tests/invites/test_invite_mime_fast.py compares the two."""
    lines = string.encode("utf-8").splitlines()
    max_length = POLICY.max_line_length
    if max((len(line) for line in lines), default=0) <= max_length:
        try:
            return "7bit", (b"\n".join(lines) + b"\n").decode("ascii")
        except UnicodeDecodeError:
            pass
    sniff = b"\r\n".join(lines[:10]) + b"\r\n"
    sniff_qp = _quoted_printable(sniff.decode("latin-1"), max_length)
    if len(sniff_qp) > len(binascii.b2a_base64(sniff)):
        return "base64", _encode_base64(b"\r\n".join(lines) + b"\r\n", max_length)
    if len(lines) <= 10:
        return "quoted-printable", sniff_qp
    return "quoted-printable", _quoted_printable((b"\n".join(lines) + b"\n").decode("latin-1"), max_length)


@lru_cache(maxsize=256)
def _text_part(subtype: str, body: str) -> tuple[bytes, bytes]:
    """A text/plain or text/html part (headers + body) and its body alone, as set_content(..., charset="utf-8")
    and the generator write them."""
    cte, payload = _encode_text(clean_text(body))
    # Every encoding above ends its lines with a bare LF (the generator's rewrite of line endings to CRLF).
    data = payload.replace("\n", "\r\n").encode("ascii")
    head = f'Content-Type: text/{subtype}; charset="utf-8"\r\nContent-Transfer-Encoding: {cte}\r\n\r\n'
    return head.encode("ascii") + data, data


@lru_cache(maxsize=64)
def _calendar_base64(calendar_bytes: bytes) -> bytes:
    """set_bytes_content(cte="base64") under max_line_length 78: 57 bytes (76 characters) a line."""
    return base64.encodebytes(calendar_bytes).replace(b"\n", b"\r\n")


def _boundary(seed: str, role: str, bodies: tuple[bytes, ...]) -> str:
    """A boundary of the email package's form (15 '=', 19 digits, '=='), derived from the Message-ID so the
    same message is the same bytes, and (like the generator's) never a line of the bodies."""
    counter = 0
    while True:
        digest = hashlib.sha256(f"{seed}\0{role}\0{counter}".encode()).digest()
        boundary = "=" * 15 + f"{int.from_bytes(digest[:8], 'big') % 10**19:019d}" + "=="
        marker = b"--" + boundary.encode("ascii")
        # Base64 and quoted-printable bodies cannot hold "--="; only 7bit text could.
        if not any(marker in body for body in bodies):
            return boundary
        counter += 1


def build_invite_bytes(
    *,
    sender_email: str,
    sender_name: str | None,
    to_email: str,
    to_name: str | None,
    subject: str,
    text_body: str,
    html_body: str,
    calendar_bytes: bytes,
    method: str,
    message_id: str,
    reply_to: str | tuple[str, str] | None = None,
    extra_headers: Mapping[str, str] | None = None,
    date: datetime | None = None,
) -> bytes:
    """The wire form of :func:`build_invite_message` (what :func:`message_bytes` returns for it): CRLF,
    7-bit clean, the layout of [r13]. Same arguments, same checks, same :class:`ValueError` errors."""
    method = str(method).strip().upper()
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    if not isinstance(calendar_bytes, (bytes, bytearray)):
        raise ValueError("calendar_bytes must be bytes")
    calendar_bytes = bytes(calendar_bytes)
    cal_method, organizers, attendees = built_calendar_facts(calendar_bytes) or _calendar_facts(calendar_bytes)
    if cal_method != method:
        raise ValueError(f"method {method!r} does not match the calendar's METHOD {cal_method!r}")
    sender = normalize_email(sender_email)
    if organizers != {sender.lower()}:
        raise ValueError(f"From {sender!r} must be the calendar's ORGANIZER {sorted(organizers)!r}")
    recipient = normalize_email(to_email)
    if method in ("REQUEST", "CANCEL") and recipient.lower() not in attendees:
        raise ValueError(f"recipient {recipient!r} is not an ATTENDEE of the invite")

    head = _header_block(
        sender_email=sender,
        sender_name=sender_name,
        to_email=recipient,
        to_name=to_name,
        subject=subject,
        message_id=message_id,
        reply_to=reply_to,
        extra_headers=extra_headers,
        date=date,
    )
    plain, plain_body = _text_part("plain", text_body)
    html, html_body_bytes = _text_part("html", html_body)
    encoded = _calendar_base64(calendar_bytes)
    mid = clean_message_id(message_id)
    bodies = (plain_body, html_body_bytes)
    outer = _boundary(mid, "mixed", bodies)
    inner = _boundary(mid, "alternative", bodies)
    inner_b = inner.encode("ascii")
    outer_b = outer.encode("ascii")
    return b"".join((
        head,
        b"MIME-Version: 1.0\r\n",
        _multipart_content_type("mixed", outer),
        b"\r\n--", outer_b, b"\r\n",
        _multipart_content_type("alternative", inner),
        b"\r\n--", inner_b, b"\r\n",
        plain,
        b"\r\n--", inner_b, b"\r\n",
        html,
        b"\r\n--", inner_b, b"\r\n",
        b"Content-Transfer-Encoding: base64\r\n",
        f"Content-Type: text/calendar; charset=UTF-8; method={method}\r\n\r\n".encode("ascii"),  # [r11]
        encoded,
        b"\r\n--", inner_b, b"--\r\n",
        b"\r\n--", outer_b, b"\r\n",
        b"Content-Transfer-Encoding: base64\r\n",
        f'Content-Disposition: attachment; filename="{ATTACHMENT_FILENAME}"\r\n'.encode("ascii"),
        f'Content-Type: application/ics; name="{ATTACHMENT_FILENAME}"\r\n\r\n'.encode("ascii"),
        encoded,
        b"\r\n--", outer_b, b"--\r\n",
    ))


@lru_cache(maxsize=8)
def _multipart_content_type_template(subtype: str, length: int) -> tuple[bytes, bytes]:
    # How the generator writes 'Content-Type: multipart/<subtype>; boundary="<b>"' (folded after the ";"
    # when too long), for a boundary of this length: the boundary is '=' and digits, one token.
    placeholder = "=" * 15 + "0" * (length - 17) + "=="
    line = _fold("Content-Type", f'multipart/{subtype}; boundary="{placeholder}"')
    before, found, after = line.partition(placeholder.encode("ascii"))
    if not found:
        raise AssertionError("boundary not found in the folded Content-Type")
    return before, after


def _multipart_content_type(subtype: str, boundary: str) -> bytes:
    before, after = _multipart_content_type_template(subtype, len(boundary))
    return before + boundary.encode("ascii") + after


def _drop_part_mime_version(msg: EmailMessage) -> None:
    """MIME-Version belongs to the top-level header only (RFC 2045 §4); the
    email package also writes it into parts it creates."""
    for part in msg.walk():
        if part is not msg:
            del part["MIME-Version"]


def build_plain_message(
    *,
    sender_email: str,
    sender_name: str | None,
    to_email: str,
    to_name: str | None,
    subject: str,
    text_body: str,
    message_id: str,
    html_body: str | None = None,
    reply_to: str | tuple[str, str] | None = None,
    extra_headers: Mapping[str, str] | None = None,
    date: datetime | None = None,
) -> EmailMessage:
    """A notification without a calendar: text/plain, or multipart/alternative
    (text/plain + text/html) when ``html_body`` is given. Same header rules as
    :func:`build_invite_message`."""
    msg = _new_message(
        sender_email=sender_email,
        sender_name=sender_name,
        to_email=to_email,
        to_name=to_name,
        subject=subject,
        message_id=message_id,
        reply_to=reply_to,
        extra_headers=extra_headers,
        date=date,
    )
    msg.set_content(clean_text(text_body), subtype="plain", charset="utf-8")
    if html_body is not None:
        msg.add_alternative(clean_text(html_body), subtype="html", charset="utf-8")
        _drop_part_mime_version(msg)
    return msg


def message_bytes(msg: EmailMessage) -> bytes:
    """The message as sent: CRLF line endings, 7-bit clean."""
    return msg.as_bytes(policy=POLICY)
