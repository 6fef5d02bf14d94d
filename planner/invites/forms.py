from wtforms import HiddenField

from planner.core.forms import Form


class AnswerForm(Form):
    """The confirmation page's button: the token in the URL is the authority, the CSRF token proves the POST
    came from the page (mail scanners only GET)."""


class FeedForm(Form):
    action = HiddenField()


class OwnAnswerForm(Form):
    """A signed-in delegate's answer from their agenda: which invite (its UID); the button pressed says the
    answer."""

    uid = HiddenField()
