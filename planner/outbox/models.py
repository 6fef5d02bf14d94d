"""One row per email to send. The fully built message (RFC 5322 bytes) is stored, so what is delivered, shown
on the email log and resent after a failure is byte for byte the mail that was enqueued."""

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    and_,
    exists,
    false,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.core.roles import Role
from planner.core.types import UTCDateTime, utcnow
from planner.extensions import db

MESSAGE_KINDS = ("invite", "update", "cancel", "notice")
MESSAGE_STATUSES = ("queued", "sending", "sent", "failed")
CALENDAR_METHODS = ("REQUEST", "CANCEL", "PUBLISH")

# The regions a message concerns: their offices see it on the email log.
outbox_message_regions = Table(
    "outbox_message_regions",
    db.metadata,
    Column("message_id", ForeignKey("outbox_messages.id", ondelete="CASCADE"), primary_key=True),
    Column("region_id", ForeignKey("regions.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class OutboxMessage(db.Model):
    """An email waiting for, in, or past delivery.

    Life: queued → sending (claimed by a worker until ``lease_until``) → sent, or back to queued with a later
    ``next_attempt_at`` after a failed try, or failed after the last try (an administrator may queue it again).
    """

    __tablename__ = "outbox_messages"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    to_email: Mapped[str] = mapped_column(String(254))
    to_name: Mapped[str] = mapped_column(String(200), default="")
    subject: Mapped[str] = mapped_column(String(500))
    message_id: Mapped[str] = mapped_column(String(250), unique=True)
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    calendar_method: Mapped[str | None] = mapped_column(String(10))
    ics: Mapped[bytes | None] = mapped_column(LargeBinary)
    related_type: Mapped[str] = mapped_column(String(40), default="")
    related_id: Mapped[int | None] = mapped_column(Integer)
    enqueued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    regions = relationship("Region", secondary=outbox_message_regions, lazy="selectin")
    enqueued_by = relationship("User", lazy="joined")

    __table_args__ = (
        CheckConstraint(f"kind IN {MESSAGE_KINDS!r}", name="kind_known"),
        CheckConstraint(f"status IN {MESSAGE_STATUSES!r}", name="status_known"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        CheckConstraint("(calendar_method IS NULL) = (ics IS NULL)", name="method_with_ics"),
        CheckConstraint(f"calendar_method IS NULL OR calendar_method IN {CALENDAR_METHODS!r}", name="method_known"),
        # The worker's claim: what is due, in order.
        db.Index("ix_outbox_messages_due", "status", "next_attempt_at"),
    )

    @property
    def is_failed(self) -> bool:
        return self.status == "failed"

    def audit_label(self) -> str:
        return f"{self.kind} to {self.to_email}: {self.subject}"[:255]

    @classmethod
    def visible_to(cls, user):
        """Administrators see every message; a state cell or prefecture office sees what concerns its region,
        and what it enqueued itself that concerns no region. Not what its change sent about other regions'
        events (a shared venue's new address, a person's new e-mail): those name another region's
        programme and people."""
        if user.role == Role.ADMIN:
            return true()
        if user.role in (Role.STATE, Role.PREFECTURE) and user.region_id is not None:
            concerns_region = exists(select(outbox_message_regions.c.message_id).where(
                outbox_message_regions.c.message_id == cls.id,
                outbox_message_regions.c.region_id == user.region_id))
            concerns_any = exists(select(outbox_message_regions.c.message_id).where(
                outbox_message_regions.c.message_id == cls.id))
            return or_(concerns_region, and_(cls.enqueued_by_id == user.id, ~concerns_any))
        return false()

    @classmethod
    def editable_by(cls, user):
        # Retrying is the only change; whoever may see a failed message may queue it again.
        return cls.visible_to(user)

    def __repr__(self) -> str:
        return f"<OutboxMessage #{self.id} {self.kind} {self.status} to {self.to_email}>"
