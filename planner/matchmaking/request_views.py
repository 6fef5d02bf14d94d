"""Meeting requests: a participant asks a firm of the other side; the other side accepts or declines."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from planner.core.access import load
from planner.core.errors import DomainError, populate_errors
from planner.core.views import commit_or_report
from planner.extensions import db
from planner.i18n.names import local_name
from planner.matchmaking.forms import DAY_PART_LABELS, PRIORITY_LABELS, AnswerForm, RequestForm, WithdrawForm
from planner.matchmaking.models import B2BParticipant, MeetingRequest
from planner.matchmaking.operations import (
    RequestData,
    answer_request,
    met_before,
    request_meeting,
    taken_partners,
    withdraw_request,
)


@login_required
def new_request(participant_id: int):
    participant = load(B2BParticipant, participant_id, edit=True)
    session = participant.session
    form = RequestForm()
    others = db.session.scalars(select(B2BParticipant).where(B2BParticipant.session_id == session.id,
                                                             B2BParticipant.side != participant.side)).unique()
    met = met_before(session, current_user)

    def label(other):
        pair = (participant.firm_id, other.firm_id) if participant.side == "IN" else (other.firm_id,
                                                                                       participant.firm_id)
        return local_name(other.firm) + (" — " + _("met before") if pair in met else "")

    taken = taken_partners(participant)  # asked, answered or met already: shown, not choosable
    form.target.choices = [("", _("Choose a firm"))] + [
        (other.id, label(other) + (" — " + _("asked or met already") if other.id in taken else ""),
         {"disabled": True} if other.id in taken else {})
        for other in sorted(others, key=lambda p: p.firm.name.lower())]
    if session.lunch_start is None:
        form.day_part.choices = [("any", DAY_PART_LABELS["any"])]
    if form.validate_on_submit():
        try:
            meeting_request = request_meeting(participant, RequestData(
                target_id=form.target.data, priority=form.priority.data, day_part=form.day_part.data,
                message=form.message.data or ""), current_user)
        except DomainError as error:
            populate_errors(form, error)
        else:
            if commit_or_report(form, _("These two firms have a request in this session already."), "target"):
                flash(_("Meeting requested with %(firm)s", firm=local_name(meeting_request.target.firm)), "success")
                return redirect(url_for("matchmaking.participant", participant_id=participant.id))
    return render_template("matchmaking/request_form.html", form=form, participant=participant, session=session)


@login_required
def withdraw(request_id: int):
    """POST: the requesting firm's cell, office or delegate takes back a request not answered yet."""
    meeting_request = load(MeetingRequest, request_id)
    requester = load(B2BParticipant, meeting_request.requester_id, edit=True)  # only the asking side
    form = WithdrawForm()
    if form.validate_on_submit():
        target = local_name(meeting_request.target.firm)
        try:
            withdraw_request(meeting_request, current_user)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "warning")
        else:
            db.session.commit()
            flash(_("Request to %(firm)s withdrawn.", firm=target), "success")
    return redirect(url_for("matchmaking.participant", participant_id=requester.id))


@login_required
def answer(request_id: int):
    meeting_request = load(MeetingRequest, request_id, edit=True)
    form = AnswerForm()
    back = url_for("matchmaking.participant", participant_id=meeting_request.target_id)
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                answer_request(meeting_request, form.answer.data == "accept", current_user)
            except DomainError as error:
                db.session.rollback()
                flash(error.message, "warning")
            else:
                db.session.commit()
                flash(_("Request accepted; the meeting waits for the scheduler.") if form.answer.data == "accept"
                      else _("Request declined."), "success")
            return redirect(back)
        flash(_("Choose accept or decline."), "warning")
        return redirect(back)
    return render_template("matchmaking/answer.html", meeting_request=meeting_request, form=form, back=back,
                           priority_labels=PRIORITY_LABELS, day_part_labels=DAY_PART_LABELS)
