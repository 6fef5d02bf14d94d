from flask import abort, redirect, request
from flask_login import current_user

from planner.accounts.views import _safe_next
from planner.extensions import db
from planner.i18n.forms import SwitchLanguageForm
from planner.i18n.locales import COOKIE_MAX_AGE, COOKIE_NAME
from planner.i18n.operations import set_user_locale


def switch():
    """POST from the header: remember the language (the account for users, a cookie for everyone)."""
    form = SwitchLanguageForm()
    if not form.validate_on_submit():
        abort(400)
    if current_user.is_authenticated:
        set_user_locale(current_user, form.locale.data)
        db.session.commit()
    response = redirect(_safe_next(form.next.data or None))
    response.set_cookie(COOKIE_NAME, form.locale.data, max_age=COOKIE_MAX_AGE, httponly=True, samesite="Lax",
                        secure=request.is_secure)
    return response
