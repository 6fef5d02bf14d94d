"""Reading and writing import spreadsheets (CSV and XLSX): pure, no database. Each import describes its sheet
with a ``Layout`` (columns, header aliases, Japanese headers, lengths); the firm import and the delegation
members' import share everything else: encodings, the header found under a title, the limits that keep a
hostile file from holding a worker, the template and the error rows' download.

Rows come back as {"row": spreadsheet row number, "values": {column: text}}; row 1 is the header, so the
numbers are the ones people see in Excel or LibreOffice.
"""

import csv
import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from planner.core.spreadsheets import spreadsheet_text

MAX_ROWS = 20_000
# Rows read at most, blank ones included (a small .xlsx can hold millions of empty rows: 42 s for 3 M), the
# size a workbook may unpack to (a 36 KB file unpacked to 385 MB of rows), and the characters kept of a cell:
# one more than the longest column takes, so that "longer than" is still reported.
MAX_SHEET_ROWS = 100_000
# Columns read from a workbook: the template's and room for any others a sheet adds.  openpyxl pads every row
# to the width the sheet declares (up to 16,384 columns): a 5 KB file claiming A1:XFD1048576 cost minutes.
MAX_SHEET_COLUMNS = 200
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_CELL_CHARS = 5_001
OTHER_CELL_CHARS = 1_000  # lists, amounts, codes: columns without a length of their own
TITLE_ROWS = 5  # rows above the header passed over (a title, a date)


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, no header, too many rows)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


# A note after a header that says whether the column must be filled: "正式名称(必須)", "Legal name (required)".
# Other notes are kept, so that "資本金(万円)" or "Turnover (INR crore)", in another unit than the template's,
# is not read as yen or rupees: such a column stays unknown and the preview names it.
_TRAILING_NOTE = re.compile(r"[_\s]*\((?:必須|任意|required|optional|mandatory)\)$")


def _key(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", unicodedata.normalize("NFKC", text).strip().lower())


@dataclass(frozen=True, eq=False)
class Layout:
    """One import's sheet. ``columns``: (column, help text, example values…); every layout has a 'name'
    column, which tells the header row from a title above it."""

    columns: tuple
    sheet_name: str  # the sheet read from a workbook (else the active one), and the template's
    too_big: object  # "the workbook unpacks to more than %(mb)d MB": names the sheet to save alone
    too_wide: object  # "data beyond column %(n)d": names what the columns hold
    lengths: dict = field(default_factory=dict)  # the longest text each column takes
    aliases: dict = field(default_factory=dict)  # other English headers: {header key: column}
    japanese_headers: dict = field(default_factory=dict)  # {column: (Japanese headers, the first the label)}
    # said when the top rows name the Japanese name and other columns but no 'name' (%(header)s: that header)
    japanese_names_only: object = None

    @cached_property
    def column_names(self) -> list[str]:
        return [name for name, *_ in self.columns]

    @cached_property
    def _header_aliases(self) -> dict[str, str]:
        return {**self.aliases, **{_key(header): column for column, headers in self.japanese_headers.items()
                                   for header in headers}}

    def header_key(self, text) -> str:
        """The column a header names: case, spaces and dashes aside, and full-width letters (typed with the
        Japanese input method on: ｎａｍｅ) or ideographic spaces read as their plain forms; Japanese headers
        and a note in brackets after a header ("正式名称(必須)") understood."""
        key = _key(str(text or ""))
        if key in self.column_names:
            return key
        if key in self._header_aliases:
            return self._header_aliases[key]
        bare = _TRAILING_NOTE.sub("", key)
        return self._header_aliases.get(bare, bare if bare in self.column_names else key)

    def column_label(self, key: str) -> str:
        """A column as the reader calls it: on Japanese pages its first Japanese header, on English ones the
        template's header."""
        from planner.core.timefmt import display_language

        if display_language() == "ja" and key in self.japanese_headers:
            return self.japanese_headers[key][0]
        return key

    def cell_limit(self, column: str) -> int:
        return self.lengths.get(column, OTHER_CELL_CHARS) + 1


# Control characters other than tab and line breaks: a UTF-16 file can hold NUL, which PostgreSQL refuses in
# text; a vertical tab or form feed made the XLSX exports fail later.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# The leading apostrophe the exports put before = + - @ (so that spreadsheets show the text, not a formula):
# a file exported and imported again keeps its values.
_EXPORT_GUARD = re.compile(r"^'(?='?[=+\-@\t\r])")


def cell_text(value) -> str:
    """A cell as the text a person would type: 240.0 → '240', dates as ISO, None → ''; without control
    characters, the exports' guarding apostrophe, and what exceeds ``MAX_CELL_CHARS``."""
    return _EXPORT_GUARD.sub("", _CONTROL.sub("", _cell_text(value)))[:MAX_CELL_CHARS]


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else format(Decimal(repr(value)), "f")
    if isinstance(value, datetime | date):
        return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()
    return str(value).strip()


# What Excel writes for "CSV" (not "CSV UTF-8") where the file was made: Shift-JIS in Japan, Windows
# Western (cp1252) in India.  Both accept most byte strings, so the one tried is the uploader's, not a
# guess: a cp1252 file read as Shift-JIS turned "Hélène" into "H駘鈩e" without an error.
LEGACY_ENCODINGS = {"JP": "cp932", "IN": "cp1252"}
_LEGACY_NAMES = {"cp932": _l("Shift-JIS"), "cp1252": _l("Windows (Western)")}


def _decode(data: bytes, legacy: str | None = None) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else the ``legacy`` encoding; with none given
    (an administrator's upload), Shift-JIS when the bytes read as Japanese text, else cp1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" is UTF-16 with a BOM
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data:
        legacy = legacy or ("cp932" if _reads_as_japanese(data) else "cp1252")
        for encoding in ("utf-8-sig", legacy):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                continue
    raise ImportFileError(_l("The CSV file is neither UTF-8 nor %(legacy)s text. Save it as 'CSV UTF-8'.",
                             legacy=_LEGACY_NAMES.get(legacy or "cp932", legacy)))


def _reads_as_japanese(data: bytes) -> bool:
    """Whether bytes that are not UTF-8 are Shift-JIS rather than Windows (Western) text: they read as
    Shift-JIS and either hold kana there, or are largely non-ASCII (Japanese text is, two bytes a
    character; Western text has an accent or a curly quote here and there, which Shift-JIS would read as
    kanji: "Kumar’s" became "Kumar痴", "Hélène" "H駘鈩e")."""
    try:
        text = data.decode("cp932")
    except UnicodeDecodeError:
        return False
    if any("\u3040" <= char <= "\u30ff" or "\uff66" <= char <= "\uff9f" for char in text):
        return True
    if re.search(rb"[\x80-\xff]{4}", data):  # two Japanese characters in a row (株式, 精機)
        return True
    high = sum(1 for byte in data if byte >= 0x80)
    letters = sum(1 for byte in data if 0x41 <= byte <= 0x5A or 0x61 <= byte <= 0x7A)
    return high >= 0.25 * (high + letters)


def _known(layout: Layout, keys: list[str]) -> int:
    return len(set(keys) & set(layout.column_names))


def _header_index(layout: Layout, candidates: list[list[str]]) -> int | None:
    """Which of the top rows (their header keys) is the header: the first naming 'name' and another known
    column; else the first naming 'name' (a list of names only). A one-word title such as "Company" reads as
    'name' (an alias) and must not win over the real header below it."""
    strong = next((i for i, keys in enumerate(candidates) if "name" in keys and _known(layout, keys) >= 2), None)
    if strong is not None:
        return strong
    return next((i for i, keys in enumerate(candidates) if "name" in keys), None)


def _records(layout: Layout, raw_rows) -> tuple[list[str], list[dict]]:
    """Header and data rows from an iterator of cell lists; blank rows are skipped, numbering kept. Up to
    ``TITLE_ROWS`` rows above the header (a list's title and date, as Japanese offices' lists often have) are
    passed over (see ``_header_index``)."""
    header, rows, top = None, [], []  # top: the non-blank rows read before the header is known
    names = set(layout.column_names)

    def add(number, texts):
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(_l("The file has more than %(max)s rows. Split it into smaller files.",
                                     max=f"{MAX_ROWS:,}"))
        values = {}
        for column, text in zip(header, texts, strict=False):
            if column in names and text and column not in values:
                values[column] = text[:layout.cell_limit(column)]
        rows.append({"row": number, "values": values})

    def settle():
        """Choose the header among the top rows; the rows below it are data."""
        nonlocal header
        index = _header_index(layout, [[layout.header_key(text) for text in texts] for _number, texts in top])
        if index is None:
            return False
        header = [Heading(layout.header_key(text), text) for text in top[index][1]]
        _check_unique(layout, header, top[index][1])
        for number, texts in top[index + 1:]:
            add(number, texts)
        return True

    for number, cells in enumerate(raw_rows, start=1):
        if number > MAX_SHEET_ROWS:
            raise ImportFileError(_l("The sheet has more than %(max)s rows, blank ones included. Delete the empty "
                                     "rows below the data, or split the file.", max=f"{MAX_SHEET_ROWS:,}"))
        if not any(value is not None for value in cells):
            continue  # a blank row (a sheet may hold many) costs no cell conversions
        texts = [cell_text(value) for value in cells]
        if not any(texts):
            continue
        if header is not None:
            add(number, texts)
            continue
        top.append((number, texts))
        keys = [layout.header_key(text) for text in texts]
        if ("name" in keys and _known(layout, keys) >= 2) or len(top) > TITLE_ROWS:
            if not settle():
                break
    if header is None and not top:
        raise ImportFileError(_l("The file is empty."))
    if header is None and not settle():
        _japanese_names_only(layout, top)
        raise ImportFileError(_l("No row holds the column names, among them 'name', at the top of the sheet (a "
                                 "title above them is fine). Download the template to see them."))
    return header, rows


def _japanese_names_only(layout: Layout, top: list) -> None:
    """A Japanese office's own list heads its names 氏名 (read as the Japanese name) and has none in Latin
    letters: say so, rather than that no row names 'name'."""
    if layout.japanese_names_only is None:
        return
    for _number, texts in top:
        keys = [layout.header_key(text) for text in texts]
        if "name_ja" in keys and _known(layout, keys) >= 2:
            raise ImportFileError(str(layout.japanese_names_only) % {"header": texts[keys.index("name_ja")]})


class Heading(str):
    """A header cell as its column's key (what the import compares), remembering the text as typed (what a
    preview names: 'Sr. No.', not the key 'sr._no.')."""

    typed: str

    def __new__(cls, key: str, typed: str):
        heading = super().__new__(cls, key)
        heading.typed = (typed or "").strip()
        return heading


def as_typed(heading: str) -> str:
    """A header as the file had it (a plain key when it was made otherwise)."""
    return getattr(heading, "typed", "") or str(heading)


def _check_unique(layout: Layout, header: list[str], texts: list[str]) -> None:
    """Two columns for one field (two 'name' columns, or 'name' and 会社名): which one holds the data was
    guessed (the first, silently)."""
    seen: dict[str, int] = {}
    for index, column in enumerate(header):
        if column not in layout.column_names:
            continue
        if column in seen:
            first = seen[column]
            raise ImportFileError(_l("Columns %(a)s ('%(a_name)s') and %(b)s ('%(b_name)s') both hold '%(column)s': "
                                     "keep one of them.", a=get_column_letter(first + 1), a_name=texts[first],
                                     b=get_column_letter(index + 1), b_name=texts[index], column=column))
        seen[column] = index


def _delimiter(layout: Layout, text: str) -> str:
    """, ; or tab: the one that makes a header of one of the top lines (a title line above it has none of
    them); else whichever the first line uses most (cells below may hold ';' lists)."""
    lines = [line for line in text.splitlines() if line.strip()][:TITLE_ROWS + 1]
    for line in lines:
        for delimiter in ",;\t":
            try:
                cells = next(csv.reader([line], delimiter=delimiter))
            except (csv.Error, StopIteration):
                continue
            keys = [layout.header_key(cell) for cell in cells]
            if "name" in keys and _known(layout, keys) >= 2:
                return delimiter
    return max(",;\t", key=(lines[0] if lines else "").count)


def read_csv(layout: Layout, data: bytes, legacy: str | None = "cp932") -> tuple[list[str], list[dict]]:
    text = _decode(data, legacy)
    delimiter = _delimiter(layout, text)
    # strict: a quote left open swallowed the rest of the file into one cell, unreported
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        return _records(layout, reader)
    except csv.Error as error:
        raise ImportFileError(_l("The CSV file cannot be read at line %(line)d: %(error)s. Check the quotes "
                                 "around that line.", line=reader.line_num, error=str(error))) from None


def _within_columns(layout: Layout, rows):
    """The rows cut to MAX_SHEET_COLUMNS, refusing a sheet with something in the column after: its data would
    otherwise be dropped without a word."""
    for row in rows:
        if len(row) > MAX_SHEET_COLUMNS and row[MAX_SHEET_COLUMNS] not in (None, ""):
            raise ImportFileError(str(layout.too_wide) % {"n": MAX_SHEET_COLUMNS})
        yield row[:MAX_SHEET_COLUMNS]


def read_xlsx(layout: Layout, data: bytes) -> tuple[list[str], list[dict]]:
    """Rows of the layout's sheet ("Firms", "Members"; else the active one, else the first).  In read-only mode
    openpyxl parses the sheet while it is iterated, so a damaged sheet (cut short, bad XML, a member failing its
    CRC) fails there: both the load and the iteration are guarded."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(member.file_size for member in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise ImportFileError(str(layout.too_big) % {"mb": MAX_UNPACKED_BYTES // 2**20})
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheets = workbook.worksheets  # worksheets only (a chart sheet has no rows)
            # the layout's sheet, else the one open when the workbook was saved (its data is there), else the first
            active = workbook.active
            wanted = layout.sheet_name.lower()
            sheet = next((sheet for sheet in sheets if sheet.title.strip().lower() == wanted), None) \
                or next((sheet for sheet in sheets if active is not None and sheet.title == active.title), sheets[0])
            sheet.reset_dimensions()  # its declared size may be anything; rows are read as they are
            return _records(layout, _within_columns(
                layout, sheet.iter_rows(max_col=MAX_SHEET_COLUMNS + 1, values_only=True)))
        finally:
            workbook.close()
    except ImportFileError:
        raise
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError, EOFError,
            SyntaxError, zlib.error, TypeError, AttributeError):
        # SyntaxError: XML parse errors (ElementTree's ParseError); TypeError, AttributeError: parts that parse
        # but hold what openpyxl does not expect (a style number "x")
        raise ImportFileError(_l("The file is not a readable Excel workbook (.xlsx).")) from None


def read_upload(layout: Layout, filename: str, data: bytes,
                legacy: str | None = "cp932") -> tuple[list[str], list[dict]]:
    """``legacy``: the encoding of a CSV that is not UTF-8 (``LEGACY_ENCODINGS`` by the uploader's
    country; None: decided from the bytes)."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        return read_xlsx(layout, data)
    if name.endswith((".csv", ".txt")):
        return read_csv(layout, data, legacy)
    raise ImportFileError(_l("Upload a .csv or .xlsx file (older .xls files: save them as .xlsx first)."))


def template_csv(layout: Layout, examples: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(layout.column_names)
    writer.writerows(examples)
    return out.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8 (Japanese names) correctly


def template_xlsx(layout: Layout, examples: list[list[str]]) -> bytes:
    """The template workbook: the layout's sheet (header and example rows) and a "Columns" sheet saying what
    each column means."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = layout.sheet_name
    sheet.append(layout.column_names)
    for example in examples:
        sheet.append(example)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    help_sheet = workbook.create_sheet("Columns")
    help_sheet.append(["column", "meaning"])
    for name, meaning, *_examples in layout.columns:
        help_sheet.append([name, str(meaning)])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def rows_csv(columns: list[str], rows: list[dict], extra: dict[int, str] | None = None,
             extra_column: str = "errors", headers: list[str] | None = None) -> bytes:
    """Rows back as CSV in the given columns (headed `headers`, default the column names), with one extra
    column (the errors) keyed by row number."""
    out = io.StringIO()
    writer = csv.writer(out)
    headers = headers or columns
    writer.writerow([*headers, extra_column] if extra is not None else headers)
    for row in rows:
        cells = [spreadsheet_text(row["values"].get(column, "")) for column in columns]
        writer.writerow([*cells, extra.get(row["row"], "")] if extra is not None else cells)
    return out.getvalue().encode("utf-8-sig")


# Reading cells: what the imports share ---------------------------------------------------------------------

# a failed formula (a VLOOKUP with no match) is no value
SPREADSHEET_ERRORS = {"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
                      "#GETTING_DATA"}
LANGUAGE_ALIASES = {"en": "en", "english": "en", "英語": "en", "ja": "ja", "jp": "ja", "japanese": "ja",
                    "日本語": "ja"}


def plain(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def code(text: str) -> str:
    """A choice as written, as a code: 'Joint venture' → 'joint_venture'."""
    return re.sub(r"[\s\-]+", "_", text.strip().casefold())


def label_aliases(labels: dict) -> dict[str, str]:
    """The words a form shows for each choice, in English and in Japanese, as names of its code: an office
    fills a sheet in with 仕入先 or 団長, not with 'supplier' or 'head'."""
    aliases = {}
    for locale in ("en", "ja"):
        with force_locale(locale):
            aliases.update({code(plain(str(label))): choice for choice, label in labels.items()})
    return aliases


def parse_int(text: str, low: int, high: int) -> int:
    cleaned = plain(text).replace(",", "").replace(" ", "")
    if re.fullmatch(r"-?\d+(\.0+)?", cleaned) is None:
        raise ValueError(_("'%(value)s' is not a whole number", value=text))
    value = int(cleaned.split(".")[0])  # a negative one is a whole number outside the range
    if not low <= value <= high:
        raise ValueError(_("%(value)s is outside %(low)s–%(high)s", value=value, low=low, high=high))
    return value


def cell_errors(values: dict, lengths: dict) -> list[tuple[str, str]]:
    """(column, message) for the cells holding a spreadsheet error (#N/A), and for text longer than its column
    takes."""
    errors = [(column, _("the cell holds the spreadsheet error %(value)s", value=text))
              for column, text in values.items() if text.upper() in SPREADSHEET_ERRORS]
    errors += [(column, _("longer than %(n)d characters", n=limit)) for column, limit in lengths.items()
               if len(values.get(column, "")) > limit]
    return errors
