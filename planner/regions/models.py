from sqlalchemy import CheckConstraint, String, false, true
from sqlalchemy.orm import Mapped, mapped_column

from planner.core.roles import STAFF_ROLES
from planner.extensions import db

COUNTRY_TIMEZONES = {"IN": "Asia/Kolkata", "JP": "Asia/Tokyo"}


class Region(db.Model):
    """An Indian state or union territory, or a Japanese prefecture (ISO 3166-2 code)."""

    __tablename__ = "regions"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(6), unique=True)
    country: Mapped[str] = mapped_column(String(2))
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    name_ja: Mapped[str | None] = mapped_column(String(20))
    capital: Mapped[str] = mapped_column(String(100), default="")

    __table_args__ = (
        CheckConstraint("country IN ('IN', 'JP')", name="country_known"),
        CheckConstraint("kind IN ('state', 'union_territory', 'prefecture')", name="kind_known"),
    )

    @property
    def timezone(self) -> str:
        return COUNTRY_TIMEZONES[self.country]

    @property
    def is_indian(self) -> bool:
        return self.country == "IN"

    @property
    def display_name(self) -> str:
        """'Shizuoka (静岡県)' for prefectures, 'Gujarat' for states; '静岡県', 'グジャラート州' on Japanese pages."""
        from planner.i18n.names import region_name

        return region_name(self)

    @property
    def display_capital(self) -> str:
        """'Shizuoka'; 静岡市 on Japanese pages (Indian capitals stay in their English names)."""
        from planner.core.timefmt import display_language
        from planner.regions.data import PREFECTURE_CAPITALS_JA

        if display_language() == "ja":
            return PREFECTURE_CAPITALS_JA.get(self.code, self.capital)
        return self.capital

    @classmethod
    def visible_to(cls, user):
        return true() if user.role in STAFF_ROLES else false()

    @classmethod
    def editable_by(cls, user):
        return false()

    def __str__(self) -> str:
        return self.display_name

    def __repr__(self) -> str:
        return f"<Region {self.code} {self.name}>"


class Sector(db.Model):
    """A business sector from the managed list (firms, partnerships and delegations refer to it)."""

    __tablename__ = "sectors"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    position: Mapped[int] = mapped_column(default=0)
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())

    @property
    def display_name(self) -> str:
        """The name in the interface's language."""
        from planner.i18n.names import sector_name

        return sector_name(self)

    def __str__(self) -> str:
        return self.display_name

    def __repr__(self) -> str:
        return f"<Sector {self.code}>"
