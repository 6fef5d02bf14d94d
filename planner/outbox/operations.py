"""Putting mail in the outbox, and taking a failed message back into the queue.

Everything here adds and flushes; the request or CLI command that caused the mail commits it together with the
change, so a rolled-back change sends nothing (INVITES.md r17).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, insert, or_, select

from planner.core.audit import current_actor, record_action
from planner.core.errors import DomainError
from planner.core.types import utcnow
from planner.extensions import db
from planner.invites import (
    Attendee,
    CalendarEvent,
    Organizer,
    build_calendar,
    build_plain_message,
    clean_line,
    message_bytes,
    normalize_email,
)
from planner.invites.mime import build_invite_bytes
from planner.outbox.models import CALENDAR_METHODS, MESSAGE_KINDS, OutboxMessage, outbox_message_regions

Builder = Callable[[str], EmailMessage | bytes]
BodyText = str | Callable[[Attendee], str]


def organizer() -> Organizer:
    """The mailbox every planner mail comes from (ORGANIZER in invites, From in every mail)."""
    config = current_app.config
    return Organizer(normalize_email(config["ORGANIZER_EMAIL"]), clean_line(config["ORGANIZER_NAME"]))


def _message_id_domain() -> str:
    return normalize_email(current_app.config["ORGANIZER_EMAIL"]).rpartition("@")[2]


@dataclass(frozen=True)
class QueuedMessage:
    """A message just written to the outbox (the row's values; the row itself is not loaded back)."""

    id: int
    kind: str
    to_email: str
    to_name: str
    subject: str
    message_id: str
    raw: bytes
    calendar_method: str | None
    ics: bytes | None
    related_type: str
    related_id: int | None
    enqueued_by_id: int | None
    regions: tuple = ()


def _values(*, kind: str, to_email: str, to_name: str = "", subject: str, build: Builder,
            calendar_method: str | None = None, ics: bytes | None = None, related_type: str = "",
            related_id: int | None = None) -> dict:
    """The column values of one finished outbox row (see :func:`enqueue`)."""
    if kind not in MESSAGE_KINDS:
        raise ValueError(f"kind must be one of {', '.join(MESSAGE_KINDS)}, not {kind!r}")
    if (calendar_method is None) != (ics is None):
        raise ValueError("calendar_method and ics go together")
    if calendar_method is not None and calendar_method not in CALENDAR_METHODS:
        raise ValueError(f"calendar_method must be one of {', '.join(CALENDAR_METHODS)}, not {calendar_method!r}")
    # Random, not the row's id: the bytes are built before the row is written, so rows go in with one INSERT.
    message_id = f"<outbox-{secrets.token_hex(16)}@{_message_id_domain()}>"
    built = build(message_id)
    return {"kind": kind, "to_email": normalize_email(to_email), "to_name": clean_line(to_name)[:200],
            "subject": clean_line(subject)[:500], "message_id": message_id,
            "raw": built if isinstance(built, bytes) else message_bytes(built),
            "calendar_method": calendar_method, "ics": ics, "related_type": related_type,
            "related_id": related_id}


@dataclass(frozen=True)
class Draft:
    """A finished message that is not in the outbox yet: its row's values and the regions it concerns.
    :func:`write` puts any number of drafts in with one statement."""

    values: dict
    regions: tuple = ()


def draft(*, kind: str, to_email: str, to_name: str = "", subject: str, build: Builder,
          calendar_method: str | None = None, ics: bytes | None = None, related_type: str = "",
          related_id: int | None = None, regions: Iterable = ()) -> Draft:
    """The message :func:`enqueue` would write, built but not written (see there for the arguments)."""
    return Draft(_values(kind=kind, to_email=to_email, to_name=to_name, subject=subject, build=build,
                         calendar_method=calendar_method, ics=ics, related_type=related_type,
                         related_id=related_id), tuple(regions))


def write(drafts: Sequence[Draft]) -> list[QueuedMessage]:
    """Write ``drafts`` (and their regions) in the session's transaction, in order: one INSERT … RETURNING for
    the rows and one for the region links, through SQLAlchemy Core. The ORM's unit of work cost more than
    building the invite itself, and a schedule's confirmation writes hundreds of rows at once; nothing here
    needs the ORM (the outbox is not audited, and nothing else in the transaction depends on these rows)."""
    if not drafts:
        return []
    table = OutboxMessage.__table__
    now, actor = utcnow(), current_actor()[0]
    common = {"enqueued_by_id": actor, "status": "queued", "attempts": 0, "next_attempt_at": now,
              "last_error": "", "created_at": now}
    # One executemany, then the ids by Message-ID (unique, chosen before the insert). INSERT … RETURNING with the
    # rows' order kept is sent a row at a time on SQLite (it cannot promise the order of a multi-row RETURNING),
    # and a statement's overhead was a tenth of the cost of an invite.
    db.session.execute(insert(table), [{**common, **item.values} for item in drafts])
    message_ids = [item.values["message_id"] for item in drafts]
    by_message_id = {}
    for start in range(0, len(message_ids), 500):
        chunk = message_ids[start:start + 500]
        by_message_id.update(db.session.execute(select(table.c.message_id, table.c.id)
                                                .where(table.c.message_id.in_(chunk))).all())
    ids = [by_message_id[message_id] for message_id in message_ids]
    links = [{"message_id": id_, "region_id": region.id} for id_, item in zip(ids, drafts, strict=True)
             for region in item.regions]
    if links:
        db.session.execute(insert(outbox_message_regions), links)
    return [QueuedMessage(id=id_, regions=item.regions, enqueued_by_id=actor, **item.values)
            for id_, item in zip(ids, drafts, strict=True)]


def enqueue(*, kind: str, to_email: str, to_name: str = "", subject: str, build: Builder,
            calendar_method: str | None = None, ics: bytes | None = None, related_type: str = "",
            related_id: int | None = None, regions: Iterable = ()) -> QueuedMessage:
    """Write one message to the outbox in the current transaction (not committed) and return what was written.

    ``build(message_id)`` returns the finished message (an EmailMessage from planner.invites.mime, or its
    bytes). The Message-ID ``<outbox-{random}@{domain}>`` is fixed here, before the message is built, and
    stored with it, so every delivery of the row, including a resend after a failure, is recognisably the same
    mail [r14]. ``regions`` are the regions the mail concerns: their offices see it on the email log. Raises
    ValueError from the builders on an invalid address or header; nothing is written then.
    """
    return write([draft(kind=kind, to_email=to_email, to_name=to_name, subject=subject, build=build,
                        calendar_method=calendar_method, ics=ics, related_type=related_type,
                        related_id=related_id, regions=regions)])[0]


def _body(value: BodyText, attendee: Attendee) -> str:
    return value(attendee) if callable(value) else value


def enqueue_invites(event: CalendarEvent, *, method: str, subject: str, text_body: BodyText,
                    html_body: BodyText, related_type: str = "", related_id: int | None = None,
                    regions: Iterable = (), dtstamp: datetime | None = None) -> list[QueuedMessage]:
    """One invite (REQUEST) or cancellation (CANCEL) per attendee of ``event``, sharing one calendar object.

    ``event.organizer`` must be :func:`organizer` (replies go there and From must match it). The bodies may
    be callables of the attendee (for personal RSVP links). Kind: "cancel" for CANCEL, "update" for a REQUEST
    with SEQUENCE > 0, else "invite".
    """
    method = method.upper()
    stamp = dtstamp or utcnow().replace(microsecond=0)
    calendar = build_calendar([event], method, stamp)
    kind = "cancel" if method == "CANCEL" else ("update" if event.sequence > 0 else "invite")
    sender = event.organizer
    regions = tuple(regions)
    drafts = []
    for attendee in event.attendees:
        def build(message_id: str, attendee: Attendee = attendee) -> bytes:
            return build_invite_bytes(
                sender_email=sender.email, sender_name=sender.name, to_email=attendee.email,
                to_name=attendee.name, subject=subject, text_body=_body(text_body, attendee),
                html_body=_body(html_body, attendee), calendar_bytes=calendar, method=method,
                message_id=message_id, date=stamp)

        drafts.append(draft(kind=kind, to_email=attendee.email, to_name=attendee.name, subject=subject,
                            build=build, calendar_method=method, ics=calendar, related_type=related_type,
                            related_id=related_id, regions=regions))
    return write(drafts)


def enqueue_notice(*, to_email: str, to_name: str = "", subject: str, text_body: str,
                   html_body: str | None = None, related_type: str = "", related_id: int | None = None,
                   regions: Iterable = ()) -> QueuedMessage:
    """A plain notification (no calendar) from the organiser's address."""
    sender = organizer()

    def build(message_id: str) -> EmailMessage:
        return build_plain_message(
            sender_email=sender.email, sender_name=sender.name, to_email=to_email, to_name=to_name,
            subject=subject, text_body=text_body, html_body=html_body, message_id=message_id)

    return enqueue(kind="notice", to_email=to_email, to_name=to_name, subject=subject, build=build,
                   related_type=related_type, related_id=related_id, regions=regions)


CALENDAR_KINDS = ("invite", "update", "cancel")


def retry_message(message: OutboxMessage) -> None:
    """Queue a failed message again, due now, with a fresh count of tries. The bytes (and Message-ID) stay."""
    if message.status != "failed":
        raise DomainError(_("Only a failed message can be sent again."))
    if message.kind in CALENDAR_KINDS and message.related_type:
        # an older invite sent after a newer update or cancellation would bring back what it replaced in
        # calendars that do not weigh SEQUENCE (or arrive as the last word in the delegate's inbox)
        newer = db.session.scalar(select(OutboxMessage.id).where(
            OutboxMessage.related_type == message.related_type, OutboxMessage.related_id == message.related_id,
            OutboxMessage.to_email == message.to_email, OutboxMessage.kind.in_(CALENDAR_KINDS),
            OutboxMessage.id > message.id).limit(1))
        if newer is not None:
            raise DomainError(_("A newer invite, update or cancellation to %(to)s about the same event has been "
                                "queued since: sending this older one again would undo it.", to=message.to_email))
    message.status = "queued"
    message.attempts = 0
    message.last_error = ""  # a fresh start (the audit log keeps the retry); the log's notice counts from it
    message.next_attempt_at = utcnow()
    message.lease_until = None
    message.claimed_by = None
    db.session.flush()
    record_action(message, "retry", note=message.to_email)


STUCK_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class Stuck:
    count: int          # messages still in the queue STUCK_AFTER after they were written
    last_error: str     # the latest error among them ("" when none was tried: the worker does not run)


def stuck_mail(scoped, now: datetime | None = None) -> Stuck | None:
    """Whether mail is held up, among the messages of ``scoped`` (a select of OutboxMessage the user may see):
    a mail server that refuses the login or cannot be reached keeps every message queued (never failed, so
    that none is lost), and a worker that does not run sends nothing; either way the log says so at the top."""
    since = (now or utcnow()) - STUCK_AFTER
    # written before ``since`` and either tried in vain, or due since then with no try (no worker); a message
    # queued again by hand counts from then
    waiting = scoped.where(OutboxMessage.status.in_(("queued", "sending")), OutboxMessage.created_at < since,
                           or_(OutboxMessage.last_error != "", OutboxMessage.next_attempt_at < since))
    count = db.session.scalar(select(func.count()).select_from(waiting.subquery()))
    if not count:
        return None
    error = db.session.scalar(waiting.with_only_columns(OutboxMessage.last_error)
                              .where(OutboxMessage.last_error != "")
                              .order_by(OutboxMessage.next_attempt_at.desc(), OutboxMessage.id.desc()).limit(1))
    return Stuck(count, error or "")
