"""Sessions and participants: set up a session on a B2B event, tables, registering firms, a firm's page."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from sqlalchemy import select

from planner.core.access import can_edit, load, scoped_select
from planner.core.errors import DomainError, populate_errors
from planner.core.roles import Role, staff_required
from planner.core.timefmt import zone_label
from planner.core.views import commit_or_report
from planner.delegations.models import Person
from planner.delegations.ordering import people_order, people_sort_key, sorted_people
from planner.extensions import db
from planner.firms.models import Firm
from planner.i18n.locales import next_sentence
from planner.i18n.names import affiliation, local_name
from planner.invites.rsvp import answers_of_meetings, declined_meetings
from planner.itinerary.models import Event
from planner.matchmaking import schedule
from planner.matchmaking.forms import (
    DAY_PART_LABELS,
    MEETING_STATUS_LABELS,
    PRIORITY_LABELS,
    REQUEST_STATUS_LABELS,
    AvailabilityForm,
    ConfirmForm,
    InterpreterPoolForm,
    RegisterForm,
    RepresentativesForm,
    SessionForm,
    SolveForm,
    TablesForm,
)
from planner.matchmaking.interpreters import double_bookings, pool_status, set_pool
from planner.matchmaking.meetings import meetings_of
from planner.matchmaking.models import B2BParticipant, B2BSession, MeetingRequest
from planner.matchmaking.operations import (
    SessionData,
    create_session,
    met_before,
    register_firm,
    rename_tables,
    set_representatives,
    set_unavailable,
    update_session,
)

LABELS = {"priority_labels": PRIORITY_LABELS, "day_part_labels": DAY_PART_LABELS,
          "request_status_labels": REQUEST_STATUS_LABELS, "meeting_status_labels": MEETING_STATUS_LABELS}


def _data_from(form: SessionForm) -> SessionData:
    return SessionData(**{name: getattr(form, name).data for name in SessionData.__dataclass_fields__})


@staff_required
def index():
    sessions = db.session.scalars(scoped_select(B2BSession).join(Event, Event.id == B2BSession.event_id)
                                  .order_by(Event.starts_at.desc())).unique().all()
    waiting = db.session.scalars(scoped_select(Event, edit=True).where(
        Event.kind == "b2b", Event.status == "scheduled", Event.id.not_in(select(B2BSession.event_id)))
        .order_by(Event.starts_at)).unique().all()
    return render_template("matchmaking/index.html", sessions=sessions, waiting=waiting)


@login_required
def mine():
    """A delegate's firms in B2B sessions (staff see the sessions list instead)."""
    if current_user.role != Role.DELEGATE:
        return redirect(url_for("matchmaking.index"))
    participants = db.session.scalars(scoped_select(B2BParticipant)).unique().all()
    return render_template("matchmaking/mine.html", participants=participants)


@staff_required
def setup(event_id: int):
    """Create the session of a B2B event, or go to it if it exists."""
    event = load(Event, event_id, edit=True)
    existing = db.session.scalar(select(B2BSession).where(B2BSession.event_id == event.id))
    if existing is not None:
        return redirect(url_for("matchmaking.view", session_id=existing.id))
    form = SessionForm()
    if request.method == "GET":
        form.first_slot.data = event.local_start.time()
        form.day_end.data = event.local_end.time()
    if form.validate_on_submit():
        try:
            session = create_session(event, _data_from(form))
        except DomainError as error:
            populate_errors(form, error)
        else:
            if commit_or_report(form, _("This event has its B2B session already.")):
                flash(_("B2B session set up."), "success")
                return redirect(url_for("matchmaking.view", session_id=session.id))
    return render_template("matchmaking/settings.html", form=form, event=event, session=None)


def _updates_queued(sent: int) -> str:
    """The mails are in the outbox, not yet sent; they are updates of invitations the delegates have."""
    if not sent:
        return ""
    return next_sentence(ngettext("%(num)d invitation update is queued for the delegates concerned.",
                                  "%(num)d invitation updates are queued for the delegates concerned.", sent))


@staff_required
def edit(session_id: int):
    session = load(B2BSession, session_id, edit=True)
    form = SessionForm(obj=session, table_count=len(session.tables))
    if form.validate_on_submit():
        try:
            saved = update_session(session, _data_from(form))
        except DomainError as error:
            populate_errors(form, error)
        else:
            if commit_or_report(form, _("Another change to this session was saved first; try again.")):
                flash(_("Settings saved.") + _updates_queued(saved.mails), "success")
                if saved.availability_moved:
                    flash(ngettext("The unavailable slots of %(num)d firm keep their times, now under other slot "
                                   "numbers: check them on the firm's page.",
                                   "The unavailable slots of %(num)d firms keep their times, now under other "
                                   "slot numbers: check them on the firms' pages.", saved.availability_moved),
                          "warning")
                for meeting, participant, slot in saved.clashes:
                    other = meeting.counterpart_of(participant)
                    flash(_("%(firm)s said it is away %(time)s, when its meeting with %(other)s now is (slot "
                            "%(n)d): the meeting stays there; move it, or check with the firm.",
                            firm=local_name(participant.firm), other=local_name(other.firm), n=slot.number,
                            time=f"{slot.start:%H:%M}–{slot.end:%H:%M} {zone_label(session.event.timezone)}"),
                          "warning")
                if saved.day_parts_idle:
                    flash(ngettext("%(num)d meeting or request asks for the morning or the afternoon; without a "
                                   "lunch break it takes any slot until a lunch break is set again.",
                                   "%(num)d meetings and requests ask for the morning or the afternoon; without "
                                   "a lunch break they take any slot until a lunch break is set again.",
                                   saved.day_parts_idle), "warning")
                return redirect(url_for("matchmaking.view", session_id=session.id))
    return render_template("matchmaking/settings.html", form=form, event=session.event, session=session)


@staff_required
def tables(session_id: int):
    session = load(B2BSession, session_id, edit=True)
    form = TablesForm()
    if request.method == "GET":
        form.names.data = "\n".join(table.name for table in session.tables)
    if form.validate_on_submit():
        try:
            sent = rename_tables(session, form.names.data.splitlines())
        except DomainError as error:
            populate_errors(form, error)
        else:
            if commit_or_report(form, _("Two tables cannot share a name."), "names"):
                flash(_("Tables renamed.") + _updates_queued(sent), "success")
                return redirect(url_for("matchmaking.view", session_id=session.id))
    return render_template("matchmaking/tables.html", form=form, session=session)


def _pool_choices(form_field, session: B2BSession) -> None:
    """People the user can see, and whoever is in the pool already (possibly named by the partner region)."""
    visible = db.session.scalars(scoped_select(Person).order_by(*people_order())).all()
    people = {person.id: person for person in [*session.interpreter_pool, *visible]}
    form_field.choices = [(person.id, " — ".join(part for part in (person.display_name, person.title
                                                                   or affiliation(person)) if part),
                           _searched_as(person))
                          for person in sorted_people(people.values())]


def _session_page(session: B2BSession, pool_form: InterpreterPoolForm | None = None):
    organiser = can_edit(session)
    requests = db.session.scalars(scoped_select(MeetingRequest).where(MeetingRequest.session_id == session.id)
                                  .order_by(MeetingRequest.created_at)).unique().all()
    if organiser:
        pool_form = pool_form or InterpreterPoolForm(pool=[person.id for person in session.interpreter_pool])
        _pool_choices(pool_form.pool, session)
    meetings = schedule.session_meetings(session, include_cancelled=True, viewer=current_user)
    return render_template("matchmaking/view.html", session=session, organiser=organiser,
                           slot_times=schedule.slot_times(session), participants=schedule.participants(session),
                           requests=requests, met=met_before(session, current_user),
                           answerable={r.id for r in db.session.scalars(scoped_select(MeetingRequest, edit=True).where(
                               MeetingRequest.session_id == session.id, MeetingRequest.status == "requested"))},
                           meetings=meetings, answers_by_meeting=answers_of_meetings(meetings), declined=declined_meetings(meetings), double_booked=double_bookings(session) if organiser else [], solve_form=SolveForm(), pool_form=pool_form, pool=pool_status(session),
                           confirm_form=ConfirmForm(), **LABELS)


@staff_required
def view(session_id: int):
    return _session_page(load(B2BSession, session_id))


@staff_required
def interpreters(session_id: int):
    """The session's pool of interpreters (organisers)."""
    session = load(B2BSession, session_id, edit=True)
    if request.method == "GET":
        return redirect(url_for("matchmaking.view", session_id=session.id, _anchor="interpreters"))
    form = InterpreterPoolForm()
    _pool_choices(form.pool, session)
    if form.validate_on_submit():
        try:
            affected = set_pool(session, form.pool.data, current_user)
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("Interpreters saved."), "success")
            if affected:
                flash(ngettext("%(num)d meeting lost its interpreter; use “Assign interpreters” to fill it.",
                               "%(num)d meetings lost their interpreter; use “Assign interpreters” to fill them.",
                               len(affected)), "warning")
            return redirect(url_for("matchmaking.view", session_id=session.id, _anchor="interpreters"))
    db.session.rollback()
    return _session_page(session, pool_form=form), 400


def _contact_choices(form_field, participant: B2BParticipant) -> None:
    """The firm's contacts who are not among its representatives yet (by e-mail, or by name without one)."""
    taken = {(person.email or person.name).lower() for person in participant.representatives}
    form_field.choices = [(contact.id, " — ".join(part for part in (contact.name, contact.title) if part))
                          for contact in sorted(participant.firm.contacts, key=lambda c: (c.name, c.id))
                          if (contact.email or contact.name).lower() not in taken]


def _searched_as(person: Person) -> dict:
    """What the picker's filter box matches besides the label shown: both scripts of the name (a Japanese page
    shows 山田 太郎; 'yamada' finds it too)."""
    return {"data-search": " ".join(part for part in (person.name, person.name_ja, person.name_kana,
                                                      person.organisation) if part)}


def _people_choices(form_field, user, current=(), firm_id: int | None = None) -> None:
    """People the user can see, and the `current` representatives (possibly named by the partner region), who
    must stay choosable: a representative left out of the choices could not be kept.  The people of the firm
    (`firm_id`) come first."""
    visible = db.session.scalars(scoped_select(Person, user).order_by(*people_order())).all()
    people = {person.id: person for person in [*current, *visible]}
    form_field.choices = [(person.id, f"{person.display_name} — {affiliation(person)}".rstrip(" —"),
                           _searched_as(person))
                          for person in sorted(people.values(),
                                               key=lambda p: (firm_id is None or p.firm_id != firm_id, *people_sort_key(p)))]


@staff_required
def register(session_id: int):
    session = load(B2BSession, session_id)
    form = RegisterForm()
    registered = select(B2BParticipant.firm_id).where(B2BParticipant.session_id == session.id)
    firms = select(Firm).where(Firm.status == "active", Firm.id.not_in(registered)).order_by(Firm.name)
    if not can_edit(session):
        firms = firms.where(Firm.region_id == current_user.region_id)
    # the firms of the regions taking part first (a list of 116 firms of every region hid the four that were
    # meant), Indian before Japanese, by name
    taking_part = {link.region_id for link in session.event.delegation.region_links}
    offered = sorted(db.session.scalars(firms).unique(), key=lambda firm: (
        firm.region_id not in taking_part, firm.region.country != "IN", local_name(firm).casefold()))
    form.firm.choices = [("", _("Choose a firm"))] + [
        (firm.id, f"{local_name(firm)} ({firm.region.code})") for firm in offered]
    _people_choices(form.representatives, current_user)
    if form.validate_on_submit():
        try:
            participant = register_firm(session, form.firm.data, current_user, form.representatives.data)
        except DomainError as error:
            populate_errors(form, error)
        else:
            if commit_or_report(form, _("This firm is registered already."), "firm"):
                flash(_("%(firm)s registered. Mark the slots it cannot attend and request its meetings here.",
                        firm=local_name(participant.firm)), "success")
                # on to where the firm's availability and requests are set, the next steps
                return redirect(url_for("matchmaking.participant", participant_id=participant.id))
    return render_template("matchmaking/register.html", form=form, session=session)


def _participant_page(participant: B2BParticipant, availability: AvailabilityForm | None = None,
                      representatives: RepresentativesForm | None = None):
    session = participant.session
    times = schedule.slot_times(session)
    availability = availability or AvailabilityForm(unavailable=participant.unavailable_slots or [])
    availability.unavailable.choices = [(t.number, f"{t.number}: {t}") for t in times]
    if current_user.role != Role.DELEGATE:
        representatives = representatives or RepresentativesForm(
            representatives=[person.id for person in participant.representatives])
        _people_choices(representatives.representatives, current_user, participant.representatives,
                        participant.firm_id)
        _contact_choices(representatives.contacts, participant)
    meetings = meetings_of(participant, include_cancelled=True)
    requests = db.session.scalars(select(MeetingRequest).where(
        (MeetingRequest.requester_id == participant.id) | (MeetingRequest.target_id == participant.id))
        .order_by(MeetingRequest.created_at)).unique().all()
    return render_template(
        "matchmaking/participant.html", participant=participant, session=session,
        times={t.number: t for t in times}, meetings=meetings, requests=requests, met=met_before(session, current_user),
        breaks=schedule.breaks_of([m for m in meetings if m.status == "scheduled"]), availability=availability,
        representatives=representatives, answer_form=ConfirmForm(),
        answerable={r.id for r in db.session.scalars(scoped_select(MeetingRequest, edit=True).where(
            MeetingRequest.target_id == participant.id))},
        organiser=current_user.role != Role.DELEGATE and can_edit(session), may_act=can_edit(participant),
        **LABELS)


@login_required
def participant(participant_id: int):
    return _participant_page(load(B2BParticipant, participant_id))


@login_required
def availability(participant_id: int):
    participant = load(B2BParticipant, participant_id, edit=True)
    if request.method == "GET":
        return redirect(url_for("matchmaking.participant", participant_id=participant.id))
    form = AvailabilityForm()
    form.unavailable.choices = [(t.number, str(t.number)) for t in schedule.slot_times(participant.session)]
    if form.validate_on_submit():
        try:
            set_unavailable(participant, form.unavailable.data)
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("Unavailable slots saved."), "success")
            return redirect(url_for("matchmaking.participant", participant_id=participant.id))
    db.session.rollback()
    return _participant_page(participant, availability=form), 400


@staff_required
def representatives(participant_id: int):
    participant = load(B2BParticipant, participant_id, edit=True)
    if request.method == "GET":
        return redirect(url_for("matchmaking.participant", participant_id=participant.id))
    form = RepresentativesForm()
    _people_choices(form.representatives, current_user, participant.representatives, participant.firm_id)
    _contact_choices(form.contacts, participant)
    if form.validate_on_submit():
        try:
            set_representatives(participant, form.representatives.data, current_user, form.contacts.data)
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("Representatives saved."), "success")
            return redirect(url_for("matchmaking.participant", participant_id=participant.id))
    db.session.rollback()
    return _participant_page(participant, representatives=form), 400
