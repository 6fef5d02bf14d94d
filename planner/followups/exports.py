"""Follow-ups and agreements as CSV and XLSX, exactly the rows a filtered list shows. Pure over row lists."""

import csv
import io
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from planner.core.spreadsheets import spreadsheet_text

FOLLOWUP_COLUMNS = ("id", "title", "origin", "origin date", "partnership", "firms", "regions", "stage", "rating",
                    "next action", "owner", "due date", "status", "notes")
AGREEMENT_COLUMNS = ("id", "title", "kind", "partnership", "signed on", "value", "currency", "jobs expected",
                     "sector", "status", "firms", "regions")


def followup_rows(followups, stage_labels) -> list[list]:
    return [[f.id, f.title, f.origin_kind, f.origin_date, f.partnership.title if f.partnership else "",
             "; ".join(firm.name for firm in f.firms), "; ".join(r.code for r in f.regions),
             str(stage_labels[f.stage]), f.rating, f.next_action, f.owner.name if f.owner else "", f.due_date,
             "open" if f.is_open else "done", f.notes] for f in followups]


def agreement_rows(agreements, kind_labels, status_labels) -> list[list]:
    return [[a.id, a.title, str(kind_labels[a.kind]), a.partnership.title if a.partnership else "", a.signed_on,
             Decimal(a.value_amount) if a.value_amount is not None else None, a.value_currency or "",
             a.jobs_expected, a.sector.name if a.sector else "", str(status_labels[a.status]),
             "; ".join(firm.name for firm in a.firms), "; ".join(r.code for r in a.regions)] for a in agreements]


def _csv_cell(value) -> str:
    if value is None:
        return ""
    text = value.isoformat() if hasattr(value, "isoformat") else str(value)
    return spreadsheet_text(text)


def to_csv(columns, rows) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    writer.writerows([[_csv_cell(value) for value in row] for row in rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel reads UTF-8 (Japanese names) correctly


def to_xlsx(columns, rows, sheet_title: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    sheet.append(list(columns))
    for row in rows:
        cells = []
        for value in row:
            # openpyxl would store "=..." as a formula
            cells.append(spreadsheet_text(value) if isinstance(value, str) else value)
        sheet.append(cells)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
