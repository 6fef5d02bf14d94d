from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField
from wtforms.validators import AnyOf, DataRequired, Length, Optional

from planner.core.forms import Form
from planner.i18n.locales import LANGUAGE_NAMES


class SwitchLanguageForm(Form):
    """The header's EN / 日本語 buttons: the button pressed carries the language."""

    locale = HiddenField(validators=[DataRequired(), AnyOf(list(LANGUAGE_NAMES))])
    next = HiddenField(validators=[Optional(), Length(max=2000)])


class ProfileLanguageForm(Form):
    locale = SelectField(
        _l("Language"),
        choices=[("", _l("As my browser asks"))] + list(LANGUAGE_NAMES.items()),
        validators=[AnyOf(["", *LANGUAGE_NAMES])],
        description=_l("The language of the planner's pages for you, on every device you log in from."),
    )
