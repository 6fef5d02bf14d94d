"""Form helpers shared by the features."""

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, widgets
from wtforms.validators import StopValidation, ValidationError


class Form(FlaskForm):
    """Every form of the planner: WTForms' own messages from the planner's catalogue first
    (planner/i18n/form_messages.py)."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            from planner.i18n.form_messages import form_translations

            return form_translations


class CheckboxListField(SelectMultipleField):
    """Several choices as a list of checkboxes (sectors, regions)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


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
