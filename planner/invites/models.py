"""What was sent to whom: one row per calendar object (event or B2B meeting) whose invites went out, one row per
recipient with the revision they hold and their answer, and the personal calendar feeds (secrets stored hashed).

The rows let the planner send exactly what each change needs: an update to those who hold an older revision, a
CANCEL only to someone taken off, a REQUEST only to someone added (INVITES.md r2, r4, r8)."""

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.core.constraints import one_of as _in
from planner.core.types import UTCDateTime, utcnow
from planner.extensions import db

INVITE_KINDS = ("event", "meeting")
SENT_METHODS = ("REQUEST", "CANCEL")
RSVP_STATES = ("needs-action", "accepted", "declined", "tentative")
ANSWER_STATES = {"accept": "accepted", "decline": "declined", "tentative": "tentative"}


def partstat(state: str) -> str:
    """An answer state as iCalendar's PARTSTAT writes it (RFC 5545 §3.2.12): 'accepted' → 'ACCEPTED'."""
    return state.upper()


class CalendarInvite(db.Model):
    """The last version of an event or meeting that went out: its time and place are kept so that a CANCEL (and
    the feed) can repeat DTSTART after the meeting lost its slot (r8)."""

    __tablename__ = "calendar_invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(255), unique=True)
    kind: Mapped[str] = mapped_column(String(10))
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), unique=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("b2b_meetings.id", ondelete="CASCADE"), unique=True)
    # what the invite said when last sent, as an English reader and as a Japanese reader reads it
    # (compose.reader_fingerprint), so that a change to one language's text updates only its readers;
    # fingerprint_ja "": sent before the readers' fingerprints were kept, ``fingerprint`` holds compose.fingerprint
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    fingerprint_ja: Mapped[str] = mapped_column(String(64), default="", server_default="")
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    timezone: Mapped[str] = mapped_column(String(64))
    is_active: Mapped[bool] = mapped_column(default=True)
    last_sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    recipients = relationship("InviteRecipient", back_populates="invite", cascade="all, delete-orphan",
                              lazy="selectin", order_by="InviteRecipient.id")

    __table_args__ = (
        CheckConstraint(f"kind IN {_in(INVITE_KINDS)}", name="kind_known"),
        CheckConstraint("(kind = 'event' AND event_id IS NOT NULL AND meeting_id IS NULL) OR "
                        "(kind = 'meeting' AND meeting_id IS NOT NULL AND event_id IS NULL)", name="one_subject"),
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
    )

    def __repr__(self) -> str:
        return f"<CalendarInvite {self.id} {self.kind} {self.uid}>"


class InviteRecipient(db.Model):
    """One person's copy of an invite: the address it went to, the SEQUENCE they hold, whether their last mail
    was a REQUEST or a CANCEL, and their answer from the Accept/Decline/Tentative page."""

    __tablename__ = "calendar_invite_recipients"

    id: Mapped[int] = mapped_column(primary_key=True)
    invite_id: Mapped[int] = mapped_column(ForeignKey("calendar_invites.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200), default="")
    sequence: Mapped[int] = mapped_column(default=0)
    method: Mapped[str] = mapped_column(String(10), default="REQUEST")
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    rsvp: Mapped[str] = mapped_column(String(20), default="needs-action")
    rsvp_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    invite = relationship(CalendarInvite, back_populates="recipients")
    person = relationship("Person", lazy="joined")

    __table_args__ = (
        UniqueConstraint("invite_id", "person_id"),
        CheckConstraint("sequence >= 0", name="sequence_nonnegative"),
        CheckConstraint(f"method IN {_in(SENT_METHODS)}", name="method_known"),
        CheckConstraint(f"rsvp IN {_in(RSVP_STATES)}", name="rsvp_known"),
    )

    @property
    def holds_invite(self) -> bool:
        return self.method == "REQUEST"

    def __repr__(self) -> str:
        return f"<InviteRecipient {self.invite_id}/{self.person_id} {self.method} seq={self.sequence} {self.rsvp}>"


class CalendarFeed(db.Model):
    """A person's read-only calendar feed. Only the SHA-256 of the secret is stored: the link is shown once,
    when it is made; rotating makes a new one and revokes the old."""

    __tablename__ = "calendar_feeds"
    __audited__ = True
    __audit_redact__ = ("secret_hash",)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # a feed made by a state cell or prefecture office lists only what that region may see (whoever holds the
    # address reads it); None: made by the person or an administrator, the person's whole calendar
    scope_region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))

    person = relationship("Person")
    scope_region = relationship("Region")

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def audit_label(self) -> str:
        return f"calendar feed {self.id} of person {self.person_id}"

    def __repr__(self) -> str:
        return f"<CalendarFeed {self.id} person={self.person_id} {'active' if self.is_active else 'revoked'}>"
