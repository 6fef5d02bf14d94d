from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from planner.core.access import can_edit, can_see, load, scoped_select
from planner.core.errors import DomainError, populate_errors
from planner.core.roles import Role, staff_required
from planner.core.views import Page, commit_or_report, page_arg
from planner.delegations.forms import (
    ACTION_LABELS,
    DIRECTION_LABELS,
    INVITE_LANGUAGE_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    DelegationForm,
    MemberEditForm,
    MemberForm,
    StatusForm,
)
from planner.delegations.forms import (
    LANGUAGE_LABELS as PERSON_LANGUAGE_LABELS,
)
from planner.delegations.models import DELEGATION_STATUSES, Delegation, Person
from planner.delegations.operations import (
    DelegationData,
    add_member,
    allowed_actions,
    change_status,
    create_delegation,
    remove_member,
    update_delegation,
    update_member,
)
from planner.delegations.ordering import people_order
from planner.extensions import db
from planner.i18n.locales import next_sentence
from planner.i18n.names import affiliation, local_name
from planner.itinerary.agenda import agenda_days
from planner.itinerary.forms import CLASH_LABELS, KIND_LABELS
from planner.itinerary.operations import clash_person_names, open_clashes, visible_event_ids
from planner.partnerships.models import Partnership
from planner.regions.operations import active_sectors, regions_of

LABELS = {"direction_labels": DIRECTION_LABELS, "status_labels": STATUS_LABELS, "role_labels": ROLE_LABELS,
          "invite_language_labels": INVITE_LANGUAGE_LABELS}


def _fill_choices(form: DelegationForm, delegation: Delegation | None = None) -> None:
    form.indian_regions.choices = [(r.id, r.display_name) for r in regions_of("IN")]
    form.japanese_regions.choices = [(r.id, r.display_name) for r in regions_of("JP")]
    partnerships = db.session.scalars(select(Partnership)).unique().all()
    form.partnership.choices = [("", _("(from the regions)"))] + sorted(
        ((p.id, p.display_title) for p in partnerships), key=lambda choice: choice[1])
    # a sector deactivated since stays offered (and ticked) on the delegation that has it
    sectors = {s.id: s for s in [*active_sectors(), *(delegation.focus_sectors if delegation else [])]}
    form.focus_sectors.choices = [(s.id, s.display_name) for s in sectors.values()]


def _data_from(form: DelegationForm) -> DelegationData:
    return DelegationData(
        title=form.title.data or "", title_ja=form.title_ja.data or "", direction=form.direction.data, start_date=form.start_date.data,
        end_date=form.end_date.data, indian_region_ids=list(form.indian_regions.data or []),
        japanese_region_ids=list(form.japanese_regions.data or []), purpose=form.purpose.data or "",
        partnership_id=form.partnership.data, focus_sector_ids=list(form.focus_sectors.data or []),
        invite_language=form.invite_language.data or "")


@staff_required
def index():
    status = request.args.get("status", "")
    year = request.args.get("year", type=int)
    stmt = scoped_select(Delegation).order_by(Delegation.start_date.desc(), Delegation.id.desc())
    if status in DELEGATION_STATUSES:
        stmt = stmt.where(Delegation.status == status)
    if year and 2000 <= year <= 2100:
        stmt = stmt.where(Delegation.start_date.between(date(year, 1, 1), date(year, 12, 31)))
    page = Page(stmt, page_arg(), per_page=25)
    return render_template("delegations/index.html", page=page, status=status, year=year, **LABELS)


@staff_required
def new():
    form = DelegationForm()
    _fill_choices(form)
    if current_user.region_id:
        field = form.indian_regions if current_user.role == Role.STATE else form.japanese_regions
        # ticked for the cell or office, which a delegation it plans must involve: said, not only ticked
        field.description = _("%(region)s plans this delegation and takes part in it (ticked). Tick every "
                              "other region that takes part.", region=current_user.region.display_name)
        if request.method == "GET":
            field.data = [current_user.region_id]
            form.direction.data = "IN_JP" if current_user.role == Role.STATE else "JP_IN"
    if form.validate_on_submit():
        try:
            delegation = create_delegation(_data_from(form), current_user)
        except DomainError as error:
            populate_errors(form, error)
        else:
            if commit_or_report(form, _("The delegation could not be saved; please try again.")):
                flash(_("Delegation %(title)s planned.", title=delegation.display_title), "success")
                return redirect(url_for("delegations.members", delegation_id=delegation.id))
    return render_template("delegations/form.html", form=form, delegation=None)


@staff_required
def edit(delegation_id: int):
    delegation = load(Delegation, delegation_id, edit=True)
    form = DelegationForm(data={
        "title": delegation.title, "title_ja": delegation.title_ja, "direction": delegation.direction,
        "start_date": delegation.start_date,
        "end_date": delegation.end_date, "purpose": delegation.purpose,
        "indian_regions": [link.region_id for link in delegation.region_links if link.region.country == "IN"],
        "japanese_regions": [link.region_id for link in delegation.region_links if link.region.country == "JP"],
        "partnership": delegation.partnership_id, "focus_sectors": [s.id for s in delegation.focus_sectors],
        "invite_language": delegation.invite_language})
    _fill_choices(form, delegation)
    if form.validate_on_submit():
        try:
            update_delegation(delegation, _data_from(form), current_user)
        except DomainError as error:
            populate_errors(form, error)
        else:
            if commit_or_report(form, _("The delegation could not be saved; please try again.")):
                if not can_see(delegation):  # the region took itself off: the delegation is out of its sight
                    flash(_("%(region)s no longer takes part in %(title)s.", region=current_user.region.display_name,
                            title=delegation.display_title), "success")
                    return redirect(url_for("delegations.index"))
                flash(_("Delegation %(title)s saved.", title=delegation.display_title), "success")
                from planner.itinerary.operations import events_outside_dates

                outside = events_outside_dates(delegation)
                if outside:  # new dates: events left on other days keep their invites until moved or cancelled
                    flash(_("These events now lie outside the visit's dates: %(titles)s. Move or cancel them "
                            "(their invites stand until you do).",
                            titles="; ".join(event.display_title for event in outside)), "warning")
                return redirect(url_for("delegations.view", delegation_id=delegation.id))
    return render_template("delegations/form.html", form=form, delegation=delegation)


@staff_required
def view(delegation_id: int):
    delegation = load(Delegation, delegation_id)
    clashes = open_clashes(delegation)
    days = agenda_days(delegation)
    cities = sorted({e.venue.city for day in days for e in day.events
                     if e.venue and e.venue.city and e.status == "scheduled"})
    others = {c.other.id for c, _accepted in clashes if c.other is not None}
    return render_template("delegations/view.html", delegation=delegation, may_edit=can_edit(delegation),
                           days=days, cities=cities, clashes=clashes,
                           visible_ids=visible_event_ids(others, current_user),
                           clash_names=clash_person_names([c for c, _accepted in clashes]),
                           open_count=sum(1 for _clash, accepted in clashes if not accepted),
                           actions=allowed_actions(delegation), action_labels=ACTION_LABELS,
                           kind_labels=KIND_LABELS, clash_labels=CLASH_LABELS, **LABELS)


@staff_required
def status(delegation_id: int):
    delegation = load(Delegation, delegation_id, edit=True)
    form = StatusForm()
    form.action.choices = [(action, ACTION_LABELS[action]) for action in allowed_actions(delegation)]
    if form.validate_on_submit():
        try:
            queued = change_status(delegation, form.action.data, reason=form.reason.data or "", user=current_user)
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            message = _("Delegation is now %(status)s.", status=STATUS_LABELS[delegation.status])
            if queued:
                message += next_sentence(ngettext("%(num)d calendar mail (invite, update or cancellation) is in the email "
                                          "log, on its way.", "%(num)d calendar mails (invites, updates or "
                                          "cancellations) are in the email log, on their way.", queued))
            flash(message, "success")
            return redirect(url_for("delegations.view", delegation_id=delegation.id))
    return render_template("delegations/status.html", form=form, delegation=delegation, **LABELS)


def _person_choices(delegation: Delegation) -> list:
    present = {m.person_id for m in delegation.members}
    people = db.session.scalars(scoped_select(Person).order_by(*people_order())).all()
    return [("", _("Choose a person"))] + [
        (p.id, f"{p.display_name} — {affiliation(p)}" if affiliation(p) else p.display_name)
        for p in people if p.id not in present]


@staff_required
def members(delegation_id: int):
    delegation = load(Delegation, delegation_id)
    may_edit = can_edit(delegation)
    form = MemberForm()
    form.person.choices = _person_choices(delegation)
    if request.method == "POST":
        if not may_edit:
            abort(404)
        if form.validate_on_submit():
            person = load(Person, form.person.data)
            try:
                add_member(delegation, person, form.role.data, form.precedence.data, user=current_user)
            except DomainError as error:
                populate_errors(form, error)
            else:
                if commit_or_report(form, _("This person is in the delegation already."), "person"):
                    flash(_("%(name)s added.", name=local_name(person)), "success")
                    return redirect(url_for("delegations.members", delegation_id=delegation.id))
    return render_template("delegations/members.html", delegation=delegation, form=form, may_edit=may_edit,
                           language_labels=PERSON_LANGUAGE_LABELS, **LABELS)


@staff_required
def badges(delegation_id: int):
    """Printable name badges of the members and hosts (both scripts on each)."""
    from planner.delegations.badges import badges as badge_cards

    delegation = load(Delegation, delegation_id)
    return render_template("delegations/badges.html", delegation=delegation, badges=badge_cards(delegation))


@staff_required
def schedule_of_stay(delegation_id: int, member_id: int):
    """A visitor's schedule of stay (滞在予定表) for their visa application, printable."""
    from planner.itinerary.stay_schedule import CAPTIONS, contact_choices, host_contact, period
    from planner.itinerary.stay_schedule import schedule_of_stay as stay_days

    delegation = load(Delegation, delegation_id)
    member = next((m for m in delegation.members if m.id == member_id and m.role != "host"), None)
    if member is None:
        abort(404)
    chosen = request.args.get("contact", type=int)
    return render_template("delegations/schedule_of_stay.html", delegation=delegation, person=member.person,
                           member=member, days=stay_days(delegation, member.person),
                           contact=host_contact(delegation, chosen), contacts=contact_choices(delegation),
                           chosen=chosen, captions=CAPTIONS, period=period(delegation))


@staff_required
def edit_member(delegation_id: int, member_id: int):
    delegation = load(Delegation, delegation_id, edit=True)
    member = next((m for m in delegation.members if m.id == member_id), None)
    if member is None:
        abort(404)
    form = MemberEditForm(obj=member)
    if request.method == "POST" and request.form.get("remove"):
        try:
            remove_member(member, current_user)
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s removed from the delegation.", name=member.person.name), "success")
            return redirect(url_for("delegations.members", delegation_id=delegation.id))
    elif form.validate_on_submit():
        try:
            update_member(member, form.role.data, form.precedence.data, current_user)
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("%(name)s saved.", name=member.person.name), "success")
            return redirect(url_for("delegations.members", delegation_id=delegation.id))
    return render_template("delegations/member_form.html", delegation=delegation, member=member, form=form,
                           **LABELS)
