from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from planner.core.access import can_edit, load, scoped_select
from planner.core.errors import DomainError, populate_errors
from planner.core.roles import Role, admin_required, staff_required
from planner.core.views import Page, commit_or_report, page_arg
from planner.extensions import db
from planner.firms import forms as firm_forms
from planner.firms.directory import Filters, directory_select, export_csv, region_choices
from planner.firms.forms import ContactForm, FirmForm, MergeForm
from planner.firms.models import Firm
from planner.firms.operations import (
    ContactData,
    FirmData,
    LikelyDuplicates,
    add_contact,
    contact_of,
    create_firm,
    duplicates_of,
    firm_data_of,
    merge_firms,
    merged_message,
    remove_contact,
    update_contact,
    update_firm,
)
from planner.firms.size import firm_size
from planner.i18n.names import local_name
from planner.matchmaking.history import meetings_of_firm
from planner.regions.operations import active_sectors, all_regions

LABELS = {"status_labels": firm_forms.STATUS_LABELS, "interest_labels": firm_forms.INTEREST_LABELS,
          "size_labels": firm_forms.SIZE_LABELS, "industry_labels": firm_forms.INDUSTRY_LABELS,
          "language_labels": firm_forms.LANGUAGE_LABELS}


def _region_choices_for(user) -> list:
    if user.role in (Role.STATE, Role.PREFECTURE):
        return [(user.region.id, f"{user.region.display_name} ({user.region.code})")]
    regions = all_regions()
    return [("", _("— choose —"))] + [(r.id, f"{r.display_name} ({r.code})") for r in regions]


def _fill_choices(form: FirmForm) -> None:
    form.region.choices = _region_choices_for(current_user)
    form.sectors.choices = [(s.id, s.display_name) for s in active_sectors()]


def _data_from(form: FirmForm) -> FirmData:
    certifications = list(form.certifications.data or [])
    certifications += [item.strip() for item in (form.other_certifications.data or "").split(";") if item.strip()]
    data = FirmData(
        name=form.name.data or "", region_id=form.region.data, name_ja=form.name_ja.data or "",
        name_kana=form.name_kana.data or "", city=form.city.data or "", sector_ids=list(form.sectors.data or []),
        offers=list(form.offers.data or []), seeks=list(form.seeks.data or []),
        description=form.description.data or "", website=form.website.data or "",
        year_founded=form.year_founded.data, employees=form.employees.data, industry=form.industry.data or None,
        certifications=certifications, status=form.status.data)
    for money in ("capital", "investment", "turnover"):
        setattr(data, f"{money}_amount", getattr(form, f"{money}_amount").data)
        setattr(data, f"{money}_currency", getattr(form, f"{money}_currency").data or None)
    return data


def _form_for(firm: Firm) -> FirmForm:
    data = firm_data_of(firm).__dict__.copy()
    common = set(firm_forms.COMMON_CERTIFICATIONS)
    data["sectors"] = data.pop("sector_ids")
    data["region"] = data.pop("region_id")
    data["other_certifications"] = "; ".join(c for c in data["certifications"] if c not in common)
    data["certifications"] = [c for c in data["certifications"] if c in common]
    return FirmForm(data=data)


@staff_required
def index():
    filters = Filters.from_args(request.args)
    page = Page(directory_select(filters), page_arg(), per_page=50)
    return render_template("firms/index.html", page=page, filters=filters, regions=region_choices(),
                           sectors=active_sectors(), **LABELS)


@staff_required
def export():
    filters = Filters.from_args(request.args)
    body = export_csv(directory_select(filters), with_contacts=True)
    return Response(body, content_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="firms.csv"'})


@login_required
def view(firm_id: int):
    firm = load(Firm, firm_id)
    size, rule = firm_size(firm)
    staff = current_user.role != Role.DELEGATE
    # a firm merged away is no candidate for another merge
    duplicates = duplicates_of(firm, scoped_select(Firm)) if staff and firm.merged_into_id is None else []
    meetings = meetings_of_firm(firm, current_user) if staff else []
    merged_into = db.session.scalars(scoped_select(Firm).where(Firm.id == firm.merged_into_id)).first() \
        if firm.merged_into_id else None
    return render_template("firms/view.html", firm=firm, size=size, rule=rule, show_contacts=staff,
                           may_edit=can_edit(firm) and firm.merged_into_id is None, merged_into=merged_into,
                           duplicates=duplicates, meetings=meetings, **LABELS)


def _merged_away(firm: Firm):
    """A firm merged into another is kept as a record of the merge: its edit pages send to its profile, which
    links the firm it became (a merge of it always failed; an edit changed a record nobody uses)."""
    if firm.merged_into_id is None:
        return None
    flash(merged_message(firm), "info")
    return redirect(url_for("firms.view", firm_id=firm.id))


@staff_required
def new():
    form = FirmForm()
    _fill_choices(form)
    if request.method == "GET" and current_user.region_id:
        form.region.data = current_user.region_id
    likely = []
    if form.validate_on_submit():
        try:
            firm = create_firm(_data_from(form), current_user, confirm_duplicate=form.confirm_duplicate.data)
        except LikelyDuplicates as found:  # asked before saving, as the import's preview does
            likely = found.firms
            populate_errors(form, found)
        except DomainError as error:
            populate_errors(form, error)
        else:
            if commit_or_report(form, _("The firm could not be saved; please try again.")):
                flash(_("Firm %(name)s registered.", name=local_name(firm)), "success")
                return redirect(url_for("firms.view", firm_id=firm.id))
    return render_template("firms/form.html", form=form, firm=None, likely=likely)


@staff_required
def edit(firm_id: int):
    firm = load(Firm, firm_id, edit=True)
    if (refused := _merged_away(firm)) is not None:
        return refused
    form = _form_for(firm)
    _fill_choices(form)
    likely = []
    if form.validate_on_submit():
        try:
            update_firm(firm, _data_from(form), current_user, confirm_duplicate=form.confirm_duplicate.data)
        except LikelyDuplicates as found:  # asked before saving, as the import's preview does
            likely = found.firms
            populate_errors(form, found)
        except DomainError as error:
            populate_errors(form, error)
        else:
            if commit_or_report(form, _("The firm could not be saved; please try again.")):
                flash(_("Firm %(name)s saved.", name=local_name(firm)), "success")
                return redirect(url_for("firms.view", firm_id=firm.id))
    return render_template("firms/form.html", form=form, firm=firm, likely=likely)


@staff_required
def new_contact(firm_id: int):
    firm = load(Firm, firm_id, edit=True)
    form = ContactForm()
    if request.method == "GET":  # a Japanese firm's contact reads Japanese, unless changed
        form.language.data = "ja" if firm.region.country == "JP" else "en"
    if form.validate_on_submit():
        try:
            add_contact(firm, ContactData(name=form.name.data, title=form.title.data or "",
                                          email=form.email.data or "", phone=form.phone.data or "",
                                          language=form.language.data))
        except DomainError as error:
            populate_errors(form, error)
        else:
            if commit_or_report(form, _("The contact could not be saved; please try again.")):
                flash(_("Contact added."), "success")
                return redirect(url_for("firms.view", firm_id=firm.id, _anchor="contacts"))
    return render_template("firms/contact_form.html", form=form, firm=firm, contact=None)


def _contact_or_404(firm, contact_id):
    contact = contact_of(firm, contact_id)
    if contact is None:
        abort(404)
    return contact


@staff_required
def edit_contact(firm_id: int, contact_id: int):
    firm = load(Firm, firm_id, edit=True)
    if (refused := _merged_away(firm)) is not None:
        return refused
    contact = _contact_or_404(firm, contact_id)
    form = ContactForm(obj=contact)
    if form.validate_on_submit():
        try:
            update_contact(contact, ContactData(name=form.name.data, title=form.title.data or "",
                                                email=form.email.data or "", phone=form.phone.data or "",
                                                language=form.language.data))
        except DomainError as error:
            populate_errors(form, error)
        else:
            if commit_or_report(form, _("The contact could not be saved; please try again.")):
                flash(_("Contact saved."), "success")
                return redirect(url_for("firms.view", firm_id=firm.id, _anchor="contacts"))
    return render_template("firms/contact_form.html", form=form, firm=firm, contact=contact)


@staff_required
def delete_contact(firm_id: int, contact_id: int):
    firm = load(Firm, firm_id, edit=True)
    if (refused := _merged_away(firm)) is not None:
        return refused
    contact = _contact_or_404(firm, contact_id)
    if request.method == "POST":
        name = contact.name
        remove_contact(contact)
        db.session.commit()
        flash(_("Contact %(name)s removed.", name=name), "success")
        return redirect(url_for("firms.view", firm_id=firm.id, _anchor="contacts"))
    return render_template("firms/contact_delete.html", firm=firm, contact=contact)


@admin_required
def merge(firm_id: int):
    firm = load(Firm, firm_id, edit=True)
    if (refused := _merged_away(firm)) is not None:
        return refused
    form = MergeForm()
    candidates = duplicates_of(firm)
    others = candidates or list(db.session.scalars(
        select(Firm).where(Firm.region_id == firm.region_id, Firm.id != firm.id, Firm.merged_into_id.is_(None))
        .order_by(Firm.name).limit(500)))
    form.other.choices = [("", _("— choose —"))] + [(f.id, f"{f.name} (#{f.id}, {f.region.code})") for f in others]
    if form.validate_on_submit():
        other = load(Firm, form.other.data, edit=True)
        try:
            merge_firms(firm, other, current_user, delete_other=form.then.data == "delete")
        except DomainError as error:
            populate_errors(form, error)
        else:
            message = _("%(other)s merged into %(kept)s.", other=other.name, kept=firm.name)
            db.session.commit()
            flash(message, "success")
            return redirect(url_for("firms.view", firm_id=firm.id))
    return render_template("firms/merge.html", form=form, firm=firm, candidates=candidates, **LABELS)
