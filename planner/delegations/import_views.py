"""A delegation's members and spreadsheets: the list as a file, and an import (template, upload, preview,
confirm, the rows with errors)."""

import re

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from planner.core.access import load
from planner.core.errors import DomainError
from planner.core.imports import XLSX, download, import_stem
from planner.core.roles import staff_required
from planner.core.sheets import MAX_ROWS, ImportFileError, template_csv, template_xlsx
from planner.delegations.forms import LANGUAGE_LABELS, ROLE_LABELS, ConfirmMemberImportForm, MemberImportForm
from planner.delegations.member_import import confirm_import, error_rows_csv, savable, start_import
from planner.delegations.member_sheet import COLUMNS, JAPANESE_HEADERS, LAYOUT, examples
from planner.delegations.models import Delegation, MemberImport
from planner.extensions import db

PREVIEW_ROWS = 300  # rows with errors are always listed; the others up to this many


def _delegation(delegation_id: int) -> Delegation:
    """The delegation, if the user's region organises it (takes part in it); else 404."""
    return load(Delegation, delegation_id, edit=True)


def _import(delegation: Delegation, import_id: int) -> MemberImport:
    """The delegation's import, if the user's region uploaded it; an import of another delegation is no match."""
    member_import = load(MemberImport, import_id)
    if member_import.delegation_id != delegation.id:
        abort(404)
    return member_import


def _country(delegation: Delegation) -> str:
    return current_user.region.country if current_user.region else delegation.sending_country


@staff_required
def upload(delegation_id: int):
    delegation = _delegation(delegation_id)
    form = MemberImportForm()
    if form.validate_on_submit():
        upload_file = form.file.data
        try:
            member_import = start_import(delegation, current_user, upload_file.filename, upload_file.read())
        except (ImportFileError, DomainError) as error:
            form.file.errors = [*form.file.errors, error.message]
        else:
            db.session.commit()
            return redirect(url_for("delegations.member_import_preview", delegation_id=delegation.id,
                                    import_id=member_import.id))
    return render_template("delegations/member_import_upload.html", delegation=delegation, form=form,
                           columns=COLUMNS, max_rows=MAX_ROWS, role_labels=ROLE_LABELS,
                           language_labels=LANGUAGE_LABELS, japanese_headers=JAPANESE_HEADERS,
                           interpreter_values=("yes", "no", "はい", "いいえ", "要", "不要"))


@staff_required
def export_csv(delegation_id: int):
    """The members as CSV, in the import's columns (anyone who may see the delegation)."""
    from planner.delegations.member_export import members_csv

    delegation = load(Delegation, delegation_id)
    return download(members_csv(delegation), _list_name(delegation, "csv"), "text/csv")


@staff_required
def export_xlsx(delegation_id: int):
    from planner.delegations.member_export import members_xlsx

    delegation = load(Delegation, delegation_id)
    return download(members_xlsx(delegation), _list_name(delegation, "xlsx"), XLSX)


def _list_name(delegation: Delegation, extension: str) -> str:
    """'Gujarat delegation to Shizuoka 2026 - members.xlsx': a name a hotel or an airline recognises (the
    signs no file system takes left out)."""
    title = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", delegation.title).strip()[:100] or f"delegation {delegation.id}"
    return f"{title} - members.{extension}"


@staff_required
def template_as_xlsx(delegation_id: int):
    delegation = _delegation(delegation_id)
    return download(template_xlsx(LAYOUT, examples(_country(delegation))), "members-template.xlsx", XLSX)


@staff_required
def template_as_csv(delegation_id: int):
    delegation = _delegation(delegation_id)
    return download(template_csv(LAYOUT, examples(_country(delegation))), "members-template.csv", "text/csv")


@staff_required
def preview(delegation_id: int, import_id: int):
    delegation = _delegation(delegation_id)
    member_import = _import(delegation, import_id)
    outcomes = member_import.summary.get("outcomes", [])
    problems = [o for o in outcomes if o["status"] == "error"]
    others = [o for o in outcomes if o["status"] != "error"]
    counts = member_import.summary.get("counts", {})
    return render_template("delegations/member_import_preview.html", delegation=delegation,
                           member_import=member_import, form=ConfirmMemberImportForm(), counts=counts,
                           savable=savable(counts), saved=member_import.summary.get("saved"), problems=problems,
                           others=others[:PREVIEW_ROWS], hidden=max(0, len(others) - PREVIEW_ROWS),
                           expired=member_import.is_expired, ignored=member_import.summary.get("ignored_columns", []),
                           column_label=LAYOUT.column_label, role_labels=ROLE_LABELS)


@staff_required
def confirm(delegation_id: int, import_id: int):
    delegation = _delegation(delegation_id)
    member_import = _import(delegation, import_id)
    form = ConfirmMemberImportForm()
    if form.validate_on_submit():
        try:
            confirm_import(member_import, current_user)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "warning")
        else:
            db.session.commit()
            flash(_("Import saved."), "success")
    return redirect(url_for("delegations.member_import_preview", delegation_id=delegation.id,
                            import_id=member_import.id))


@staff_required
def error_rows(delegation_id: int, import_id: int):
    member_import = _import(_delegation(delegation_id), import_id)
    return download(error_rows_csv(member_import), f"{import_stem(member_import, 'members')}-errors.csv",
                    "text/csv")
