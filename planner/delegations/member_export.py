"""A delegation's members as a spreadsheet (CSV or XLSX) in the members import's own columns: the list the
partner office, the hotel or the airline asks for, and a file that imports back (each row then reads 'in the
delegation: skipped'). The diet is written as the import reads it: 'Jain, allergic to peanuts'."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from planner.core.spreadsheets import spreadsheet_text, text_cells, xlsx_text
from planner.delegations.diets import BY_KEY
from planner.delegations.member_sheet import LAYOUT
from planner.delegations.models import Delegation, DelegationMember


def _values(member: DelegationMember) -> dict[str, str]:
    person = member.person
    diet = BY_KEY.get(person.diet)
    return {"name": person.name, "name_ja": person.name_ja, "name_kana": person.name_kana, "title": person.title,
            "organisation": person.organisation, "email": person.email, "phone": person.phone,
            "preferred_language": person.preferred_language, "needs_interpreter": "yes" if person.needs_interpreter
            else "no", "dietary": ", ".join(part for part in (diet.label if diet else "", person.dietary) if part),
            "accessibility": person.accessibility, "role": member.role, "precedence": str(member.precedence)}


def member_rows(delegation: Delegation) -> list[list[str]]:
    """A row per member in the order of precedence, in the import's columns."""
    return [[_values(member).get(column) or "" for column in LAYOUT.column_names] for member in delegation.members]


def members_csv(delegation: Delegation) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(LAYOUT.column_names)
    writer.writerows([[spreadsheet_text(cell) for cell in row] for row in member_rows(delegation)])
    return out.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8 (Japanese names) correctly


def members_xlsx(delegation: Delegation) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = LAYOUT.sheet_name
    sheet.append(LAYOUT.column_names)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in member_rows(delegation):
        sheet.append([xlsx_text(cell) for cell in row])
        text_cells(sheet[sheet.max_row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
