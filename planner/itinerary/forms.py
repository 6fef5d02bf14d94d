from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateTimeLocalField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from planner.core.forms import CheckboxListField, Form, IntegerField, optional_int
from planner.itinerary.models import MAX_STAY_NIGHTS

KIND_LABELS = {"meeting": _l("Official meeting"), "site_visit": _l("Site visit"), "seminar": _l("Seminar"),
               "reception": _l("Reception"), "b2b": _l("B2B session"), "travel": _l("Travel"),
               "stay": _l("Hotel stay"), "other": _l("Other")}
ZONE_CHOICES = [("Asia/Kolkata", _l("India (IST, Asia/Kolkata)")), ("Asia/Tokyo", _l("Japan (JST, Asia/Tokyo)"))]
COUNTRY_LABELS = {"IN": _l("India"), "JP": _l("Japan")}
CLASH_LABELS = {"person": _l("Person double-booked"), "outside_dates": _l("Outside the visit's dates"),
                "venue": _l("Venue double-booked"), "travel": _l("Overlaps travel")}
# An event's title or a venue's name as entered is what English readers get (and Japanese ones without a Japanese
# version): said beside the Japanese version's field, which Japanese staff might otherwise take it for
AS_ENTERED = _l("What English pages and invitations show (and Japanese ones without a Japanese version).")


class EventForm(Form):
    kind = SelectField(_l("Kind"), choices=list(KIND_LABELS.items()), default="meeting",
                       description=_l("A hotel stay runs from check-in to check-out (up to %(n)d nights) and clashes "
                                      "only with another stay of the same people.", n=MAX_STAY_NIGHTS))
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)], description=AS_ENTERED)
    title_ja = StringField(_l("Title in Japanese"), validators=[Optional(), Length(max=200)],
                           description=_l("Optional. Japanese pages and invitations to Japanese readers show it; "
                                          "everyone else sees the title. e.g. 静岡県知事表敬訪問"))
    venue = SelectField(_l("Venue"), coerce=optional_int, validators=[Optional()],
                        description=_l("Times below are in the venue's local time."))
    timezone = SelectField(_l("Time zone without a venue"), choices=ZONE_CHOICES, default="Asia/Tokyo",
                           description=_l("Used only when no venue is chosen, e.g. for travel."))
    local_start = DateTimeLocalField(_l("Starts (local time)"), format="%Y-%m-%dT%H:%M",
                                     validators=[InputRequired(message=_l("Enter a date and time."))])
    local_end = DateTimeLocalField(_l("Ends (local time)"), format="%Y-%m-%dT%H:%M",
                                   validators=[InputRequired(message=_l("Enter a date and time."))])
    end_timezone = SelectField(_l("The end is in"), choices=[("", _l("the same time zone as the start"))] + ZONE_CHOICES,
                               default="", validators=[Optional()],
                               description=_l("For a flight: the arrival's time zone, so that 'Narita 11:00 → "
                                              "Ahmedabad 20:30' is entered as both clocks show it."))
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    attendees = CheckboxListField(_l("Attendees"), coerce=int, validators=[Optional()])
    confirm_overlap = BooleanField(_l("Save anyway: the clashes shown are intended"))


class CancelEventForm(Form):
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=1000)],
                           description=_l("Given in the cancellation mailed to the attendees who hold an invite."))


class VenueForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)], description=AS_ENTERED)
    name_ja = StringField(_l("Name in Japanese"), validators=[Optional(), Length(max=200)],
                          description=_l("Optional. Japanese pages and invitations to Japanese readers show it; "
                                         "everyone else sees the name. e.g. 静岡県庁"))
    address = StringField(_l("Address"), validators=[Optional(), Length(max=500)])
    city = StringField(_l("City"), validators=[Optional(), Length(max=100)])
    country = SelectField(_l("Country"), choices=list(COUNTRY_LABELS.items()))
    timezone = StringField(_l("Time zone"), validators=[Optional(), Length(max=64)],
                           description=_l("IANA name, or IST or JST. Left empty: Asia/Kolkata in India, Asia/Tokyo "
                                          "in Japan."))
    capacity = IntegerField(_l("Capacity"), validators=[Optional(), NumberRange(1, 100_000)])
