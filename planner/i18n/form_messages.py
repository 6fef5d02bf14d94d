"""WTForms' own messages (a field's type and range checks) from the planner's catalogue first.

WTForms ships a Japanese catalogue with mistakes a user reads: 「無効な少数です。」 (少数 for 小数), 「無効な
時間型です。」 for a date and time, a fuzzy entry that leaves "'9' is not a valid choice for this field." in
English. The messages below are in the planner's catalogue (``_for_extraction`` marks them for pybabel); a
message not there comes from WTForms' catalogue as before.
"""

from flask import current_app, has_request_context
from flask_babel import get_translations
from flask_wtf.i18n import translations as wtforms_translations


def _for_extraction(gettext, ngettext):  # never called: marks WTForms' msgids for extraction
    gettext("This field is required.")
    gettext("Not a valid decimal value.")
    gettext("Not a valid float value.")
    gettext("Not a valid integer value.")
    gettext("Not a valid date value.")
    gettext("Not a valid datetime value.")
    gettext("Not a valid time value.")
    gettext("Not a valid choice.")
    gettext("Invalid Choice: could not coerce.")
    gettext("Invalid choice(s): one or more data inputs could not be coerced.")
    gettext("Invalid value, must be one of: %(values)s.")
    gettext("Invalid email address.")
    gettext("Number must be at least %(min)s.")
    gettext("Number must be at most %(max)s.")
    gettext("Number must be between %(min)s and %(max)s.")
    gettext("Field must be between %(min)d and %(max)d characters long.")
    ngettext("Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters.", 1)
    ngettext("Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long.", 1)
    ngettext("'%(value)s' is not a valid choice for this field.", "'%(value)s' are not valid choices for this field.",
             1)


class FormTranslations:
    """What WTForms asks a form's translations for: the planner's catalogue, else WTForms' own."""

    def gettext(self, string):
        ours = _ours()
        found = ours.ugettext(string) if ours is not None else string
        return found if found != string else wtforms_translations.gettext(string)

    def ngettext(self, singular, plural, n):
        ours = _ours()
        found = ours.ungettext(singular, plural, n) if ours is not None else None
        return found if found not in (None, singular, plural) else wtforms_translations.ngettext(singular, plural, n)


def _ours():
    if not has_request_context() or "babel" not in current_app.extensions:
        return None
    return get_translations()


form_translations = FormTranslations()
