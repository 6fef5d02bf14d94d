"""Account rules: creating users, logging in with throttling, changing passwords. Callable without a request."""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, func, select, text

from planner.accounts.models import LoginFailure, User
from planner.accounts.passwords import (
    MIN_PASSWORD_LENGTH,
    hash_password,
    needs_rehash,
    verify_dummy,
    verify_password,
)
from planner.core.audit import acting_as, record_action
from planner.core.errors import DomainError
from planner.core.roles import Role
from planner.core.types import utcnow
from planner.extensions import db
from planner.regions.models import Region


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def check_password_strength(password: str, field: str = "password") -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise DomainError(_("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH), field)


def _check_role_and_region(role: str, region: Region | None) -> None:
    try:
        role = Role(role)
    except ValueError:
        raise DomainError(_("Unknown role."), "role") from None
    if role.needs_region:
        if region is None:
            raise DomainError(_("A %(role)s user must be bound to a region.", role=role.label), "region")
        if region.country != role.region_country:
            expected = _("an Indian state or union territory") if role == Role.STATE else _("a Japanese prefecture")
            raise DomainError(_("Choose %(expected)s for this role.", expected=expected), "region")
    elif region is not None:
        raise DomainError(_("Administrators and delegates are not bound to a region."), "region")


def _check_identity(email: str, name: str) -> None:
    """What the account form checks, for every way in (the form, the CLI)."""
    from email_validator import EmailNotValidError, validate_email

    if not email:
        raise DomainError(_("Enter the e-mail address."), "email")
    if len(email) > 254:
        raise DomainError(_("An e-mail address has at most 254 characters."), "email")
    try:
        validate_email(email, check_deliverability=False, test_environment=True)
    except EmailNotValidError:
        raise DomainError(_("Enter a valid e-mail address."), "email") from None
    _check_name(name)


def _check_name(name: str) -> None:
    if not name.strip():
        raise DomainError(_("Enter the name."), "name")
    if len(name.strip()) > 200:
        raise DomainError(_("A name has at most 200 characters."), "name")


def create_user(*, email: str, name: str, role: str, password: str, region: Region | None = None) -> User:
    email = normalise_email(email)
    _check_identity(email, name)
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        raise DomainError(_("A user with this e-mail address exists already."), "email")
    _check_role_and_region(role, region)
    check_password_strength(password)
    user = User(email=email, name=name.strip(), role=str(role), region=region, password_hash=hash_password(password),
                password_changed_at=utcnow())
    db.session.add(user)
    db.session.flush()
    return user


def update_user(user: User, *, name: str, role: str, region: Region | None, is_active: bool,
                editor: User | None = None) -> list:
    """An administrator's change.  Deactivating an account, or changing its role or region, ends its
    sessions (what it may see changes), and its open follow-ups that it may no longer see are left
    without an owner (returned, for the administrator to be told).  An administrator cannot lock
    themselves out, nor leave the planner without an active administrator."""
    _check_name(name)
    _check_role_and_region(role, region)
    was_admin = user.is_active and user.role == Role.ADMIN
    if was_admin and (not is_active or str(role) != Role.ADMIN):
        field = "is_active" if not is_active else "role"
        if editor is not None and editor.id == user.id:
            raise DomainError(_("You cannot deactivate your own account or take away your own administrator "
                                "role; another administrator can."), field)
        # the active administrators' rows locked first (PostgreSQL): of two administrators demoting each
        # other at once, the second counts after the first has committed (SQLite's writers take turns)
        db.session.execute(select(User.id).where(User.role == Role.ADMIN, User.is_active.is_(True))
                           .with_for_update(key_share=True, of=User))
        others = db.session.scalar(select(func.count(User.id)).where(
            User.role == Role.ADMIN, User.is_active.is_(True), User.id != user.id))
        if not others:
            raise DomainError(_("This is the last active administrator."), field)
    sight_changes = str(role) != user.role or (region.id if region else None) != user.region_id
    if not is_active or sight_changes:
        user.end_sessions()
    if not is_active and user.is_active:
        # the calendar feeds of the person this account is: no login, the secret URL is the authority
        from planner.delegations.models import Person
        from planner.invites.feeds import revoke_feeds

        for person in db.session.scalars(select(Person).where(Person.user_id == user.id)):
            revoke_feeds(person)
    user.name, user.role, user.region, user.is_active = name.strip(), str(role), region, is_active
    db.session.flush()
    if not sight_changes:
        return []
    from planner.followups.operations import release_followups_out_of_sight

    return release_followups_out_of_sight(user)


def set_password(user: User, new_password: str, *, must_change: bool = False) -> None:
    """A new password ends every session of the account (a copied session cookie with them); the caller
    logs the current browser in again when it is the user's own change."""
    check_password_strength(new_password, "new_password")
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    user.must_change_password = must_change
    user.end_sessions()
    db.session.flush()


def reset_password(user: User, temporary_password: str) -> None:
    """An administrator sets a temporary password for a user who forgot theirs or is locked out: the
    user must choose their own at the next login, and the failed logins of the account are forgotten."""
    set_password(user, temporary_password, must_change=True)
    db.session.execute(delete(LoginFailure).where(LoginFailure.email == user.email))
    record_action(user, "password_reset")


def change_own_password(user: User, current_password: str, new_password: str, address: str = "unknown") -> None:
    """A wrong current password counts as a failed login (the same throttle: whoever holds an open
    session could otherwise guess the password without limit); the caller commits the failure."""
    check_login_throttle(user.email, address)
    if not verify_password(user.password_hash, current_password):
        db.session.add(LoginFailure(email=user.email[:254], address=address[:64]))
        db.session.flush()
        raise DomainError(_("This is not your current password."), "current_password")
    if current_password == new_password:
        raise DomainError(_("Choose a password different from the current one."), "new_password")
    set_password(user, new_password)
    record_action(user, "password_changed")


class LoginThrottled(Exception):
    def __init__(self, retry_after_seconds: int):
        super().__init__("too many failed logins")
        self.retry_after_seconds = retry_after_seconds


@dataclass
class LoginResult:
    user: User | None

    @property
    def ok(self) -> bool:
        return self.user is not None


def _window_start():
    return utcnow() - timedelta(seconds=current_app.config["LOGIN_FAILURE_WINDOW_SECONDS"])


def check_login_throttle(email: str, address: str) -> None:
    """Raise LoginThrottled when the account has failed too often in the window from this client address, or
    from all addresses together (a higher limit), or the address has for any accounts. Five wrong passwords
    from anywhere used to lock the owner out too: anyone could keep any account locked with five requests
    every quarter of an hour. On PostgreSQL the account's attempts take turns until their transaction ends
    (an advisory lock on the address typed): attempts at once all counted the same failures before any was
    recorded, so a burst of N guessed N times past the limit. (SQLite's writers take turns at BEGIN already.) The per-address count
    is not serialised: an office behind one address must not log in one at a time."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"login:{email}"})
    config = current_app.config
    since = _window_start()
    recent = select(func.count()).where(LoginFailure.at >= since)
    by_account = db.session.scalar(recent.where(LoginFailure.email == email))
    by_account_here = db.session.scalar(recent.where(LoginFailure.email == email, LoginFailure.address == address))
    by_address = db.session.scalar(recent.where(LoginFailure.address == address))
    if (by_account_here >= config["LOGIN_MAX_FAILURES_PER_ACCOUNT_ADDRESS"]
            or by_account >= config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]
            or by_address >= config["LOGIN_MAX_FAILURES_PER_ADDRESS"]):
        raise LoginThrottled(config["LOGIN_FAILURE_WINDOW_SECONDS"])


def authenticate(email: str, password: str, address: str) -> LoginResult:
    """Check the credentials. A failure is recorded (the caller commits it even though the login fails)."""
    email = normalise_email(email)
    check_login_throttle(email, address)
    user = db.session.scalar(select(User).where(User.email == email))
    # one password verification on every path: a deactivated account answered in 3 ms, others in 100+
    if user is None:
        verify_dummy(password)
        valid = False
    else:
        valid = verify_password(user.password_hash, password)
    if user is None or not user.is_active or not valid:
        db.session.add(LoginFailure(email=email[:254], address=address[:64]))
        db.session.flush()
        return LoginResult(None)
    with acting_as(user):  # the login's own bookkeeping (a rehash, a first session token) is the user's
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        user.last_login_at = utcnow()
        if not user.session_token:  # an account from before session tokens
            user.end_sessions()
        db.session.execute(delete(LoginFailure).where(LoginFailure.email == email))
        db.session.flush()
    return LoginResult(user)


def prune_login_failures() -> int:
    """Forget failures older than the window (kept small; run from the CLI or a timer)."""
    result = db.session.execute(delete(LoginFailure).where(LoginFailure.at < _window_start()))
    return result.rowcount or 0
