"""Absolute links in mails and feeds, built from PUBLIC_BASE_URL (the CLI and the demo enqueue mail too, with no
request to take a host from), and the signed Accept/Decline/Tentative links (r15)."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app

from planner.core.types import utcnow
from planner.core.urls import public_url  # noqa: F401  (re-exported for the invite modules)
from planner.invites.compose import Recipient, Subject
from planner.invites.tokens import RSVP_ANSWERS, make_rsvp_token

ANSWER_VALIDITY = timedelta(days=30)  # after the meeting ends


def webcal_url(url: str) -> str:
    """The same feed for calendar apps that subscribe on a click (webcal: is http(s) by another name)."""
    return "webcal://" + url.split("://", 1)[1]


def rsvp_expiry(subject: Subject, now: datetime | None = None) -> datetime:
    return max(subject.end, now or utcnow()) + ANSWER_VALIDITY


def rsvp_links(subject: Subject, recipient: Recipient, sequence: int | None = None) -> dict[str, str]:
    """The three answer links of a mail carrying the invite at ``sequence``."""
    secret = current_app.config["SECRET_KEY"]
    expires_at = rsvp_expiry(subject)
    return {answer: public_url("invites.rsvp", token=make_rsvp_token(
        secret, event_uid=subject.uid, person_id=recipient.person_id, answer=answer, expires_at=expires_at,
        sequence=sequence, email=recipient.email)) for answer in RSVP_ANSWERS}


def subject_url(subject: Subject) -> str:
    if subject.kind == "event":
        return public_url("itinerary.event", event_id=subject.object_id)
    return public_url("itinerary.my_agenda")
