from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from planner.core.forms import CheckboxListField, DateRange, Form, IntegerField, optional_int

STAGE_LABELS = {
    "no_interest": _l("No further interest"), "exploring": _l("Exploring"), "nda_signed": _l("NDA signed"),
    "negotiation_started": _l("Negotiation started"), "mou_signed": _l("MoU/LoI signed"),
    "investment_committed": _l("Investment committed"), "order_placed": _l("Order placed"),
}
KIND_LABELS = {"mou": _l("MoU"), "loi": _l("LoI"), "jv": _l("Joint venture")}
AGREEMENT_STATUS_LABELS = {"signed": _l("Signed"), "under_implementation": _l("Under implementation"),
                           "commissioned": _l("Commissioned"), "dropped": _l("Dropped")}
FUNNEL_LABELS = {"meetings": _l("Meetings held"), "negotiations": _l("Negotiation or later"),
                 "agreements": _l("MoU/LoI or later"), "investments": _l("Investment or order")}
CURRENCY_CHOICES = [("", "—"), ("INR", "INR ₹"), ("JPY", "JPY ¥"), ("USD", "USD $")]


class FollowUpForm(Form):
    title = StringField(_l("Title"), validators=[Optional(), Length(max=200)],
                        description=_l("Leave empty to name it after the meeting, event or visit."))
    stage = SelectField(_l("Outcome stage"), choices=list(STAGE_LABELS.items()), default="exploring")
    next_action = StringField(_l("Next action"), validators=[Optional(), Length(max=500)],
                              description=_l("What happens next, e.g. “send the NDA draft to Suzuki Seiki”."))
    owner = SelectField(_l("Owner"), coerce=optional_int, validate_choice=False,
                        description=_l("A user of a cell or office involved; gets the weekly digest."))
    due_date = DateField(_l("Due date"), validators=[Optional(), DateRange(2000, 2100)])
    status = SelectField(_l("Status"), choices=[("open", _l("Open")), ("done", _l("Done"))], default="open")
    firms = CheckboxListField(_l("Firms involved"), coerce=int, validators=[Optional()])
    regions = CheckboxListField(_l("Regions involved"), coerce=int, validators=[Optional()],
                                description=_l("Their cells and offices see and edit this follow-up. The regions "
                                               "of the firms named, and your own, are always among them."))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=20000)])
    note = StringField(_l("Note for the history"), validators=[Optional(), Length(max=1000)],
                       description=_l("Why it changed, e.g. “call on 3 March: both sides want a site visit”."))


class AgreementForm(Form):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    confirm_same = BooleanField(_l("Save anyway: this is another agreement"))
    kind = SelectField(_l("Kind"), choices=list(KIND_LABELS.items()), default="mou")
    partnership = SelectField(_l("Partnership"), coerce=optional_int, validate_choice=False,
                              description=_l("Left at “—”, the partnership of the parties is taken when they "
                                             "form exactly one (a state and its partner prefecture)."))
    signed_on = DateField(_l("Signed on"), validators=[DataRequired(), DateRange()])
    value_amount = StringField(_l("Value"), validators=[Optional(), Length(max=30)],
                               description=_l("As written in the agreement, e.g. 125000000.00, 12.5 crore or 5億 "
                                              "(commas allowed)."))
    value_currency = SelectField(_l("Currency"), choices=CURRENCY_CHOICES, default="")
    jobs_expected = IntegerField(_l("Jobs expected"), validators=[Optional(), NumberRange(0, 10_000_000)])
    sector = SelectField(_l("Sector"), coerce=optional_int, validate_choice=False)
    firms = CheckboxListField(_l("Firms (parties)"), coerce=int, validators=[Optional()])
    regions = CheckboxListField(_l("States and prefectures (parties)"), coerce=int, validators=[Optional()],
                                description=_l("Their cells and offices see and edit this agreement."))
    followups = CheckboxListField(_l("Follow-ups that led to it"), coerce=int, validators=[Optional()])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=20000)])


class StatusForm(Form):
    status = SelectField(_l("New status"), choices=list(AGREEMENT_STATUS_LABELS.items()))
    changed_on = DateField(_l("Changed on"), validators=[DataRequired(), DateRange()])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=1000)])


class RateForm(Form):
    base = SelectField(_l("1 unit of"), choices=CURRENCY_CHOICES[1:])
    quote = SelectField(_l("buys … of"), choices=CURRENCY_CHOICES[1:], default="JPY")
    rate = StringField(_l("Rate"), validators=[DataRequired(), Length(max=30)],
                       description=_l("e.g. 1 USD = 84.25 INR: base USD, quote INR, rate 84.25."))
    valid_from = DateField(_l("Valid from"), validators=[DataRequired(), DateRange()])
    confirm_rate = BooleanField(_l("Save anyway: the rate is right"))


class ConfirmForm(Form):
    """Only the CSRF token: a POST that confirms."""
