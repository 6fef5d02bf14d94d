"""Delegations (one visit in one direction), the people in them, and the regions they involve."""

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
    exists,
    false,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.core.bilingual import in_language
from planner.core.constraints import one_of as _in
from planner.core.imports import SpreadsheetImport
from planner.core.roles import Role
from planner.core.types import UTCDateTime, utcnow
from planner.delegations.diets import KEYS as DIET_KEYS
from planner.extensions import db

DIRECTIONS = ("IN_JP", "JP_IN")
DELEGATION_STATUSES = ("planning", "confirmed", "completed", "cancelled")
MEMBER_ROLES = ("head", "member", "staff", "host")
SIDES = ("sending", "host")
LANGUAGES = ("en", "ja")
# The language of a delegation's invitations and mails: each recipient's own, or both (Japanese first).
INVITE_LANGUAGES = ("recipient", "both")

delegation_sectors = Table(
    "delegation_sectors",
    db.metadata,
    Column("delegation_id", ForeignKey("delegations.id", ondelete="CASCADE"), primary_key=True),
    Column("sector_id", ForeignKey("sectors.id", ondelete="RESTRICT"), primary_key=True),
)


class DelegationRegion(db.Model):
    """A region a delegation involves, on one side: the sending or the host side."""

    __tablename__ = "delegation_regions"

    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegations.id", ondelete="CASCADE"), primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="RESTRICT"), primary_key=True,
                                           index=True)
    side: Mapped[str] = mapped_column(String(10))

    region = relationship("Region", lazy="joined")

    __table_args__ = (CheckConstraint(f"side IN {_in(SIDES)}", name="side_known"),)

    def __repr__(self) -> str:
        return f"<DelegationRegion {self.region_id} {self.side}>"

    def __str__(self) -> str:
        return f"{self.side}:{self.region.code if self.region else self.region_id}"


def involves_region(delegation_id_column, region_id):
    """SQL: the delegation in `delegation_id_column` involves `region_id` (either side)."""
    return exists(select(1).where(DelegationRegion.delegation_id == delegation_id_column,
                                  DelegationRegion.region_id == region_id))


class Delegation(db.Model):
    __tablename__ = "delegations"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    title_ja: Mapped[str] = mapped_column(String(200), default="", server_default="")
    purpose: Mapped[str] = mapped_column(Text, default="")
    direction: Mapped[str] = mapped_column(String(5))
    start_date: Mapped[date]
    end_date: Mapped[date]
    status: Mapped[str] = mapped_column(String(20), default="planning")
    cancel_reason: Mapped[str] = mapped_column(String(1000), default="")
    invite_language: Mapped[str] = mapped_column(String(10), default="recipient", server_default="recipient")
    partnership_id: Mapped[int | None] = mapped_column(ForeignKey("partnerships.id", ondelete="SET NULL"),
                                                       index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # the region whose staff planned the visit (takes regions off it); None when an administrator did
    organiser_region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    partnership = relationship("Partnership", lazy="joined")
    region_links = relationship(DelegationRegion, cascade="all, delete-orphan", lazy="selectin")
    focus_sectors = relationship("Sector", secondary=delegation_sectors, order_by="Sector.position")
    members = relationship("DelegationMember", back_populates="delegation", cascade="all, delete-orphan",
                           order_by="(DelegationMember.precedence, DelegationMember.id)")

    __table_args__ = (
        CheckConstraint(f"direction IN {_in(DIRECTIONS)}", name="direction_known"),
        CheckConstraint(f"status IN {_in(DELEGATION_STATUSES)}", name="status_known"),
        CheckConstraint("end_date >= start_date", name="dates_ordered"),
        CheckConstraint("status <> 'cancelled' OR cancel_reason <> ''", name="cancel_has_reason"),
        CheckConstraint(f"invite_language IN {_in(INVITE_LANGUAGES)}", name="invite_language_known"),
    )

    @property
    def sending_regions(self):
        return sorted((link.region for link in self.region_links if link.side == "sending"), key=lambda r: r.name)

    @property
    def host_regions(self):
        return sorted((link.region for link in self.region_links if link.side == "host"), key=lambda r: r.name)

    @property
    def sending_country(self) -> str:
        return "IN" if self.direction == "IN_JP" else "JP"

    @property
    def host_country(self) -> str:
        return "JP" if self.direction == "IN_JP" else "IN"

    @property
    def head(self):
        return next((m.person for m in self.members if m.role == "head"), None)

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1

    @property
    def display_title(self) -> str:
        """The title in the page's language: the Japanese title on Japanese pages when there is one."""
        return in_language(self.title, self.title_ja)

    def audit_label(self) -> str:
        return self.title

    @classmethod
    def visible_to(cls, user):
        if user.role == Role.ADMIN:
            return true()
        if user.role in (Role.STATE, Role.PREFECTURE):
            return involves_region(cls.id, user.region_id)
        return false()

    @classmethod
    def editable_by(cls, user):
        return cls.visible_to(user)

    def __repr__(self) -> str:
        return f"<Delegation {self.id} {self.direction} {self.start_date} {self.status}>"


class Person(db.Model):
    """One human: a delegate, a host or an outside contact. Linked to every delegation they were part of."""

    __tablename__ = "people"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_ja: Mapped[str] = mapped_column(String(200), default="")
    # the reading (フリガナ) in katakana, family name first (ヤマダ タロウ): Japanese pages sort by it (五十音順)
    name_kana: Mapped[str] = mapped_column(String(200), default="", server_default="")
    organisation: Mapped[str] = mapped_column(String(300), default="")
    # The registered firm the person represents, when there is one (the organisation text stays as typed).
    firm_id: Mapped[int | None] = mapped_column(ForeignKey("firms.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    preferred_language: Mapped[str] = mapped_column(String(2), default="en")
    needs_interpreter: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # one of diets.KEYS ('' for none); `dietary` keeps allergies and anything else, as typed
    diet: Mapped[str] = mapped_column(String(20), default="", server_default="")
    dietary: Mapped[str] = mapped_column(String(500), default="")
    accessibility: Mapped[str] = mapped_column(String(500), default="")
    home_region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), unique=True)
    created_by_region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id", ondelete="SET NULL"),
                                                             index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    home_region = relationship("Region", foreign_keys=[home_region_id], lazy="joined")
    created_by_region = relationship("Region", foreign_keys=[created_by_region_id], viewonly=True)
    firm = relationship("Firm", foreign_keys=[firm_id])
    user = relationship("User", foreign_keys=[user_id])
    memberships = relationship("DelegationMember", viewonly=True)

    __table_args__ = (CheckConstraint(f"preferred_language IN {_in(LANGUAGES)}", name="language_known"),
                      CheckConstraint(f"diet IN {_in(('',) + DIET_KEYS)}", name="diet_known"))

    @property
    def display_name(self) -> str:
        """'Taro Yamada (山田太郎)'; on Japanese pages just '山田太郎' (the romanised name when none is given)."""
        from planner.core.timefmt import display_language

        if self.name_ja and display_language() == "ja":
            return self.name_ja
        return f"{self.name} ({self.name_ja})" if self.name_ja else self.name

    def audit_label(self) -> str:
        return self.name

    @classmethod
    def visible_to(cls, user):
        if user.role == Role.ADMIN:
            return true()
        if user.role in (Role.STATE, Role.PREFECTURE):
            from planner.itinerary.models import Event, EventAttendee

            in_delegation = exists(select(1).where(
                DelegationMember.person_id == cls.id,
                involves_region(DelegationMember.delegation_id, user.region_id)))
            attends = exists(select(1).select_from(EventAttendee).join(Event, Event.id == EventAttendee.event_id)
                             .where(EventAttendee.person_id == cls.id,
                                    involves_region(Event.delegation_id, user.region_id)))
            return or_(cls.created_by_region_id == user.region_id, in_delegation, attends)
        if user.role == Role.DELEGATE:
            return cls.user_id == user.id
        return false()

    @classmethod
    def editable_by(cls, user):
        return false() if user.role == Role.DELEGATE else cls.visible_to(user)

    def __repr__(self) -> str:
        return f"<Person {self.id} {self.name}>"


class DelegationMember(db.Model):
    """A person's place in a delegation: role and order of precedence for protocol (1 goes first)."""

    __tablename__ = "delegation_members"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    delegation_id: Mapped[int] = mapped_column(ForeignKey("delegations.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="RESTRICT"), index=True)
    role: Mapped[str] = mapped_column(String(10), default="member")
    precedence: Mapped[int] = mapped_column(default=100)

    delegation = relationship(Delegation, back_populates="members")
    person = relationship(Person, lazy="joined")

    __table_args__ = (
        UniqueConstraint("delegation_id", "person_id"),
        CheckConstraint(f"role IN {_in(MEMBER_ROLES)}", name="role_known"),
        CheckConstraint("precedence BETWEEN 1 AND 999", name="precedence_range"),
    )

    def audit_label(self) -> str:
        return f"{self.person.name if self.person else self.person_id} in delegation {self.delegation_id}"

    def __repr__(self) -> str:
        return f"<DelegationMember {self.delegation_id}/{self.person_id} {self.role}>"


class MemberImport(SpreadsheetImport):
    """A spreadsheet of a delegation's members between preview and confirm. It belongs to the uploader's region,
    and to the delegation while that region takes part in it."""

    __mapper_args__ = {"polymorphic_identity": "members"}

    delegation = relationship(Delegation)

    def audit_label(self) -> str:
        return f"members import {self.id} {self.filename} for delegation {self.delegation_id}"

    @classmethod
    def visible_to(cls, user):
        if user.role == Role.ADMIN:
            return true()
        if user.role in (Role.STATE, Role.PREFECTURE):
            return (cls.region_id == user.region_id) & involves_region(cls.delegation_id, user.region_id)
        return false()

    @classmethod
    def editable_by(cls, user):
        return cls.visible_to(user)
