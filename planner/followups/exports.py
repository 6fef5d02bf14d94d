"""Follow-ups and agreements as CSV and XLSX, exactly the rows a filtered list shows, in the user's language.
Pure over row lists."""

import csv
import io
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from openpyxl import Workbook
from openpyxl.styles import Font

from planner.core.spreadsheets import spreadsheet_text, text_cells, xlsx_text
from planner.followups.agreement_models import CURRENCIES
from planner.i18n.names import local_name

# headers and words in the user's language, as the stages and kinds are
# New columns go at the end: a spreadsheet or script that reads the columns by position keeps working.
FOLLOWUP_COLUMNS = (_l("id"), _l("title"), _l("origin"), _l("origin date"), _l("partnership"), _l("firms"),
                    _l("regions"), _l("stage"), _l("rating"), _l("next action"), _l("owner"), _l("due date"),
                    _l("status"), _l("notes"), _l("from"), _l("delegation"))
AGREEMENT_COLUMNS = (_l("id"), _l("title"), _l("kind"), _l("partnership"), _l("signed on"), _l("value"),
                     _l("currency"), _l("jobs expected"), _l("sector"), _l("status"), _l("firms"), _l("regions"),
                     *(_l("equivalent in %(currency)s", currency=currency) for currency in CURRENCIES))
# the words the pages use: the form's kinds of origin and its Open / Done (the export wrote "visit", "open")
ORIGIN_WORDS = {"meeting": _l("B2B meeting"), "event": _l("Event"), "delegation": _l("Delegation")}
OPEN_WORDS = {True: _l("Open"), False: _l("Done")}


def followup_rows(followups, stage_labels, origins: dict) -> list[list]:
    """``origins``: each follow-up's origin (``operations.origin_of``) by id, for the page's "From" and its visit."""
    return [[f.id, f.title, str(ORIGIN_WORDS.get(f.origin_kind, f.origin_kind)), f.origin_date,
             f.partnership.display_title if f.partnership else "",
             "; ".join(local_name(firm) for firm in f.firms), "; ".join(r.code for r in f.regions),
             str(stage_labels[f.stage]), f.rating, f.next_action, f.owner.name if f.owner else "", f.due_date,
             str(OPEN_WORDS[bool(f.is_open)]), f.notes, origins[f.id].label, origins[f.id].delegation.display_title]
            for f in followups]


def agreement_rows(agreements, kind_labels, status_labels, equivalents) -> list[list]:
    """``equivalents(agreement)``: its value in the other currencies, {currency: Decimal}, as the list shows them;
    the value's own currency column holds the value itself, so that each column adds up."""
    rows = []
    for a in agreements:
        value = Decimal(a.value_amount) if a.value_amount is not None else None
        converted = {**equivalents(a), **({a.value_currency: value} if value is not None else {})}
        rows.append([a.id, a.title, str(kind_labels[a.kind]), a.partnership.display_title if a.partnership else "",
                     a.signed_on, value, a.value_currency or "", a.jobs_expected,
                     a.sector.display_name if a.sector else "", str(status_labels[a.status]),
                     "; ".join(local_name(firm) for firm in a.firms), "; ".join(r.code for r in a.regions),
                     *(converted.get(currency) for currency in CURRENCIES)])
    return rows


def _csv_cell(value) -> str:
    if value is None:
        return ""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return spreadsheet_text(text)


def to_csv(columns, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(column) for column in columns])
    writer.writerows([[_csv_cell(value) for value in row] for row in rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel reads UTF-8 (Japanese names) correctly


def to_xlsx(columns, rows, sheet_title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(sheet_title)[:31]
    sheet.append([str(column) for column in columns])
    for row in rows:
        sheet.append([xlsx_text(value) if isinstance(value, str) else value for value in row])
        text_cells(sheet[sheet.max_row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
