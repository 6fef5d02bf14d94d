"""Sending invites for itinerary events and B2B meetings: what each change needs, to whom, through the outbox.

``sync_invites`` compares the event or meeting with what its recipients hold (calendar_invite_recipients) and
enqueues, in the caller's transaction (r17): a REQUEST to everyone when time, place, title or status changed
(same UID, higher SEQUENCE, fresh DTSTAMP — r2–r4) — a Japanese title or venue name only to those who read
Japanese, the English text beside one only to those who read English —, a REQUEST only to people added, a CANCEL
only to people taken off, and a CANCEL to every holder when the event or meeting is off (r8). Callers add and
flush; they commit.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from planner.core.timefmt import format_local, zone_label
from planner.core.types import utcnow
from planner.extensions import db
from planner.invites.compose import (
    READER_LANGUAGES,
    SEPARATOR,
    Recipient,
    Subject,
    body_context,
    calendar_event,
    changed_languages,
    languages,
    reader_fingerprint,
    reads_changed,
    recipient_language,
    title,
)
from planner.invites.ical import build_calendar
from planner.invites.language import template_gettext, translate
from planner.invites.links import public_url, rsvp_links, subject_url
from planner.invites.mime import build_invite_bytes
from planner.invites.models import CalendarInvite, InviteRecipient
from planner.invites.subjects import event_subject, logs_in, meeting_subject, stored_invite
from planner.invites.text import clean_line
from planner.itinerary.models import Event, EventAttendee
from planner.outbox.operations import Draft, draft, organizer, write


def _raise_sequence(obj, above: int) -> int:
    """The object's SEQUENCE, raised past ``above`` when someone holds that revision already (never down)."""
    if obj.sequence <= above:
        obj.sequence = above + 1
    return obj.sequence


def _subject_line(subject: Subject, method: str, kind: str, language: str) -> str:
    """The mail's subject in ``language``; under BOTH "日本語 / English"."""
    lines = []
    for part in languages(language):
        with force_locale(part):
            # the venue's clock, named: "10:00" read as Indian time by a delegate in India was 06:30 IST
            when = f"{format_local(subject.start.astimezone(ZoneInfo(subject.tzid)), language=part)} " \
                   f"{zone_label(subject.tzid)}"
            heading = title(subject, part, translate)
            if method == "CANCEL" and subject.active:  # taken off it: it goes on without the recipient
                lines.append(_("No longer invited: %(title)s (%(when)s)", title=heading, when=when))
            elif method == "CANCEL":
                lines.append(_("Cancelled: %(title)s (%(when)s)", title=heading, when=when))
            elif kind == "update":
                lines.append(_("Updated invitation: %(title)s (%(when)s)", title=heading, when=when))
            else:
                lines.append(_("Invitation: %(title)s (%(when)s)", title=heading, when=when))
    return " / ".join(lines)


def _labels(language: str) -> dict[str, str]:
    """The answer and agenda links' labels, which come once per mail: "ご回答 / Your answer" under BOTH.
    Worked out once per app and language."""
    cache = current_app.extensions.setdefault("planner.invite_labels", {})
    if language not in cache:
        per_language = []
        for part in languages(language):
            with force_locale(part):
                per_language.append({"answer": _("Your answer"), "accept": _("Accept"), "tentative": _("Tentative"),
                                     "decline": _("Decline"), "agenda": _("Your agenda")})
        cache[language] = {key: " / ".join(labels[key] for labels in per_language) for key in per_language[0]}
    return cache[language]


def _render(name: str, context: dict) -> str:
    """The Jinja environment directly: no request, no context processors (the CLI and the demo send too). The
    context is the variables given and ``_`` (the i18n extension's alias of the ``gettext`` given), not the
    app's two dozen template globals, which Template.render copies into a new dict for each of the four or
    six renders of every mail; the mail templates use none of them."""
    template = current_app.jinja_env.get_template(name)
    variables = {"_": template.environment.globals["_"], **context}
    try:
        return template.environment.concat(template.root_render_func(template.new_context(variables, shared=True)))
    except Exception:
        return template.environment.handle_exception()  # as Template.render: the template's own line numbers


def _bodies(subject: Subject, recipient: Recipient, language: str, *, method: str, kind: str,
            links: dict[str, str], agenda_url: str, earlier=None,
            more_changed: frozenset[str] = frozenset()) -> tuple[str, str]:
    """The text and HTML bodies: the details in each of the mail's languages (Japanese first under BOTH), then
    the answer links, the agenda link and the organiser's notes once. Rendered in the recipient's language,
    whoever made the change."""
    texts, htmls = [], []
    for part in languages(language):
        # The catalogue's gettext in the context (found before Flask-Babel's global, and cheaper); the locale
        # forced too, for anything else in a template that reads it.
        context = {**body_context(subject, recipient, language=part, method=method, is_update=kind == "update",
                                  translate=translate, earlier=earlier, more_changed=more_changed),
                   "gettext": template_gettext(part)}
        with force_locale(part):
            texts.append(_render("invites/_email_details.txt", context))
            htmls.append(Markup(_render("invites/_email_details.html", context)))
    common = {"links": links, "labels": _labels(language), "agenda_url": agenda_url, "separator": SEPARATOR,
              "notes": subject.notes if method != "CANCEL" else "", "language": languages(language)[0]}
    return (_render("invites/email.txt", {**common, "blocks": texts}),
            _render("invites/email.html", {**common, "blocks": htmls}))


def _send(subject: Subject, method: str, sequence: int, attendees, deliveries, stamp: datetime,
          earlier=None, more_changed: frozenset[str] = frozenset()) -> list[Draft]:
    """One calendar object (listing ``attendees``) for each (recipient, kind) of ``deliveries``: built once
    per language among them (same UID, SEQUENCE, times and attendees; SUMMARY and DESCRIPTION in the
    recipient's language, or both). ``earlier``: the (start, end, zone) an update moves it from, which its
    text gives; ``more_changed``: the reader languages in which the place or title changed as well. Returns the messages as drafts; the caller writes them."""
    sender = organizer()
    url = subject_url(subject)
    agenda_url = public_url("itinerary.my_agenda")
    calendars: dict[str, bytes] = {}
    messages = []
    for recipient, kind in deliveries:
        language = recipient_language(subject, recipient)
        if language not in calendars:
            event = calendar_event(subject, sender, attendees, sequence=sequence, cancelled=method == "CANCEL",
                                   url=url, language=language, translate=translate)
            calendars[language] = build_calendar([event], method, stamp)
        calendar = calendars[language]
        links = rsvp_links(subject, recipient, sequence) if method == "REQUEST" else {}
        text_body, html_body = _bodies(subject, recipient, language, method=method, kind=kind, links=links,
                                       agenda_url=agenda_url if recipient.has_account else "", earlier=earlier,
                                       more_changed=more_changed)
        title_line = _subject_line(subject, method, kind, language)

        def build(message_id: str, recipient: Recipient = recipient, text_body=text_body, html_body=html_body,
                  title_line=title_line, calendar=calendar):
            return build_invite_bytes(
                sender_email=sender.email, sender_name=sender.name, to_email=recipient.email,
                to_name=recipient.mailbox_name, subject=title_line, text_body=text_body, html_body=html_body,
                calendar_bytes=calendar, method=method, message_id=message_id, date=stamp)

        messages.append(draft(kind=kind, to_email=recipient.email, to_name=recipient.mailbox_name, subject=title_line,
                              build=build, calendar_method=method, ics=calendar,
                              related_type=subject.related_type, related_id=subject.object_id,
                              regions=subject.regions))
    return messages


def _as_recipient(row: InviteRecipient) -> Recipient:
    language = "ja" if row.person is not None and row.person.preferred_language == "ja" else "en"
    return Recipient(row.person_id, row.email, row.name, language=language,
                     name_ja=clean_line(row.person.name_ja or "")[:200] if row.person is not None else "",
                     has_account=row.person is not None and logs_in(row.person))


def _mark(invite: CalendarInvite, recipient: Recipient, rows: dict, *, method: str, sequence: int,
          now: datetime, reset_answer: bool) -> None:
    row = rows.get(recipient.person_id)
    if row is None:
        row = InviteRecipient(person_id=recipient.person_id, rsvp="needs-action")
        invite.recipients.append(row)
        rows[recipient.person_id] = row
    if method == "REQUEST" and (reset_answer or row.method != "REQUEST"):
        row.rsvp, row.rsvp_at = "needs-action", None
    row.email, row.name, row.sequence, row.method, row.sent_at = recipient.email, recipient.name, sequence, \
        method, now


def sync_invites(subject: Subject | None, obj, *, may_start: bool) -> list:
    """Enqueue what the change to ``obj`` (an Event or a Meeting, described by ``subject``) requires.

    ``may_start``: whether this change may send the first invites (a delegation's confirmation, a schedule's
    confirmation); other changes only keep people who hold an invite up to date. Returns the outbox rows.
    """
    if subject is None:
        return []
    drafts = _sync(subject, obj, stored_invite(subject.uid), may_start=may_start)
    db.session.flush()
    return write(drafts)


def _sync(subject: Subject, obj, invite: CalendarInvite | None, *, may_start: bool) -> list[Draft]:
    """:func:`sync_invites` for one event or meeting whose stored invite (or None) the caller looked up: records
    what each recipient now holds (not flushed) and returns the mail as drafts (not written)."""
    if invite is None and not (may_start and subject.active and subject.recipients):
        return []
    now = utcnow().replace(microsecond=0)
    if invite is None:
        invite = CalendarInvite(uid=subject.uid, kind=subject.kind, starts_at=subject.start, ends_at=subject.end,
                                timezone=subject.tzid, **{f"{subject.kind}_id": subject.object_id})
        db.session.add(invite)
    rows = {row.person_id: row for row in invite.recipients}
    holders = {pid: row for pid, row in rows.items() if row.holds_invite}
    highest = max((row.sequence for row in rows.values()), default=-1)
    messages = []

    if not subject.active:
        if holders:
            sequence = _raise_sequence(obj, highest)
            cancelled = [_as_recipient(row) for row in holders.values()]
            messages += _send(subject, "CANCEL", sequence, cancelled, [(r, "cancel") for r in cancelled], now)
            for recipient in cancelled:
                _mark(invite, recipient, rows, method="CANCEL", sequence=sequence, now=now, reset_answer=False)
            invite.last_sent_at = now
        invite.is_active = False
        return messages

    current = {r.person_id: r for r in subject.recipients}
    removed = [_as_recipient(row) for pid, row in holders.items()
               if pid not in current or current[pid].email.lower() != row.email.lower()]
    if removed:
        highest = _raise_sequence(obj, highest)
        messages += _send(subject, "CANCEL", highest, removed, [(r, "cancel") for r in removed], now)
        for recipient in removed:
            _mark(invite, recipient, rows, method="CANCEL", sequence=highest, now=now, reset_answer=False)

    # what changed for whom: a Japanese title or venue name only for those who read Japanese (the English ones
    # once a Japanese version is given, only for those who read English); time, place and status for everyone
    if not invite.id:
        changed = frozenset()
    elif not invite.is_active:
        changed = frozenset(READER_LANGUAGES)
    else:
        changed = changed_languages(subject, invite.fingerprint, invite.fingerprint_ja)
    deliveries, reset = [], set()
    for recipient in subject.recipients:
        row = rows.get(recipient.person_id)
        holds = row is not None and row.holds_invite and row.email.lower() == recipient.email.lower()
        if reads_changed(changed, recipient_language(subject, recipient)):
            reset.add(recipient.person_id)
        elif holds:
            continue
        deliveries.append((recipient, "update" if holds else "invite"))
    if deliveries:
        above = max((rows[r.person_id].sequence for r, _kind in deliveries if r.person_id in rows), default=-1)
        if changed:
            above = max(above, highest)
        sequence = _raise_sequence(obj, above) if above >= 0 else obj.sequence
        earlier = (invite.starts_at, invite.ends_at, invite.timezone) if changed else None
        if earlier is not None and (earlier[0] == subject.start and earlier[1] == subject.end
                                    and earlier[2] == subject.tzid):
            earlier = None  # the place or the title changed, not the time
        # moved and more: what would still read differently with the time put back (the place, the title). An
        # update that said only 'The time changed' sent a delegate to the old venue at the new time.
        more = changed_languages(replace(subject, start=earlier[0], end=earlier[1], tzid=earlier[2]),
                                 invite.fingerprint, invite.fingerprint_ja) if earlier is not None else frozenset()
        messages += _send(subject, "REQUEST", sequence, subject.recipients, deliveries, now, earlier=earlier,
                          more_changed=more)
        for recipient, _kind in deliveries:
            _mark(invite, recipient, rows, method="REQUEST", sequence=sequence, now=now,
                  reset_answer=recipient.person_id in reset)
        if reset and subject.kind == "event":
            _reset_event_answers(subject.object_id, [r.person_id for r, _kind in deliveries if r.person_id in reset])
        if getattr(obj, "invites_sent_at", "missing") is None:
            obj.invites_sent_at = now
    if messages:
        invite.last_sent_at = now
    invite.fingerprint, invite.fingerprint_ja = (reader_fingerprint(subject, language)
                                                 for language in READER_LANGUAGES)
    invite.is_active = True
    invite.starts_at, invite.ends_at, invite.timezone = subject.start, subject.end, subject.tzid
    return messages


def _reset_event_answers(event_id: int, person_ids: list[int]) -> None:
    for link in db.session.scalars(select(EventAttendee).where(EventAttendee.event_id == event_id,
                                                               EventAttendee.person_id.in_(person_ids))):
        link.rsvp, link.rsvp_at = "needs-action", None


# The calls the features make ---------------------------------------------------------------------------------


def send_event_invites(event: Event, reason: str = "", *, may_start: bool = True) -> list:
    """After any change to an itinerary event (or its delegation's confirmation): request, update or cancel.
    Nothing goes out before the delegation is confirmed; ``may_start=False``: only to those who hold an invite.
    ``reason``: why the event is being cancelled, which its CANCEL mail gives."""
    db.session.flush()
    return sync_invites(event_subject(event, reason), event, may_start=may_start)


def follow_new_address(person) -> list:
    """A person's e-mail changed: each invite they hold goes to the new address (a CANCEL to the old one, the
    invite to the new, as for any change of recipient), so that answers come from the mailbox they use now."""
    from planner.matchmaking.models import Meeting

    db.session.flush()
    invites = db.session.scalars(
        select(CalendarInvite).join(InviteRecipient, InviteRecipient.invite_id == CalendarInvite.id)
        .where(InviteRecipient.person_id == person.id, InviteRecipient.method == "REQUEST",
               CalendarInvite.is_active.is_(True))).unique().all()
    messages = []
    for invite in invites:
        if invite.kind == "event":
            event = db.session.get(Event, invite.event_id)
            messages += sync_invites(event_subject(event), event, may_start=False)
        else:
            meeting = db.session.get(Meeting, invite.meeting_id)
            messages += sync_invites(meeting_subject(meeting), meeting, may_start=False)
    return messages


def send_delegation_invites(delegation) -> list:
    """A delegation's status changed: invites for all its events and for the placed meetings of its B2B
    sessions on confirmation (those waited while it was planned), cancels when it is off. Completing it sends no
    first invite (a meeting whose representatives were named after its schedule, say, is over by then)."""
    from planner.matchmaking.operations import keep_session_current, sessions_of_events

    db.session.flush()
    events = list(db.session.scalars(select(Event).where(Event.delegation_id == delegation.id)
                                     .order_by(Event.starts_at, Event.id)).unique())
    confirmed = delegation.status == "confirmed"
    messages = [message for event in events for message in send_event_invites(event, may_start=confirmed)]
    for session in sessions_of_events(event.id for event in events):
        # interpreters busy elsewhere meanwhile (while it was cancelled) leave their meetings first
        messages += keep_session_current(session, may_start=confirmed)
    return messages


def send_meeting_invites(meeting, *, may_start: bool = True) -> list:
    """Invites to the representatives of both firms (REQUEST, update, or CANCEL once the meeting is off)."""
    db.session.flush()
    return sync_invites(meeting_subject(meeting), meeting, may_start=may_start)


def update_meeting_invites(meeting) -> list:
    """After a move, swap or cancel: keep those who hold an invite up to date; never the first invite."""
    return send_meeting_invites(meeting, may_start=False)


def send_session_invites(session, *, may_start: bool = True, reason: str = "") -> list:
    """A schedule was confirmed: every meeting of the session that is placed gets its invites (or updates), and
    meetings taken off the schedule are cancelled for those who held them. ``may_start=False``: only those who
    hold an invite are kept up to date (the session's event or settings changed). ``reason``: why the session's
    event is being cancelled, which the meetings' CANCEL mails give.

    What :func:`send_meeting_invites` does for each meeting, as one batch: the meetings with their firms and
    representatives and the stored invites with their recipients are read with a few queries, the recipients'
    records are flushed once and the mail is written with one INSERT (a session has hundreds of meetings, and
    per-meeting queries, flushes and inserts cost several times the building of the invites)."""
    from planner.matchmaking.models import B2BParticipant, Meeting

    db.session.flush()
    meetings = list(db.session.scalars(
        select(Meeting).where(Meeting.session_id == session.id).order_by(Meeting.slot, Meeting.id)
        .options(*(selectinload(side).selectinload(B2BParticipant.representatives)
                   for side in (Meeting.indian, Meeting.japanese)))).unique())
    uids = [meeting.uid for meeting in meetings]
    invites = {invite.uid: invite for invite in db.session.scalars(
        select(CalendarInvite).where(CalendarInvite.uid.in_(uids)).options(selectinload(CalendarInvite.recipients)))}
    drafts: list[Draft] = []
    for meeting in meetings:
        invite = invites.get(meeting.uid)
        subject = meeting_subject(meeting, stored=invite, reason=reason)
        if subject is not None:
            drafts += _sync(subject, meeting, invite, may_start=may_start)
    db.session.flush()
    return write(drafts)
