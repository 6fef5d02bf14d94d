import re

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DecimalField,
    EmailField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from planner.core.forms import CheckboxListField, Form, IntegerField, finite_number, optional_int
from planner.firms.models import CURRENCIES

STATUS_LABELS = {"draft": _l("Draft"), "active": _l("Active"), "archived": _l("Archived")}
INTEREST_LABELS = {
    "technology_partner": _l("Technology partner"), "joint_venture": _l("Joint venture"),
    "supplier": _l("Supplier"), "buyer": _l("Buyer"), "distributor": _l("Distributor"),
    "investor": _l("Investor"), "licensing": _l("Licensing"),
}
INDUSTRY_LABELS = {"manufacturing": _l("Manufacturing and others"), "wholesale": _l("Wholesale"),
                   "retail": _l("Retail"), "services": _l("Services")}
SIZE_LABELS = {"micro": _l("Micro (MSME)"), "small": _l("Small (MSME)"), "medium": _l("Medium (MSME)"),
               "sme": _l("SME (Japan)"), "mid_sized": _l("Mid-sized (chuken)"), "large": _l("Large"),
               "unknown": _l("Unknown")}
LANGUAGE_LABELS = {"en": _l("English"), "ja": _l("Japanese 日本語")}
COMMON_CERTIFICATIONS = ("ISO 9001", "ISO 14001", "IATF 16949", "ISO 45001", "ISO 13485", "JIS")
CURRENCY_CHOICES = [("", _l("—"))] + [(code, code) for code in CURRENCIES]
AMOUNT_HELP = _l("In digits (rupees, yen or dollars), or as written: 12.5 crore, 40 lakh, 3億, 1億5,000万.")


PLAIN_NUMBER = re.compile(r"^\s*(?:\d+(?:\.\d*)?|\.\d+)\s*$", re.ASCII)


class WrittenAmountField(DecimalField):
    """An amount in digits, or as people write it (12.5 crore, ₹40 lakh, 3億, 1億5,000万円): the import and the
    agreement form read those, and a number box refused 3億.  `implied_currency` is the currency the words
    name, if any (the form takes it when none is chosen)."""

    widget = widgets.TextInput()
    implied_currency = None

    def process_formdata(self, valuelist):
        self.implied_currency = None
        text = valuelist[0] if valuelist else ""
        if not isinstance(text, str) or not text.strip():
            return super().process_formdata(valuelist)
        from planner.firms.rows import digits_of, parse_amount

        digits = digits_of(text)
        # '1,5' is not 15: its comma is no thousands separator; '1e-400' is no amount (Decimal read it as 0.00);
        # parse_amount says why for both
        if digits is not None and PLAIN_NUMBER.match(digits):
            try:
                return super().process_formdata([digits])
            except ValueError:
                pass

        try:
            self.data, self.implied_currency = parse_amount(text)
        except ValueError as error:
            self.data = None
            raise ValueError(str(error)) from None


def _amount(label, description=AMOUNT_HELP):
    return WrittenAmountField(label, places=2, validators=[Optional(), finite_number,
                                                           NumberRange(min=0, max=9_999_999_999_999.99)],
                              description=description)


def _currency(label):
    return SelectField(label, choices=CURRENCY_CHOICES, validators=[Optional()])


class FirmForm(Form):
    name = StringField(_l("Legal name"), validators=[DataRequired(), Length(max=200)],
                       description=_l("As registered, e.g. Hamamatsu Seiki Co., Ltd. or Sabarmati Auto Components "
                                      "Pvt Ltd."))
    name_ja = StringField(_l("Name in Japanese"), validators=[Optional(), Length(max=200)],
                          description=_l("For Japanese firms, e.g. 株式会社浜松精機."))
    name_kana = StringField(_l("Reading (kana)"), validators=[Optional(), Length(max=200)],
                            description=_l("e.g. ハママツセイキ"))
    region = SelectField(_l("Home state or prefecture"), coerce=optional_int, validators=[DataRequired()])
    city = StringField(_l("City"), validators=[Optional(), Length(max=100)])
    sectors = CheckboxListField(_l("Sectors"), coerce=int, validators=[Optional()])
    offers = CheckboxListField(_l("Offers"), choices=list(INTEREST_LABELS.items()), validators=[Optional()],
                               description=_l("What the firm can be for a partner."))
    seeks = CheckboxListField(_l("Seeks"), choices=list(INTEREST_LABELS.items()), validators=[Optional()],
                              description=_l("What the firm is looking for."))
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    website = StringField(_l("Website"), validators=[Optional(), Length(max=300)])
    year_founded = IntegerField(_l("Year founded"), validators=[Optional(), NumberRange(min=1600, max=2100)])
    employees = IntegerField(_l("Employees"), validators=[Optional(), NumberRange(min=0, max=10_000_000)])
    industry = SelectField(_l("Industry (Japanese SME rule)"),
                           choices=[("", _l("— not given —"))] + list(INDUSTRY_LABELS.items()),
                           validators=[Optional()],
                           description=_l("Decides the SME limits for Japanese firms (SME Basic Act)."))
    capital_amount = _amount(_l("Capital"), _l("Paid-in capital, in units of the currency. Japanese SME rule."))
    capital_currency = _currency(_l("Capital currency"))
    investment_amount = _amount(_l("Investment in plant and machinery or equipment"),
                                _l("In units of the currency (₹2.5 crore = 25000000). Indian MSME rule."))
    investment_currency = _currency(_l("Investment currency"))
    turnover_amount = _amount(_l("Annual turnover"))
    turnover_currency = _currency(_l("Turnover currency"))
    certifications = CheckboxListField(_l("Certifications"), choices=[(c, c) for c in COMMON_CERTIFICATIONS],
                                       validators=[Optional()])
    other_certifications = StringField(_l("Other certifications"), validators=[Optional(), Length(max=300)],
                                       description=_l("Separated by ';', e.g. ISO 22000; HACCP"))
    status = SelectField(_l("Status"), choices=list(STATUS_LABELS.items()), default="active",
                         description=_l("Drafts and archived firms are seen only by your own office or cell."))
    confirm_duplicate = BooleanField(_l("Save anyway: this is another firm"))

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for money in ("capital", "investment", "turnover"):
            amount, currency = getattr(self, f"{money}_amount"), getattr(self, f"{money}_currency")
            implied = amount.implied_currency
            if implied and currency.data and currency.data != implied:
                amount.errors = [*amount.errors, _l("The amount is in %(implied)s but the currency chosen is "
                                                    "%(chosen)s.", implied=implied, chosen=currency.data)]
                valid = False
            elif implied and not currency.data:
                currency.data = implied  # 3億 is in yen, 12 crore in rupees
            if amount.data is not None and not currency.data:
                currency.errors = [*currency.errors, _l("Choose the currency of this amount.")]
                valid = False
        return valid


class ContactForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    title = StringField(lazy_pgettext("person", "Title"), validators=[Optional(), Length(max=200)],
                        description=_l("e.g. Overseas Sales Manager"))
    email = EmailField(_l("E-mail"), validators=[Optional(), Email(), Length(max=254)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=50)])
    language = SelectField(_l("Preferred language"), choices=list(LANGUAGE_LABELS.items()), default="en")


class ImportForm(Form):
    file = FileField(_l("Spreadsheet (.xlsx or .csv)"), validators=[FileRequired()],
                     description=_l("One firm per row, under a row of column names as in the template (a title "
                                    "above it is fine). Up to 20,000 rows and 8 MB."))


class ConfirmImportForm(Form):
    include_duplicates = BooleanField(_l("Also import the rows that look like duplicates, as new firms"))


class MergeForm(Form):
    other = SelectField(_l("Firm to merge into this one"), coerce=optional_int, validators=[DataRequired()])
    then = RadioField(_l("Afterwards"), choices=[("archive", _l("Archive the merged firm (it stays findable "
                                                                "by administrators)")),
                                                 ("delete", _l("Delete the merged firm"))], default="archive")
