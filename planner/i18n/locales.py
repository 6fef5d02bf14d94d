"""Which language a request is served in: the user's setting, else the switcher's cookie, else (a page opened
from a mail) the recipient's, else the browser's."""

from flask import current_app, g, has_request_context, request
from flask_login import current_user

COOKIE_NAME = "planner_locale"
COOKIE_MAX_AGE = 365 * 24 * 3600
# Each language is named in itself, so that someone who cannot read the current one still finds theirs.
LANGUAGE_NAMES = {"en": "English", "ja": "日本語"}
SWITCH_LABELS = {"en": "EN", "ja": "日本語"}


def supported(code: str | None) -> bool:
    return bool(code) and code in current_app.config["LANGUAGES"]


def select_locale() -> str | None:
    if not has_request_context():
        return None  # CLI and workers: the default locale (English)
    if getattr(current_user, "is_authenticated", False) and supported(current_user.locale):
        return current_user.locale
    chosen = request.cookies.get(COOKIE_NAME)
    if supported(chosen):
        return chosen
    if supported(g.get("recipient_locale")):
        return g.recipient_locale
    return request.accept_languages.best_match(current_app.config["LANGUAGES"])


def prefer_recipient_language(code: str | None) -> None:
    """A page opened from a mail (an invite's answer, a feedback request) speaks the recipient's language, as
    the mail did, unless the visitor chose one (logged in, or by the switcher); before this, the browser's."""
    from flask_babel import refresh

    g.recipient_locale = code
    refresh()


def language_switch_choices() -> list[tuple[str, str]]:
    """(code, label) for the header's switcher: EN / 日本語."""
    return [(code, SWITCH_LABELS.get(code, code)) for code in current_app.config["LANGUAGES"]]


def next_sentence(text: str) -> str:
    """``text`` to follow a sentence in a message: after a space in English, directly in Japanese (sentences end
    in 。 and a space after it reads as a stray gap). "" for no text."""
    if not text:
        return ""
    from flask_babel import get_locale

    return (text if str(get_locale() or "") == "ja" else " " + text)
