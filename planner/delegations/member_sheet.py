"""The members' spreadsheet: its columns, the headers people use for them (in English and Japanese), and one row
read into a person and their part in the delegation, every problem reported with its column."""

from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from planner.core.phones import phone_is_valid
from planner.core.sheets import LANGUAGE_ALIASES, Layout, cell_errors, code, label_aliases, parse_int, plain
from planner.delegations.diets import DIETS, split_diet
from planner.delegations.forms import LANGUAGE_LABELS, ROLE_LABELS
from planner.delegations.models import MEMBER_ROLES
from planner.firms.normalise import checked_person_reading, half_width

# column, what it means, example of a Japanese delegation, example of an Indian one
COLUMNS = (
    ("name", _l("Name in Latin letters, as in the passport (required)"), "Ichiro Suzuki", "Mehul Shah"),
    ("name_ja", _l("Name in Japanese, as on a business card"), "鈴木 一郎", ""),
    ("name_kana", _l("Reading of the Japanese name (フリガナ), family name first: Japanese pages list people in "
                     "this order"), "スズキ イチロウ", ""),
    ("title", _l("Title or position"), "Director, International Affairs Division", "Joint Managing Director"),
    ("organisation", _l("Organisation"), "Shizuoka Prefectural Government", "Sabarmati Auto Components Pvt Ltd"),
    ("email", _l("E-mail: calendar invites go to this address. A person you already see with this address is "
                 "added as recorded, not recorded twice"), "suzuki@pref.shizuoka.example.jp",
     "mehul@sabarmati-auto.example.in"),
    ("phone", _l("Phone, with the country code"), "+81 54 000 0000", "+91 79 0000 0000"),
    ("preferred_language", _l("Language of invites and e-mails: en (English) or ja (Japanese); blank: Japanese "
                              "for a prefecture office's list, English for a state cell's"), "ja", "en"),
    ("needs_interpreter", _l("Needs an interpreter: yes or no (blank: no)"), "yes", "no"),
    ("dietary", _l("Diet first, if any: vegetarian, vegetarian (eats egg), Jain, vegan, halal or no beef; then "
                   "allergies and other needs, e.g. 'Jain, allergic to peanuts'"), "", "Jain, allergic to peanuts"),
    ("accessibility", _l("Accessibility needs, e.g. wheelchair"), "", ""),
    ("role", _l("Role in the delegation: head (head of delegation), member, staff or host (blank: member)"),
     "head", "member"),
    ("precedence", _l("Order of precedence from 1 to 999: 1 is introduced and seated first (blank: 100)"), "1",
     "2"),
)
LENGTHS = {"name": 200, "name_ja": 200, "name_kana": 200, "title": 200, "organisation": 300, "email": 254, "phone": 50,
           "dietary": 500, "accessibility": 500}
# The dietary cell holds the diet before the notes ('Vegetarian (eats egg), ' and the 500 characters of notes a
# person keeps, as the member list exports them): read that much, and the notes' length checked once the diet is
# taken off
CELL_LENGTHS = {**LENGTHS, "dietary": LENGTHS["dietary"] + max(len(diet.label) for diet in DIETS) + len(", ")}
# other English headers: the person form's labels, and what Indian and Japanese lists call the columns
ALIASES = {"full_name": "name", "name_in_english": "name", "name_(english)": "name", "japanese_name": "name_ja",
           "name_in_japanese": "name_ja", "position": "title", "designation": "title", "title_or_position": "title",
           "organization": "organisation", "company": "organisation", "e_mail": "email", "email_address": "email",
           "e_mail_address": "email", "mail": "email", "mobile": "phone", "telephone": "phone", "tel": "phone",
           "phone_number": "phone", "mobile_number": "phone", "language": "preferred_language",
           "interpreter": "needs_interpreter", "interpreter_needed": "needs_interpreter",
           "needs_an_interpreter": "needs_interpreter", "diet": "dietary", "dietary_needs": "dietary",
           "allergies_and_other_dietary_needs": "dietary", "allergies": "dietary",
           "dietary_requirements": "dietary", "accessibility_needs": "accessibility",
           "role_in_the_delegation": "role", "role_in_delegation": "role", "order": "precedence",
           "order_of_precedence": "precedence",
           # as Indian offices head their lists ("Sr. No., Name, Designation, Company Name, Email ID, Mobile No.,
           # Food Preference"): these columns were passed over, and 40 people came in without address or diet
           "name_of_the_delegate": "name", "name_of_delegate": "name", "delegate_name": "name",
           "participant_name": "name", "name_of_participant": "name", "name_of_the_participant": "name",
           "company_name": "organisation", "name_of_the_company": "organisation",
           "organisation_name": "organisation", "organization_name": "organisation", "email_id": "email",
           "e_mail_id": "email", "mail_id": "email", "email_i.d.": "email", "mobile_no.": "phone",
           "mobile_no": "phone", "phone_no.": "phone", "phone_no": "phone", "contact_no.": "phone",
           "contact_no": "phone", "contact_number": "phone", "food_preference": "dietary",
           "food_preferences": "dietary", "meal_preference": "dietary", "dietary_preference": "dietary",
           "dietary_preferences": "dietary", "food": "dietary", "reading": "name_kana", "kana": "name_kana",
           "furigana": "name_kana", "reading_(katakana)": "name_kana", "name_reading": "name_kana"}
# Japanese headers; the first is the person form's own label, which Japanese pages show for the column
JAPANESE_HEADERS = {
    "name": ("名前", "氏名(ローマ字)", "ローマ字氏名", "氏名(英字)", "英文氏名", "氏名(英語)", "ローマ字"),
    "name_ja": ("日本語表記", "氏名", "氏名(日本語)", "氏名(漢字)", "漢字氏名"),
    "name_kana": ("フリガナ", "ふりがな", "よみがな", "読み仮名", "読み", "カナ", "カナ氏名", "氏名(フリガナ)",
                  "氏名(カナ)", "氏名(ふりがな)", "フリガナ(カタカナ)"),
    "title": ("役職", "肩書", "肩書き", "職名"),
    "organisation": ("所属", "所属先", "所属機関", "勤務先", "会社名", "団体名"),
    "email": ("メールアドレス", "メール", "eメール", "電子メール"),
    "phone": ("電話番号", "電話", "携帯電話", "携帯電話番号", "連絡先電話番号"),
    "preferred_language": ("希望言語", "言語", "使用言語"),
    "needs_interpreter": ("通訳が必要", "通訳", "通訳の要否", "通訳要否"),
    "dietary": ("食事制限", "食事", "食事の配慮", "食事に関する配慮", "アレルギー・その他の食事配慮", "アレルギー"),
    "accessibility": ("配慮が必要な事項", "配慮事項", "その他配慮事項"),
    "role": ("役割", "団内の役割", "区分"),
    "precedence": ("序列", "席次", "順番"),
}

LAYOUT = Layout(
    columns=COLUMNS, sheet_name="Members", lengths=CELL_LENGTHS, aliases=ALIASES, japanese_headers=JAPANESE_HEADERS,
    too_big=_l("The workbook unpacks to more than %(mb)d MB. Save its Members sheet as a file of its own, or as "
               "CSV."),
    too_wide=_l("The sheet has data beyond column %(n)d. Delete the columns the import does not need, or move the "
                "members' columns to the left."),
    japanese_names_only=_l("Column '%(header)s' holds the names in Japanese, and no column holds them in Latin "
                           "letters, as in the passport (invitations, name badges and the schedule of stay need "
                           "them). Add such a column headed 'name' or 'ローマ字氏名' and upload the file again."))

YES = {"yes", "y", "true", "1", "x", "✓", "✔", "○", "◯", "要", "必要", "有", "あり", "はい", "needed", "required"}
NO = {"no", "n", "false", "0", "-", "×", "✗", "不要", "無", "なし", "いいえ", "not_needed"}
ROLE_ALIASES = {"head_of_delegation": "head", "leader": "head", "delegation_leader": "head", "団長": "head",
                "members": "member", "delegate": "member", "団員": "member", "参加者": "member",
                "secretariat": "staff", "事務局": "staff", "随行": "staff", "随行員": "staff", "受入": "host",
                "ホスト": "host"}
DEFAULT_PRECEDENCE = 100


def examples(country: str | None) -> list[list[str]]:
    """The template's example row: a Japanese delegate for a prefecture office, an Indian one for a state cell."""
    index = 3 if country == "IN" else 2
    return [[column[index] for column in COLUMNS]]


@dataclass
class MemberRow:
    """One row read: the person's fields, their part in the delegation, and what is wrong with it."""

    name: str = ""
    name_ja: str = ""
    name_kana: str = ""  # as stored: katakana, one space between the names
    title: str = ""
    organisation: str = ""
    email: str = ""
    phone: str = ""
    preferred_language: str = "en"
    needs_interpreter: bool = False
    diet: str = ""  # read from the dietary cell's beginning (diets.split_diet); the rest stays in dietary
    dietary: str = ""
    accessibility: str = ""
    role: str = "member"
    precedence: int = DEFAULT_PRECEDENCE
    errors: list = field(default_factory=list)  # [(column, message)]


class MemberRowParser:
    def __init__(self, default_language: str):
        self.default_language = default_language
        self.roles = {**{role: role for role in MEMBER_ROLES}, **label_aliases(ROLE_LABELS), **ROLE_ALIASES}
        self.languages = {**label_aliases(LANGUAGE_LABELS), **LANGUAGE_ALIASES}

    def parse(self, values: dict) -> MemberRow:
        row = MemberRow(preferred_language=self.default_language)
        errors = row.errors
        errors += cell_errors(values, {column: n for column, n in LENGTHS.items() if column != "dietary"})
        for column in ("name", "name_ja", "title", "organisation", "dietary", "accessibility"):
            setattr(row, column, values.get(column, "").strip())
        # a name in Latin letters typed full-width (ＴＡＫＡＨＡＳＨＩ, the Japanese input method left on) is stored
        # as on the passport, as the firm import stores names
        row.name = " ".join(half_width(row.name).split())
        row.diet, row.dietary = split_diet(row.dietary)
        if len(row.dietary) > LENGTHS["dietary"]:
            errors.append(("dietary", _("longer than %(n)d characters", n=LENGTHS["dietary"])))
        if not row.name:
            errors.append(("name", _("required")))
        if values.get("name_kana"):
            row.name_kana, problem = checked_person_reading(values["name_kana"])
            if problem == "not_kana":
                errors.append(("name_kana", _("'%(value)s' is not a reading in katakana or hiragana",
                                              value=values["name_kana"])))
            elif problem == "too_long":
                errors.append(("name_kana", _("longer than %(n)d characters", n=LENGTHS["name_kana"])))
        if values.get("email"):
            try:
                # full-width letters (ｋａｔｏ．ichiro@…) are valid in an internationalised address, but no
                # office means one: the invites would bounce
                row.email = validate_email(half_width(values["email"]).strip(),
                                           check_deliverability=False).normalized.lower()
            except EmailNotValidError:
                errors.append(("email", _("'%(value)s' is not a valid e-mail address", value=values["email"])))
        if values.get("phone"):
            if phone_is_valid(values["phone"]):
                row.phone = values["phone"]
            else:
                errors.append(("phone", _("'%(value)s' is not a phone number", value=values["phone"])))
        if values.get("preferred_language"):
            language = self.languages.get(code(plain(values["preferred_language"])))
            if language is None:
                errors.append(("preferred_language", _("unknown language '%(value)s' (en or ja)",
                                                       value=values["preferred_language"])))
            else:
                row.preferred_language = language
        if values.get("needs_interpreter"):
            answer = code(plain(values["needs_interpreter"]))
            if answer in YES or answer in NO:
                row.needs_interpreter = answer in YES
            else:
                errors.append(("needs_interpreter", _("'%(value)s' is neither yes nor no",
                                                      value=values["needs_interpreter"])))
        if values.get("role"):
            role = self.roles.get(code(plain(values["role"])))
            if role is None:
                errors.append(("role", _("unknown role '%(value)s' (head, member, staff or host)",
                                         value=values["role"])))
            else:
                row.role = role
        if values.get("precedence"):
            try:
                row.precedence = parse_int(values["precedence"], 1, 999)
            except ValueError as error:
                errors.append(("precedence", str(error)))
        return row
