"""Agreements (MoU, LoI, joint venture) with their parties, dated status changes, and the exchange-rate table
an administrator keeps for showing values in the other currencies. Money is Numeric, never float."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    Numeric,
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

from planner.core.roles import STAFF_ROLES, Role
from planner.core.types import UTCDateTime, utcnow
from planner.extensions import db
from planner.firms.models import Firm
from planner.followups.models import _in

KINDS = ("mou", "loi", "jv")
AGREEMENT_STATUSES = ("signed", "under_implementation", "commissioned", "dropped")
CURRENCIES = ("INR", "JPY", "USD")
MONEY = Numeric(18, 2)
RATE = Numeric(18, 8)

agreement_firms = Table(
    "agreement_firms", db.metadata,
    Column("agreement_id", ForeignKey("agreements.id", ondelete="CASCADE"), primary_key=True),
    Column("firm_id", ForeignKey("firms.id", ondelete="RESTRICT"), primary_key=True, index=True),
)
agreement_regions = Table(
    "agreement_regions", db.metadata,
    Column("agreement_id", ForeignKey("agreements.id", ondelete="CASCADE"), primary_key=True),
    Column("region_id", ForeignKey("regions.id", ondelete="RESTRICT"), primary_key=True, index=True),
)
agreement_followups = Table(
    "agreement_followups", db.metadata,
    Column("agreement_id", ForeignKey("agreements.id", ondelete="CASCADE"), primary_key=True),
    Column("followup_id", ForeignKey("followups.id", ondelete="CASCADE"), primary_key=True, index=True),
)
agreement_meetings = Table(
    "agreement_meetings", db.metadata,
    Column("agreement_id", ForeignKey("agreements.id", ondelete="CASCADE"), primary_key=True),
    Column("meeting_id", ForeignKey("b2b_meetings.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Agreement(db.Model):
    """An MoU, LoI or joint-venture agreement between firms and/or regions."""

    __tablename__ = "agreements"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(4))
    partnership_id: Mapped[int | None] = mapped_column(ForeignKey("partnerships.id", ondelete="SET NULL"),
                                                       index=True)
    signed_on: Mapped[date]
    value_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    value_currency: Mapped[str | None] = mapped_column(String(3))
    jobs_expected: Mapped[int | None] = mapped_column(Integer)
    sector_id: Mapped[int | None] = mapped_column(ForeignKey("sectors.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(24), default="signed")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    partnership = relationship("Partnership", lazy="joined")
    sector = relationship("Sector", lazy="joined")
    firms = relationship("Firm", secondary=agreement_firms, order_by="Firm.name")
    regions = relationship("Region", secondary=agreement_regions, order_by="Region.code")
    followups = relationship("FollowUp", secondary=agreement_followups, order_by="FollowUp.id")
    meetings = relationship("Meeting", secondary=agreement_meetings, order_by="Meeting.id")
    status_changes = relationship("AgreementStatusChange", back_populates="agreement", cascade="all, delete-orphan",
                                  order_by="(AgreementStatusChange.changed_on, AgreementStatusChange.id)",
                                  passive_deletes=True)

    __table_args__ = (
        CheckConstraint(f"kind IN {_in(KINDS)}", name="kind_known"),
        CheckConstraint(f"status IN {_in(AGREEMENT_STATUSES)}", name="status_known"),
        CheckConstraint("(value_amount IS NULL AND value_currency IS NULL) OR "
                        f"(value_amount >= 0 AND value_currency IN {_in(CURRENCIES)})", name="value_with_currency"),
        CheckConstraint("jobs_expected IS NULL OR jobs_expected >= 0", name="jobs_not_negative"),
        CheckConstraint("title <> ''", name="title_given"),
    )

    def audit_label(self) -> str:
        return self.title

    @classmethod
    def visible_to(cls, user):
        """Parties decide: a region named as a party, or the home region of a firm named as a party."""
        if user.role == Role.ADMIN:
            return true()
        if user.role in (Role.STATE, Role.PREFECTURE):
            region_party = exists(select(1).where(agreement_regions.c.agreement_id == cls.id,
                                                  agreement_regions.c.region_id == user.region_id))
            firm_party = exists(select(1).select_from(agreement_firms).join(Firm, Firm.id == agreement_firms.c.firm_id)
                                .where(agreement_firms.c.agreement_id == cls.id, Firm.region_id == user.region_id))
            return or_(region_party, firm_party)
        return false()

    @classmethod
    def editable_by(cls, user):
        return cls.visible_to(user)

    def __repr__(self) -> str:
        return f"<Agreement {self.id} {self.kind} {self.signed_on} {self.status}>"


class AgreementStatusChange(db.Model):
    """A dated change of an agreement's status (the first one is "signed" on the signing day)."""

    __tablename__ = "agreement_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("agreements.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(24))
    changed_on: Mapped[date]
    note: Mapped[str] = mapped_column(String(1000), default="")
    actor_label: Mapped[str] = mapped_column(String(255), default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agreement = relationship(Agreement, back_populates="status_changes")

    __table_args__ = (CheckConstraint(f"status IN {_in(AGREEMENT_STATUSES)}", name="status_known"),)

    def audit_label(self) -> str:
        """As the agreement's audit entry lists it: "Signed 2026-11-01"."""
        from planner.followups.forms import AGREEMENT_STATUS_LABELS

        return f"{AGREEMENT_STATUS_LABELS.get(self.status, self.status)} {self.changed_on.isoformat()}"

    def __repr__(self) -> str:
        return f"<AgreementStatusChange {self.agreement_id} {self.status} {self.changed_on}>"


class ExchangeRate(db.Model):
    """1 `base` = `rate` `quote`, from `valid_from` until the next rate of the pair. Set by administrators."""

    __tablename__ = "exchange_rates"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    base: Mapped[str] = mapped_column(String(3))
    quote: Mapped[str] = mapped_column(String(3))
    rate: Mapped[Decimal] = mapped_column(RATE)
    valid_from: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("base", "quote", "valid_from"),
        CheckConstraint(f"base IN {_in(CURRENCIES)} AND quote IN {_in(CURRENCIES)}", name="currencies_known"),
        CheckConstraint("base <> quote", name="two_currencies"),
        CheckConstraint("rate > 0", name="rate_positive"),
    )

    def audit_label(self) -> str:
        return f"1 {self.base} = {self.rate} {self.quote} from {self.valid_from}"

    @classmethod
    def visible_to(cls, user):
        return true() if user.role in STAFF_ROLES else false()

    @classmethod
    def editable_by(cls, user):
        return true() if user.role == Role.ADMIN else false()

    def __repr__(self) -> str:
        return f"<ExchangeRate {self.base}/{self.quote} {self.rate} from {self.valid_from}>"
