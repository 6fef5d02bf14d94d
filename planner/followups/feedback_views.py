"""The feedback page a delegate's mail links to (no login: the signed link is the key), and the organiser's
button that sends the requests of a B2B session."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select

from planner.core.access import load, scope_clause
from planner.core.errors import DomainError
from planner.core.roles import staff_required
from planner.core.views import commit_or_report
from planner.extensions import db
from planner.followups.feedback import (
    Answer,
    FeedbackTokenError,
    meetings_for,
    read_token,
    record_feedback,
    send_feedback_requests,
    session_day,
    still_represents,
)
from planner.followups.forms import STAGE_LABELS, ConfirmForm
from planner.followups.models import FeedbackRequest, FollowUp
from planner.i18n.locales import prefer_recipient_language
from planner.i18n.names import local_name
from planner.matchmaking.models import B2BParticipant, B2BSession, Meeting


def _error_page(code: int, title: str, message: str):
    return render_template("errors/error.html", code=code, title=title, message=message), code


def _parse_answers(meetings, form) -> tuple[list[Answer], dict]:
    answers, errors = [], {}
    for meeting in meetings:
        rating, stage = form.get(f"rating_{meeting.id}", ""), form.get(f"stage_{meeting.id}", "")
        comment = form.get(f"comment_{meeting.id}", "")
        if not rating and not stage:
            continue  # not answered: left as it was
        if rating not in ("1", "2", "3", "4", "5"):
            errors[meeting.id] = _("Rate the meeting from 1 to 5.")
        elif stage not in STAGE_LABELS:
            errors[meeting.id] = _("Choose what comes next.")
        elif len(comment) > 1000:
            errors[meeting.id] = _("Keep the comment under 1,000 characters.")
        else:
            answers.append(Answer(meeting.id, int(rating), stage, comment))
    return answers, errors


def feedback(token: str):
    try:
        request_id = read_token(token)
    except FeedbackTokenError as error:
        if error.reason == "expired":
            # in the recipient's language, as the mail was, not the browser's
            expired = db.session.get(FeedbackRequest, error.request_id)
            prefer_recipient_language(expired.person.preferred_language if expired and expired.person else None)
            return _error_page(410, _("Link expired"), _("This feedback link has expired. Reply to the mail and "
                                                         "the organisers will note your answer."))
        return _error_page(404, _("Not found"), _("This feedback link is not valid. Please use the link from the "
                                                  "mail exactly as it is."))
    feedback_request = db.session.get(FeedbackRequest, request_id)
    if feedback_request is None:
        return _error_page(404, _("Not found"), _("This feedback request no longer exists."))
    prefer_recipient_language(feedback_request.person.preferred_language if feedback_request.person else None)
    participant = feedback_request.participant
    if not still_represents(feedback_request):
        return _error_page(410, _("Link no longer valid"), _("You no longer represent %(firm)s in this session, so "
                                                               "this feedback link no longer works.",
                                                               firm=local_name(participant.firm)))
    meetings = meetings_for(participant)
    previous = {answer.meeting_id: answer for answer in feedback_request.answers}
    form, errors, general = ConfirmForm(), {}, []
    if request.method == "POST" and form.validate_on_submit():
        answers, errors = _parse_answers(meetings, request.form)
        if not answers and not errors:
            general.append(_("Answer at least one meeting."))
        if answers and not errors:
            try:
                record_feedback(feedback_request, answers)
            except DomainError as error:
                general.append(error.message)
            else:
                if commit_or_report(form, _("Your answer could not be saved; please send it again.")):
                    return render_template("followups/feedback_thanks.html", fb=feedback_request,
                                           count=len(answers))
                general += form.form_errors
    elif request.method == "POST":
        general.append(_("The form expired; please send it again."))
    return render_template("followups/feedback.html", fb=feedback_request, participant=participant,
                           meetings=meetings, previous=previous, errors=errors, general=general, form=form,
                           stage_labels=STAGE_LABELS, day=session_day(feedback_request.session),
                           posted=request.form if request.method == "POST" else {}), 400 if (errors or general) else 200


@staff_required
def session_feedback(session_id: int):
    session = load(B2BSession, session_id, edit=True)
    form = ConfirmForm()
    participant_count = db.session.scalar(select(func.count()).select_from(B2BParticipant)
                                          .where(B2BParticipant.session_id == session.id))
    if form.validate_on_submit():
        try:
            count = send_feedback_requests(session, 1)
        except DomainError as error:  # the page says why (a 400 page dropped the message)
            db.session.rollback()
            flash(error.message, "warning")
            return redirect(url_for("followups.session_feedback", session_id=session.id))
        db.session.commit()
        flash(_("%(n)d feedback request(s) queued; representatives asked before are not asked again.", n=count),
              "success")
        return redirect(url_for("matchmaking.view", session_id=session.id))
    sent_count = db.session.scalar(select(func.count()).select_from(FeedbackRequest).where(
        FeedbackRequest.session_id == session.id, FeedbackRequest.round == 1))
    meetings = db.session.scalars(select(Meeting).where(Meeting.session_id == session.id, Meeting.status == "scheduled")
                                  .order_by(Meeting.slot, Meeting.id)).unique().all()
    meeting_ids = [m.id for m in meetings]
    # each meeting's first follow-up the organiser may open (the link led to the whole list)
    own_followups = {}
    for meeting_id, followup_id in db.session.execute(
            select(FollowUp.meeting_id, FollowUp.id).where(FollowUp.meeting_id.in_(meeting_ids),
                                                           scope_clause(FollowUp)).order_by(FollowUp.id)):
        own_followups.setdefault(meeting_id, followup_id)
    return render_template("followups/session_feedback.html", session=session, form=form, meetings=meetings,
                           own_followups=own_followups,
                           participant_count=participant_count, sent_count=sent_count, day=session_day(session))
