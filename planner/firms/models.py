from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    false,
    or_,
    true,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.core.constraints import one_of
from planner.core.imports import SpreadsheetImport
from planner.core.roles import STAFF_ROLES, Role
from planner.core.types import UTCDateTime, utcnow
from planner.extensions import db

FIRM_STATUSES = ("draft", "active", "archived")
CURRENCIES = ("INR", "JPY", "USD")
INTERESTS = ("technology_partner", "joint_venture", "supplier", "buyer", "distributor", "investor", "licensing")
INDUSTRIES = ("manufacturing", "wholesale", "retail", "services")
SIZE_CLASSES = ("micro", "small", "medium", "sme", "mid_sized", "large", "unknown")
LANGUAGES = ("en", "ja")
MONEY = Numeric(18, 2)


def _in(column: str, values) -> str:
    return f"{column} IN {one_of(values)}"


def _money_check(name: str) -> CheckConstraint:
    return CheckConstraint(
        f"({name}_amount IS NULL AND {name}_currency IS NULL) OR "
        f"({name}_amount >= 0 AND {_in(name + '_currency', CURRENCIES)})", name=f"{name}_with_currency")


firm_sectors = Table(
    "firm_sectors",
    db.metadata,
    Column("firm_id", ForeignKey("firms.id", ondelete="CASCADE"), primary_key=True),
    Column("sector_id", ForeignKey("sectors.id", ondelete="RESTRICT"), primary_key=True, index=True),
)


class Firm(db.Model):
    """An Indian or Japanese firm; its home region is its tenant (only that region's office or cell edits it)."""

    __tablename__ = "firms"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_ja: Mapped[str] = mapped_column(String(200), default="")
    name_kana: Mapped[str] = mapped_column(String(200), default="")
    # The name with case, punctuation, width and legal suffixes removed: what duplicate detection compares.
    name_key: Mapped[str] = mapped_column(String(200))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id", ondelete="RESTRICT"), index=True)
    city: Mapped[str] = mapped_column(String(100), default="")
    offers: Mapped[str] = mapped_column(String(200), default="")  # interest codes, comma-separated, sorted
    seeks: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    website_domain: Mapped[str] = mapped_column(String(253), default="", index=True)
    year_founded: Mapped[int | None] = mapped_column(Integer)
    employees: Mapped[int | None] = mapped_column(Integer)
    industry: Mapped[str | None] = mapped_column(String(20))
    capital_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    capital_currency: Mapped[str | None] = mapped_column(String(3))
    investment_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    investment_currency: Mapped[str | None] = mapped_column(String(3))
    turnover_amount: Mapped[Decimal | None] = mapped_column(MONEY)
    turnover_currency: Mapped[str | None] = mapped_column(String(3))
    certifications: Mapped[str] = mapped_column(String(500), default="")
    size_class: Mapped[str] = mapped_column(String(12), default="unknown", index=True)
    status: Mapped[str] = mapped_column(String(10), default="active", index=True)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("firms.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    region = relationship("Region", lazy="joined")
    sectors = relationship("Sector", secondary=firm_sectors, order_by="Sector.position")
    contacts = relationship("FirmContact", back_populates="firm", cascade="all, delete-orphan",
                            order_by="FirmContact.id", passive_deletes=True)

    __table_args__ = (
        CheckConstraint(_in("status", FIRM_STATUSES), name="status_known"),
        CheckConstraint(_in("size_class", SIZE_CLASSES), name="size_class_known"),
        CheckConstraint("industry IS NULL OR " + _in("industry", INDUSTRIES), name="industry_known"),
        CheckConstraint("employees IS NULL OR employees >= 0", name="employees_not_negative"),
        CheckConstraint("year_founded IS NULL OR year_founded BETWEEN 1600 AND 2100", name="year_founded_sensible"),
        CheckConstraint("name <> ''", name="name_given"),
        CheckConstraint("merged_into_id IS NULL OR merged_into_id <> id", name="not_merged_into_itself"),
        _money_check("capital"),
        _money_check("investment"),
        _money_check("turnover"),
        Index("ix_firms_region_id_name_key", "region_id", "name_key"),
    )

    @property
    def country(self) -> str:
        return self.region.country

    @property
    def offers_list(self) -> list[str]:
        return [code for code in self.offers.split(",") if code]

    @property
    def seeks_list(self) -> list[str]:
        return [code for code in self.seeks.split(",") if code]

    @property
    def certification_list(self) -> list[str]:
        return [item.strip() for item in self.certifications.split(";") if item.strip()]

    def audit_label(self) -> str:
        return f"{self.name} ({self.region.code})" if self.region else self.name

    @classmethod
    def visible_to(cls, user):
        # Active profiles are shared so both sides find partners (delegates see them without contact details);
        # drafts and archived firms stay with their own region.
        if user.role == Role.ADMIN:
            return true()
        if user.role in (Role.STATE, Role.PREFECTURE):
            return or_(cls.status == "active", cls.region_id == user.region_id)
        if user.role == Role.DELEGATE:
            return cls.status == "active"
        return false()

    @classmethod
    def editable_by(cls, user):
        if user.role == Role.ADMIN:
            return true()
        if user.role in (Role.STATE, Role.PREFECTURE):
            return cls.region_id == user.region_id
        return false()

    def __repr__(self) -> str:
        return f"<Firm {self.id} {self.name!r} {self.status}>"


class FirmContact(db.Model):
    """A person at the firm. Contact details are shown to staff only."""

    __tablename__ = "firm_contacts"
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    firm_id: Mapped[int] = mapped_column(ForeignKey("firms.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    phone: Mapped[str] = mapped_column(String(50), default="")
    language: Mapped[str] = mapped_column(String(2), default="en")

    firm = relationship("Firm", back_populates="contacts")

    __table_args__ = (
        CheckConstraint(_in("language", LANGUAGES), name="language_known"),
        CheckConstraint("name <> ''", name="name_given"),
    )

    def audit_label(self) -> str:
        return f"{self.name} ({self.firm.name})" if self.firm else self.name

    def __repr__(self) -> str:
        return f"<FirmContact {self.id} {self.name!r} of firm {self.firm_id}>"


class FirmImport(SpreadsheetImport):
    """A firm spreadsheet between preview and confirm; it belongs to the uploader's region."""

    __mapper_args__ = {"polymorphic_identity": "firms"}

    def audit_label(self) -> str:
        return f"import {self.id} {self.filename}"

    @classmethod
    def visible_to(cls, user):
        if user.role == Role.ADMIN:
            return true()
        if user.role in STAFF_ROLES:
            return cls.region_id == user.region_id
        return false()

    @classmethod
    def editable_by(cls, user):
        return cls.visible_to(user)
