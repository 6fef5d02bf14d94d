"""Answers to invites: the page a link opens reads the token; only the POST from that page records (r15)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from planner.core.errors import DomainError
from planner.core.types import utcnow
from planner.extensions import db
from planner.invites.models import ANSWER_STATES, CalendarInvite, InviteRecipient
from planner.invites.subjects import event_subject, meeting_subject
from planner.invites.tokens import RsvpToken, load_rsvp_token, mailbox_digest, read_rsvp_token
from planner.itinerary.models import Event, EventAttendee


@dataclass
class Answerable:
    token: RsvpToken
    invite: CalendarInvite
    recipient: InviteRecipient
    subject: object  # compose.Subject, for the page

    @property
    def changed_since(self) -> bool:
        """The invite changed after the mail the link came in (the page shows the current time and place)."""
        return self.token.sequence is not None and self.token.sequence < self.recipient.sequence


def open_token(token: str, *, expected: RsvpToken | None = None) -> Answerable:
    """What the token answers, if it is genuine, unexpired, and the person still holds the invite.
    Raises RsvpTokenError (bad or expired link) or DomainError (no longer invited)."""
    secret = current_app.config["SECRET_KEY"]
    if expected is None:
        data = load_rsvp_token(secret, token)
    else:
        data = read_rsvp_token(secret, token, event_uid=expected.event_uid, person_id=expected.person_id,
                               answer=expected.answer)
    invite = db.session.scalar(select(CalendarInvite).where(CalendarInvite.uid == data.event_uid))
    recipient = next((r for r in invite.recipients if r.person_id == data.person_id), None) if invite else None
    if recipient is None or not recipient.holds_invite or not invite.is_active:
        raise DomainError(_("This invitation is no longer open: the event was cancelled or you were taken off it."))
    # the person's address now: a link mailed to an old one answers nothing, even before the invite follows
    current = recipient.person.email if recipient.person is not None else recipient.email
    if data.mailbox is not None and data.mailbox != mailbox_digest(current or ""):
        raise DomainError(_("This link was sent to an e-mail address the invitation no longer goes to; use the "
                            "links in the latest invitation, sent to the current address."))
    if invite.kind == "event":
        subject = event_subject(db.session.get(Event, invite.event_id))
    else:
        from planner.matchmaking.models import Meeting

        subject = meeting_subject(db.session.get(Meeting, invite.meeting_id))
    return Answerable(data, invite, recipient, subject)


def record_answer(answerable: Answerable) -> InviteRecipient:
    """Store the answer on the recipient (and on the event's attendee row, which the itinerary shows)."""
    return record_state(answerable.invite, answerable.recipient, ANSWER_STATES[answerable.token.answer])


def record_state(invite: CalendarInvite, recipient: InviteRecipient, state: str,
                 at: datetime | None = None) -> InviteRecipient:
    """Store ``state`` (accepted, declined, tentative) as the recipient's answer, given ``at`` (default now), and on
    the event's attendee row."""
    now = at or utcnow()
    recipient.rsvp, recipient.rsvp_at = state, now
    if invite.kind == "event":
        link = db.session.get(EventAttendee, (invite.event_id, recipient.person_id))
        if link is not None:
            link.rsvp, link.rsvp_at = state, now
    db.session.flush()
    return recipient


def own_invite_answers(person) -> dict[str, str]:
    """invite UID -> the person's answer ("needs-action" while none), for the open invites they hold: what their
    own agenda lets them answer on the web."""
    rows = db.session.execute(
        select(CalendarInvite.uid, InviteRecipient.rsvp)
        .join(InviteRecipient, InviteRecipient.invite_id == CalendarInvite.id)
        .where(InviteRecipient.person_id == person.id, InviteRecipient.method == "REQUEST",
               CalendarInvite.is_active.is_(True)))
    return dict(rows.all())


def answer_own_invite(person, uid: str, answer: str) -> InviteRecipient:
    """The person answers an invite they hold from their own agenda (signed in: the account is the authority,
    as the signed link is in the mail)."""
    if answer not in ANSWER_STATES:
        raise DomainError(_("Choose Accept, Tentative or Decline."))
    invite = db.session.scalar(select(CalendarInvite).where(CalendarInvite.uid == uid)) if uid else None
    recipient = next((r for r in invite.recipients if r.person_id == person.id), None) if invite else None
    if recipient is None or not recipient.holds_invite or not invite.is_active:
        raise DomainError(_("This invitation is no longer open: the event was cancelled or you were taken off it."))
    return record_state(invite, recipient, ANSWER_STATES[answer])


def meeting_answers(meeting) -> list[InviteRecipient]:
    """Who was invited to a B2B meeting and what they answered ("needs-action": no answer yet)."""
    return list(db.session.scalars(
        select(InviteRecipient).join(CalendarInvite, CalendarInvite.id == InviteRecipient.invite_id)
        .where(CalendarInvite.meeting_id == meeting.id, InviteRecipient.method == "REQUEST")
        .order_by(InviteRecipient.name)).unique())


def answers_of_meetings(meetings) -> dict[int, list[InviteRecipient]]:
    """meeting id → what `meeting_answers` gives for it, for all of ``meetings`` in one query (a session's page
    lists hundreds)."""
    found: dict[int, list[InviteRecipient]] = {meeting.id: [] for meeting in meetings}
    if not found:
        return found
    for meeting_id, recipient in db.session.execute(
            select(CalendarInvite.meeting_id, InviteRecipient)
            .join(CalendarInvite, CalendarInvite.id == InviteRecipient.invite_id)
            .where(CalendarInvite.meeting_id.in_(list(found)), InviteRecipient.method == "REQUEST")
            .order_by(InviteRecipient.name)):
        found[meeting_id].append(recipient)
    return found


def declined_meetings(meetings) -> dict[int, list[InviteRecipient]]:
    """meeting id → the people who declined its invite, for the scheduled ones among ``meetings`` (one
    query): the organiser moves or cancels such a meeting, or talks to the firm."""
    ids = [meeting.id for meeting in meetings if meeting.status == "scheduled"]
    if not ids:
        return {}
    found: dict[int, list[InviteRecipient]] = {}
    for meeting_id, recipient in db.session.execute(
            select(CalendarInvite.meeting_id, InviteRecipient)
            .join(CalendarInvite, CalendarInvite.id == InviteRecipient.invite_id)
            .where(CalendarInvite.meeting_id.in_(ids), InviteRecipient.method == "REQUEST",
                   InviteRecipient.rsvp == "declined").order_by(InviteRecipient.name)):
        found.setdefault(meeting_id, []).append(recipient)
    return found


def event_answers(event) -> dict[int, str]:
    """person id -> answer ("needs-action" while unanswered) for the attendees who hold the event's invite;
    attendees missing here were not sent one (no address, or the delegation is not confirmed yet)."""
    invited = set(db.session.scalars(
        select(InviteRecipient.person_id).join(CalendarInvite, CalendarInvite.id == InviteRecipient.invite_id)
        .where(CalendarInvite.event_id == event.id, InviteRecipient.method == "REQUEST")))
    return {link.person_id: link.rsvp for link in event.attendee_links if link.person_id in invited}


def person_event_answers(person) -> dict[int, str]:
    """event id -> the person's own answer, for the events whose invite they hold (their agenda shows it)."""
    rows = db.session.execute(
        select(EventAttendee.event_id, EventAttendee.rsvp)
        .join(CalendarInvite, CalendarInvite.event_id == EventAttendee.event_id)
        .join(InviteRecipient, (InviteRecipient.invite_id == CalendarInvite.id)
              & (InviteRecipient.person_id == EventAttendee.person_id))
        .where(EventAttendee.person_id == person.id, InviteRecipient.method == "REQUEST"))
    return dict(rows.all())
