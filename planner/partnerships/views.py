from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from planner.core.access import can_edit, load, scoped_select
from planner.core.errors import DomainError, populate_errors
from planner.core.roles import Role, staff_required
from planner.core.views import commit_or_report
from planner.extensions import db
from planner.partnerships.forms import STATUS_LABELS, PartnershipForm
from planner.partnerships.models import PARTNERSHIP_STATUSES, Partnership
from planner.partnerships.operations import PartnershipData, create_partnership, update_partnership
from planner.regions.models import Region
from planner.regions.operations import active_sectors, regions_of


def _fill_choices(form: PartnershipForm, partnership: Partnership | None = None) -> None:
    choose = [("", _("— choose —"))]
    form.state.choices = choose + [(r.id, f"{r.display_name} ({r.code})") for r in regions_of("IN")]
    form.prefecture.choices = choose + [(r.id, f"{r.display_name} ({r.code})") for r in regions_of("JP")]
    # a sector deactivated since stays offered (and ticked) on the partnership that has it
    sectors = {s.id: s for s in [*active_sectors(), *(partnership.focus_sectors if partnership else [])]}
    form.focus_sectors.choices = [(s.id, s.display_name) for s in sectors.values()]


def _data_from(form: PartnershipForm) -> PartnershipData:
    return PartnershipData(
        state_id=form.state.data, prefecture_id=form.prefecture.data, status=form.status.data,
        since=form.since.data, agreement_title=form.agreement_title.data or "",
        agreement_date=form.agreement_date.data, agreement_reference=form.agreement_reference.data or "",
        focus_sector_ids=list(form.focus_sectors.data or []), notes=form.notes.data or "",
    )


@staff_required
def index():
    status = request.args.get("status", "")
    stmt = scoped_select(Partnership).join(Partnership.state).order_by(Region.name)
    if status in PARTNERSHIP_STATUSES:
        stmt = stmt.where(Partnership.status == status)
    partnerships = db.session.scalars(stmt).unique().all()
    editable = {p.id for p in db.session.scalars(scoped_select(Partnership, edit=True))}
    return render_template("partnerships/index.html", partnerships=partnerships, editable=editable,
                           status=status, status_labels=STATUS_LABELS)


@staff_required
def view(partnership_id: int):
    partnership = load(Partnership, partnership_id)
    return render_template("partnerships/view.html", partnership=partnership, may_edit=can_edit(partnership),
                           status_labels=STATUS_LABELS)


@staff_required
def new():
    form = PartnershipForm()
    _fill_choices(form)
    if request.method == "GET" and current_user.role in (Role.STATE, Role.PREFECTURE):
        getattr(form, "state" if current_user.role == Role.STATE else "prefecture").data = current_user.region_id
    if form.validate_on_submit():
        try:
            partnership = create_partnership(_data_from(form), current_user)
        except DomainError as error:
            populate_errors(form, error)
        else:
            if commit_or_report(form, _("These two regions are partners already."), "prefecture"):
                flash(_("Partnership %(title)s recorded.", title=partnership.display_title), "success")
                return redirect(url_for("partnerships.view", partnership_id=partnership.id))
    return render_template("partnerships/form.html", form=form, partnership=None)


@staff_required
def edit(partnership_id: int):
    partnership = load(Partnership, partnership_id, edit=True)
    form = PartnershipForm(data={
        "state": partnership.state_id, "prefecture": partnership.prefecture_id, "status": partnership.status,
        "since": partnership.since, "agreement_title": partnership.agreement_title,
        "agreement_date": partnership.agreement_date, "agreement_reference": partnership.agreement_reference,
        "focus_sectors": [s.id for s in partnership.focus_sectors], "notes": partnership.notes,
    })
    _fill_choices(form, partnership)
    if form.validate_on_submit():
        try:
            update_partnership(partnership, _data_from(form), current_user)
        except DomainError as error:
            populate_errors(form, error)
        else:
            if commit_or_report(form, _("These two regions are partners already."), "prefecture"):
                flash(_("Partnership %(title)s saved.", title=partnership.display_title), "success")
                return redirect(url_for("partnerships.view", partnership_id=partnership.id))
    return render_template("partnerships/form.html", form=form, partnership=partnership)
