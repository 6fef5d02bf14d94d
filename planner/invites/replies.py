"""Answers sent with a mail client's own buttons (Gmail's Yes/No/Maybe, Outlook's Accept/Decline): an iTIP REPLY
(RFC 5546 §3.2.3, carried by mail as RFC 6047 says) to the ORGANIZER address. Read from a Maildir that the
organiser mailbox is delivered or fetched into (planner invites replies), and recorded as the answer links record
theirs.

A reply counts only when it comes from the attendee's own address (From), names an invite that person holds,
and answers the latest revision they were sent (a reply to an older SEQUENCE was given to another time or
place). Whether the From address is the sender's own is the receiving mail server's verdict: given its
authserv-id, a reply counts only when that server's Authentication-Results header (RFC 8601) says the From
domain passed DMARC, or carries a verified DKIM signature of that domain (or a parent or subdomain of it).
Without one the From address is taken as delivered (a server that accepts forged senders could then let a
forged answer through; the answer links are signed).
"""

from __future__ import annotations

import email
import email.policy
import fcntl
import os
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import parseaddr
from pathlib import Path

import authres
from icalendar import Calendar
from sqlalchemy import func, select

from planner.core.types import utcnow
from planner.extensions import db
from planner.invites.models import ANSWER_STATES, CalendarInvite, InviteRecipient, partstat
from planner.invites.rsvp import record_state

PARTSTAT_ANSWERS = {partstat(state): state for state in ANSWER_STATES.values()}  # ACCEPTED → accepted
CALENDAR_TYPES = ("text/calendar", "application/ics")
MAX_MESSAGE_BYTES = 5_000_000  # a reply is a few KB; anything this large is not one
MAX_VERDICT_CHARS = 4_000  # an Authentication-Results header is a few hundred characters
LOCK_NAME = ".planner-replies.lock"  # in the Maildir; mail readers ignore dot files
# the outcomes that settle a reply (filed as read); the others (another sender, an unknown invite…) are for people
ANSWERED = ("recorded", "stale", "superseded")


@dataclass(frozen=True)
class Reply:
    """One attendee's answer as the REPLY states it."""

    uid: str
    sequence: int | None  # None: malformed (no answer taken); a missing SEQUENCE is 0 (RFC 5545 §3.8.7.4)
    attendee: str  # the address of the ATTENDEE line, lower case
    partstat: str
    sender: str  # the mail's From address, lower case
    stamp: datetime | None = None  # DTSTAMP: when the answer was given
    authenticated: bool | None = None  # the mail server vouched for the sender's domain; None: not asked


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


def _sequence(event) -> int | None:
    value = event.get("SEQUENCE")
    if value is None:
        return 0
    try:
        return int(value) if not isinstance(value, list) else None  # two SEQUENCE lines: which one?
    except (TypeError, ValueError):
        return None


def _stamp(event) -> datetime | None:
    try:
        value = event.decoded("DTSTAMP")
    except (KeyError, ValueError, TypeError):
        return None
    if not isinstance(value, datetime):
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def sender_authenticated(message, sender: str, authserv_id: str) -> bool:
    """Whether the mail server named ``authserv_id`` says, in its Authentication-Results header, that
    ``sender``'s domain passed DMARC, or that a DKIM signature of that domain, of a parent or of a subdomain
    of it verified (relaxed alignment, RFC 7489 §3.1.1: publishing the key takes control of that zone).
    Only the topmost header naming that server is read, as it stands in the mail (its raw text): a server
    adds its own verdict on top and removes those naming it from incoming mail (RFC 8601 §5), which a sender
    could evade with a header lower down, or one in RFC 2047 encoded words (=?us-ascii?q?mx.example.org=3B…?=,
    which a decoding reader would take for the server's). Headers of other servers are not read: a sender can
    write any. Pure."""
    domain = sender.rpartition("@")[2].strip(".")
    if not domain:
        return False
    for name, value in message.raw_items():
        if name.lower() != "authentication-results":
            continue
        text = re.sub(r"\s+", " ", str(value)).strip()
        if "=?" in text or len(text) > MAX_VERDICT_CHARS:
            continue  # encoded words are no server's verdict; a huge one is no verdict either (slow to parse)
        try:
            header = authres.all_features().parse_value(text)
        except (authres.core.AuthResError, ValueError, TypeError, IndexError, AttributeError):
            continue  # unreadable (or without a server's name, as Exchange Online writes them): vouches for nothing
        if (header.authserv_id or "").lower() != authserv_id.lower():
            continue
        return _vouches(header, domain)  # the topmost verdict of that server: none below it counts
    return False


def _vouches(header, domain: str) -> bool:
    """Whether a verdict says ``domain`` passed DMARC, or carries a verified DKIM signature of it (or of a parent
    or subdomain)."""
    for result in header.results:
        if (result.result or "").lower() != "pass":
            continue
        if result.method == "dmarc" and (getattr(result, "header_from", None) or "").lower() == domain:
            return True
        if result.method == "dkim":
            signer = (getattr(result, "header_d", None) or
                      (getattr(result, "header_i", None) or "").rpartition("@")[2]).lower().strip(".")
            if signer and (signer == domain or domain.endswith("." + signer) or signer.endswith("." + domain)):
                return True
    return False


def read_replies(raw: bytes, authserv_id: str | None = None) -> list[Reply]:
    """The REPLY answers a mail carries (none for any other mail, or one that cannot be read); with
    ``authserv_id``, each says whether that mail server vouched for the sender (``sender_authenticated``).
    Pure."""
    if len(raw) > MAX_MESSAGE_BYTES:
        return []
    try:
        return _read_replies(raw, authserv_id)
    except (ValueError, TypeError, LookupError, IndexError, RecursionError):  # a mail built to break parsers
        return []


def _read_replies(raw: bytes, authserv_id: str | None) -> list[Reply]:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    sender = parseaddr(str(message.get("From", "")))[1].strip().lower()
    replies, seen = [], set()
    for payload in _calendar_parts(message):
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
            for attendee in attendees:
                partstat = str(getattr(attendee, "params", {}).get("PARTSTAT", "")).strip().upper()
                reply = Reply(uid, _sequence(event), _address(attendee), partstat, sender, _stamp(event))
                if uid and reply.attendee and (uid, reply.attendee) not in seen:  # the inline part and the .ics
                    seen.add((uid, reply.attendee))
                    replies.append(reply)
    if replies and authserv_id:  # asked only of a mail that answers: other mail costs no header parsing
        authenticated = sender_authenticated(message, sender, authserv_id)
        replies = [replace(reply, authenticated=authenticated) for reply in replies]
    return replies


def record_reply(reply: Reply, now: datetime | None = None) -> str:
    """Record one reply; returns what became of it: "recorded", "unknown" (no such invite), "not_invited" (the
    address holds no open invite), "not_from_attendee", "unauthenticated" (the mail server did not vouch for
    the sender), "stale" (an answer to an older revision), "superseded"
    (given before the answer recorded: on the answer page, say) or "ignored" (not an answer: NEEDS-ACTION,
    DELEGATED, a malformed SEQUENCE…). The answer is dated when it was given (DTSTAMP, never later than now),
    so that replies read in any order leave the latest one."""
    if reply.sender != reply.attendee:
        return "not_from_attendee"
    if reply.authenticated is False:
        return "unauthenticated"
    invite = db.session.scalar(select(CalendarInvite).where(CalendarInvite.uid == reply.uid))
    if invite is None:
        return "unknown"
    recipient = db.session.scalar(select(InviteRecipient).where(
        InviteRecipient.invite_id == invite.id, func.lower(InviteRecipient.email) == reply.attendee))
    if recipient is None or not recipient.holds_invite or not invite.is_active:
        return "not_invited"
    state = PARTSTAT_ANSWERS.get(reply.partstat)
    if state is None or reply.sequence is None:
        return "ignored"
    if reply.sequence < recipient.sequence:
        return "stale"
    now = now or utcnow()
    given = min(reply.stamp, now) if reply.stamp is not None else now
    if recipient.rsvp_at is not None and given < recipient.rsvp_at:
        return "superseded"
    record_state(invite, recipient, state, at=given)
    return "recorded"


@dataclass
class MaildirPass:
    """What one reading of the Maildir's new mail did."""

    messages: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)
    left_unread: int = 0  # mails with no reply the planner took (or none at all): filed unread for people
    errors: int = 0  # mails whose replies could not be recorded: left in new/ for the next run
    lines: list[str] = field(default_factory=list)
    busy: bool = False  # another run holds the Maildir


def _file(maildir: Path, name: str, seen: bool) -> None:
    """Move a mail from new/ to cur/ as a Maildir reader does (flag S: read); gone meanwhile: nothing to do."""
    try:
        os.rename(maildir / "new" / name, maildir / "cur" / f"{name}:2,{'S' if seen else ''}")
    except FileNotFoundError:
        pass


def read_maildir(path: str | Path, commit, rollback=lambda: None, authserv_id: str | None = None) -> MaildirPass:
    """Record the replies among the Maildir's new mail (new/ only: what was filed is not read again). A mail
    whose reply settled an answer (recorded, or one to an older time, or older than the answer recorded) is
    filed as read (cur, flag S); any other mail (no reply, a reply from someone else's address, for an unknown
    invite…, one too large or unreadable) is filed unread (cur, no S), so that people reading the mailbox still
    see it as new. ``commit`` is called after each mail; when recording one fails, ``rollback`` and the mail
    stays in new/ for the next run (one mail's failure loses no other's). One run at a time: a second finds
    the Maildir busy and reads nothing. ``authserv_id``: replies count only when that mail server vouched for
    their sender (``sender_authenticated``)."""
    maildir = Path(path)
    result = MaildirPass()
    with open(maildir / LOCK_NAME, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            result.busy = True
            return result
        names = sorted(entry.name for entry in os.scandir(maildir / "new")
                       if entry.is_file() and not entry.name.startswith("."))
        for name in names:
            result.messages += 1
            file = maildir / "new" / name
            try:
                raw = file.read_bytes() if file.stat().st_size <= MAX_MESSAGE_BYTES else b""
            except FileNotFoundError:
                continue  # taken by a mail reader meanwhile
            replies = read_replies(raw, authserv_id) if raw else []
            try:
                outcomes = [(reply, record_reply(reply)) for reply in replies]
                commit()
            except Exception as error:  # noqa: BLE001 (one mail's failure must not stop the others)
                rollback()  # and the mail stays in new/: read again next run (the database may be back)
                result.errors += 1
                result.lines.append(f"error: {name}: {type(error).__name__}: {error}"[:300])
                continue
            for reply, outcome in outcomes:
                result.outcomes[outcome] = result.outcomes.get(outcome, 0) + 1
                result.lines.append(f"{outcome}: {reply.attendee} {reply.partstat or '-'} {reply.uid}")
            answered = any(outcome in ANSWERED for _reply, outcome in outcomes)
            if not answered:  # no reply, or none the planner could take: for people to read
                result.left_unread += 1
            _file(maildir, name, seen=answered)
    return result
