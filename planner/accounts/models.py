import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from planner.core.roles import Role
from planner.core.types import UTCDateTime, utcnow
from planner.extensions import db

ROLE_VALUES = ", ".join(f"'{role.value}'" for role in Role)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __audited__ = True
    __audit_redact__ = ("password_hash", "session_token")
    # the "login" entry records each login (by the user, at its time): an "update" of last_login_at beside it
    # read as a second change, by "someone not logged in"
    __audit_ignore__ = ("last_login_at",)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id", ondelete="RESTRICT"), index=True)
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())
    locale: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    password_changed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Part of the id a login session carries (Flask-Login's "alternative token"): a new one ends every
    # session of the account, and a copied session cookie with it.  Changed on logout, on a password
    # change or reset, and when an administrator deactivates the account or changes its role or region.
    session_token: Mapped[str] = mapped_column(String(64), default=lambda: secrets.token_urlsafe(32),
                                               server_default="")

    region = relationship("Region", lazy="joined")

    __table_args__ = (
        CheckConstraint(f"role IN ({ROLE_VALUES})", name="role_known"),
        # State cells and prefecture offices are bound to one region; administrators and delegates are not.
        CheckConstraint(
            "(role IN ('state', 'prefecture') AND region_id IS NOT NULL)"
            " OR (role IN ('admin', 'delegate') AND region_id IS NULL)",
            name="region_matches_role",
        ),
    )

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    def end_sessions(self) -> None:
        """Every session of this account ends (the next request of each is anonymous)."""
        self.session_token = secrets.token_urlsafe(32)

    @property
    def role_enum(self) -> Role:
        return Role(self.role)

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.ADMIN, Role.STATE, Role.PREFECTURE)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def audit_label(self) -> str:
        return self.email

    @classmethod
    def visible_to(cls, user):
        return true() if user.role == Role.ADMIN else cls.id == user.id

    @classmethod
    def editable_by(cls, user):
        return true() if user.role == Role.ADMIN else false()

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"


class LoginFailure(db.Model):
    """One failed login. Counted per account and per client address over a window, across all workers."""

    __tablename__ = "login_failures"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    email: Mapped[str] = mapped_column(String(254))
    address: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        db.Index("ix_login_failures_email_at", "email", "at"),
        db.Index("ix_login_failures_address_at", "address", "at"),
    )

    def __repr__(self) -> str:
        return f"<LoginFailure {self.email} from {self.address} at {self.at:%Y-%m-%d %H:%M}>"


class PasswordResetRequest(db.Model):
    """One "Forgot your password?" asked from a client address, whatever address it named: counted over an
    hour, so that one client cannot have the planner mail links to address after address."""

    __tablename__ = "password_reset_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    address: Mapped[str] = mapped_column(String(64))

    __table_args__ = (db.Index("ix_password_reset_requests_address_at", "address", "at"),)

    def __repr__(self) -> str:
        return f"<PasswordResetRequest from {self.address} at {self.at:%Y-%m-%d %H:%M}>"
