"""Signed RSVP tokens for the Accept/Decline links in invites [r15].

A token names one event (its UID), one person and one answer, and carries its expiry; it is signed with the
app's secret (itsdangerous, HMAC-SHA1 via the default signer; a list of secrets, newest last, allows key
rotation). The link opens a page; only a POST from that page records the answer, because mail scanners open
links. Pure: no Flask, no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from hashlib import sha256

from itsdangerous import BadSignature, URLSafeSerializer

__all__ = ["RSVP_ANSWERS", "RsvpToken", "RsvpTokenError", "make_rsvp_token", "read_rsvp_token",
           "load_rsvp_token", "mailbox_digest", "signed_person_id"]

RSVP_ANSWERS = ("accept", "decline", "tentative")
_SALT = "planner.invites.rsvp.v1"


class RsvpTokenError(ValueError):
    """The token is forged, damaged, expired, or not for this event, person or answer. ``reason`` is one of
    "invalid", "expired", "mismatch"."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class RsvpToken:
    event_uid: str
    person_id: int
    answer: str
    expires_at: datetime
    sequence: int | None = None  # the invite's SEQUENCE in the mail the link came in (None: links made before)
    mailbox: str | None = None  # mailbox_digest of the address the link was mailed to (None: links made before)


def mailbox_digest(email: str) -> str:
    """A short digest of an address, so that a link stops answering for a person once their address has
    changed (the old mailbox may be someone else's now) without putting the address itself in the URL."""
    return sha256(email.strip().lower().encode()).hexdigest()[:16]


def _serializer(secret: str | bytes | Sequence[str | bytes]) -> URLSafeSerializer:
    if not secret:
        raise ValueError("a secret is required")
    return _cached_serializer(tuple(secret) if isinstance(secret, list) else secret)


@lru_cache(maxsize=8)
def _cached_serializer(secret) -> URLSafeSerializer:
    """One serializer per secret (a mail carries three links; a schedule's confirmation hundreds of mails)."""
    return URLSafeSerializer(list(secret) if isinstance(secret, tuple) else secret, salt=_SALT)


def _check_answer(answer: str) -> str:
    if answer not in RSVP_ANSWERS:
        raise ValueError(f"answer must be one of {', '.join(RSVP_ANSWERS)}, not {answer!r}")
    return answer


def make_rsvp_token(secret, *, event_uid: str, person_id: int, answer: str, expires_at: datetime,
                    sequence: int | None = None, email: str | None = None) -> str:
    """A URL-safe token for ``person_id`` answering ``answer`` to the event ``event_uid`` until ``expires_at``
    (an aware datetime); ``sequence``: the SEQUENCE of the invite the link is mailed with, so that the page
    can say when the invite has changed since."""
    if not isinstance(event_uid, str) or not event_uid:
        raise ValueError("event_uid must be a non-empty string")
    if isinstance(person_id, bool) or not isinstance(person_id, int) or person_id <= 0:
        raise ValueError("person_id must be a positive integer")
    if expires_at.tzinfo is None or expires_at.utcoffset() is None:
        raise ValueError("expires_at must be timezone-aware")
    payload = {"e": event_uid, "p": person_id, "a": _check_answer(answer), "x": int(expires_at.timestamp())}
    if sequence is not None:
        if isinstance(sequence, bool) or not isinstance(sequence, int) or sequence < 0:
            raise ValueError("sequence must be a non-negative integer")
        payload["s"] = sequence
    if email:
        payload["m"] = mailbox_digest(email)
    return _serializer(secret).dumps(payload)


def load_rsvp_token(secret, token: str, *, now: datetime | None = None) -> RsvpToken:
    """Verify the signature and the expiry and return what the token says (for the page the link opens)."""
    try:
        payload = _serializer(secret).loads(token)
        token_data = RsvpToken(
            event_uid=str(payload["e"]), person_id=int(payload["p"]), answer=_check_answer(payload["a"]),
            expires_at=datetime.fromtimestamp(int(payload["x"]), UTC),
            sequence=int(payload["s"]) if payload.get("s") is not None else None,
            mailbox=str(payload["m"]) if payload.get("m") is not None else None)
    except (BadSignature, KeyError, TypeError, ValueError) as exc:
        raise RsvpTokenError("invalid", "the link is not valid") from exc
    if (now or datetime.now(UTC)) >= token_data.expires_at:
        raise RsvpTokenError("expired", "the link has expired")
    return token_data


def signed_person_id(secret, token: str) -> int | None:
    """The person a genuine token names, expired or not (None for a forged or damaged one): the page that
    refuses a link still speaks its recipient's language."""
    try:
        return int(_serializer(secret).loads(token)["p"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None


def read_rsvp_token(secret, token: str, *, event_uid: str, person_id: int, answer: str,
                    now: datetime | None = None) -> RsvpToken:
    """Verify the token for exactly this event, person and answer (the POST that records the answer)."""
    data = load_rsvp_token(secret, token, now=now)
    if (data.event_uid, data.person_id, data.answer) != (event_uid, person_id, answer):
        raise RsvpTokenError("mismatch", "the link is for another event, person or answer")
    return data
