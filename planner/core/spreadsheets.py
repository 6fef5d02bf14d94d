"""Exports that spreadsheets open safely: a cell starting with = + - @ (or a tab or CR) is run as a formula by
Excel and LibreOffice (CSV injection), so such text is prefixed with an apostrophe and shown as typed."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text
