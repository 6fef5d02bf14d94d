"""Answers sent with a mail client's own buttons (Gmail's Yes/No/Maybe, Outlook's Accept/Decline): an iTIP REPLY
(RFC 5546 §3.2.3, carried by mail as RFC 6047 says) to the ORGANIZER address. Read from a Maildir that the
organiser mailbox is delivered or fetched into (planner invites replies), and recorded as the answer links record
theirs.

A reply counts only when it comes from the attendee's own address (From), names an invite that person holds,
and answers the latest revision they were sent (a reply to an older SEQUENCE was given to another time or
place). The From address is taken as the mail system delivered it: the planner does not check DKIM, so a
mailbox provider that accepts forged senders could let a forged answer through; the answer links are signed.
"""

from __future__ import annotations

import email
import email.policy
import mailbox
from dataclasses import dataclass, field
from email.utils import parseaddr
from pathlib import Path

from icalendar import Calendar
from sqlalchemy import func, select

from planner.extensions import db
from planner.invites.models import CalendarInvite, InviteRecipient
from planner.invites.rsvp import record_state

PARTSTAT_ANSWERS = {"ACCEPTED": "accepted", "DECLINED": "declined", "TENTATIVE": "tentative"}
CALENDAR_TYPES = ("text/calendar", "application/ics")
MAX_MESSAGE_BYTES = 5_000_000  # a reply is a few KB; anything this large is not one


@dataclass(frozen=True)
class Reply:
    """One attendee's answer as the REPLY states it."""

    uid: str
    sequence: int | None
    attendee: str  # the address of the ATTENDEE line, lower case
    partstat: str
    sender: str  # the mail's From address, lower case


def _address(value) -> str:
    return str(value).strip().removeprefix("mailto:").removeprefix("MAILTO:").strip().lower()


def _calendar_parts(message) -> list[bytes]:
    parts = []
    for part in message.walk():
        if part.is_multipart():
            continue
        filename = (part.get_filename() or "").lower()
        if part.get_content_type() in CALENDAR_TYPES or filename.endswith(".ics"):
            payload = part.get_payload(decode=True)
            if payload:
                parts.append(payload)
    return parts


def read_replies(raw: bytes) -> list[Reply]:
    """The REPLY answers a mail carries (none for any other mail, or one that cannot be read). Pure."""
    if len(raw) > MAX_MESSAGE_BYTES:
        return []
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
        sender = parseaddr(str(message.get("From", "")))[1].strip().lower()
        parts = _calendar_parts(message)
    except (ValueError, TypeError, LookupError, IndexError):
        return []
    replies, seen = [], set()
    for payload in parts:
        try:
            calendar = Calendar.from_ical(payload)
        except (ValueError, TypeError, KeyError, IndexError):
            continue
        if str(calendar.get("METHOD", "")).strip().upper() != "REPLY":
            continue
        for event in calendar.walk("VEVENT"):
            uid = str(event.get("UID", "")).strip()
            attendees = event.get("ATTENDEE") or []
            attendees = attendees if isinstance(attendees, list) else [attendees]
            try:
                sequence = int(event.get("SEQUENCE")) if event.get("SEQUENCE") is not None else None
            except (TypeError, ValueError):
                sequence = None
            for attendee in attendees:
                partstat = str(getattr(attendee, "params", {}).get("PARTSTAT", "")).strip().upper()
                reply = Reply(uid, sequence, _address(attendee), partstat, sender)
                if uid and reply.attendee and (uid, reply.attendee) not in seen:  # the inline part and the .ics
                    seen.add((uid, reply.attendee))
                    replies.append(reply)
    return replies


def record_reply(reply: Reply) -> str:
    """Record one reply; returns what became of it: "recorded", "unknown" (no such invite), "not_invited" (the
    address holds no open invite), "not_from_attendee", "stale" (an answer to an older revision) or "ignored"
    (not an answer: NEEDS-ACTION, DELEGATED…)."""
    if reply.sender != reply.attendee:
        return "not_from_attendee"
    invite = db.session.scalar(select(CalendarInvite).where(CalendarInvite.uid == reply.uid))
    if invite is None:
        return "unknown"
    recipient = db.session.scalar(select(InviteRecipient).where(
        InviteRecipient.invite_id == invite.id, func.lower(InviteRecipient.email) == reply.attendee))
    if recipient is None or not recipient.holds_invite or not invite.is_active:
        return "not_invited"
    if reply.sequence is not None and reply.sequence < recipient.sequence:
        return "stale"
    state = PARTSTAT_ANSWERS.get(reply.partstat)
    if state is None:
        return "ignored"
    record_state(invite, recipient, state)
    return "recorded"


@dataclass
class MaildirPass:
    """What one reading of the Maildir's new mail did."""

    messages: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    other: int = 0  # mails that carry no REPLY: left unread for people
    lines: list[str] = field(default_factory=list)


def read_maildir(path: str | Path, commit) -> MaildirPass:
    """Record the replies among the Maildir's new mail. A mail that carried a reply is filed as read (cur, flag
    S); any other mail is filed unread (cur, no S), so that people reading the mailbox still see it as new.
    ``commit`` is called after each mail (the caller's transaction: one mail's failure loses no other's)."""
    box = mailbox.Maildir(str(path), factory=None, create=False)
    result = MaildirPass()
    for key in list(box.iterkeys()):
        message = box.get_message(key)
        if message.get_subdir() != "new":
            continue
        result.messages += 1
        replies = read_replies(box.get_bytes(key))
        for reply in replies:
            outcome = record_reply(reply)
            result.outcomes[outcome] = result.outcomes.get(outcome, 0) + 1
            result.lines.append(f"{outcome}: {reply.attendee} {reply.partstat or '-'} {reply.uid}")
        commit()
        if not replies:
            result.other += 1
        message.set_subdir("cur")
        if replies:
            message.add_flag("S")
        box[key] = message
    return result
