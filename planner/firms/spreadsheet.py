"""Reading and writing the import spreadsheets (CSV and XLSX): pure, no database.

Rows come back as {"row": spreadsheet row number, "values": {column: text}}; row 1 is the header, so the
numbers are the ones people see in Excel or LibreOffice.
"""

import csv
import io
import re
import unicodedata
import zipfile
import zlib
from datetime import date, datetime
from decimal import Decimal

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
# the longest text each column takes (rows.py reports longer ones); a kept cell is cut one character beyond
LENGTHS = {"name": 200, "name_ja": 200, "name_kana": 200, "city": 100, "description": 5000, "website": 300,
           "certifications": 500, "contact_name": 200, "contact_title": 200, "contact_email": 254,
           "contact_phone": 50}
OTHER_CELL_CHARS = 1_000  # lists, amounts, codes
TITLE_ROWS = 5  # rows above the header passed over (a title, a date)


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, no header, too many rows)."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


# column, help text, Japanese example, Indian example
COLUMNS = [
    ("name", _l("Legal name (required)"), "Hamamatsu Seiki Co., Ltd.", "Sabarmati Auto Components Pvt Ltd"),
    ("name_ja", _l("Name in Japanese"), "株式会社浜松精機", ""),
    ("name_kana", _l("Reading of the Japanese name (kana)"), "ハママツセイキ", ""),
    ("region", _l("ISO code of the home state or prefecture, e.g. JP-22 or IN-GJ (blank: your own)"),
     "JP-22", "IN-GJ"),
    ("city", _l("City"), "Hamamatsu", "Sanand"),
    ("sectors", _l("Sector codes or names, separated by ';'"), "automotive; machinery",
     "automotive; steel"),
    ("offers", _l("What the firm offers: technology partner, joint venture, supplier, buyer, distributor, "
                  "investor, licensing (separated by ';')"), "technology partner; supplier", "supplier"),
    ("seeks", _l("What the firm seeks, same choices"), "joint venture; distributor",
     "technology partner; joint venture"),
    ("description", _l("What the firm does"), "Precision machining of motorcycle and outboard engine parts.",
     "Pressed and machined parts for two-wheeler OEMs in the Sanand cluster."),
    ("website", _l("Web address"), "https://www.hamamatsu-seiki.example.jp", "https://sabarmati-auto.example.in"),
    ("year_founded", _l("Year founded"), "1962", "2004"),
    ("employees", _l("Number of employees"), "240", "85"),
    ("industry", _l("Japanese SME industry: manufacturing, wholesale, retail or services"), "manufacturing", ""),
    ("capital", _l("Paid-in capital (amount; 'crore', 'lakh', '億' and '万' understood)"), "80000000", ""),
    ("capital_currency", _l("INR, JPY or USD (blank: the home currency)"), "JPY", ""),
    ("investment", _l("Investment in plant and machinery or equipment"), "", "12 crore"),
    ("investment_currency", _l("INR, JPY or USD (blank: the home currency)"), "", "INR"),
    ("turnover", _l("Annual turnover"), "3200000000", "45 crore"),
    ("turnover_currency", _l("INR, JPY or USD (blank: the home currency)"), "JPY", "INR"),
    ("certifications", _l("Certifications separated by ';', e.g. ISO 9001; IATF 16949"),
     "ISO 9001; IATF 16949", "ISO 9001"),
    ("status", _l("draft, active or archived (blank: active)"), "active", "active"),
    ("contact_name", _l("Contact person"), "鈴木 一郎 (Ichiro Suzuki)", "Mehul Shah"),
    ("contact_title", _l("Contact's title"), "Overseas Sales Manager", "Director"),
    ("contact_email", _l("Contact's e-mail"), "suzuki@hamamatsu-seiki.example.jp", "mehul@sabarmati-auto.example.in"),
    ("contact_phone", _l("Contact's phone"), "+81 53 000 0000", "+91 79 0000 0000"),
    ("contact_language", _l("Contact's preferred language: en or ja"), "ja", "en"),
]
COLUMN_NAMES = [name for name, *_ in COLUMNS]
ALIASES = {"legal_name": "name", "firm": "name", "company": "name", "japanese_name": "name_ja",
           "reading": "name_kana", "state": "region", "prefecture": "region", "region_code": "region",
           "sector": "sectors", "founded": "year_founded", "email": "contact_email", "phone": "contact_phone"}


# The headers of Japanese offices' own lists, and the firm form's Japanese labels (a test keeps these in step
# with the catalogue), as the columns they name.
JAPANESE_HEADERS = {
    "name": ("正式名称", "会社名", "企業名", "社名", "法人名", "商号", "企業名(英語)", "会社名(英語)", "英文社名"),
    "name_ja": ("日本語表記", "日本語名", "日本語名称", "会社名(日本語)", "企業名(日本語)", "和文社名"),
    "name_kana": ("読み", "読み(カナ)", "よみ", "フリガナ", "ふりがな", "カナ", "よみがな", "読み仮名",
                  "日本語名称の読み", "企業名(カナ)", "会社名(カナ)", "reading (kana)"),
    "region": ("所在州・県", "都道府県", "州・県", "州", "県"),
    "city": ("市区町村", "市町村", "都市"),
    "sectors": ("分野", "業種分野", "セクター"),
    "offers": ("提供できるもの", "提供"),
    "seeks": ("求めるもの", "希望"),
    "description": ("概要", "事業内容", "事業概要"),
    "website": ("ウェブサイト", "ホームページ", "ウェブアドレス", "url", "hp"),
    "year_founded": ("設立年", "創業年", "設立"),
    "employees": ("従業員数", "従業員"),
    "industry": ("業種", "業種(中小企業基本法の区分)", "industry (japanese sme rule)"),
    "capital": ("資本金",),
    "capital_currency": ("資本金の通貨", "資本金通貨"),
    "investment": ("工場・機械設備への投資額", "設備投資額", "投資額"),
    "investment_currency": ("投資額の通貨", "設備投資額の通貨"),
    "turnover": ("年間売上高", "売上高", "年商"),
    "turnover_currency": ("売上高の通貨", "売上高通貨"),
    "certifications": ("認証", "認証取得"),
    "status": ("状態", "ステータス"),
    "contact_name": ("担当者", "担当者名", "担当者氏名"),
    "contact_title": ("担当者の役職", "役職"),
    "contact_email": ("担当者のメールアドレス", "メールアドレス", "メール"),
    "contact_phone": ("担当者の電話番号", "電話番号", "電話", "tel"),
    "contact_language": ("担当者の希望言語", "希望言語", "言語"),
}
# A note after a header that says whether the column must be filled: "正式名称(必須)", "Legal name (required)".
# Other notes are kept, so that "資本金(万円)" or "Turnover (INR crore)", in another unit than the template's,
# is not read as yen or rupees: such a column stays unknown and the preview names it.
_TRAILING_NOTE = re.compile(r"[_\s]*\((?:必須|任意|required|optional|mandatory)\)$")


def column_label(key: str) -> str:
    """A column as the reader calls it: on Japanese pages the firm form's own word (資本金, 分野), on English ones
    the template's header (capital, sectors).  Also takes the firm's field names (capital_amount)."""
    from planner.core.timefmt import display_language

    key = {"capital_amount": "capital", "investment_amount": "investment", "turnover_amount": "turnover",
           "contact": "contact_name"}.get(key, key)
    if display_language() == "ja" and key in JAPANESE_HEADERS:
        return JAPANESE_HEADERS[key][0]
    return key


def _key(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", unicodedata.normalize("NFKC", text).strip().lower())


_HEADER_ALIASES = {**ALIASES, **{_key(header): column for column, headers in JAPANESE_HEADERS.items()
                                 for header in headers}}


def header_key(text) -> str:
    """The column a header names: case, spaces and dashes aside, and full-width letters (typed with the
    Japanese input method on: ｎａｍｅ) or ideographic spaces read as their plain forms; Japanese headers
    (会社名, 資本金) and a note in brackets after a header ("正式名称(必須)") understood."""
    key = _key(str(text or ""))
    if key in COLUMN_NAMES:
        return key
    if key in _HEADER_ALIASES:
        return _HEADER_ALIASES[key]
    bare = _TRAILING_NOTE.sub("", key)
    return _HEADER_ALIASES.get(bare, bare if bare in COLUMN_NAMES else key)


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


def _known(keys: list[str]) -> int:
    return len(set(keys) & set(COLUMN_NAMES))


def _header_index(candidates: list[list[str]]) -> int | None:
    """Which of the top rows (their header keys) is the header: the first naming 'name' and another known
    column; else the first naming 'name' (a list of names only). A one-word title such as "Company" reads as
    'name' (an alias) and must not win over the real header below it."""
    strong = next((i for i, keys in enumerate(candidates) if "name" in keys and _known(keys) >= 2), None)
    if strong is not None:
        return strong
    return next((i for i, keys in enumerate(candidates) if "name" in keys), None)


def _records(raw_rows) -> tuple[list[str], list[dict]]:
    """Header and data rows from an iterator of cell lists; blank rows are skipped, numbering kept. Up to
    ``TITLE_ROWS`` rows above the header (a list's title and date, as Japanese offices' lists often have) are
    passed over (see ``_header_index``)."""
    header, rows, top = None, [], []  # top: the non-blank rows read before the header is known

    def add(number, texts):
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(_l("The file has more than %(max)s rows. Split it into smaller files.",
                                     max=f"{MAX_ROWS:,}"))
        values = {}
        for column, text in zip(header, texts, strict=False):
            if column in COLUMN_NAMES and text and column not in values:
                values[column] = text[:LENGTHS.get(column, OTHER_CELL_CHARS) + 1]
        rows.append({"row": number, "values": values})

    def settle():
        """Choose the header among the top rows; the rows below it are data."""
        nonlocal header
        index = _header_index([[header_key(text) for text in texts] for _number, texts in top])
        if index is None:
            return False
        header = [header_key(text) for text in top[index][1]]
        _check_unique(header, top[index][1])
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
        keys = [header_key(text) for text in texts]
        if ("name" in keys and _known(keys) >= 2) or len(top) > TITLE_ROWS:
            if not settle():
                break
    if header is None and not top:
        raise ImportFileError(_l("The file is empty."))
    if header is None and not settle():
        raise ImportFileError(_l("No row holds the column names, among them 'name', at the top of the sheet (a "
                                 "title above them is fine). Download the template to see them."))
    return header, rows


def _check_unique(header: list[str], texts: list[str]) -> None:
    """Two columns for one field (two 'name' columns, or 'name' and 会社名): which one holds the data was
    guessed (the first, silently)."""
    seen: dict[str, int] = {}
    for index, column in enumerate(header):
        if column not in COLUMN_NAMES:
            continue
        if column in seen:
            first = seen[column]
            raise ImportFileError(_l("Columns %(a)s ('%(a_name)s') and %(b)s ('%(b_name)s') both hold '%(column)s': "
                                     "keep one of them.", a=get_column_letter(first + 1), a_name=texts[first],
                                     b=get_column_letter(index + 1), b_name=texts[index], column=column))
        seen[column] = index


def _delimiter(text: str) -> str:
    """, ; or tab: the one that makes a header of one of the top lines (a title line above it has none of
    them); else whichever the first line uses most (cells below may hold ';' lists)."""
    lines = [line for line in text.splitlines() if line.strip()][:TITLE_ROWS + 1]
    for line in lines:
        for delimiter in ",;\t":
            try:
                cells = next(csv.reader([line], delimiter=delimiter))
            except (csv.Error, StopIteration):
                continue
            keys = [header_key(cell) for cell in cells]
            if "name" in keys and _known(keys) >= 2:
                return delimiter
    return max(",;\t", key=(lines[0] if lines else "").count)


def read_csv(data: bytes, legacy: str | None = "cp932") -> tuple[list[str], list[dict]]:
    text = _decode(data, legacy)
    delimiter = _delimiter(text)
    # strict: a quote left open swallowed the rest of the file into one cell, unreported
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        return _records(reader)
    except csv.Error as error:
        raise ImportFileError(_l("The CSV file cannot be read at line %(line)d: %(error)s. Check the quotes "
                                 "around that line.", line=reader.line_num, error=str(error))) from None


def _within_columns(rows):
    """The rows cut to MAX_SHEET_COLUMNS, refusing a sheet with something in the column after: its data would
    otherwise be dropped without a word."""
    for row in rows:
        if len(row) > MAX_SHEET_COLUMNS and row[MAX_SHEET_COLUMNS] not in (None, ""):
            raise ImportFileError(_l("The sheet has data beyond column %(n)d. Delete the columns the import does "
                                     "not need, or move the firms' columns to the left.", n=MAX_SHEET_COLUMNS))
        yield row[:MAX_SHEET_COLUMNS]


def read_xlsx(data: bytes) -> tuple[list[str], list[dict]]:
    """Rows of the "Firms" sheet (else the active one, else the first).  In read-only mode openpyxl parses the sheet while
    it is iterated, so a damaged sheet (cut short, bad XML, a member failing its CRC) fails there:
    both the load and the iteration are guarded."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(member.file_size for member in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise ImportFileError(_l("The workbook unpacks to more than %(mb)d MB. Save its Firms sheet as "
                                         "a file of its own, or as CSV.", mb=MAX_UNPACKED_BYTES // 2**20))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheets = workbook.worksheets  # worksheets only (a chart sheet has no rows)
            # the "Firms" sheet, else the one open when the workbook was saved (its data is there), else the first
            active = workbook.active
            sheet = next((sheet for sheet in sheets if sheet.title.strip().lower() == "firms"), None) \
                or next((sheet for sheet in sheets if active is not None and sheet.title == active.title), sheets[0])
            sheet.reset_dimensions()  # its declared size may be anything; rows are read as they are
            return _records(_within_columns(sheet.iter_rows(max_col=MAX_SHEET_COLUMNS + 1, values_only=True)))
        finally:
            workbook.close()
    except ImportFileError:
        raise
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, IndexError, EOFError,
            SyntaxError, zlib.error, TypeError, AttributeError):
        # SyntaxError: XML parse errors (ElementTree's ParseError); TypeError, AttributeError: parts that parse
        # but hold what openpyxl does not expect (a style number "x")
        raise ImportFileError(_l("The file is not a readable Excel workbook (.xlsx).")) from None


def read_upload(filename: str, data: bytes, legacy: str | None = "cp932") -> tuple[list[str], list[dict]]:
    """``legacy``: the encoding of a CSV that is not UTF-8 (``LEGACY_ENCODINGS`` by the uploader's
    country; None: decided from the bytes)."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        return read_xlsx(data)
    if name.endswith((".csv", ".txt")):
        return read_csv(data, legacy)
    raise ImportFileError(_l("Upload a .csv or .xlsx file (older .xls files: save them as .xlsx first)."))


def _example(country: str | None) -> list[str]:
    index = 3 if country == "IN" else 2
    return [column[index] for column in COLUMNS]


def template_csv(country: str | None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMN_NAMES)
    writer.writerow(_example(country))
    return out.getvalue().encode("utf-8-sig")  # the BOM makes Excel read UTF-8 (Japanese names) correctly


def template_xlsx(country: str | None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Firms"
    sheet.append(COLUMN_NAMES)
    sheet.append(_example(country))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    help_sheet = workbook.create_sheet("Columns")
    help_sheet.append(["column", "meaning"])
    for name, meaning, *_ in COLUMNS:
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
