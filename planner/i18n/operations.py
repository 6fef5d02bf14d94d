"""Remembering a language choice."""

from flask_babel import gettext as _

from planner.core.errors import DomainError
from planner.i18n.locales import LANGUAGE_NAMES


def set_user_locale(user, locale: str | None) -> None:
    """Save the user's interface language; None or '' means: follow the browser."""
    if locale and locale not in LANGUAGE_NAMES:
        raise DomainError(_("Unknown language."), "locale")
    user.locale = locale or None
