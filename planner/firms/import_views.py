from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from planner.core.access import load
from planner.core.errors import DomainError
from planner.core.imports import XLSX, download, import_stem
from planner.core.roles import staff_required
from planner.extensions import db
from planner.firms.forms import ConfirmImportForm, ImportForm
from planner.firms.importing import confirm_import, error_rows_csv, is_expired, start_import
from planner.firms.models import FirmImport
from planner.firms.spreadsheet import (
    COLUMNS,
    MAX_ROWS,
    ImportFileError,
    column_label,
    template_csv,
    template_xlsx,
)
from planner.regions.models import Sector

PREVIEW_ROWS = 300  # rows with errors and duplicates are always listed; the others up to this many


def _country():
    return current_user.region.country if current_user.region else None


@staff_required
def upload():
    form = ImportForm()
    if form.validate_on_submit():
        upload_file = form.file.data
        try:
            firm_import = start_import(current_user, upload_file.filename, upload_file.read())
        except (ImportFileError, DomainError) as error:
            form.file.errors = [*form.file.errors, error.message]
        else:
            db.session.commit()
            return redirect(url_for("firms.import_preview", import_id=firm_import.id))
    return render_template("firms/import_upload.html", form=form, columns=COLUMNS, max_rows=MAX_ROWS,
                           sectors=db.session.scalars(select(Sector).order_by(Sector.code)).all())


@staff_required
def template_as_xlsx():
    return download(template_xlsx(_country()), "firms-template.xlsx", XLSX)


@staff_required
def template_as_csv():
    return download(template_csv(_country()), "firms-template.csv", "text/csv")


@staff_required
def preview(import_id: int):
    firm_import = load(FirmImport, import_id)
    outcomes = firm_import.summary.get("outcomes", [])
    problems = [o for o in outcomes if o["status"] in ("error", "duplicate")]
    others = [o for o in outcomes if o["status"] not in ("error", "duplicate")]
    return render_template("firms/import_preview.html", firm_import=firm_import, form=ConfirmImportForm(),
                           counts=firm_import.summary.get("counts", {}), saved=firm_import.summary.get("saved"),
                           problems=problems, others=others[:PREVIEW_ROWS], hidden=max(0, len(others) - PREVIEW_ROWS),
                           expired=is_expired(firm_import), ignored=firm_import.summary.get("ignored_columns", []),
                           column_label=column_label)


@staff_required
def confirm(import_id: int):
    firm_import = load(FirmImport, import_id, edit=True)
    form = ConfirmImportForm()
    if form.validate_on_submit():
        try:
            confirm_import(firm_import, current_user, include_duplicates=form.include_duplicates.data)
        except DomainError as error:
            db.session.rollback()
            flash(error.message, "warning")
        else:
            db.session.commit()  # the page itself says what was saved, duplicates skipped included
            flash(_("Import saved."), "success")
    return redirect(url_for("firms.import_preview", import_id=firm_import.id))


@staff_required
def error_rows(import_id: int):
    firm_import = load(FirmImport, import_id)
    return download(error_rows_csv(firm_import), f"{import_stem(firm_import, 'firms')}-errors.csv", "text/csv")
