"""One spreadsheet row to firm fields: every cell checked, every problem reported with its column."""

import re
from decimal import Decimal, InvalidOperation

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from planner.core.phones import phone_is_valid
from planner.core.roles import Role
from planner.core.sheets import LANGUAGE_ALIASES, SPREADSHEET_ERRORS, label_aliases, parse_int  # noqa: F401
from planner.core.sheets import code as _code
from planner.core.sheets import plain as _plain
from planner.firms.forms import INDUSTRY_LABELS, INTEREST_LABELS, STATUS_LABELS
from planner.firms.models import FIRM_STATUSES, INDUSTRIES, INTERESTS
from planner.firms.normalise import certifications_text, reading, website_domain
from planner.firms.operations import MAX_AMOUNT, ContactData, latest_founding_year
from planner.firms.size import CRORE, LAKH, MILLION
from planner.firms.spreadsheet import LENGTHS
from planner.i18n.names import SECTORS_JA

HOME_CURRENCY = {"IN": "INR", "JP": "JPY"}
CURRENCY_WORDS = {"₹": "INR", "rs.": "INR", "rs": "INR", "inr": "INR", "¥": "JPY", "円": "JPY", "jpy": "JPY",
                  "us$": "USD", "$": "USD", "usd": "USD", "ルピー": "INR", "インドルピー": "INR", "ドル": "USD",
                  "米ドル": "USD", "日本円": "JPY", "rupees": "INR", "yen": "JPY"}
UNITS = {"crore": ("INR", CRORE), "crores": ("INR", CRORE), "cr": ("INR", CRORE), "lakh": ("INR", LAKH),
         "lakhs": ("INR", LAKH), "lac": ("INR", LAKH), "lacs": ("INR", LAKH), "億": ("JPY", Decimal(10**8)),
         "万": ("JPY", Decimal(10**4)), "million": (None, MILLION), "mn": (None, MILLION)}
# thousands written 125,000,000 or the Indian way 1,25,00,000; '1,5' (a decimal comma) is no amount here
GROUPED = re.compile(r"^\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^\d{1,2}(?:,\d{2})*,\d{3}(?:\.\d+)?$")


def digits_of(text: str) -> str | None:
    """`text` without its thousands separators, or None when its commas are not thousands separators."""
    text = text.strip()
    if "," not in text:
        return text
    return text.replace(",", "") if GROUPED.match(text) else None


AMOUNT = re.compile(r"^(?P<num>\d[\d,]*(?:\.\d+)?|\.\d+)\s*(?P<unit>crores?|cr|lakhs?|lacs?|億|万|million|mn)?$")
# 1億5,000万 (and 1億5000万3,000): yen written in 億 and 万 together, as Japanese writes large amounts
# (whole numbers below each unit after the first: 1億5000 alone, short for 1億5000万 or a stray digit, is no
# amount; nor 1億15000万)
OKU_MAN = re.compile(r"^(?P<oku>\d[\d,]*(?:\.\d+)?)億(?:(?P<man>\d{1,4}|\d,\d{3})万(?P<rest>\d{1,4}|\d,\d{3})?)?$")
INTEREST_ALIASES = {"jv": "joint_venture", "tech_partner": "technology_partner", "technology": "technology_partner",
                    "license": "licensing", "licence": "licensing", "investment": "investor",
                    "suppliers": "supplier", "buyers": "buyer", "distributors": "distributor",
                    "investors": "investor"}
INDUSTRY_ALIASES = {"others": "manufacturing", "other": "manufacturing", "service": "services",
                    "manufacturing_and_others": "manufacturing", "製造業": "manufacturing", "製造": "manufacturing",
                    "卸売": "wholesale", "卸売業": "wholesale", "小売": "retail", "小売業": "retail",
                    "サービス": "services", "サービス業": "services"}



def _list(text: str, known=None) -> list[str]:
    """Items separated by ';', '|', a line break, or the Japanese comma 「、」 (as Japanese lists are written).
    A name that holds 「、」 itself (自動車・モビリティ部品、EV) stays whole when ``known`` (lower-cased names)
    has it; so do brackets (半導体・エレクトロニクス(設計、OSAT/ATMP、金型・治工具))."""
    items = []
    for piece in re.split(r"[;|\n]", _plain(text)):
        piece = piece.strip()
        if not piece:
            continue
        if known is not None and piece.casefold() in known:
            items.append(piece)
            continue
        parts = _split_outside_brackets(piece)
        # the longest run of parts that names a known item (no known name has more than a few)
        longest = max((name.count("、") + 1 for name in known), default=1) if known is not None else 1
        start = 0
        while start < len(parts):
            end = next((end for end in range(min(len(parts), start + longest), start + 1, -1)
                        if "、".join(parts[start:end]).casefold() in known), start + 1)
            items.append("、".join(parts[start:end]))
            start = end
    return [item.strip() for item in items if item.strip()]


def _split_outside_brackets(text: str) -> list[str]:
    parts, current, depth = [], [], 0
    for char in text:
        depth += char == "("
        depth -= char == ")" and depth > 0
        if char == "、" and depth == 0:
            parts.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    parts.append("".join(current).strip())
    return [part for part in parts if part]


# Japanese era names and the year before each era's first (元年 = year 1): 昭和45年 is 1970
ERAS = {"明治": 1867, "大正": 1911, "昭和": 1925, "平成": 1988, "令和": 2018, "m": 1867, "t": 1911, "s": 1925,
        "h": 1988, "r": 2018}
ERA_YEARS = {"明治": 45, "大正": 15, "昭和": 64, "平成": 31, "令和": 99, "m": 45, "t": 15, "s": 64, "h": 31, "r": 99}
ERA_YEAR = re.compile(r"^(?P<era>明治|大正|昭和|平成|令和|[mtshr])\s*(?P<year>\d{1,2}|元)\s*年?$", re.IGNORECASE)


def parse_year(text: str) -> int:
    """A year as written: 1970, 1970年, or in a Japanese era (昭和45年, 平成元年, S45)."""
    plain = _plain(text)
    era = ERA_YEAR.match(plain)
    if era is not None:
        name, year = era["era"].lower(), 1 if era["year"] == "元" else int(era["year"])
        if not 1 <= year <= ERA_YEARS[name]:  # 昭和99 or 令和0 never was
            raise ValueError(_("'%(value)s' is not a year of that era", value=text))
        return ERAS[name] + year
    return parse_int(plain.removesuffix("年"), 1600, 2100)


def parse_amount(text: str) -> tuple[Decimal, str | None]:
    """'12 crore' → (120000000, 'INR'); '¥80,000,000' → (80000000, 'JPY'); '5000000' → (5000000, None)."""
    cleaned, currency = _plain(text).casefold(), None
    for word, code in sorted(CURRENCY_WORDS.items(), key=lambda item: -len(item[0])):
        if cleaned.startswith(word) or cleaned.endswith(word):
            cleaned = cleaned.removeprefix(word).removesuffix(word).strip()
            currency = code
            break
    compound = OKU_MAN.match(cleaned)
    if compound is not None and compound["man"] and "." in compound["oku"]:
        compound = None  # 1.5億5000万: no amount
    if compound is not None and compound["man"]:
        if currency not in (None, "JPY"):
            raise ValueError(_("'%(value)s' mixes currencies", value=text))
        amount = sum((Decimal(compound[part].replace(",", "")) * factor for part, factor in (
            ("oku", Decimal(10**8)), ("man", Decimal(10**4)), ("rest", Decimal(1))) if compound[part]), Decimal(0))
        if amount > MAX_AMOUNT:
            raise ValueError(_("'%(value)s' is too large", value=text))
        return amount.quantize(Decimal("0.01")), "JPY"
    match = AMOUNT.match(cleaned)
    if match is None and AMOUNT.match(cleaned.removeprefix("-").strip()):
        raise ValueError(_("'%(value)s' is negative: enter 0 or more", value=text))
    if match is None:
        raise ValueError(_("'%(value)s' is not an amount", value=text))
    if digits_of(match["num"]) is None:
        raise ValueError(_("'%(value)s' is not an amount: write decimals with a point (1.5), thousands with "
                           "commas (1,500)", value=text))
    try:
        amount = Decimal(match["num"].replace(",", ""))
    except InvalidOperation:
        raise ValueError(_("'%(value)s' is not an amount", value=text)) from None
    if match["unit"]:
        unit_currency, factor = UNITS[match["unit"]]
        amount *= factor
        if unit_currency and currency and unit_currency != currency:
            raise ValueError(_("'%(value)s' mixes currencies", value=text))
        currency = currency or unit_currency
    if amount > MAX_AMOUNT:
        raise ValueError(_("'%(value)s' is too large", value=text))
    return amount.quantize(Decimal("0.01")), currency


class RowParser:
    """Turns rows into firm fields with the lookups (regions, sectors) loaded once per file."""

    def __init__(self, user, regions, sectors):
        self.user = user
        self.regions = {}
        for region in regions:
            for key in (region.code, region.name, region.name_ja):
                if key:
                    self.regions[_plain(key).casefold()] = region
        sectors = list(sectors)
        self.sectors = {}
        for sector in sectors:  # its code, its name, and the Japanese name the pages show (each also without
            names = [sector.code, sector.name]  # its parenthesis: "半導体・エレクトロニクス")
            if sector.code in SECTORS_JA:
                names.append(SECTORS_JA[sector.code])
            for name in names:
                for key in (name, _plain(name).split("(")[0]):
                    self.sectors[_plain(key).casefold().strip()] = sector
        # a part of one sector's name only ("自動車", "機械", "食品加工", "steel"), as offices shorten them
        parts: dict[str, set] = {}
        for sector in sectors:
            for name in (sector.name, SECTORS_JA.get(sector.code, "")):  # not the examples in brackets
                for part in re.split(r"[・、,/]|\band\b", _plain(name).split("(")[0]):
                    if len(part.strip()) >= 2:
                        parts.setdefault(part.strip().casefold(), set()).add(sector)
        for part, found in parts.items():
            if len(found) == 1:
                self.sectors.setdefault(part, next(iter(found)))
        self.interest_aliases = {**label_aliases(INTEREST_LABELS), **INTEREST_ALIASES}
        self.industry_aliases = {**label_aliases(INDUSTRY_LABELS), **INDUSTRY_ALIASES}
        self.status_aliases = label_aliases(STATUS_LABELS)

    def _region(self, values, errors):
        text = values.get("region", "")
        if not text:
            if self.user.role in (Role.STATE, Role.PREFECTURE):
                return self.user.region
            errors.append(("region", _("required: the ISO code of the state or prefecture, e.g. JP-22")))
            return None
        region = self.regions.get(_plain(text).casefold())
        if region is None:
            errors.append(("region", _("unknown state or prefecture '%(value)s'", value=text)))
            return None
        if self.user.role in (Role.STATE, Role.PREFECTURE) and region.id != self.user.region_id:
            errors.append(("region", _("%(region)s is outside your own region (%(own)s)",
                                       region=region.code, own=self.user.region.code)))
            return None
        return region

    def _choices(self, column, text, allowed, aliases, errors):
        chosen = []
        for item in _list(text, {_code(key) for key in aliases}):
            code = aliases.get(_code(item), _code(item))
            if code not in allowed:
                errors.append((column, _("unknown choice '%(value)s'", value=item)))
            elif code not in chosen:
                chosen.append(code)
        return chosen

    def parse(self, values: dict) -> tuple[dict, ContactData | None, list[tuple[str, str]]]:
        """(firm fields given in the row, contact, errors as (column, message)); blank cells are left out."""
        errors: list[tuple[str, str]] = []
        fields: dict = {}
        for column, text in values.items():  # a failed formula (a VLOOKUP with no match) is no value
            if text.upper() in SPREADSHEET_ERRORS:
                errors.append((column, _("the cell holds the spreadsheet error %(value)s", value=text)))
        for column, limit in LENGTHS.items():
            # a reading is stored normalised, and grows so (㍿ reads 株式会社)
            text = reading(values.get(column, "")) if column == "name_kana" else values.get(column, "")
            if len(text) > limit:
                errors.append((column, _("longer than %(n)d characters", n=limit)))
        if not values.get("name"):
            errors.append(("name", _("required")))
        for column in ("name", "name_ja", "name_kana", "city", "description"):
            if values.get(column):
                fields[column] = values[column]
        region = self._region(values, errors)
        fields["region"] = region
        if values.get("sectors"):
            sectors = []
            for item in _list(values["sectors"], self.sectors):
                sector = self.sectors.get(item.casefold())
                if sector is None:
                    errors.append(("sectors", _("unknown sector '%(value)s' (the import page lists the sectors)",
                                                value=item)))
                elif sector not in sectors:
                    sectors.append(sector)
            fields["sectors"] = sectors
        for column in ("offers", "seeks"):
            if values.get(column):
                fields[column] = self._choices(column, values[column], INTERESTS, self.interest_aliases, errors)
        if values.get("website"):
            if website_domain(values["website"]):
                fields["website"] = values["website"]
            else:
                errors.append(("website", _("'%(value)s' is not a web address", value=values["website"])))
        for column, low, high in (("year_founded", 1600, 2100), ("employees", 0, 10_000_000)):
            if values.get(column):
                try:
                    fields[column] = parse_year(values[column]) if column == "year_founded" else \
                        parse_int(values[column], low, high)
                    if not low <= fields[column] <= high:
                        raise ValueError(_("%(value)s is outside %(low)s–%(high)s", value=fields.pop(column),
                                           low=low, high=high))
                    if column == "year_founded" and fields[column] > latest_founding_year():
                        raise ValueError(_("%(value)d is still to come", value=fields.pop(column)))
                except ValueError as error:
                    errors.append((column, str(error)))
        if values.get("industry"):
            industry = self.industry_aliases.get(_code(values["industry"]), _code(values["industry"]))
            if industry in INDUSTRIES:
                fields["industry"] = industry
            else:
                errors.append(("industry", _("unknown industry '%(value)s' (manufacturing, wholesale, retail or "
                                             "services)", value=values["industry"])))
        for money in ("capital", "investment", "turnover"):
            self._money(money, values, region, fields, errors)
        if values.get("certifications"):
            fields["certifications"] = _list(values["certifications"])
            if len(certifications_text(fields["certifications"])) > LENGTHS["certifications"]:
                # stored joined by "; ": longer than the cell ("a|b" becomes "a; b")
                errors.append(("certifications", _("longer than %(n)d characters once listed",
                                                   n=LENGTHS["certifications"])))
        if values.get("status"):
            status = _code(values["status"])
            status = self.status_aliases.get(status, status)  # 有効, 下書き: the words the pages show
            if status in FIRM_STATUSES:
                fields["status"] = status
            else:
                errors.append(("status", _("unknown status '%(value)s' (draft, active or archived)",
                                           value=values["status"])))
        return fields, self._contact(values, errors, region), errors

    def _money(self, money, values, region, fields, errors):
        text, currency_text = values.get(money, ""), values.get(f"{money}_currency", "")
        currency = None
        if currency_text:
            currency = _plain(currency_text).upper()
            currency = CURRENCY_WORDS.get(currency.casefold(), currency)  # 円, ¥, ₹, US$
            if currency not in ("INR", "JPY", "USD"):
                errors.append((f"{money}_currency", _("unknown currency '%(value)s' (INR, JPY or USD)",
                                                      value=currency_text)))
                return
        if not text:
            return
        try:
            amount, implied = parse_amount(text)
        except ValueError as error:
            errors.append((money, str(error)))
            return
        if currency and implied and currency != implied:
            errors.append((money, _("the amount is in %(implied)s but the currency column says %(currency)s",
                                    implied=implied, currency=currency)))
            return
        currency = currency or implied or (HOME_CURRENCY.get(region.country) if region else None)
        if currency is None:
            return  # the region error already explains the row
        fields[f"{money}_amount"], fields[f"{money}_currency"] = amount, currency

    def _contact(self, values, errors, region=None) -> ContactData | None:
        given = {key: values.get(f"contact_{key}", "") for key in ("name", "title", "email", "phone", "language")}
        if not any(given.values()):
            return None
        if not given["name"]:
            errors.append(("contact_name", _("required when other contact columns are filled")))
        if given["phone"] and not phone_is_valid(given["phone"]):
            errors.append(("contact_phone", _("'%(value)s' is not a phone number", value=given["phone"])))
        email = given["email"]
        if email:
            try:
                email = validate_email(email, check_deliverability=False).normalized
            except EmailNotValidError:
                errors.append(("contact_email", _("'%(value)s' is not a valid e-mail address", value=email)))
        # no language column: a Japanese firm's contact reads Japanese (as the contact form proposes)
        language = "ja" if region is not None and region.country == "JP" else "en"
        if given["language"]:
            language = LANGUAGE_ALIASES.get(_code(given["language"]))
            if language is None:
                errors.append(("contact_language", _("unknown language '%(value)s' (en or ja)",
                                                     value=given["language"])))
        return ContactData(name=given["name"], title=given["title"], email=email, phone=given["phone"],
                           language=language or "en")
