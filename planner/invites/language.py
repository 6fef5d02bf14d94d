"""The app's catalogue as compose's ``translate``: the labels of an invite's calendar text in a given language,
whatever the locale of the page, the CLI or the worker that builds it."""

from flask_babel import force_locale, get_translations


def translate(language: str, message: str) -> str:
    with force_locale(language):
        return get_translations().gettext(message)
