from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, TextAreaField, TimeField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from planner.core.forms import CheckboxListField, Form, IntegerField, PeopleField, optional_int

PRIORITY_LABELS = {2: _l("Must meet"), 1: _l("Would like to meet")}
DAY_PART_LABELS = {"any": _l("Any time"), "morning": _l("Morning"), "afternoon": _l("Afternoon")}
REQUEST_STATUS_LABELS = {"requested": _l("Waiting for an answer"), "accepted": _l("Accepted"),
                         "declined": _l("Declined")}
MEETING_STATUS_LABELS = {"scheduled": _l("Scheduled"), "unscheduled": _l("Not yet scheduled"),
                         "cancelled": _l("Cancelled")}
CHANGE_LABELS = {"new": _l("New"), "moved": _l("Moved"), "unchanged": _l("Unchanged"), "unplaced": _l("Unplaced")}


class SessionForm(Form):
    first_slot = TimeField(_l("First slot starts"), validators=[InputRequired()],
                           description=_l("Venue local time. Once invites are out, a change of the slots' times "
                                          "sends every holder an update."))
    slot_minutes = IntegerField(_l("Slot length (minutes)"), default=20,
                                validators=[InputRequired(), NumberRange(5, 240)])
    pause_minutes = IntegerField(_l("Pause between slots (minutes)"), default=5,
                                 validators=[Optional(), NumberRange(0, 120)])
    slot_count = IntegerField(_l("Number of slots"), validators=[Optional(), NumberRange(1, 60)],
                              description=_l("Give the number of slots, or leave it empty and give the end of the "
                                             "day."))
    day_end = TimeField(_l("Day ends"), validators=[Optional()],
                        description=_l("No slot ends later. Used only when the number of slots is empty."))
    lunch_start = TimeField(_l("Lunch break starts"), validators=[Optional()],
                            description=_l("Optional. Splits the day into a morning and an afternoon."))
    lunch_minutes = IntegerField(_l("Lunch break (minutes)"), validators=[Optional(), NumberRange(1, 240)])
    table_count = IntegerField(_l("Tables"), default=10, validators=[InputRequired(), NumberRange(1, 200)],
                               description=_l("Tables are named Table 1, Table 2, …; rename them on the tables "
                                              "page."))
    fairness = IntegerField(_l("Fairness"), default=2, validators=[Optional(), NumberRange(0, 50)],
                            description=_l("Largest allowed difference in idle slots between two firms. Empty: "
                                           "no bound."))
    interpreters = IntegerField(_l("Interpreters at a time"), validators=[Optional(), NumberRange(0, 200)],
                                description=_l("How many meetings needing an interpreter can run in one slot. "
                                               "Empty: no limit. Who interprets is chosen on the session's page "
                                               "(its pool of interpreters)."))
    reminder_hours = IntegerField(_l("Remind unanswered requests after (hours)"), default=48,
                                  validators=[InputRequired(), NumberRange(1, 720)])

    def validate_day_end(self, field):
        if self.slot_count.data is None and field.data is None:
            raise ValidationError(_l("Give the number of slots or the end of the day."))


class TablesForm(Form):
    names = TextAreaField(_l("Table names"), validators=[InputRequired(), Length(max=25_000)],
                          description=_l("One name per line, in table order (e.g. room names)."))


class RegisterForm(Form):
    firm = SelectField(_l("Firm"), coerce=optional_int, validators=[InputRequired()])
    representatives = PeopleField(_l("Representatives"), coerce=int, validators=[Optional()],
                                  description=_l("People attending for the firm; delegates with an account then "
                                                 "see the firm's agenda."))


class RepresentativesForm(Form):
    representatives = PeopleField(_l("Representatives"), coerce=int, validators=[Optional()],
                                  description=_l("People attending for the firm; delegates with an account then "
                                                 "see the firm's agenda."))
    contacts = PeopleField(_l("Choose from the firm's contacts"), coerce=int, validators=[Optional()],
                           description=_l("A contact ticked here becomes a representative: added to People and "
                                          "linked to the firm, unless People has them already (same e-mail)."))


class AvailabilityForm(Form):
    unavailable = CheckboxListField(_l("Unavailable in these slots"), coerce=int, validators=[Optional()])


class RequestForm(Form):
    target = SelectField(_l("Meet with"), coerce=optional_int, validators=[InputRequired()])
    priority = SelectField(_l("Priority"), coerce=int, choices=list(PRIORITY_LABELS.items()), default=1)
    day_part = SelectField(_l("Preferred time"), choices=list(DAY_PART_LABELS.items()), default="any")
    message = TextAreaField(_l("Message"), validators=[Optional(), Length(max=500)],
                            description=_l("Why this meeting matters, in a sentence or two (at most 500 "
                                           "characters)."))


class AnswerForm(Form):
    answer = SelectField(choices=[("accept", _l("Accept")), ("decline", _l("Decline"))])


class WithdrawForm(Form):
    """Only the CSRF token: the request is in the URL."""


class MeetingForm(Form):
    indian = SelectField(_l("Indian firm"), coerce=optional_int, validators=[InputRequired()])
    japanese = SelectField(_l("Japanese firm"), coerce=optional_int, validators=[InputRequired()])
    priority = SelectField(_l("Priority"), coerce=int, choices=list(PRIORITY_LABELS.items()), default=2)
    day_part = SelectField(_l("Restricted to"), choices=list(DAY_PART_LABELS.items()), default="any")
    needs_interpreter = BooleanField(_l("Needs an interpreter"))


class MoveForm(Form):
    slot = SelectField(_l("Slot"), coerce=optional_int, validators=[Optional()])
    table = SelectField(_l("Table"), coerce=optional_int, validators=[Optional()])
    needs_interpreter = BooleanField(_l("Needs an interpreter"))


class InterpreterPoolForm(Form):
    pool = PeopleField(_l("Interpreters of this session"), coerce=int, validators=[Optional()],
                       description=_l("Meetings needing an interpreter get one of these people; each receives the "
                                      "invites of the meetings they interpret."))


class InterpreterForm(Form):
    interpreter = SelectField(_l("Interpreter"), coerce=optional_int, validators=[Optional()])


class SwapForm(Form):
    other = SelectField(_l("Swap with"), coerce=optional_int, validators=[InputRequired()])


class SolveForm(Form):
    time_limit = IntegerField(_l("Time limit (seconds)"), default=10, validators=[InputRequired(), NumberRange(1, 120)],
                              description=_l("The scheduler stops after this time with the best schedule found."),
                              render_kw={"data-echo": "time_limit"})
    allow_moves = BooleanField(_l("Allow moves of meetings whose invites were sent"),
                               description=_l("Moved meetings then get updated invites."))
    keep_placed = BooleanField(_l("Keep every placed meeting where it is"),
                               description=_l("Only the meetings not on the schedule are placed: printed table "
                                              "sheets and agendas stay right. Fewer idle slots may be possible "
                                              "without it."))


class ConfirmForm(Form):
    """Only the CSRF token: the action is in the URL."""
