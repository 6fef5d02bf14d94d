"""Exports that spreadsheets open safely: a CSV cell starting with = + - @ (or a tab or CR) is run as a formula by
Excel and LibreOffice (CSV injection), so such text is prefixed with an apostrophe and shown as typed. An XLSX
cell says its own type: text is stored as text (no apostrophe, which Excel would show), never as a formula."""

import re

# the characters XML 1.0 cannot carry (openpyxl refuses them: a follow-up note with a form feed made the XLSX
# export a 500)
XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(text: str) -> str:
    """The text guarded (a value that starts with an apostrophe before such a character is guarded too: the
    import takes one guarding apostrophe off, and must give back what was exported)."""
    guarded = text.startswith(FORMULA_STARTS) or (text[:1] == "'" and text[1:2] != "" and text[1] in "=+-@\t\r")
    return "'" + text if guarded else text


def xlsx_text(text: str) -> str:
    """Text for an XLSX cell: the characters XML cannot hold dropped (see ``text_cells`` for the type)."""
    return XML_ILLEGAL.sub("", text)


def text_cells(row) -> None:
    """Mark the string cells of a written row as text: openpyxl reads a value starting with "=" as a formula."""
    for cell in row:
        if isinstance(cell.value, str):
            cell.data_type = "s"
