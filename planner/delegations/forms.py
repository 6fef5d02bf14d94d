from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from planner.core.forms import CheckboxListField, DateRange, Form, IntegerField, optional_int

DIRECTION_LABELS = {"IN_JP": _l("India → Japan"), "JP_IN": _l("Japan → India")}
STATUS_LABELS = {"planning": _l("Planning"), "confirmed": _l("Confirmed"), "completed": _l("Completed"),
                 "cancelled": _l("Cancelled")}
ACTION_LABELS = {"confirm": _l("Confirm the visit"), "complete": _l("Mark as completed"),
                 "cancel": _l("Cancel the visit"), "reopen": _l("Reopen for planning")}
ROLE_LABELS = {"head": _l("Head of delegation"), "member": _l("Member"), "staff": _l("Staff"), "host": _l("Host")}
LANGUAGE_LABELS = {"en": _l("English"), "ja": _l("Japanese")}
INVITE_LANGUAGE_LABELS = {"recipient": _l("Each recipient's preferred language"),
                          "both": _l("Both: Japanese first, then English")}


class DelegationForm(Form):
    # the title as entered is what English readers get: said so, since Japanese staff now have a field of their own
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)],
                        description=_l("What English pages and invitations show (and Japanese ones without a "
                                       "Japanese title). e.g. Gujarat business delegation to Shizuoka 2026"))
    title_ja = StringField(_l("Title in Japanese"), validators=[Optional(), Length(max=200)],
                           description=_l("Optional. Japanese pages and invitations to Japanese readers show it; "
                                          "everyone else sees the title. e.g. グジャラート州経済ミッション静岡訪問 "
                                          "2026"))
    direction = SelectField(_l("Direction"), choices=list(DIRECTION_LABELS.items()), validators=[DataRequired()])
    start_date = DateField(_l("First day"), validators=[InputRequired(), DateRange(2000, 2100)])
    end_date = DateField(_l("Last day"), validators=[InputRequired(), DateRange(2000, 2100)])
    indian_regions = CheckboxListField(_l("Indian states taking part"), coerce=int, validators=[Optional()],
                                       description=_l("Sending regions when travelling India → Japan, "
                                                      "hosts when travelling Japan → India."))
    japanese_regions = CheckboxListField(_l("Japanese prefectures taking part"), coerce=int,
                                         validators=[Optional()])
    partnership = SelectField(_l("Partnership"), coerce=optional_int, validators=[Optional()],
                              description=_l("Left empty, the partnership of the chosen regions is used."))
    purpose = TextAreaField(_l("Purpose"), validators=[Optional(), Length(max=5000)])
    focus_sectors = CheckboxListField(_l("Focus sectors"), coerce=int, validators=[Optional()])
    invite_language = SelectField(_l("Language of invitations and emails"),
                                  choices=list(INVITE_LANGUAGE_LABELS.items()), default="recipient",
                                  description=_l("For the calendar invitations and emails of this delegation's "
                                                 "itinerary events and B2B meetings. Each person's preferred "
                                                 "language is set on their page. Applies to what is sent from "
                                                 "now on."))


class StatusForm(Form):
    action = SelectField(_l("Action"), validators=[DataRequired()])
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=1000)],
                           description=_l("Required when cancelling: given in the cancellations mailed to everyone "
                                          "invited, and kept in the audit log."))


class PersonForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    name_ja = StringField(_l("Name in Japanese"), validators=[Optional(), Length(max=200)],
                          description=_l("As written on a Japanese business card, e.g. 鈴木 一郎"))
    name_kana = StringField(_l("Reading (katakana)"), validators=[Optional(), Length(max=200)],
                            description=_l("Family name first, in katakana or hiragana, e.g. スズキ イチロウ. "
                                           "Japanese pages list people in this order."))
    organisation = StringField(_l("Organisation"), validators=[Optional(), Length(max=300)])
    firm = SelectField(_l("Registered firm"), coerce=optional_int, validators=[Optional()],
                       description=_l("If the person represents a firm in the registry, choose it: their "
                                      "B2B meetings and follow-ups then find them."))
    title = StringField(_l("Title or position"), validators=[Optional(), Length(max=200)])
    email = StringField(_l("E-mail"), validators=[Optional(), Email(), Length(max=254)],
                        description=_l("Calendar invites go to this address."))
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=50)])
    preferred_language = SelectField(_l("Preferred language"), choices=list(LANGUAGE_LABELS.items()))
    needs_interpreter = BooleanField(_l("Needs an interpreter"))
    diet = SelectField(_l("Diet"), choices=[("", "")], validators=[Optional()],
                       description=_l("The event's dietary sheet tells the kitchen what each diet rules out "
                                      "(fish stock counts as fish for vegetarians)."))
    dietary = StringField(_l("Allergies and other dietary needs"), validators=[Optional(), Length(max=500)],
                          description=_l("e.g. allergic to peanuts, no alcohol, no onion or garlic"))
    accessibility = StringField(_l("Accessibility needs"), validators=[Optional(), Length(max=500)])
    home_region = SelectField(_l("Home state or prefecture"), coerce=optional_int, validators=[Optional()])
    account_email = StringField(_l("Delegate account"), validators=[Optional(), Length(max=254)],
                                description=_l("E-mail of the person's delegate login, so they see their "
                                               "own agenda. Leave empty if they have none."))


class MemberForm(Form):
    person = SelectField(_l("Person"), coerce=optional_int, validators=[DataRequired()])
    role = SelectField(_l("Role"), choices=list(ROLE_LABELS.items()), default="member")
    precedence = IntegerField(_l("Order of precedence"), default=100, validators=[InputRequired(),
                              NumberRange(1, 999)],
                              description=_l("For protocol: 1 is introduced and seated first."))


class MemberEditForm(Form):
    role = SelectField(_l("Role"), choices=list(ROLE_LABELS.items()))
    precedence = IntegerField(_l("Order of precedence"), validators=[InputRequired(), NumberRange(1, 999)])


class OwnNeedsForm(Form):
    """A delegate's own needs for the visits they join, on their profile page (their hosts read them)."""

    diet = SelectField(_l("Diet"), choices=[("", "")], validators=[Optional()],
                       description=_l("Your hosts' kitchens are told what it rules out."))
    dietary = StringField(_l("Allergies and other dietary needs"), validators=[Optional(), Length(max=500)],
                          description=_l("e.g. allergic to peanuts, no alcohol, no onion or garlic"))
    accessibility = StringField(_l("Accessibility needs"), validators=[Optional(), Length(max=500)],
                                description=_l("e.g. step-free access, a seat near an exit"))
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=50)],
                        description=_l("A number your hosts can reach you on during a visit."))


class MemberImportForm(Form):
    file = FileField(_l("Spreadsheet (.xlsx or .csv)"), validators=[FileRequired()],
                     description=_l("One person per row, under a row of column names as in the template (a title "
                                    "above it is fine)."))


class ConfirmMemberImportForm(Form):
    """The confirm button alone (and its CSRF token)."""
