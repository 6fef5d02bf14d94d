"""Agreement pages: list (and exports), record, view with status history and conversions, edit, status change;
and the administrators' exchange-rate table."""

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from planner.core.access import can_edit, load, scoped_select
from planner.core.errors import DomainError, populate_errors
from planner.core.roles import Role, admin_required, staff_required
from planner.core.views import Page, commit_or_report, int_arg, page_arg, refused_arg
from planner.extensions import db
from planner.firms.models import Firm
from planner.followups import exports
from planner.followups.agreement_models import AGREEMENT_STATUSES, KINDS, Agreement, ExchangeRate
from planner.followups.agreements import (
    AgreementData,
    RateFarOff,
    SameAgreementRecorded,
    add_rate,
    change_status,
    create_agreement,
    direct_meetings,
    may_file_under,
    update_agreement,
    visible_links,
)
from planner.followups.forms import (
    AGREEMENT_STATUS_LABELS,
    KIND_LABELS,
    STAGE_LABELS,
    AgreementForm,
    ConfirmForm,
    RateForm,
    StatusForm,
)
from planner.followups.models import FollowUp
from planner.followups.money import RateTable
from planner.i18n.names import local_name
from planner.partnerships.models import Partnership
from planner.regions.operations import active_sectors, all_regions


def list_filters() -> dict:
    kind, status = request.args.get("kind", ""), request.args.get("status", "")
    return {"kind": kind if kind in KINDS else "", "status": status if status in AGREEMENT_STATUSES else "",
            "partnership": int_arg("partnership"), "year": int_arg("year", 1950, 2100),
            "year_refused": refused_arg("year", 1950, 2100)}


def filtered_agreements(filters: dict):
    stmt = scoped_select(Agreement)
    if filters["kind"]:
        stmt = stmt.where(Agreement.kind == filters["kind"])
    if filters["status"]:
        stmt = stmt.where(Agreement.status == filters["status"])
    if filters["partnership"]:
        stmt = stmt.where(Agreement.partnership_id == filters["partnership"])
    if filters["year"]:
        from datetime import date

        stmt = stmt.where(Agreement.signed_on.between(date(filters["year"], 1, 1), date(filters["year"], 12, 31)))
    return stmt.order_by(Agreement.signed_on.desc(), Agreement.id.desc())


def _partnerships():
    return sorted(db.session.scalars(select(Partnership)).unique().all(), key=lambda p: p.title)


@staff_required
def index():
    filters = list_filters()
    page = Page(filtered_agreements(filters), page_arg())
    return render_template("followups/agreements.html", page=page, filters=filters, rates=RateTable.load(),
                           kind_labels=KIND_LABELS, status_labels=AGREEMENT_STATUS_LABELS,
                           partnerships=_partnerships())


def _export(fmt: str):
    agreements = db.session.scalars(filtered_agreements(list_filters())).unique().all()
    rates = RateTable.load()
    rows = exports.agreement_rows(agreements, KIND_LABELS, AGREEMENT_STATUS_LABELS,
                                  lambda a: rates.equivalents(a.value_amount, a.value_currency, a.signed_on))
    if fmt == "csv":
        return Response(exports.to_csv(exports.AGREEMENT_COLUMNS, rows), mimetype="text/csv",
                        headers={"Content-Disposition": "attachment; filename=agreements.csv"})
    return Response(exports.to_xlsx(exports.AGREEMENT_COLUMNS, rows, _("Agreements")),
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": "attachment; filename=agreements.xlsx"})


@staff_required
def export_csv():
    return _export("csv")


@staff_required
def export_xlsx():
    return _export("xlsx")


def _fill_choices(form: AgreementForm, agreement: Agreement | None = None, chosen_followups=()) -> None:
    """``chosen_followups``: the agreement's follow-ups the user may see (the other parties' are neither shown
    nor offered; an edit keeps them)."""
    form.partnership.choices = [(None, "—")] + [
        (p.id, p.display_title) for p in _partnerships()
        if may_file_under(p, current_user) or (agreement is not None and agreement.partnership_id == p.id)]
    form.sector.choices = [(None, "—")] + [(s.id, s.display_name) for s in active_sectors()]
    form.regions.choices = [(r.id, f"{r.display_name} ({r.code})") for r in all_regions()]
    own_region = current_user.region_id
    firms = db.session.scalars(scoped_select(Firm).where(Firm.status == "active").order_by(Firm.name)
                               .limit(400)).unique().all() if current_user.role == Role.ADMIN else \
        db.session.scalars(scoped_select(Firm).where(Firm.status == "active").order_by(
            (Firm.region_id != own_region), Firm.name).limit(400)).unique().all()
    chosen = list(agreement.firms) if agreement else []
    form.firms.choices = [(f.id, f"{local_name(f)} ({f.region.code})") for f in {f.id: f for f in [*chosen, *firms]}.values()]
    followups = db.session.scalars(scoped_select(FollowUp).order_by(FollowUp.id.desc()).limit(200)).unique().all()
    form.followups.choices = [(f.id, f"#{f.id} {f.title} ({STAGE_LABELS[f.stage]})")
                              for f in {f.id: f for f in [*chosen_followups, *followups]}.values()]


def _data_from(form: AgreementForm, agreement: Agreement | None = None) -> AgreementData:
    """The value as typed (the operation reads it, and the currency its words name); the follow-ups'
    meetings come with them; meetings linked on their own are kept."""
    meeting_ids = [m.id for m in direct_meetings(agreement)] if agreement is not None else []
    return AgreementData(title=form.title.data or "", kind=form.kind.data, partnership_id=form.partnership.data,
                         signed_on=form.signed_on.data, value_amount=form.value_amount.data or None,
                         value_currency=form.value_currency.data or None, jobs_expected=form.jobs_expected.data,
                         sector_id=form.sector.data, notes=form.notes.data or "",
                         firm_ids=list(form.firms.data or []), region_ids=list(form.regions.data or []),
                         followup_ids=list(form.followups.data or []), meeting_ids=meeting_ids)


@staff_required
def new():
    form = AgreementForm()
    _fill_choices(form)
    if request.method == "GET" and current_user.region_id:
        form.regions.data = [current_user.region_id]
    origin = int_arg("followup") if request.method == "GET" else None
    if origin and origin in {value for value, *_ in form.followups.choices}:
        # from a follow-up's page ('Record agreement'): it, its firms and its regions ticked
        from planner.followups.models import FollowUp

        followup = db.session.get(FollowUp, origin)
        form.followups.data = [followup.id]
        form.firms.data = [firm.id for firm in followup.firms if firm.id in {v for v, *_ in form.firms.choices}]
        form.regions.data = sorted({*(form.regions.data or []), *(r.id for r in followup.regions)})
    same = []
    if form.validate_on_submit():
        try:
            agreement = create_agreement(_data_from(form), current_user, confirmed_same=bool(form.confirm_same.data))
        except DomainError as error:
            same = error.same if isinstance(error, SameAgreementRecorded) else []
            populate_errors(form, error)
        else:
            if commit_or_report(form, _("The agreement could not be saved; please try again.")):
                flash(_("Agreement recorded."), "success")
                return redirect(url_for("followups.agreement", agreement_id=agreement.id))
    return render_template("followups/agreement_form.html", form=form, agreement=None, same=same,
                           status_labels=AGREEMENT_STATUS_LABELS)


@staff_required
def view(agreement_id: int):
    agreement = load(Agreement, agreement_id)
    rates = RateTable.load()
    form = StatusForm()
    followups, meetings, others = visible_links(agreement, current_user)
    return render_template("followups/agreement.html", agreement=agreement, may_edit=can_edit(agreement),
                           followups=followups, meetings=meetings, others=others,
                           equivalents=rates.equivalents(agreement.value_amount, agreement.value_currency,
                                                         agreement.signed_on),
                           kind_labels=KIND_LABELS, status_labels=AGREEMENT_STATUS_LABELS, stage_labels=STAGE_LABELS,
                           status_form=form)


@staff_required
def edit(agreement_id: int):
    agreement = load(Agreement, agreement_id, edit=True)
    followups, _meetings, others = visible_links(agreement, current_user)
    form = AgreementForm(data={
        "title": agreement.title, "kind": agreement.kind, "partnership": agreement.partnership_id,
        "signed_on": agreement.signed_on, "value_amount": "" if agreement.value_amount is None else
        str(agreement.value_amount), "value_currency": agreement.value_currency or "",
        "jobs_expected": agreement.jobs_expected, "sector": agreement.sector_id, "notes": agreement.notes,
        "firms": [f.id for f in agreement.firms], "regions": [r.id for r in agreement.regions],
        "followups": [f.id for f in followups]})
    _fill_choices(form, agreement, followups)
    if form.validate_on_submit():
        try:
            update_agreement(agreement, _data_from(form, agreement), current_user)
        except DomainError as error:
            populate_errors(form, error)
        else:
            if commit_or_report(form, _("The agreement could not be saved; please try again.")):
                flash(_("Agreement saved."), "success")
                return redirect(url_for("followups.agreement", agreement_id=agreement.id))
    return render_template("followups/agreement_form.html", form=form, agreement=agreement, others=others)


@staff_required
def status(agreement_id: int):
    agreement = load(Agreement, agreement_id, edit=True)
    form = StatusForm()
    if form.validate_on_submit():
        try:
            change_status(agreement, form.status.data, form.changed_on.data, form.note.data or "")
        except DomainError as error:
            populate_errors(form, error)
        else:
            if commit_or_report(form, _("The status could not be saved; please try again.")):
                flash(_("Status changed."), "success")
                return redirect(url_for("followups.agreement", agreement_id=agreement.id))
    return render_template("followups/agreement_status.html", agreement=agreement, form=form,
                           status_labels=AGREEMENT_STATUS_LABELS), 400 if request.method == "POST" else 200


@admin_required
def rates():
    form = RateForm()
    far_off = False
    if form.validate_on_submit():
        try:
            add_rate(form.base.data, form.quote.data, form.rate.data, form.valid_from.data,
                     confirmed=bool(form.confirm_rate.data))
        except DomainError as error:
            far_off = isinstance(error, RateFarOff)
            populate_errors(form, error)
        else:
            if commit_or_report(form, _("There is a rate for this pair from that day already."), "valid_from"):
                flash(_("Rate saved."), "success")
                return redirect(url_for("followups.rates"))
    table = db.session.scalars(select(ExchangeRate).order_by(ExchangeRate.base, ExchangeRate.quote,
                                                             ExchangeRate.valid_from.desc())).all()
    return render_template("followups/rates.html", form=form, rates=table, far_off=far_off)


@admin_required
def delete_rate(rate_id: int):
    rate = load(ExchangeRate, rate_id, edit=True)
    form = ConfirmForm()
    if form.validate_on_submit():
        db.session.delete(rate)
        db.session.commit()
        flash(_("Rate deleted."), "success")
        return redirect(url_for("followups.rates"))
    return render_template("followups/rate_delete.html", rate=rate, form=form)
