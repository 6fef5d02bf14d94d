from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from planner.core.forms import CheckboxListField, DateRange, Form, optional_int

STATUS_LABELS = {"proposed": _l("Proposed"), "active": _l("Active"), "lapsed": _l("Lapsed")}


class PartnershipForm(Form):
    # both start on "— choose —": a preselected first prefecture made Save record a pair nobody chose
    state = SelectField(_l("Indian state or union territory"), coerce=optional_int,
                        validators=[DataRequired(_l("Choose an Indian state or union territory."))])
    prefecture = SelectField(_l("Japanese prefecture"), coerce=optional_int,
                             validators=[DataRequired(_l("Choose a Japanese prefecture."))])
    status = SelectField(_l("Status"), choices=list(STATUS_LABELS.items()), default="proposed")
    since = DateField(_l("Partners since"), validators=[Optional(), DateRange()],
                      description=_l("The date the partnership took effect, usually the signing of the agreement."))
    agreement_title = StringField(_l("Agreement"), validators=[Optional(), Length(max=300)],
                                  description=_l("e.g. Memorandum of Cooperation on economic exchange"))
    agreement_date = DateField(_l("Agreement signed on"), validators=[Optional(), DateRange()])
    agreement_reference = StringField(_l("Agreement reference"), validators=[Optional(), Length(max=200)],
                                      description=_l("File number or registry reference of the signed text."))
    focus_sectors = CheckboxListField(_l("Focus sectors"), coerce=int, validators=[Optional()])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
