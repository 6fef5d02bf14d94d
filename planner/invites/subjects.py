"""Reading an itinerary event or a B2B meeting from the database into a plain compose.Subject."""

from __future__ import annotations

from datetime import UTC

from flask import current_app
from sqlalchemy import select

from planner.extensions import db
from planner.invites.compose import Firm, Recipient, Subject
from planner.invites.models import CalendarInvite
from planner.invites.text import clean_line, normalize_email
from planner.itinerary.models import Event

CONFIRMED_DELEGATION = ("confirmed", "completed")


def logs_in(person) -> bool:
    """Whether the person logs in to the planner (an active delegate account): only then does 'Your agenda' lead
    anywhere but a login page (a deactivated account's holder cannot pass it either)."""
    return person.user_id is not None and person.user is not None and person.user.is_active


def _recipient(person, firm_index: int | None = None) -> Recipient | None:
    """A person who can receive an invite: with a valid address that is not the organiser's own."""
    try:
        email = normalize_email(person.email or "")
    except ValueError:
        return None
    if email.lower() == current_app.config["ORGANIZER_EMAIL"].strip().lower():
        return None
    return Recipient(person.id, email, clean_line(person.name)[:200], firm_index,
                     "ja" if person.preferred_language == "ja" else "en", clean_line(person.name_ja or "")[:200],
                     has_account=logs_in(person))


def _unique(recipients) -> tuple[Recipient, ...]:
    seen, result = set(), []
    for recipient in recipients:
        if recipient is None or recipient.email.lower() in seen or recipient.person_id in {r.person_id for r in result}:
            continue
        seen.add(recipient.email.lower())
        result.append(recipient)
    return tuple(result)


def _organiser_contact(user) -> str:
    config = current_app.config
    desk = f"{config['ORGANIZER_NAME']} <{config['ORGANIZER_EMAIL']}>"
    if user is not None and getattr(user, "email", ""):
        return f"{clean_line(user.name)} <{user.email}> · {desk}"
    return desk


def _regions(delegation) -> tuple:
    return tuple(link.region for link in delegation.region_links)


def stored_invite(uid: str) -> CalendarInvite | None:
    return db.session.scalar(select(CalendarInvite).where(CalendarInvite.uid == uid))


def _called_off(delegation, reason: str = "") -> str:
    """The reason a CANCEL gives: the one given now, else the delegation's when the whole visit is off."""
    return clean_line(reason or (delegation.cancel_reason if delegation.status == "cancelled" else "") or "")


def event_subject(event: Event, reason: str = "") -> Subject:
    """``reason``: why the event is being cancelled (the organiser's words, for the CANCEL mail)."""
    delegation = event.delegation
    venue = event.venue
    address = ", ".join(part for part in ((venue.address, venue.city) if venue else ()) if part)
    people = sorted((link.person for link in event.attendee_links), key=lambda p: (p.name, p.id))
    return Subject(
        kind="event", object_id=event.id, uid=event.uid, sequence=event.sequence, title=clean_line(event.title),
        title_ja=clean_line(event.title_ja), venue_name_ja=clean_line(venue.name_ja) if venue else "",
        delegation_ja=delegation.title_ja,
        start=event.starts_at.astimezone(UTC), end=event.ends_at.astimezone(UTC), tzid=event.timezone,
        end_tzid=event.end_timezone or "",
        active=event.status == "scheduled" and delegation.status in CONFIRMED_DELEGATION,
        recipients=_unique(_recipient(p) for p in people), venue_name=venue.name if venue else "",
        venue_address=address, delegation=delegation.title, organiser_contact=_organiser_contact(event.organiser),
        notes=event.description or "", regions=_regions(delegation),
        invite_language=delegation.invite_language, cancel_reason=_called_off(delegation, reason))


_LOOK_UP = object()


def invites_wait(delegation) -> bool:
    """Whether first invites of the delegation's events and B2B meetings wait for its confirmation."""
    return delegation.status == "planning"


def _session_is_on(event: Event, stored: CalendarInvite | None) -> bool:
    """A B2B session's meetings are on people's calendars while its event is scheduled and its delegation
    confirmed (or completed), like the delegation's other events: a plan that falls through costs nobody a
    CANCEL. A meeting whose invite went out while its delegation was being planned (before first invites
    waited for the confirmation) stays on their calendars, kept up to date, rather than cancelled."""
    if event.status != "scheduled":
        return False
    status = event.delegation.status
    return status in CONFIRMED_DELEGATION or (status == "planning" and stored is not None and stored.is_active)


def meeting_subject(meeting, stored: CalendarInvite | None | object = _LOOK_UP, reason: str = "") -> Subject | None:
    """None when the meeting has no time to speak of: never placed, and never sent. ``stored``: the meeting's
    stored invite (or None) when the caller has read it already. ``reason``: why its session's event is being
    cancelled (for the CANCEL mail)."""
    from planner.matchmaking.operations import slot_plan
    from planner.matchmaking.slots import slot_instants

    session = meeting.session
    event = session.event
    start = end = None
    tzid = event.timezone
    if meeting.status == "scheduled" and meeting.slot is not None:
        plan = slot_plan(session)
        if 1 <= meeting.slot <= len(plan):
            start, end = slot_instants(event.local_start.date(), plan.slot(meeting.slot), event.zone)
    if stored is _LOOK_UP:  # read only when needed: the time of an unplaced meeting, or a planned delegation's
        stored = (stored_invite(meeting.uid) if start is None or event.delegation.status == "planning"
                  else None)
    if start is None:
        if stored is None:
            return None
        start, end, tzid = stored.starts_at, stored.ends_at, stored.timezone
    venue = event.venue
    address = ", ".join(part for part in ((venue.address, venue.city) if venue else ()) if part)
    indian, japanese = meeting.indian, meeting.japanese
    firms = tuple(Firm(clean_line(p.firm.name), tuple(clean_line(r.name) for r in p.representatives),
                       name_ja=clean_line(p.firm.name_ja),
                       representatives_ja=tuple(clean_line(r.name_ja or r.name) for r in p.representatives))
                  for p in (indian, japanese))
    recipients = _unique([_recipient(person, 0) for person in indian.representatives]
                         + [_recipient(person, 1) for person in japanese.representatives]
                         + ([_recipient(meeting.interpreter)] if meeting.interpreter is not None else []))
    regions = _regions(event.delegation) + tuple(p.firm.region for p in (indian, japanese))
    return Subject(
        kind="meeting", object_id=meeting.id, uid=meeting.uid, sequence=meeting.sequence,
        title=f"B2B: {firms[0].name} × {firms[1].name}", start=start.astimezone(UTC), end=end.astimezone(UTC),
        tzid=tzid, active=meeting.status == "scheduled" and _session_is_on(event, stored), recipients=recipients,
        venue_name=venue.name if venue else "", venue_address=address,
        table=meeting.table.name if meeting.table else "", delegation=event.title, delegation_ja=event.title_ja,
        venue_name_ja=clean_line(venue.name_ja) if venue else "",
        organiser_contact=_organiser_contact(event.organiser), firms=firms,
        invite_language=event.delegation.invite_language, cancel_reason=_called_off(event.delegation, reason),
        interpreter_id=meeting.interpreter.id if meeting.interpreter is not None else None,
        interpreter=clean_line(meeting.interpreter.name) if meeting.interpreter is not None else "",
        interpreter_ja=clean_line(meeting.interpreter.name_ja or "") if meeting.interpreter is not None else "",
        regions=tuple({region.id: region for region in regions if region is not None}.values()))
