"""The firm import's sheet: its columns, the headers Japanese offices use for them, and the template. Reading
and writing are shared with the other imports (``planner.core.sheets``); the names here are the firm import's.
"""

from functools import partial

from flask_babel import lazy_gettext as _l

from planner.core.sheets import (  # noqa: F401  (re-exported for the firm import)
    LEGACY_ENCODINGS,
    MAX_ROWS,
    ImportFileError,
    Layout,
    cell_text,
    rows_csv,
)
from planner.core.sheets import read_upload as _read_upload
from planner.core.sheets import template_csv as _template_csv
from planner.core.sheets import template_xlsx as _template_xlsx

# the longest text each column takes (rows.py reports longer ones); a kept cell is cut one character beyond
LENGTHS = {"name": 200, "name_ja": 200, "name_kana": 200, "city": 100, "description": 5000, "website": 300,
           "certifications": 500, "contact_name": 200, "contact_title": 200, "contact_email": 254,
           "contact_phone": 50}


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


LAYOUT = Layout(
    columns=tuple(COLUMNS), sheet_name="Firms", lengths=LENGTHS, aliases=ALIASES, japanese_headers=JAPANESE_HEADERS,
    too_big=_l("The workbook unpacks to more than %(mb)d MB. Save its Firms sheet as a file of its own, or as CSV."),
    too_wide=_l("The sheet has data beyond column %(n)d. Delete the columns the import does not need, or move the "
                "firms' columns to the left."))
header_key = LAYOUT.header_key
read_upload = partial(_read_upload, LAYOUT)


def column_label(key: str) -> str:
    """A column as the reader calls it: on Japanese pages the firm form's own word (資本金, 分野), on English ones
    the template's header (capital, sectors).  Also takes the firm's field names (capital_amount)."""
    key = {"capital_amount": "capital", "investment_amount": "investment", "turnover_amount": "turnover",
           "contact": "contact_name"}.get(key, key)
    return LAYOUT.column_label(key)


def _example(country: str | None) -> list[str]:
    index = 3 if country == "IN" else 2
    return [column[index] for column in COLUMNS]


def template_csv(country: str | None) -> bytes:
    return _template_csv(LAYOUT, [_example(country)])


def template_xlsx(country: str | None) -> bytes:
    return _template_xlsx(LAYOUT, [_example(country)])
