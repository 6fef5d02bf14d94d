"""Answer pages, .ics downloads and calendar feeds. Thin: the rules are in rsvp.py and feeds.py."""

from flask import Response, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from planner.core.access import load
from planner.core.errors import DomainError
from planner.core.roles import Role
from planner.core.timefmt import display_language
from planner.core.types import utcnow
from planner.delegations.models import Person
from planner.delegations.operations import own_person
from planner.extensions import db
from planner.i18n.locales import prefer_recipient_language
from planner.invites.compose import calendar_event, times, title, venue_name
from planner.invites.feeds import (
    active_feed,
    attendees_shown_to,
    create_feed,
    feed_calendar,
    feed_for_secret,
    may_manage_feed,
    revoke_feeds,
)
from planner.invites.forms import AnswerForm, FeedForm, OwnAnswerForm
from planner.invites.ical import build_calendar
from planner.invites.language import translate
from planner.invites.links import public_url, subject_url, webcal_url
from planner.invites.rsvp import answer_own_invite, open_token, record_answer
from planner.invites.subjects import event_subject, meeting_subject
from planner.invites.tokens import RsvpTokenError, signed_person_id
from planner.itinerary.models import Event
from planner.outbox.operations import organizer

ANSWER_LABELS = {"accept": "Accept", "decline": "Decline", "tentative": "Tentative"}
NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}


def _refused(message: str, status: int):
    return render_template("invites/rsvp_refused.html", message=message), status, NO_STORE


def rsvp(token: str):
    """GET shows what the link would answer (changes nothing: mail scanners open links); POST records it."""
    # the recipient's language, as the mail was written in, also on the page that refuses the link (the event
    # was cancelled, the link expired): a Japanese reader got those in the browser's language
    person_id = signed_person_id(current_app.config["SECRET_KEY"], token)
    person = db.session.get(Person, person_id) if person_id is not None else None
    prefer_recipient_language(person.preferred_language if person is not None else None)
    try:
        answerable = open_token(token)
        form = AnswerForm()
        if request.method == "POST":
            if not form.validate_on_submit():
                return _refused(_("The form expired. Open the link from the invitation again."), 400)
            answerable = open_token(token, expected=answerable.token)
            record_answer(answerable)
            db.session.commit()
            return _answer_page(answerable, None, recorded=True)
    except RsvpTokenError as error:
        if error.reason == "expired":
            return _refused(_("This link has expired. Reply from your calendar, or write to the organiser."), 410)
        return _refused(_("This link is not valid. Open it again from the invitation."), 404)
    except DomainError as error:
        return _refused(error.message, 410)
    return _answer_page(answerable, form, recorded=False)


def _answer_page(answerable, form, *, recorded: bool):
    language = display_language()
    return render_template("invites/rsvp.html", answerable=answerable, form=form, recorded=recorded,
                           when=times(answerable.subject), answer_labels=ANSWER_LABELS,
                           title=title(answerable.subject, language, translate),
                           venue_name=venue_name(answerable.subject, language)), 200, NO_STORE


@login_required
def answer_own():
    """POST from the signed-in person's own agenda: Accept, Tentative or Decline an invite they hold."""
    person = own_person(current_user)
    if person is None:
        abort(404)
    form = OwnAnswerForm()
    if not form.validate_on_submit():
        flash(_("The form expired; please answer again."), "warning")
        return redirect(url_for("itinerary.my_agenda"))
    answer = request.form.get("answer", "")
    try:
        answer_own_invite(person, form.uid.data or "", answer)
    except DomainError as error:
        db.session.rollback()
        flash(error.message, "warning")
    else:
        db.session.commit()
        flash(_("Your answer “%(answer)s” is recorded.", answer=_(ANSWER_LABELS[answer])), "success")
        # back to the answered line, not to the top of a long agenda
        return redirect(url_for("itinerary.my_agenda", _anchor=f"answer-{form.uid.data}"))
    return redirect(url_for("itinerary.my_agenda"))


def _ics(subject, sequence: int, cancelled: bool, filename: str) -> Response:
    """One event as a PUBLISH calendar, built by the same builder as the invites and the feed, in the page's
    language. Staff get its attendees; a delegate only when among them (their invite lists them anyway): a
    member of the delegation who does not attend saw the addresses the event page does not show."""
    if current_user.role in (Role.ADMIN, Role.STATE, Role.PREFECTURE):
        attendees = subject.recipients
    else:
        person = own_person(current_user)
        attendees = attendees_shown_to(subject, person.id if person is not None else None)
    event = calendar_event(subject, organizer(), attendees, sequence=sequence, cancelled=cancelled,
                           url=subject_url(subject), language=display_language(), translate=translate)
    body = build_calendar([event], "PUBLISH", utcnow().replace(microsecond=0))
    return Response(body, mimetype="text/calendar",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@login_required
def event_ics(event_id: int):
    event = load(Event, event_id)
    cancelled = event.status == "cancelled" or event.delegation.status == "cancelled"
    return _ics(event_subject(event), event.sequence, cancelled, f"event-{event.id}.ics")


@login_required
def meeting_ics(meeting_id: int):
    from planner.matchmaking.models import Meeting

    meeting = load(Meeting, meeting_id)
    subject = meeting_subject(meeting) if meeting.status != "unscheduled" else None
    if subject is None:
        abort(404)
    return _ics(subject, meeting.sequence, meeting.status == "cancelled", f"b2b-meeting-{meeting.id}.ics")


def feed(secret: str):
    """The personal feed: no login (calendar apps cannot log in); the secret is the authority."""
    found = feed_for_secret(secret)
    if found is None:
        abort(404)
    return Response(feed_calendar(found), mimetype="text/calendar",
                    headers={"Cache-Control": "private, max-age=300", "X-Robots-Tag": "noindex"})


@login_required
def person_feed(person_id: int):
    person = load(Person, person_id)
    if not may_manage_feed(person, current_user):
        abort(403)
    form = FeedForm()
    if request.method == "POST":
        if not form.validate_on_submit() or form.action.data not in ("create", "revoke"):
            abort(400)
        if form.action.data == "revoke":
            revoke_feeds(person)
        else:
            # shown once, after a redirect: a reload of the page that showed it re-sent 'create' and replaced
            # the address just subscribed to
            session["new_feed"] = {"person": person.id,
                                   "url": public_url("invites.feed", secret=create_feed(person, current_user))}
        db.session.commit()
        return redirect(url_for("invites.person_feed", person_id=person.id))
    shown = session.pop("new_feed", None)
    new_url = shown["url"] if shown and shown.get("person") == person.id else None
    return render_template("invites/feed.html", person=person, feed=active_feed(person), form=form,
                           new_url=new_url, webcal=webcal_url(new_url) if new_url else None,
                           is_https=public_url("invites.feed", secret="x").startswith("https://")), \
        200, ({"Cache-Control": "no-store"} if new_url else {})
