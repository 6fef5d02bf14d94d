"""Venues: shared by all staff, changed by the region that recorded them."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from planner.core.access import can_edit, load, scoped_select
from planner.core.errors import DomainError, populate_errors
from planner.core.roles import Role, staff_required
from planner.core.views import Page, commit_or_report, page_arg
from planner.extensions import db
from planner.itinerary.forms import COUNTRY_LABELS, KIND_LABELS, VenueForm
from planner.itinerary.models import Event, Venue
from planner.itinerary.operations import VenueData, create_venue, update_venue


def _data_from(form: VenueForm) -> VenueData:
    return VenueData(name=form.name.data or "", name_ja=form.name_ja.data or "", country=form.country.data, address=form.address.data or "",
                     city=form.city.data or "", timezone=form.timezone.data or "", capacity=form.capacity.data)


@staff_required
def index():
    country = request.args.get("country", "")
    stmt = scoped_select(Venue).order_by(Venue.country, Venue.city, Venue.name)
    if country in COUNTRY_LABELS:
        stmt = stmt.where(Venue.country == country)
    return render_template("itinerary/venues.html", page=Page(stmt, page_arg()), country=country,
                           country_labels=COUNTRY_LABELS)


@staff_required
def new():
    form = VenueForm()
    if request.method == "GET" and current_user.region:
        form.country.data = current_user.region.country
    if form.validate_on_submit():
        try:
            venue = create_venue(_data_from(form), current_user)
        except DomainError as error:
            populate_errors(form, error)
        else:
            if commit_or_report(form, _("The venue could not be saved; please try again.")):
                flash(_("Venue %(name)s recorded.", name=venue.display_name), "success")
                return redirect(url_for("itinerary.venue", venue_id=venue.id))
    return render_template("itinerary/venue_form.html", form=form, venue=None)


@staff_required
def view(venue_id: int):
    venue = load(Venue, venue_id)
    stmt = scoped_select(Event).where(Event.venue_id == venue.id).order_by(Event.starts_at.desc()).limit(50)
    events = db.session.scalars(stmt).unique().all()
    total = db.session.scalar(select(func.count()).select_from(Event).where(Event.venue_id == venue.id))
    return render_template("itinerary/venue.html", venue=venue, may_edit=can_edit(venue), events=events,
                           total=total, country_labels=COUNTRY_LABELS, kind_labels=KIND_LABELS,
                           is_admin=current_user.role == Role.ADMIN)


@staff_required
def edit(venue_id: int):
    venue = load(Venue, venue_id, edit=True)
    form = VenueForm(obj=venue)
    if form.validate_on_submit():
        try:
            update_venue(venue, _data_from(form), current_user)
        except DomainError as error:
            populate_errors(form, error)
        else:
            if commit_or_report(form, _("The venue could not be saved; please try again.")):
                flash(_("Venue %(name)s saved.", name=venue.display_name), "success")
                return redirect(url_for("itinerary.venue", venue_id=venue.id))
    return render_template("itinerary/venue_form.html", form=form, venue=venue)
