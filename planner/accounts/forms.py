from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, StopValidation, ValidationError

from planner.accounts.passwords import MIN_PASSWORD_LENGTH
from planner.accounts.recovery import WELCOME_DAYS
from planner.core.forms import Form, optional_int
from planner.core.roles import ROLE_LABELS


class RequiredUnless:
    """Required, with the policy's minimum length, unless the named checkbox is ticked (then ignored)."""

    def __init__(self, other: str):
        self.other = other
        self.field_flags = {}

    def __call__(self, form, field):
        if form[self.other].data:
            field.errors[:] = []
            if field.data:  # typed and then to be ignored: the administrator would hand out a password that fails
                raise StopValidation(_l("The link is ticked: leave this empty, or untick the link to give this "
                                        "password instead."))
            raise StopValidation()
        if not field.data:
            raise StopValidation(field.gettext("This field is required."))
        if len(field.data) < MIN_PASSWORD_LENGTH:
            raise ValidationError(_l("Use at least %(n)d characters.", n=MIN_PASSWORD_LENGTH))


def _stripped(value):
    """An address pasted with a space around it is the same address."""
    return value.strip() if isinstance(value, str) else value


class LoginForm(Form):
    # autocomplete tokens let password managers fill the right fields (WCAG 1.3.5)
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)], filters=[_stripped],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1000)],
                             render_kw={"autocomplete": "current-password"})


class NewPasswordForm(Form):
    """A new password, typed twice: the holder of a mailed link sets it (and, with the current one, the user)."""

    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=1000)],
        description=_l("At least %(n)d characters. A phrase of several words is easy to remember and hard to guess.",
                       n=MIN_PASSWORD_LENGTH),
        render_kw={"autocomplete": "new-password"},
    )
    confirm_password = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The two new passwords differ."))],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(NewPasswordForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=1000)],
                                     render_kw={"autocomplete": "current-password"})


class ForgotPasswordForm(Form):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)], filters=[_stripped],
                       description=_l("The address you log in with."), render_kw={"autocomplete": "username"})


class UserForm(Form):
    """An administrator creates or edits a user. Region choices are filled in by the view."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)], filters=[_stripped])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    role = SelectField(_l("Role"), choices=[(role.value, label) for role, label in ROLE_LABELS.items()])
    region = SelectField(
        _l("Region"),
        coerce=optional_int,
        validators=[Optional()],
        description=_l("State cell users need their Indian state or union territory; prefecture office users "
                       "their prefecture. Leave empty for administrators and delegates."),
    )
    is_active = BooleanField(_l("Account active"), default=True)


class NewUserForm(UserForm):
    send_link = BooleanField(_l("Mail the user a link to choose their password"), default=True,
                             description=_l("The link works for %(days)d days. Nobody else learns the password.",
                                            days=WELCOME_DAYS))
    password = PasswordField(
        _l("Initial password"),
        validators=[RequiredUnless("send_link"), Length(max=1000)],
        description=_l("Only without the link: give it to the user by a separate channel; they are asked to "
                       "change it at first login."),
        render_kw={"autocomplete": "new-password"},
    )


class ResetPasswordForm(Form):
    """An administrator gives a user a temporary password."""

    password = PasswordField(
        _l("Temporary password"),
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=1000)],
        description=_l("Give it to the user by a separate channel; they are asked to change it at their next "
                       "login, and every session of the account ends now."),
        render_kw={"autocomplete": "new-password"},
    )
