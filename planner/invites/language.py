"""The app's catalogue in a given language, whatever the locale of the page, the CLI or the worker that builds
an invite: compose's ``translate`` and the ``gettext`` the mail templates are rendered with."""

from flask import current_app
from flask_babel import force_locale, get_translations
from jinja2 import pass_context
from markupsafe import Markup


def catalogue(language: str):
    """The translations for ``language``, looked up once per app (Flask-Babel loads a catalogue once too, but
    finds it through the request or app context on every call: that was most of the cost of an invite's
    text, which looks up some seventy labels)."""
    catalogues = current_app.extensions.setdefault("planner.catalogues", {})
    found = catalogues.get(language)
    if found is None:
        with force_locale(language):
            found = catalogues[language] = get_translations()
    return found


def translate(language: str, message: str) -> str:
    return catalogue(language).gettext(message)


def template_gettext(language: str):
    """``gettext`` for rendering a template in ``language``: passed in the render context, it takes the place
    of Flask-Babel's global (``_()`` resolves ``gettext`` from the context). The same behaviour as the global
    Jinja's i18n extension installs with ``newstyle=True``: escaped where autoescaping is on, and the message
    always a %-format string of its keyword arguments."""
    gettexts = current_app.extensions.setdefault("planner.template_gettexts", {})
    if language not in gettexts:
        gettexts[language] = _newstyle_gettext(catalogue(language))
    return gettexts[language]


def _newstyle_gettext(translations):
    @pass_context
    def gettext(context, message: str, **variables) -> str:
        text = translations.gettext(message)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return text % variables

    return gettext
