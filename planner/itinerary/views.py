"""Itinerary events of a delegation, and the agendas built from them."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from planner.core.access import can_edit, load, scoped_select
from planner.core.errors import DomainError, populate_errors
from planner.core.roles import Role, staff_required
from planner.delegations.forms import DIRECTION_LABELS, LANGUAGE_LABELS, ROLE_LABELS, STATUS_LABELS
from planner.delegations.models import Delegation, Person
from planner.delegations.operations import own_person
from planner.delegations.ordering import people_order
from planner.extensions import db
from planner.i18n.locales import next_sentence
from planner.i18n.names import affiliation
from planner.invites.rsvp import own_invite_answers, person_event_answers
from planner.itinerary.agenda import (
    agenda_days,
    delegation_events,
    group_by_day,
    itinerary_csv,
    person_events,
)
from planner.itinerary.forms import CLASH_LABELS, KIND_LABELS, CancelEventForm, EventForm
from planner.itinerary.models import Event, Venue
from planner.itinerary.operations import (
    ClashesFound,
    EventData,
    cancel_event,
    clash_person_names,
    restore_event,
    save_event,
    visible_event_ids,
)

LABELS = {"kind_labels": KIND_LABELS, "clash_labels": CLASH_LABELS, "direction_labels": DIRECTION_LABELS,
          "status_labels": STATUS_LABELS, "role_labels": ROLE_LABELS, "language_labels": LANGUAGE_LABELS}


def _fill_choices(form: EventForm, delegation: Delegation, event: Event | None = None) -> None:
    venues = db.session.scalars(scoped_select(Venue).order_by(Venue.country, Venue.city, Venue.name)).all()
    form.venue.choices = [("", _("(no venue)"))] + [(v.id, f"{v.display_name}, {v.city} ({v.timezone})")
                                                  for v in venues]
    members = [m.person for m in delegation.members]
    present = {p.id for p in members}
    extra = [link.person for link in event.attendee_links if link.person_id not in present] if event else []
    visible = db.session.scalars(scoped_select(Person).order_by(*people_order())).all()
    extra += [p for p in visible if p.id not in present and p not in extra]
    form.attendees.choices = [(p.id, p.display_name + (f" — {affiliation(p)}" if affiliation(p) else ""))
                              for p in members] + [(p.id, _("%(name)s (outside contact)", name=p.display_name)
                                                    + (f" — {affiliation(p)}" if affiliation(p) else ""))
                                                   for p in extra]


def _data_from(form: EventForm) -> EventData:
    return EventData(kind=form.kind.data, title=form.title.data or "", title_ja=form.title_ja.data or "",
                     local_start=form.local_start.data,
                     local_end=form.local_end.data, venue_id=form.venue.data, timezone=form.timezone.data or "",
                     description=form.description.data or "", attendee_ids=list(form.attendees.data or []),
                     confirm_overlap=bool(form.confirm_overlap.data), end_timezone=form.end_timezone.data or "")


def _save(form: EventForm, delegation: Delegation, event: Event | None):
    """Run the operation; returns (saved event or None, clashes to show)."""
    try:
        saved, clashes = save_event(delegation, _data_from(form), current_user, event)
    except ClashesFound as found:
        populate_errors(form, found)
        return None, found.clashes
    except DomainError as error:
        populate_errors(form, error)
        return None, []
    db.session.commit()
    if clashes:
        flash(_("Saved with %(n)d clash(es) accepted.", n=len(clashes)), "warning")
    return saved, []


def _mails_said(event: Event) -> str:
    """' 5 calendar mails are queued …': what the save sent, said (it said only '… saved.')."""
    count = getattr(event, "mails_queued", 0)
    if not count:
        return ""
    return next_sentence(ngettext("%(num)d calendar mail (invitation, update or cancellation) is queued.",
                                  "%(num)d calendar mails (invitations, updates or cancellations) are queued.",
                                  count))


def _render_form(form, delegation, event, clashes):
    others = {c.other.id for c in clashes if c.other is not None and c.other.id}
    return render_template("itinerary/event_form.html", form=form, delegation=delegation, event=event,
                           clashes=clashes, visible_ids=visible_event_ids(others, current_user),
                           clash_names=clash_person_names(clashes), **LABELS)


@staff_required
def new_event(delegation_id: int):
    delegation = load(Delegation, delegation_id, edit=True)
    form = EventForm()
    _fill_choices(form, delegation)
    if request.method == "GET":
        form.timezone.data = "Asia/Tokyo" if delegation.host_country == "JP" else "Asia/Kolkata"
    clashes = []
    if form.validate_on_submit():
        event, clashes = _save(form, delegation, None)
        if event is not None:
            flash(_("%(title)s added to the itinerary.", title=event.display_title) + _mails_said(event), "success")
            return redirect(url_for("delegations.view", delegation_id=delegation.id) + f"#event-{event.id}")
    return _render_form(form, delegation, None, clashes)


@staff_required
def edit_event(event_id: int):
    event = load(Event, event_id, edit=True)
    delegation = event.delegation
    form = EventForm(data={
        "kind": event.kind, "title": event.title, "title_ja": event.title_ja, "venue": event.venue_id,
        "timezone": event.timezone,
        "local_start": event.local_start.replace(tzinfo=None), "local_end": event.local_end.replace(tzinfo=None),
        "end_timezone": event.end_timezone or "",
        "description": event.description, "attendees": [link.person_id for link in event.attendee_links]})
    _fill_choices(form, delegation, event)
    clashes = []
    if form.validate_on_submit():
        saved, clashes = _save(form, delegation, event)
        if saved is not None:
            flash(_("%(title)s saved.", title=saved.display_title) + _mails_said(saved), "success")
            return redirect(url_for("itinerary.event", event_id=saved.id))
    return _render_form(form, delegation, event, clashes)


@login_required
def event(event_id: int):
    event = load(Event, event_id)
    from planner.matchmaking.models import B2BSession

    b2b_session = db.session.scalars(scoped_select(B2BSession).where(B2BSession.event_id == event.id)).first() \
        if event.kind == "b2b" else None
    from planner.core.audit import last_action

    cancellation = last_action(event, "cancel") if event.status == "cancelled" else None
    return render_template("itinerary/event.html", event=event, may_edit=can_edit(event), b2b_session=b2b_session,
                           cancellation=cancellation, **LABELS)


@staff_required
def dietary_sheet(event_id: int):
    """The event's dietary sheet for the kitchen: counts per diet, what each rules out, each guest's notes."""
    from planner.delegations.diets import DASHI_NOTE, DASHI_NOTE_JA
    from planner.itinerary.dietary_sheet import CAPTIONS
    from planner.itinerary.dietary_sheet import dietary_sheet as build_sheet

    event = load(Event, event_id)
    return render_template("itinerary/dietary_sheet.html", event=event, sheet=build_sheet(event),
                           captions=CAPTIONS, dashi_note=DASHI_NOTE, dashi_note_ja=DASHI_NOTE_JA)


@staff_required
def rooming_list(event_id: int):
    """A hotel stay's rooming list for the hotel: the dates, and each guest's passport name and needs."""
    from planner.itinerary.rooming_list import CAPTIONS
    from planner.itinerary.rooming_list import rooming_list as build_list

    event = load(Event, event_id)
    if event.kind != "stay":
        abort(404)
    return render_template("itinerary/rooming_list.html", event=event, rooms=build_list(event), captions=CAPTIONS)


@staff_required
def event_status(event_id: int):
    event = load(Event, event_id, edit=True)
    form = CancelEventForm()
    if form.validate_on_submit():
        try:
            if event.status == "cancelled":
                restore_event(event)
            else:
                cancel_event(event, form.reason.data or "")
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("%(title)s is cancelled.", title=event.display_title) if event.status == "cancelled"
                  else _("%(title)s is back on the itinerary.", title=event.display_title), "success")
            return redirect(url_for("itinerary.event", event_id=event.id))
    return render_template("itinerary/event_status.html", form=form, event=event, **LABELS)


@staff_required
def delegation_agenda(delegation_id: int):
    delegation = load(Delegation, delegation_id)
    return render_template("itinerary/agenda.html", delegation=delegation, person=None,
                           days=agenda_days(delegation), **LABELS)


@staff_required
def delegation_csv(delegation_id: int):
    delegation = load(Delegation, delegation_id)
    body = itinerary_csv(delegation_events(delegation))
    filename = f"itinerary-{delegation.id}-{delegation.start_date.isoformat()}.csv"
    return Response("\ufeff" + body, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _render_person_agenda(person: Person):
    from planner.matchmaking.schedule import attended_meetings, interpreted_meetings

    events = person_events(person, current_user)
    from planner.invites.feeds import may_manage_feed

    return render_template("itinerary/agenda.html", delegation=None, person=person,
                           may_feed=may_manage_feed(person, current_user),
                           days=group_by_day(events), own_answers=person_event_answers(person),
                           own_invites=own_invite_answers(person) if person.user_id == current_user.id else {},
                           interpreted=interpreted_meetings(person, current_user),
                           attended=attended_meetings(person, current_user), **LABELS)


@login_required
def person_agenda(person_id: int):
    return _render_person_agenda(load(Person, person_id))


@login_required
def my_agenda():
    person = own_person(current_user)
    if person is None:
        if current_user.role != Role.DELEGATE:
            return redirect(url_for("delegations.index"))
        return render_template("itinerary/no_agenda.html")
    return _render_person_agenda(person)


