"""A forgotten password: a link by mail with which the account's holder sets a new one.

The link carries a signed token (itsdangerous with the app's secret and its own salt, as the invite and
feedback links) naming the account, its expiry and a fingerprint of the account's password hash and session
key as they were when the link was made. Any new password (this link's, the holder's own change, an
administrator's temporary one) changes both, so a link works once and a link asked for before the last change
works no more. So does anything that ends the account's sessions: logging out, and an administrator
deactivating the account or changing its role or region; a deactivated account's links do not work again when
it is reactivated (they did, within their hour, when only the password counted). Opening the link changes
nothing (mail scanners open links): only the form it shows does.

Asking for a link answers the same whether or not the address has an account, so that nobody learns which
addresses do; at most RESETS_PER_HOUR mails go to one address in an hour (whoever asks). Nor does it answer
sooner for an address without an account: the answer waits until ANSWER_SECONDS after the question, longer
than writing the mail takes (an account's answer took 7 ms, an unknown address's 3 ms: a difference a stranger
measures with a few dozen questions). One client address may ask PASSWORD_RESET_MAX_PER_ADDRESS times an hour,
for whatever addresses: the per-address limit alone let one client have the planner mail three links an hour
to each of any number of addresses.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, func, select

from planner.accounts.models import LoginFailure, PasswordResetRequest, User
from planner.accounts.operations import normalise_email, set_password
from planner.core.audit import record_action
from planner.core.types import utcnow
from planner.core.urls import public_url
from planner.extensions import db
from planner.outbox.models import OutboxMessage
from planner.outbox.operations import enqueue_notice

_SALT = "password-reset"
RELATED_TYPE = "password_reset"  # the outbox's related_type of the mails: counted by the hourly limit
RESETS_PER_HOUR = 3
DEFAULT_MINUTES = 60
WELCOME_DAYS = 3  # a new account's link: its holder may read the mail days later
ANSWER_SECONDS = 0.3  # the least time an answer to "Forgot your password?" takes, mail or none


class TooManyRequests(Exception):
    """This client address asked for links too often in the last hour."""


class ResetLinkError(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "invalid" (forged or damaged), "expired", or "used" (or the account is off)


def link_minutes() -> int:
    """How long a link works: PLANNER_PASSWORD_RESET_MINUTES (10 minutes to a day), 60 by default."""
    return min(int(current_app.config.get("PASSWORD_RESET_MINUTES") or DEFAULT_MINUTES), 24 * 60)


def _fingerprint(user: User) -> str:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    seen = f"{user.id}:{user.password_hash}:{user.session_token}".encode()
    return hmac.new(secret, seen, hashlib.sha256).hexdigest()[:32]


def make_token(user: User, expires_at: datetime) -> str:
    serializer = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)
    return serializer.dumps({"u": user.id, "f": _fingerprint(user), "x": int(expires_at.timestamp())})


def account_for(token: str, *, now: datetime | None = None, lock: bool = False) -> User:
    """The account the link may set a password for; ResetLinkError if it may not (any more). ``lock``: the
    account's row is locked first (PostgreSQL) and read afresh, for a use that sets the password."""
    serializer = URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)
    try:
        payload = serializer.loads(token)
        user_id, fingerprint = int(payload["u"]), str(payload["f"])
        expires = datetime.fromtimestamp(int(payload["x"]), UTC)
    except (BadSignature, KeyError, TypeError, ValueError, OverflowError, OSError):
        raise ResetLinkError("invalid") from None
    if (now or utcnow()) >= expires:
        raise ResetLinkError("expired")
    user = db.session.get(User, user_id, with_for_update={"of": User} if lock else None, populate_existing=lock)
    if user is None or not user.is_active or not hmac.compare_digest(fingerprint, _fingerprint(user)):
        raise ResetLinkError("used")
    return user


def mail_text(name: str, email: str, link: str, minutes: int) -> str:
    """The mail, in the locale in force."""
    return "\n".join([
        _("Dear %(name)s,", name=name), "",
        _("Someone, we hope you, asked to reset the password of your Delegation Planner account (%(email)s).",
          email=email),
        _("To choose a new password, open this link within %(minutes)d minutes:", minutes=minutes), "",
        link, "",
        _("The link works once. If you did not ask for it, ignore this mail: your password stays as it is."), ""])


def welcome_text(name: str, email: str, link: str, days: int, login: str) -> str:
    """The mail to a new account's holder, in the locale in force."""
    return "\n".join([
        _("Dear %(name)s,", name=name), "",
        _("An account on the Delegation Planner has been opened for you; you log in with %(email)s.", email=email),
        _("To choose your password, open this link within %(days)d days:", days=days), "",
        link, "",
        _("Then log in at %(url)s. If the link has expired, ask for a new one there (\"Forgot your password?\").",
          url=login), ""])


def send_welcome(user: User, language: str, *, now: datetime | None = None) -> None:
    """Mail a new account's holder a link to choose their password (it works for WELCOME_DAYS)."""
    now = now or utcnow()
    link = public_url("accounts.reset_password", token=make_token(user, now + timedelta(days=WELCOME_DAYS)))
    with force_locale(user.locale if user.locale in ("en", "ja") else language):
        subject = _("Your Delegation Planner account")
        text = welcome_text(user.name, user.email, link, WELCOME_DAYS, public_url("accounts.login"))
    enqueue_notice(to_email=user.email, to_name=user.name, subject=subject, text_body=text,
                   related_type=RELATED_TYPE, related_id=user.id)


def answer_seconds() -> float:
    """How long an answer to "Forgot your password?" takes at least (PASSWORD_RESET_ANSWER_SECONDS in tests)."""
    return float(current_app.config.get("PASSWORD_RESET_ANSWER_SECONDS", ANSWER_SECONDS))


def note_request(address: str, *, now: datetime | None = None) -> None:
    """Count a question from the client ``address``; TooManyRequests (and nothing counted) when it asked
    PASSWORD_RESET_MAX_PER_ADDRESS times in the last hour. Questions older than a day are forgotten."""
    now = now or utcnow()
    asked = db.session.scalar(select(func.count()).select_from(PasswordResetRequest).where(
        PasswordResetRequest.address == address[:64], PasswordResetRequest.at >= now - timedelta(hours=1)))
    if asked >= current_app.config["PASSWORD_RESET_MAX_PER_ADDRESS"]:
        raise TooManyRequests
    db.session.execute(delete(PasswordResetRequest).where(PasswordResetRequest.at < now - timedelta(days=1)))
    db.session.add(PasswordResetRequest(address=address[:64], at=now))


def request_reset(email: str, language: str, *, now: datetime | None = None) -> bool:
    """Mail a link to the active account of ``email``, in its holder's language (else ``language``, the page's).
    False when nothing was sent: no such active account, or the hourly limit reached. The caller says the
    same either way. Questions for one account at once take turns on its row (PostgreSQL; SQLite's writers
    take turns already): each counted the mails before any was written, so a burst of N sent N."""
    now = now or utcnow()
    user = db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email))
                             .with_for_update(of=User).execution_options(populate_existing=True))
    if user is None or not user.is_active:
        return False
    sent = db.session.scalar(select(func.count()).select_from(OutboxMessage).where(
        OutboxMessage.related_type == RELATED_TYPE, func.lower(OutboxMessage.to_email) == user.email.lower(),
        OutboxMessage.created_at >= now - timedelta(hours=1)))
    if sent >= RESETS_PER_HOUR:
        return False
    send_reset(user, language, now=now)
    return True


def role_language(user: User, fallback: str) -> str:
    """The language of a mail an administrator sends an account's holder who has not chosen one: a prefecture
    office's is Japanese, a state cell's English, anyone else's ``fallback`` (the administrator's page's)."""
    return {"prefecture": "ja", "state": "en"}.get(user.role, fallback)


def send_reset(user: User, language: str, *, now: datetime | None = None) -> None:
    """Mail the account's holder a link to set a new password (asked for by them, or by an administrator for
    them), in their language (else ``language``)."""
    now = now or utcnow()
    minutes = link_minutes()
    link = public_url("accounts.reset_password", token=make_token(user, now + timedelta(minutes=minutes)))
    with force_locale(user.locale if user.locale in ("en", "ja") else language):
        subject = _("Reset your Delegation Planner password")
        text = mail_text(user.name, user.email, link, minutes)
    enqueue_notice(to_email=user.email, to_name=user.name, subject=subject, text_body=text,
                   related_type=RELATED_TYPE, related_id=user.id)  # no region: only administrators see it


def reset_with_link(token: str, new_password: str, *, now: datetime | None = None) -> User:
    """Set the password the link's holder chose: every session of the account ends, and its failed logins are
    forgotten (the holder proved they read the account's mail). Two uses of one link at once take turns on
    the account's row (PostgreSQL; SQLite's writers take turns already): both had found the old password and
    both set theirs, so the link worked twice; the second now finds it changed."""
    user = account_for(token, now=now, lock=True)
    set_password(user, new_password)
    db.session.execute(delete(LoginFailure).where(LoginFailure.email == user.email))
    record_action(user, "password_reset_by_mail")
    return user
