"""Follow-ups (what a meeting, an event or a visit led to), their history, and the feedback requests that feed
them. A follow-up's tenants are the regions it names: their cells and offices see and edit it."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    exists,
    false,
    select,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.core.constraints import one_of as _in
from planner.core.roles import Role
from planner.core.types import UTCDateTime, utcnow
from planner.extensions import db

# In the order a lead moves through them; "no_interest" ends a lead at any point.
STAGES = ("no_interest", "exploring", "nda_signed", "negotiation_started", "mou_signed", "investment_committed",
          "order_placed")
NEGOTIATION_OR_LATER = STAGES[3:]
AGREEMENT_OR_LATER = STAGES[4:]
INVESTMENT_OR_ORDER = STAGES[5:]
FEEDBACK_ROUNDS = (1, 2)


followup_firms = Table(
    "followup_firms",
    db.metadata,
    Column("followup_id", ForeignKey("followups.id", ondelete="CASCADE"), primary_key=True),
    Column("firm_id", ForeignKey("firms.id", ondelete="RESTRICT"), primary_key=True, index=True),
)

followup_regions = Table(
    "followup_regions",
    db.metadata,
    Column("followup_id", ForeignKey("followups.id", ondelete="CASCADE"), primary_key=True),
    Column("region_id", ForeignKey("regions.id", ondelete="RESTRICT"), primary_key=True, index=True),
)


class FollowUp(db.Model):
    """What one B2B meeting, itinerary event or delegation led to (exactly one of the three)."""

    __tablename__ = "followups"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("b2b_meetings.id", ondelete="RESTRICT"), index=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="RESTRICT"), index=True)
    delegation_id: Mapped[int | None] = mapped_column(ForeignKey("delegations.id", ondelete="RESTRICT"),
                                                      index=True)
    partnership_id: Mapped[int | None] = mapped_column(ForeignKey("partnerships.id", ondelete="SET NULL"),
                                                       index=True)
    # The day of the meeting, event or visit's start: the year a follow-up counts in.
    origin_date: Mapped[date]
    title: Mapped[str] = mapped_column(String(200))
    stage: Mapped[str] = mapped_column(String(24), default="exploring")
    notes: Mapped[str] = mapped_column(Text, default="")
    next_action: Mapped[str] = mapped_column(String(500), default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    due_date: Mapped[date | None]
    is_open: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    rating: Mapped[int | None] = mapped_column(Integer)  # the latest feedback rating (1–5)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    meeting = relationship("Meeting")
    event = relationship("Event")
    delegation = relationship("Delegation")
    partnership = relationship("Partnership", lazy="joined")
    owner = relationship("User", lazy="joined")
    firms = relationship("Firm", secondary=followup_firms, order_by="Firm.name")
    regions = relationship("Region", secondary=followup_regions, order_by="Region.code")
    entries = relationship("FollowUpEntry", back_populates="followup", cascade="all, delete-orphan",
                           order_by="(FollowUpEntry.at, FollowUpEntry.id)", passive_deletes=True)

    __table_args__ = (
        CheckConstraint("(CASE WHEN meeting_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN event_id IS NULL THEN 0 "
                        "ELSE 1 END) + (CASE WHEN delegation_id IS NULL THEN 0 ELSE 1 END) = 1",
                        name="exactly_one_origin"),
        CheckConstraint(f"stage IN {_in(STAGES)}", name="stage_known"),
        CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating_range"),
        CheckConstraint("title <> ''", name="title_given"),
    )

    @property
    def origin_kind(self) -> str:
        return "meeting" if self.meeting_id else ("event" if self.event_id else "delegation")

    def is_overdue(self, today: date) -> bool:
        return self.is_open and self.due_date is not None and self.due_date < today

    def audit_label(self) -> str:
        return self.title

    @classmethod
    def visible_to(cls, user):
        if user.role == Role.ADMIN:
            return true()
        if user.role in (Role.STATE, Role.PREFECTURE):
            return exists(select(1).where(followup_regions.c.followup_id == cls.id,
                                          followup_regions.c.region_id == user.region_id))
        return false()

    @classmethod
    def editable_by(cls, user):
        return cls.visible_to(user)

    def __repr__(self) -> str:
        return f"<FollowUp {self.id} {self.stage} {'open' if self.is_open else 'done'}>"


class FollowUpEntry(db.Model):
    """One dated change of a follow-up: who, what changed (field → old/new), and a note. Never edited."""

    __tablename__ = "followup_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    followup_id: Mapped[int] = mapped_column(ForeignKey("followups.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_label: Mapped[str] = mapped_column(String(255))
    action: Mapped[str] = mapped_column(String(20))
    changes: Mapped[dict] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(Text, default="")

    followup = relationship(FollowUp, back_populates="entries")

    __table_args__ = (CheckConstraint("action IN ('create', 'update', 'feedback')", name="action_known"),)

    def __repr__(self) -> str:
        return f"<FollowUpEntry {self.followup_id} {self.action} {self.at:%Y-%m-%d}>"


class FeedbackRequest(db.Model):
    """A feedback mail to one representative of one participant firm of a B2B session (round 1 after the
    session, round 2 months later). The signed link names this row."""

    __tablename__ = "followup_feedback_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("b2b_sessions.id", ondelete="CASCADE"), index=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("b2b_participants.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    round: Mapped[int] = mapped_column(Integer, default=1)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    session = relationship("B2BSession")
    participant = relationship("B2BParticipant", lazy="joined")
    person = relationship("Person", lazy="joined")
    answers = relationship("FeedbackAnswer", back_populates="request", cascade="all, delete-orphan",
                           passive_deletes=True)

    __table_args__ = (
        UniqueConstraint("participant_id", "person_id", "round"),
        CheckConstraint("round IN (1, 2)", name="round_known"),
    )

    def __repr__(self) -> str:
        return f"<FeedbackRequest {self.id} session={self.session_id} round={self.round}>"


class FeedbackAnswer(db.Model):
    """One representative's answer about one meeting: a rating and what comes next."""

    __tablename__ = "followup_feedback_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("followup_feedback_requests.id", ondelete="CASCADE"),
                                            index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("b2b_meetings.id", ondelete="CASCADE"), index=True)
    rating: Mapped[int] = mapped_column(Integer)
    stage: Mapped[str] = mapped_column(String(24))
    comment: Mapped[str] = mapped_column(String(1000), default="")
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    request = relationship(FeedbackRequest, back_populates="answers")

    __table_args__ = (
        UniqueConstraint("request_id", "meeting_id"),
        CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),
        CheckConstraint(f"stage IN {_in(STAGES)}", name="stage_known"),
    )

    def __repr__(self) -> str:
        return f"<FeedbackAnswer {self.request_id}/{self.meeting_id} {self.rating} {self.stage}>"
