"""B2B sessions: settings of one itinerary event, its tables, participating firms, meeting requests, meetings and
solver runs. The database forbids a table, a firm or an interpreter in two meetings of one slot (unique
constraints and index; NULL slots do not collide, and cancelled meetings hold no slot)."""

import uuid
from datetime import datetime, time

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    exists,
    false,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Mapped, aliased, mapped_column, relationship

from planner.core.constraints import one_of as _in
from planner.core.roles import Role
from planner.core.types import UTCDateTime, utcnow
from planner.delegations.models import DelegationRegion, Person
from planner.extensions import db
from planner.firms.models import Firm
from planner.itinerary.models import Event

SIDES = ("IN", "JP")
DAY_PARTS = ("any", "morning", "afternoon")
REQUEST_STATUSES = ("requested", "accepted", "declined")
MEETING_STATUSES = ("scheduled", "unscheduled", "cancelled")
RUN_STATUSES = ("ready", "failed", "applied", "discarded")
PRIORITIES = (1, 2)  # 1 would like to meet, 2 must meet


def new_meeting_uid() -> str:
    return f"b2b-meeting-{uuid.uuid4()}@planner"


participant_representatives = Table(
    "b2b_participant_people",
    db.metadata,
    Column("participant_id", ForeignKey("b2b_participants.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("people.id", ondelete="RESTRICT"), primary_key=True, index=True),
)


# The session's interpreters: people the organisers name; meetings needing one get one of them.
session_interpreters = Table(
    "b2b_session_interpreters",
    db.metadata,
    Column("session_id", ForeignKey("b2b_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("people.id", ondelete="RESTRICT"), primary_key=True, index=True),
)


def _organised_by(user, session_id_column):
    """SQL: the session in `session_id_column` belongs to a delegation involving the user's region."""
    session = aliased(B2BSession)
    return exists(select(1).select_from(session).join(Event, Event.id == session.event_id)
                  .join(DelegationRegion, DelegationRegion.delegation_id == Event.delegation_id)
                  .where(session.id == session_id_column, DelegationRegion.region_id == user.region_id))


class B2BSession(db.Model):
    """The settings of one itinerary event of kind "b2b": slots, tables, fairness, interpreters."""

    __tablename__ = "b2b_sessions"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    first_slot: Mapped[time] = mapped_column(Time)
    slot_minutes: Mapped[int] = mapped_column(Integer, default=20)
    pause_minutes: Mapped[int] = mapped_column(Integer, default=5)
    slot_count: Mapped[int | None] = mapped_column(Integer)
    day_end: Mapped[time | None] = mapped_column(Time)
    lunch_start: Mapped[time | None] = mapped_column(Time)
    lunch_minutes: Mapped[int | None] = mapped_column(Integer)
    fairness: Mapped[int | None] = mapped_column(Integer, default=2)
    interpreters: Mapped[int | None] = mapped_column(Integer)
    reminder_hours: Mapped[int] = mapped_column(Integer, default=48)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    event = relationship(Event, lazy="joined")
    tables = relationship("B2BTable", back_populates="session", cascade="all, delete-orphan",
                          order_by="B2BTable.number", passive_deletes=True)
    # `interpreters` (above) is the solver's count K; these are the people.
    interpreter_pool = relationship(Person, secondary=session_interpreters, order_by=[Person.name, Person.id])

    __table_args__ = (
        CheckConstraint("slot_minutes BETWEEN 5 AND 240", name="slot_minutes_range"),
        CheckConstraint("pause_minutes BETWEEN 0 AND 120", name="pause_minutes_range"),
        CheckConstraint("(slot_count IS NULL) <> (day_end IS NULL)", name="count_or_day_end"),
        CheckConstraint("(lunch_start IS NULL) = (lunch_minutes IS NULL)", name="lunch_complete"),
        CheckConstraint("fairness IS NULL OR fairness >= 0", name="fairness_not_negative"),
        CheckConstraint("interpreters IS NULL OR interpreters >= 0", name="interpreters_not_negative"),
        CheckConstraint("reminder_hours BETWEEN 1 AND 720", name="reminder_hours_range"),
    )

    @property
    def title(self) -> str:
        """Its event's title in the page's (or mail's) language."""
        return self.event.display_title

    def audit_label(self) -> str:
        return f"B2B session {self.event.title}" if self.event else f"B2B session {self.id}"

    @classmethod
    def visible_to(cls, user):
        if user.role == Role.ADMIN:
            return true()
        if user.role in (Role.STATE, Role.PREFECTURE):
            has_own_firm = exists(select(1).select_from(B2BParticipant).join(Firm, Firm.id == B2BParticipant.firm_id)
                                  .where(B2BParticipant.session_id == cls.id, Firm.region_id == user.region_id))
            return or_(_organised_by(user, cls.id), has_own_firm)
        return false()

    @classmethod
    def editable_by(cls, user):
        """Who organises the session: admins and the staff of the regions its delegation involves."""
        if user.role == Role.ADMIN:
            return true()
        if user.role in (Role.STATE, Role.PREFECTURE):
            return _organised_by(user, cls.id)
        return false()

    def __repr__(self) -> str:
        return f"<B2BSession {self.id} event={self.event_id}>"


class B2BTable(db.Model):
    """A table (or room) of a session; `number` is the solver's table number (1..N)."""

    __tablename__ = "b2b_tables"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("b2b_sessions.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))

    session = relationship(B2BSession, back_populates="tables")

    __table_args__ = (
        UniqueConstraint("session_id", "number"),
        UniqueConstraint("session_id", "name"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint("name <> ''", name="name_given"),
    )

    @classmethod
    def visible_to(cls, user):
        return exists(select(1).where(B2BSession.id == cls.session_id, B2BSession.visible_to(user)))

    @classmethod
    def editable_by(cls, user):
        return exists(select(1).where(B2BSession.id == cls.session_id, B2BSession.editable_by(user)))

    def audit_label(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"<B2BTable {self.session_id}/{self.number} {self.name!r}>"


class B2BParticipant(db.Model):
    """A firm registered into a session, with its representatives and the slots it cannot attend."""

    __tablename__ = "b2b_participants"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("b2b_sessions.id", ondelete="CASCADE"), index=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firms.id", ondelete="RESTRICT"), index=True)
    side: Mapped[str] = mapped_column(String(2))
    unavailable_slots: Mapped[list] = mapped_column(JSON, default=list)
    # the times the firm said it is away, [["12:00", "12:40"], …] in venue time: the slot numbers above are
    # worked out from them again when the session's slots change (None: saved before, read off the slots)
    unavailable_times: Mapped[list | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    session = relationship(B2BSession, lazy="joined")
    firm = relationship(Firm, lazy="joined")
    # selectin: pages and checks read the representatives of every firm of a session (one query, not one each)
    representatives = relationship(Person, secondary=participant_representatives, order_by=Person.name,
                                   lazy="selectin")

    __table_args__ = (
        UniqueConstraint("session_id", "firm_id"),
        CheckConstraint(f"side IN {_in(SIDES)}", name="side_known"),
    )

    @property
    def name(self) -> str:
        return self.firm.name

    def audit_label(self) -> str:
        return f"{self.firm.name} in B2B session {self.session_id}" if self.firm else str(self.id)

    @classmethod
    def visible_to(cls, user):
        """Organisers, the cell or office of the firm's region, and the firm's own representatives."""
        if user.role == Role.ADMIN:
            return true()
        if user.role in (Role.STATE, Role.PREFECTURE):
            own_firm = exists(select(1).where(Firm.id == cls.firm_id, Firm.region_id == user.region_id))
            return or_(_organised_by(user, cls.session_id), own_firm)
        if user.role == Role.DELEGATE:
            return exists(select(1).select_from(participant_representatives)
                          .join(Person, Person.id == participant_representatives.c.person_id)
                          .where(participant_representatives.c.participant_id == cls.id, Person.user_id == user.id))
        return false()

    @classmethod
    def editable_by(cls, user):
        """Who acts for the firm (its requests, unavailable slots, representatives, answers): the cell or
        office of the firm's own region and the firm's representatives; administrators.  Not the partner
        region, though it organises the session too: it filed requests, blocked slots and named its own
        delegates as representatives of the other side's firms (organisers create meetings directly)."""
        if user.role == Role.ADMIN:
            return true()
        if user.role in (Role.STATE, Role.PREFECTURE):
            return exists(select(1).where(Firm.id == cls.firm_id, Firm.region_id == user.region_id))
        return cls.visible_to(user)

    def __repr__(self) -> str:
        return f"<B2BParticipant {self.id} session={self.session_id} firm={self.firm_id} {self.side}>"


class MeetingRequest(db.Model):
    """A participant asks to meet a firm of the other side; the other side accepts or declines."""

    __tablename__ = "b2b_requests"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("b2b_sessions.id", ondelete="CASCADE"), index=True)
    requester_id: Mapped[int] = mapped_column(ForeignKey("b2b_participants.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("b2b_participants.id", ondelete="CASCADE"), index=True)
    priority: Mapped[int] = mapped_column(Integer, default=1)
    day_part: Mapped[str] = mapped_column(String(10), default="any")
    message: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(10), default="requested")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    requester = relationship(B2BParticipant, foreign_keys=[requester_id], lazy="joined")
    target = relationship(B2BParticipant, foreign_keys=[target_id], lazy="joined")

    __table_args__ = (
        UniqueConstraint("requester_id", "target_id"),
        CheckConstraint("requester_id <> target_id", name="two_participants"),
        CheckConstraint("priority IN (1, 2)", name="priority_known"),
        CheckConstraint(f"day_part IN {_in(DAY_PARTS)}", name="day_part_known"),
        CheckConstraint(f"status IN {_in(REQUEST_STATUSES)}", name="status_known"),
    )

    @classmethod
    def visible_to(cls, user):
        visible = select(B2BParticipant.id).where(B2BParticipant.visible_to(user))
        return or_(cls.requester_id.in_(visible), cls.target_id.in_(visible))

    @classmethod
    def editable_by(cls, user):
        """Who may answer: whoever acts for the firm that was asked (the other side answers, issue 5)."""
        answerable = select(B2BParticipant.id).where(B2BParticipant.editable_by(user))
        return cls.target_id.in_(answerable)

    def audit_label(self) -> str:
        return f"request {self.requester_id}→{self.target_id}"

    def __repr__(self) -> str:
        return f"<MeetingRequest {self.id} {self.requester_id}->{self.target_id} {self.status}>"


class Meeting(db.Model):
    """One meeting between an Indian and a Japanese participant. `uid`/`sequence` are the calendar invite's
    identity and revision (RFC 5545): `sequence` rises whenever the slot, the table or the status changes."""

    __tablename__ = "b2b_meetings"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("b2b_sessions.id", ondelete="CASCADE"), index=True)
    indian_participant_id: Mapped[int] = mapped_column(ForeignKey("b2b_participants.id", ondelete="CASCADE"),
                                                       index=True)
    japanese_participant_id: Mapped[int] = mapped_column(ForeignKey("b2b_participants.id", ondelete="CASCADE"),
                                                         index=True)
    slot: Mapped[int | None] = mapped_column(Integer)
    table_id: Mapped[int | None] = mapped_column(ForeignKey("b2b_tables.id", ondelete="RESTRICT"), index=True)
    status: Mapped[str] = mapped_column(String(12), default="unscheduled")
    needs_interpreter: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    interpreter_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    priority: Mapped[int] = mapped_column(Integer, default=1)
    day_part: Mapped[str] = mapped_column(String(10), default="any")
    request_id: Mapped[int | None] = mapped_column(ForeignKey("b2b_requests.id", ondelete="SET NULL"), unique=True)
    uid: Mapped[str] = mapped_column(String(255), unique=True, default=new_meeting_uid)
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    invites_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    session = relationship(B2BSession)
    indian = relationship(B2BParticipant, foreign_keys=[indian_participant_id], lazy="joined")
    japanese = relationship(B2BParticipant, foreign_keys=[japanese_participant_id], lazy="joined")
    table = relationship(B2BTable, lazy="joined")
    interpreter = relationship(Person, foreign_keys=[interpreter_id], lazy="joined")

    __table_args__ = (
        UniqueConstraint("session_id", "slot", "table_id"),
        UniqueConstraint("session_id", "slot", "indian_participant_id"),
        UniqueConstraint("session_id", "slot", "japanese_participant_id"),
        # A unique index rather than a constraint: SQLite adds it without rebuilding the table (migration 0009).
        Index("uq_b2b_meetings_session_id_slot_interpreter_id", "session_id", "slot", "interpreter_id", unique=True),
        CheckConstraint("interpreter_id IS NULL OR (status = 'scheduled' AND needs_interpreter)",
                        name="interpreter_only_when_placed_and_needed"),
        CheckConstraint(f"status IN {_in(MEETING_STATUSES)}", name="status_known"),
        CheckConstraint("(status = 'scheduled' AND slot IS NOT NULL AND table_id IS NOT NULL) OR "
                        "(status <> 'scheduled' AND slot IS NULL AND table_id IS NULL)", name="placed_iff_scheduled"),
        CheckConstraint("slot IS NULL OR slot >= 1", name="slot_positive"),
        CheckConstraint("priority IN (1, 2)", name="priority_known"),
        CheckConstraint(f"day_part IN {_in(DAY_PARTS)}", name="day_part_known"),
        CheckConstraint("sequence >= 0", name="sequence_nonnegative"),
        CheckConstraint("indian_participant_id <> japanese_participant_id", name="two_participants"),
    )

    @property
    def participants(self) -> tuple[B2BParticipant, B2BParticipant]:
        return self.indian, self.japanese

    def counterpart_of(self, participant: B2BParticipant) -> B2BParticipant:
        return self.japanese if participant.id == self.indian_participant_id else self.indian

    @classmethod
    def visible_to(cls, user):
        visible = select(B2BParticipant.id).where(B2BParticipant.visible_to(user))
        return or_(cls.indian_participant_id.in_(visible), cls.japanese_participant_id.in_(visible))

    @classmethod
    def editable_by(cls, user):
        """Only organisers place, move, swap and cancel meetings."""
        return cls.session_id.in_(select(B2BSession.id).where(B2BSession.editable_by(user)))

    def audit_label(self) -> str:
        return f"B2B meeting {self.indian_participant_id}–{self.japanese_participant_id}"

    def __repr__(self) -> str:
        return f"<Meeting {self.id} slot={self.slot} table={self.table_id} {self.status}>"


class SolverRun(db.Model):
    """One run of the scheduler for a session: its input, its result, and whether the organiser applied it."""

    __tablename__ = "b2b_solver_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("b2b_sessions.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="ready")
    allow_moves: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # every placed meeting kept where it was; only the others were placed
    keep_placed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    time_limit: Mapped[int] = mapped_column(Integer, default=10)
    seed: Mapped[int] = mapped_column(Integer, default=0)
    problem: Mapped[dict] = mapped_column(JSON)
    snapshot: Mapped[dict] = mapped_column(JSON)  # the schedule the preview was computed against
    result: Mapped[dict | None] = mapped_column(JSON)
    reasons: Mapped[dict | None] = mapped_column(JSON)  # unplaced meeting id -> why
    error: Mapped[str] = mapped_column(Text, default="")
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    session = relationship(B2BSession, lazy="joined")

    __table_args__ = (
        CheckConstraint(f"status IN {_in(RUN_STATUSES)}", name="status_known"),
        CheckConstraint("time_limit BETWEEN 1 AND 120", name="time_limit_range"),
    )

    @classmethod
    def visible_to(cls, user):
        return cls.session_id.in_(select(B2BSession.id).where(B2BSession.editable_by(user)))

    @classmethod
    def editable_by(cls, user):
        return cls.visible_to(user)

    def __repr__(self) -> str:
        return f"<SolverRun {self.id} session={self.session_id} {self.status}>"
