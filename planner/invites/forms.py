from flask_wtf import FlaskForm
from wtforms import HiddenField


class AnswerForm(FlaskForm):
    """The confirmation page's button: the token in the URL is the authority, the CSRF token proves the POST
    came from the page (mail scanners only GET)."""


class FeedForm(FlaskForm):
    action = HiddenField()
