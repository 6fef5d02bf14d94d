"""Follow-up pages: the filtered list (and its exports), recording one, its page with the history, editing."""

from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from planner.core.access import can_edit, load, scoped_select
from planner.core.errors import DomainError, populate_errors
from planner.core.roles import staff_required
from planner.core.timefmt import today_ist
from planner.core.views import Page, commit_or_report, int_arg, page_arg, refused_arg
from planner.delegations.models import Delegation
from planner.extensions import db
from planner.followups import exports
from planner.followups.forms import STAGE_LABELS, FollowUpForm
from planner.followups.models import STAGES, FollowUp
from planner.followups.operations import (
    ORIGIN_MODELS,
    FollowUpData,
    create_followup,
    data_of,
    followups_of_origin,
    history_names,
    load_origin,
    origin_of,
    owner_candidates,
    update_followup,
)
from planner.i18n.names import local_name
from planner.itinerary.models import Event
from planner.matchmaking.models import B2BSession
from planner.partnerships.models import Partnership


def list_filters() -> dict:
    """The list's filters from the query string; anything malformed is ignored, never an error."""
    stage = request.args.get("stage", "")
    status = request.args.get("status", "open")
    owner = "me" if request.args.get("owner") == "me" else int_arg("owner")
    return {"stage": stage if stage in STAGES else "", "status": status if status in ("open", "done", "all")
            else "open", "owner": owner or "",
            "partnership": int_arg("partnership"), "year": int_arg("year", 2000, 2100),
            "year_refused": refused_arg("year", 2000, 2100), "overdue": request.args.get("overdue") == "1"}


def filtered_followups(filters: dict, today: date):
    stmt = scoped_select(FollowUp)
    if filters["stage"]:
        stmt = stmt.where(FollowUp.stage == filters["stage"])
    if filters["status"] != "all":
        stmt = stmt.where(FollowUp.is_open.is_(filters["status"] == "open"))
    if filters["owner"] == "me":
        stmt = stmt.where(FollowUp.owner_id == current_user.id)
    elif filters["owner"]:
        stmt = stmt.where(FollowUp.owner_id == filters["owner"])
    if filters["partnership"]:
        stmt = stmt.where(FollowUp.partnership_id == filters["partnership"])
    if filters["year"]:
        stmt = stmt.where(FollowUp.origin_date.between(date(filters["year"], 1, 1), date(filters["year"], 12, 31)))
    if filters["overdue"]:
        stmt = stmt.where(FollowUp.is_open.is_(True), FollowUp.due_date < today)
    return stmt.order_by(FollowUp.due_date.is_(None), FollowUp.due_date, FollowUp.id)


@staff_required
def index():
    filters, today = list_filters(), today_ist()
    page = Page(filtered_followups(filters, today), page_arg())
    partnerships = db.session.scalars(select(Partnership)).unique().all()
    delegations = db.session.scalars(scoped_select(Delegation).order_by(Delegation.start_date.desc()).limit(100)).all()
    sessions = db.session.scalars(scoped_select(B2BSession, edit=True).join(Event, Event.id == B2BSession.event_id)
                                  .order_by(Event.starts_at.desc()).limit(30)).unique().all()
    return render_template("followups/index.html", page=page, filters=filters, today=today,
                           stage_labels=STAGE_LABELS, partnerships=sorted(partnerships, key=lambda p: p.title),
                           delegations=delegations, sessions=sessions)


def _export(fmt: str):
    filters = list_filters()
    followups = db.session.scalars(filtered_followups(filters, today_ist())).unique().all()
    rows = exports.followup_rows(followups, STAGE_LABELS, {f.id: origin_of(f) for f in followups})
    if fmt == "csv":
        return Response(exports.to_csv(exports.FOLLOWUP_COLUMNS, rows), mimetype="text/csv",
                        headers={"Content-Disposition": "attachment; filename=followups.csv"})
    return Response(exports.to_xlsx(exports.FOLLOWUP_COLUMNS, rows, _("Follow-ups")),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": "attachment; filename=followups.xlsx"})


@staff_required
def export_csv():
    return _export("csv")


@staff_required
def export_xlsx():
    return _export("xlsx")


def _say_regions_added(followup: FollowUp, ticked) -> None:
    """The regions kept though not ticked (the firms' regions, the author's own) are said, not kept silently."""
    added = [region for region in followup.regions if region.id not in set(ticked or ())]
    if added:
        flash(_("Also among its regions: %(regions)s (the regions of the firms named, and your own, always are).",
                regions=", ".join(region.display_name for region in added)), "info")


def _fill_choices(form: FollowUpForm, origin, followup: FollowUp | None = None) -> None:
    """The origin's firms and regions, and on an edit what the follow-up names already (a region
    that has left the visit since, a firm archived since, its owner): offered, so not dropped."""
    regions = list({r.id: r for r in [*origin.regions, *(followup.regions if followup else [])]}.values())
    firms = {firm.id: firm for firm in [*origin.firms, *(followup.firms if followup else [])]}
    if origin.kind != "meeting":
        from planner.firms.models import Firm

        firms.update({firm.id: firm for firm in db.session.scalars(
            scoped_select(Firm).where(Firm.region_id.in_([r.id for r in regions]), Firm.status == "active")
            .order_by(Firm.name).limit(300)).unique()})
    form.firms.choices = [(firm.id, f"{local_name(firm)} ({firm.region.code})") for firm in firms.values()]
    form.regions.choices = [(region.id, region.display_name) for region in regions]
    owners = owner_candidates([r.id for r in regions])
    if followup is not None and followup.owner is not None and followup.owner not in owners:
        owners.append(followup.owner)
    form.owner.choices = [(None, "—")] + [(u.id, f"{u.name} ({u.region.code})" if u.region else _("%(name)s (admin)", name=u.name))
                                          for u in owners]


def _data_from(form: FollowUpForm) -> FollowUpData:
    return FollowUpData(title=form.title.data or "", stage=form.stage.data, notes=form.notes.data or "",
                        next_action=form.next_action.data or "", owner_id=form.owner.data, due_date=form.due_date.data,
                        is_open=form.status.data != "done", firm_ids=list(form.firms.data or []),
                        region_ids=list(form.regions.data or []))


@staff_required
def new():
    kind = next((name for name in ORIGIN_MODELS if name in request.args), None)
    try:
        origin = load_origin(kind, request.args.get(kind), current_user)
    except DomainError:
        abort(404)
    form = FollowUpForm()
    _fill_choices(form, origin)
    if request.method == "GET":
        form.firms.data = [firm.id for firm in origin.firms]
        form.regions.data = [region.id for region in origin.regions]
        form.owner.data = current_user.id if any(c == current_user.id for c, _label in form.owner.choices) else None
    if form.validate_on_submit():
        try:
            followup = create_followup(origin, _data_from(form), current_user, form.note.data or "")
        except DomainError as error:
            populate_errors(form, error)
        else:
            if commit_or_report(form, _("The follow-up could not be saved; please try again.")):
                flash(_("Follow-up recorded."), "success")
                _say_regions_added(followup, form.regions.data)
                return redirect(url_for("followups.view", followup_id=followup.id))
    return render_template("followups/form.html", form=form, origin=origin, followup=None,
                           recorded=followups_of_origin(origin, current_user), stage_labels=STAGE_LABELS)


@staff_required
def view(followup_id: int):
    followup = load(FollowUp, followup_id)
    return render_template("followups/view.html", followup=followup, origin=origin_of(followup),
                           stage_labels=STAGE_LABELS, may_edit=can_edit(followup), today=today_ist(),
                           history_names=history_names(followup))


@staff_required
def edit(followup_id: int):
    followup = load(FollowUp, followup_id, edit=True)
    origin = origin_of(followup)
    current = data_of(followup)
    form = FollowUpForm(data={"title": current.title, "stage": current.stage, "notes": current.notes,
                              "next_action": current.next_action, "owner": current.owner_id,
                              "due_date": current.due_date, "status": "open" if current.is_open else "done",
                              "firms": current.firm_ids, "regions": current.region_ids})
    _fill_choices(form, origin, followup)
    if form.validate_on_submit():
        try:
            update_followup(followup, _data_from(form), current_user, form.note.data or "")
        except DomainError as error:
            populate_errors(form, error)
        else:
            if commit_or_report(form, _("The follow-up could not be saved; please try again.")):
                flash(_("Follow-up saved."), "success")
                _say_regions_added(followup, form.regions.data)
                return redirect(url_for("followups.view", followup_id=followup.id))
    return render_template("followups/form.html", form=form, origin=origin, followup=followup)
