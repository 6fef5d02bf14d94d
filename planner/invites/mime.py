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

from collections.abc import Mapping
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from functools import lru_cache

from icalendar import Calendar

from .ical import METHODS
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


@lru_cache(maxsize=256)
def _calendar_facts(calendar_bytes: bytes) -> tuple[str, frozenset[str], frozenset[str]]:
    """METHOD, organizer addresses and attendee addresses of a calendar.

    Cached by the bytes: one calendar is sent to each of its attendees, and parsing it is a good part of the
    cost of a message."""
    try:
        calendar = Calendar.from_ical(calendar_bytes)
    except Exception as exc:  # the parser raises several exception types
        raise ValueError(f"calendar_bytes is not an iCalendar object: {exc}") from exc
    events = calendar.walk("VEVENT")
    if not events:
        raise ValueError("calendar_bytes has no VEVENT")
    organizers: set[str] = set()
    attendees: set[str] = set()
    for event in events:
        if event.organizer is not None:
            organizers.add(event.organizer.email.lower())
        attendees.update(a.email.lower() for a in event.attendees)
    return str(calendar.get("METHOD", "")).upper(), frozenset(organizers), frozenset(attendees)


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
    """
    method = str(method).strip().upper()
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    if not isinstance(calendar_bytes, (bytes, bytearray)):
        raise ValueError("calendar_bytes must be bytes")
    calendar_bytes = bytes(calendar_bytes)
    cal_method, organizers, attendees = _calendar_facts(calendar_bytes)
    if cal_method != method:
        raise ValueError(f"method {method!r} does not match the calendar's METHOD {cal_method!r}")
    sender = normalize_email(sender_email)
    if organizers != {sender.lower()}:
        raise ValueError(f"From {sender!r} must be the calendar's ORGANIZER {sorted(organizers)!r}")
    recipient = normalize_email(to_email)
    if method in ("REQUEST", "CANCEL") and recipient.lower() not in attendees:
        raise ValueError(f"recipient {recipient!r} is not an ATTENDEE of the invite")

    msg = _new_message(
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
    msg.set_content(clean_text(text_body), subtype="plain", charset="utf-8")
    msg.add_alternative(clean_text(html_body), subtype="html", charset="utf-8")
    msg.add_alternative(calendar_bytes, maintype="text", subtype="calendar", cte="base64")
    # The email package would write method="REQUEST" (a quoted-string, which
    # MIME treats as equal); write it unquoted as Google's and Outlook's own
    # invites do. ``method`` is one of METHODS, so the raw value is safe.
    calendar_part = msg.get_payload()[-1]
    del calendar_part["Content-Type"]
    calendar_part.set_raw("Content-Type", f"text/calendar; charset=UTF-8; method={method}")  # [r11]
    msg.add_attachment(
        calendar_bytes,
        maintype="application",
        subtype="ics",
        cte="base64",
        filename=ATTACHMENT_FILENAME,
        params={"name": ATTACHMENT_FILENAME},
    )
    _drop_part_mime_version(msg)
    return msg


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
