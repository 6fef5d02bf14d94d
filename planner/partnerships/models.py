from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    or_,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.core.roles import STAFF_ROLES, Role
from planner.core.types import UTCDateTime, utcnow
from planner.extensions import db

PARTNERSHIP_STATUSES = ("proposed", "active", "lapsed")

partnership_sectors = Table(
    "partnership_sectors",
    db.metadata,
    Column("partnership_id", ForeignKey("partnerships.id", ondelete="CASCADE"), primary_key=True),
    Column("sector_id", ForeignKey("sectors.id", ondelete="RESTRICT"), primary_key=True),
)


class Partnership(db.Model):
    """One Indian state paired with one Japanese prefecture. A pair exists once."""

    __tablename__ = "partnerships"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    state_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="RESTRICT"), index=True)
    prefecture_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="RESTRICT"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="proposed")
    since: Mapped[date | None]
    agreement_title: Mapped[str] = mapped_column(String(300), default="")
    agreement_date: Mapped[date | None]
    agreement_reference: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    state = relationship("Region", foreign_keys=[state_id], lazy="joined")
    prefecture = relationship("Region", foreign_keys=[prefecture_id], lazy="joined")
    focus_sectors = relationship("Sector", secondary=partnership_sectors, order_by="Sector.position")

    __table_args__ = (
        UniqueConstraint("state_id", "prefecture_id"),
        CheckConstraint(f"status IN {PARTNERSHIP_STATUSES!r}", name="status_known"),
        CheckConstraint("state_id <> prefecture_id", name="two_regions"),
    )

    @property
    def title(self) -> str:
        return f"{self.state.name}–{self.prefecture.name}"

    @property
    def display_title(self) -> str:
        """The title in the interface's script: 'グジャラート州–静岡県' on Japanese pages, else `title`."""
        from planner.i18n.names import partnership_title

        return partnership_title(self)

    def audit_label(self) -> str:
        return self.title

    @classmethod
    def visible_to(cls, user):
        # Partnerships are shared reference for all staff; delegates do not see the list.
        return true() if user.role in STAFF_ROLES else false()

    @classmethod
    def editable_by(cls, user):
        if user.role == Role.ADMIN:
            return true()
        if user.role in (Role.STATE, Role.PREFECTURE):
            return or_(cls.state_id == user.region_id, cls.prefecture_id == user.region_id)
        return false()

    def __repr__(self) -> str:
        return f"<Partnership {self.state_id}-{self.prefecture_id} {self.status}>"
