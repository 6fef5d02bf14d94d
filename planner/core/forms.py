"""Form helpers shared by the features."""

import re
import unicodedata

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField as _IntegerField
from wtforms import PasswordField, SelectMultipleField, StringField, TextAreaField, widgets
from wtforms.csrf.core import CSRFTokenField
from wtforms.validators import StopValidation, ValidationError

# Characters no name, title or note is meant to hold: C0 controls but tab and line breaks, DEL, the byte-order
# mark and zero-width characters (a name of only U+FEFF passed "required" and was saved as a firm with no
# name), and the non-characters U+FFFE/U+FFFF.
_INVISIBLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b-\u200d\u2060\ufeff\ufffe\uffff]")


def clean_text(value):
    return _INVISIBLE.sub("", value) if isinstance(value, str) else value


def plain_address(value):
    """An e-mail address typed with the Japanese input method on (ｙａｍａｄａ＠example.jp) in plain letters: the
    address it is; the validator refused it."""
    if not isinstance(value, str):
        return value
    return unicodedata.normalize("NFKC", value).replace("。", ".").replace("｡", ".").strip()  # 。 typed for .


def one_line(value):
    """A single-line box's value on one line: a crafted POST put CR/LF into titles and names."""
    return re.sub(r"[\r\n]+", " ", value) if isinstance(value, str) else value


class Form(FlaskForm):
    """Every form of the planner: WTForms' own messages from the planner's catalogue first
    (planner/i18n/form_messages.py); text boxes without invisible characters, single-line ones on one line."""

    class Meta(FlaskForm.Meta):
        def bind_field(self, form, unbound_field, options):
            field_class = unbound_field.field_class
            if issubclass(field_class, CSRFTokenField):
                # a page with several forms had as many id="csrf_token": ids must be unique, and the hidden
                # token needs none
                return unbound_field.bind(form=form, render_kw={"id": False}, **options)
            if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
                extra = [clean_text] if issubclass(field_class, TextAreaField) else [clean_text, one_line]
                if "email" in options.get("name", ""):
                    extra.append(plain_address)
                filters = [*extra, *unbound_field.kwargs.get("filters", ())]
                return unbound_field.bind(form=form, filters=filters, **options)
            return super().bind_field(form, unbound_field, options)

        def get_translations(self, form):
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            from planner.i18n.form_messages import form_translations

            return form_translations

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        for field in self:
            if field.process_errors:
                # a value that could not be read says why, once: the checks after it read no value, and ran
                # on ("'-3 crore' is negative: enter 0 or more Number must be between 0 and 9999999999999.99.")
                field.errors = list(dict.fromkeys(field.process_errors))
        return valid


class CheckboxListField(SelectMultipleField):
    """Several choices as a list of checkboxes (sectors, regions)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def process_formdata(self, valuelist):
        # a blank among the values (no checkbox sends one) made Optional() take the whole list for empty:
        # ["", "4"] cleared every unavailable slot
        self.raw_data = [value for value in valuelist if value not in ("", None)]
        super().process_formdata(self.raw_data)


class PeopleField(CheckboxListField):
    """People to choose from a list that may be long (representatives, interpreters): checkboxes, those chosen
    first, with a box that filters the rest by name.  A multiple <select> took Ctrl-clicks, and a plain click
    dropped everyone chosen before."""

    #: more choices than this get the filter box
    FILTER_FROM = 8


class IntegerField(_IntegerField):
    """WTForms' IntegerField, refusing a number too long to be one anyone means: NumberRange compares through
    float, and 10**309 raised OverflowError (a 500) in every number box with a range."""

    MAX_DIGITS = 15

    def process_formdata(self, valuelist):
        if valuelist and sum(char.isdigit() for char in str(valuelist[0])) > self.MAX_DIGITS:
            self.data = None
            raise ValueError(self.gettext("Not a valid integer value."))
        super().process_formdata(valuelist)


def optional_int(value):
    """Coerce for select fields with an empty choice: '' → None, otherwise an int."""
    if value in (None, "", "None"):
        return None
    return int(value)


def finite_number(form, field):
    """Before NumberRange on a DecimalField: 'NaN', 'Infinity' and 'sNaN' parse as Decimals, and
    NumberRange's own check of 'sNaN' raised (a 500)."""
    if field.data is not None and not field.data.is_finite():
        raise StopValidation(_l("Enter a number."))


class DateRange:
    """Field-level check that a date lies in sensible bounds (no year 0001 or 9999 typos)."""

    def __init__(self, first_year: int = 1950, last_year: int = 2100):
        self.first_year, self.last_year = first_year, last_year

    def __call__(self, form, field):
        if field.data and not (self.first_year <= field.data.year <= self.last_year):
            raise ValidationError(_l("Enter a date between %(a)s and %(b)s.", a=self.first_year, b=self.last_year))
