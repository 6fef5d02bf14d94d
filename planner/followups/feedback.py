"""Feedback after a B2B session: one mail per representative of each participant firm, with a signed, expiring
link to a page that asks, for each of the firm's meetings, a rating (1–5) and what comes next. Answers create or
update the meeting's follow-up. A second round, months later, asks whether it led to negotiation or agreement.

The token names one FeedbackRequest row and carries its expiry (itsdangerous, as the invite RSVP links)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import exists, select

from planner.core.audit import acting_as
from planner.core.errors import DomainError
from planner.core.roles import Role
from planner.core.timefmt import dual_time, format_date
from planner.core.types import utcnow
from planner.core.urls import public_url
from planner.extensions import db
from planner.followups.forms import STAGE_LABELS
from planner.followups.models import STAGES, FeedbackAnswer, FeedbackRequest, FollowUp
from planner.followups.operations import Origin, default_title, owner_candidates, write_entry
from planner.i18n.names import local_name
from planner.invites.compose import SEPARATOR
from planner.itinerary.models import Event
from planner.matchmaking.models import B2BParticipant, B2BSession, Meeting
from planner.outbox.operations import enqueue_notice

_SALT = "planner.followups.feedback.v1"
TOKEN_DAYS = 60
DEFAULT_SECOND_REQUEST_MONTHS = 6


class FeedbackTokenError(ValueError):
    def __init__(self, reason: str, request_id: int | None = None):
        super().__init__(reason)
        self.reason = reason  # "invalid" or "expired"
        self.request_id = request_id  # an expired (genuine) token's request: whose language the refusal speaks


def second_request_months() -> int:
    """The FOLLOWUP_SECOND_REQUEST_MONTHS setting (at least one month)."""
    return max(1, int(current_app.config.get("FOLLOWUP_SECOND_REQUEST_MONTHS") or DEFAULT_SECOND_REQUEST_MONTHS))


def make_token(request_id: int, expires_at: datetime, secret: str | None = None) -> str:
    serializer = URLSafeSerializer(secret or current_app.config["SECRET_KEY"], salt=_SALT)
    return serializer.dumps({"r": int(request_id), "x": int(expires_at.timestamp())})


def read_token(token: str, *, now: datetime | None = None, secret: str | None = None) -> int:
    """The FeedbackRequest id the token names; FeedbackTokenError if forged, damaged or expired."""
    serializer = URLSafeSerializer(secret or current_app.config["SECRET_KEY"], salt=_SALT)
    try:
        payload = serializer.loads(token)
        request_id, expires = int(payload["r"]), datetime.fromtimestamp(int(payload["x"]), UTC)
    except (BadSignature, KeyError, TypeError, ValueError, OverflowError, OSError):
        raise FeedbackTokenError("invalid") from None
    if (now or utcnow()) >= expires:
        raise FeedbackTokenError("expired", request_id)
    return request_id


def external_url(endpoint: str, **values) -> str:
    """An absolute link for mail (PUBLIC_BASE_URL), the same from a request, the CLI or the worker."""
    return public_url(endpoint, **values)


def session_day(session: B2BSession) -> date:
    event = session.event
    return event.starts_at.astimezone(event.zone).date()


def meetings_for(participant: B2BParticipant) -> list[Meeting]:
    stmt = select(Meeting).where(Meeting.status == "scheduled", (Meeting.indian_participant_id == participant.id)
                                 | (Meeting.japanese_participant_id == participant.id))
    return list(db.session.scalars(stmt.order_by(Meeting.slot, Meeting.id)).unique())


def _mail_text(request: FeedbackRequest, link: str, expires: datetime, meetings: list[Meeting]) -> str:
    session, participant = request.session, request.participant
    lines = [_("Dear %(name)s,", name=local_name(request.person)), ""]
    if request.round == 1:
        lines.append(_("Thank you for taking part in %(title)s on %(day)s. How did the meetings of %(firm)s go?",
                       title=session.title, day=format_date(session_day(session)), firm=local_name(participant.firm)))
    else:
        lines.append(_("Some months ago %(firm)s met these firms at %(title)s (%(day)s). Did it lead to a "
                       "negotiation or an agreement?", firm=local_name(participant.firm), title=session.title,
                       day=format_date(session_day(session))))
    lines.append("")
    for meeting in meetings:
        lines.append(f"  - {local_name(meeting.counterpart_of(participant).firm)}")
    lines += ["", _("Please answer (a rating from 1 to 5 and what comes next, per meeting) here:"), link, "",
              _("The link is personal and works until %(day)s.", day=format_date(expires.date())), ""]
    return "\n".join(lines)


def _send(session: B2BSession, participant: B2BParticipant, person, round_: int, now: datetime) -> bool:
    if not person.email:
        return False
    meetings = meetings_for(participant)
    if not meetings:
        return False
    taken = db.session.scalar(select(FeedbackRequest.id).where(
        FeedbackRequest.participant_id == participant.id, FeedbackRequest.person_id == person.id,
        FeedbackRequest.round == round_))
    if taken:
        return False
    request = FeedbackRequest(session=session, participant=participant, person=person, round=round_, sent_at=now)
    db.session.add(request)
    db.session.flush()
    expires = now + timedelta(days=TOKEN_DAYS)
    link = external_url("followups.feedback", token=make_token(request.id, expires))
    # The representative's language, or both (Japanese first) when the delegation's organiser chose that.
    languages = (("ja", "en") if session.event.delegation.invite_language == "both" else
                 ("ja" if person.preferred_language == "ja" else "en",))
    subjects, texts = [], []
    for language in languages:
        with force_locale(language):
            subjects.append(_("Your B2B meetings at %(title)s: how did they go?", title=session.title)
                            if round_ == 1 else
                            _("Your B2B meetings at %(title)s: what came of them?", title=session.title))
            texts.append(_mail_text(request, link, expires, meetings))
    subject, text_body = " / ".join(subjects), f"{SEPARATOR}\n\n".join(texts)
    regions = {link_.region for link_ in session.event.delegation.region_links}
    regions.add(participant.firm.region)
    enqueue_notice(to_email=person.email, to_name=person.name, subject=subject,
                   text_body=text_body, related_type="feedback_request",
                   related_id=request.id, regions=sorted(regions, key=lambda r: r.code))
    return True


def send_feedback_requests(session: B2BSession, round_: int = 1, now: datetime | None = None) -> int:
    """Queue one request per representative (with an e-mail) of each participant with scheduled meetings,
    once per round. Returns how many were queued."""
    if round_ not in (1, 2):
        raise DomainError(_("A feedback round is 1 or 2."))
    now = now or utcnow()
    event = session.event
    # the mail thanks for taking part and asks how the meetings went: not before they have taken place
    if event.status != "scheduled" or event.delegation.status == "cancelled":
        raise DomainError(_("The session is cancelled: there is no feedback to ask for."))
    if event.ends_at > now:
        raise DomainError(_("The session ends on %(when)s; feedback is asked for once it has taken place.",
                            when=str(dual_time(event.ends_at))))
    participants = db.session.scalars(select(B2BParticipant).where(B2BParticipant.session_id == session.id)
                                      .order_by(B2BParticipant.id)).unique()
    return sum(_send(session, participant, person, round_, now)
               for participant in participants for person in participant.representatives)


def months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def sessions_due_second_round(today: date) -> list[B2BSession]:
    """Sessions held at least FOLLOWUP_SECOND_REQUEST_MONTHS months before `today` whose second round has not
    gone out."""
    cutoff = months_before(today, second_request_months())
    asked = exists(select(1).where(FeedbackRequest.session_id == B2BSession.id, FeedbackRequest.round == 2))
    has_meetings = exists(select(1).where(Meeting.session_id == B2BSession.id, Meeting.status == "scheduled"))
    candidates = db.session.scalars(select(B2BSession).join(Event, Event.id == B2BSession.event_id)
                                    .where(~asked, has_meetings, Event.status == "scheduled")
                                    .order_by(Event.starts_at)).unique()
    return [session for session in candidates if session_day(session) <= cutoff]


def send_due_second_round(today: date, now: datetime | None = None) -> dict[int, int]:
    return {session.id: send_feedback_requests(session, 2, now) for session in sessions_due_second_round(today)}


# Answers ----------------------------------------------------------------------------------------------------


@dataclass
class Answer:
    meeting_id: int
    rating: int
    stage: str
    comment: str = ""


def _followup_for(meeting: Meeting, answer: Answer, today: date) -> tuple[FollowUp, bool]:
    existing = db.session.scalars(select(FollowUp).where(FollowUp.meeting_id == meeting.id)
                                  .order_by(FollowUp.id)).first()
    if existing is not None:
        return existing, False
    event = meeting.session.event
    origin = Origin("meeting", meeting, event.delegation, session_day(meeting.session), "", [])
    regions = {link.region for link in event.delegation.region_links}
    regions |= {meeting.indian.firm.region, meeting.japanese.firm.region}
    owner = None
    if event.organiser is not None and event.organiser.role in (Role.STATE, Role.PREFECTURE, Role.ADMIN):
        owner = next((u for u in owner_candidates([r.id for r in regions]) if u.id == event.organiser_id), None)
    followup = FollowUp(meeting=meeting, origin_date=origin.day, partnership_id=event.delegation.partnership_id,
                        title=default_title(_("B2B meeting %(a)s – %(b)s", a=local_name(meeting.indian.firm),
                                              b=local_name(meeting.japanese.firm))),
                        stage=answer.stage, owner=owner, due_date=today + timedelta(days=14),
                        next_action=_("Call both firms about their feedback."),
                        is_open=answer.stage != "no_interest",
                        firms=[meeting.indian.firm, meeting.japanese.firm],
                        regions=sorted(regions, key=lambda r: r.code))
    db.session.add(followup)
    db.session.flush()
    return followup, True


def still_represents(request: FeedbackRequest) -> bool:
    """Whether the person asked still represents the firm in the session: a link outlives a change of
    representatives (60 days), and someone who left the firm must not move its follow-ups on."""
    return request.person in request.participant.representatives


def record_feedback(request: FeedbackRequest, answers: list[Answer], now: datetime | None = None) -> int:
    """Store the answers (replacing earlier ones of this request) and create or update each meeting's
    follow-up with a history entry. Only the participant's own scheduled meetings can be answered, and only
    by a current representative."""
    now = now or utcnow()
    if not still_represents(request):
        raise DomainError(_("You no longer represent this firm in this session."))
    own = {meeting.id: meeting for meeting in meetings_for(request.participant)}
    for answer in answers:
        if answer.meeting_id not in own:
            raise DomainError(_("This meeting is not one of yours."))
        if not 1 <= answer.rating <= 5:
            raise DomainError(_("Rate each meeting from 1 to 5."), f"rating_{answer.meeting_id}")
        if answer.stage not in STAGES:
            raise DomainError(_("Choose what comes next."), f"stage_{answer.meeting_id}")
        if len(answer.comment) > 1000:
            raise DomainError(_("Keep the comment under 1,000 characters."), f"comment_{answer.meeting_id}")
    person, firm = request.person, request.participant.firm
    # what the follow-ups record (title, next action, the history's note) is written in the language of the
    # session's organiser, not of whichever firm answered first: an Indian firm's answer filled a Shizuoka
    # office's follow-up with English, a Japanese firm's the next one with Japanese
    organiser = request.session.event.organiser
    language = organiser.locale if organiser is not None and organiser.locale in ("en", "ja") else "en"
    with acting_as(f"feedback: {person.name} ({firm.name})"[:255]), force_locale(language):
        for answer in answers:
            meeting = own[answer.meeting_id]
            stored = next((a for a in request.answers if a.meeting_id == meeting.id), None)
            if stored is None:
                stored = FeedbackAnswer(meeting_id=meeting.id, rating=answer.rating, stage=answer.stage)
                request.answers.append(stored)
            stored.rating, stored.stage, stored.comment, stored.answered_at = (
                answer.rating, answer.stage, answer.comment.strip(), now)
            followup, created = _followup_for(meeting, answer, now.date())
            changes = {}
            kept_stage = None
            if not created and followup.stage != answer.stage:
                # feedback moves a follow-up forward only: one firm's "exploring" must not undo the
                # "MoU signed" the staff recorded (or the other firm reported); the answer stays on record
                # ... except "no further interest" before any agreement: the deal died, the follow-up closes
                # (as one created with that answer is); after an MoU it is only noted
                no_longer = answer.stage == "no_interest" and STAGES.index(followup.stage) < STAGES.index(
                    "mou_signed")
                if STAGES.index(answer.stage) > STAGES.index(followup.stage) or no_longer:
                    changes["stage"] = {"old": followup.stage, "new": answer.stage}
                    followup.stage = answer.stage
                    if no_longer and followup.is_open:
                        changes["is_open"] = {"old": "open", "new": "done"}
                        followup.is_open = False
                else:
                    kept_stage = answer.stage
            if followup.rating != answer.rating:
                changes["rating"] = {"old": followup.rating or "", "new": answer.rating}
                followup.rating = answer.rating
            if created:
                changes["stage"] = {"old": "", "new": answer.stage}
            note = _("Feedback (round %(round)d) from %(person)s of %(firm)s: rated %(rating)d/5.",
                     round=request.round, person=person.name, firm=firm.name, rating=answer.rating)
            if kept_stage is not None:
                note += " " + _("Reported stage: %(reported)s; the follow-up stays at %(current)s.",
                                reported=STAGE_LABELS[kept_stage], current=STAGE_LABELS[followup.stage])
            if answer.comment.strip():
                note += " " + answer.comment.strip()
            write_entry(followup, "feedback", changes, note)
        request.answered_at = now
        db.session.flush()
    return len(answers)

