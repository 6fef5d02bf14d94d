import time

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from planner.accounts.forms import ChangePasswordForm, ForgotPasswordForm, LoginForm, NewPasswordForm
from planner.accounts.operations import LoginThrottled, authenticate, change_own_password
from planner.accounts.recovery import (
    ResetLinkError,
    TooManyRequests,
    account_for,
    answer_seconds,
    link_minutes,
    note_request,
    request_reset,
    reset_with_link,
)
from planner.core.audit import record_action
from planner.core.errors import DomainError, populate_errors
from planner.core.timefmt import display_language
from planner.core.views import client_address, local_url
from planner.extensions import db


def _safe_next(target: str | None) -> str:
    """Only follow a ?next= that stays on this site (``local_url``); else home."""
    return local_url(target) or url_for("home.index")


def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            result = authenticate(form.email.data, form.password.data, client_address())
        except LoginThrottled as throttled:
            minutes = max(1, throttled.retry_after_seconds // 60)
            message = _("Too many failed logins. For your account's safety, wait %(minutes)d minutes and try "
                        "again, or ask an administrator to reset your password.", minutes=minutes)
            response = render_template("accounts/login.html", form=form, throttled_message=message)
            return response, 429, {"Retry-After": str(throttled.retry_after_seconds)}
        if not result.ok:
            db.session.commit()  # keep the failure on record even though the login fails
            form.password.errors.append(_("E-mail or password is wrong."))
            return render_template("accounts/login.html", form=form), 200
        # A fresh session on login: nothing from before (a fixed session id, old flashes) carries over.
        session.clear()
        login_user(result.user)
        record_action(result.user, "login")
        db.session.commit()
        if result.user.must_change_password:
            flash(_("Please choose your own password before you go on."), "info")
            return redirect(url_for("accounts.change_password"))
        return redirect(_safe_next(request.args.get("next")))
    return render_template("accounts/login.html", form=form)


def logout():
    if current_user.is_authenticated:
        # the session ends on the server too: a copy of this browser's cookie would still have worked
        # (and so does every other session of the account: logging out logs out everywhere)
        current_user.end_sessions()
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("You have logged out (on every device)."), "success")
    return redirect(url_for("accounts.login"))


@login_required
def profile():
    from planner.i18n.forms import ProfileLanguageForm
    from planner.i18n.operations import set_user_locale

    form = ProfileLanguageForm(locale=current_user.locale or "")
    if form.validate_on_submit():
        set_user_locale(current_user, form.locale.data)
        db.session.commit()
        flash(_("Your language setting has been saved."), "success")
        return redirect(url_for("accounts.profile"))
    from planner.delegations.operations import own_person

    person = own_person(current_user)
    needs_form = _needs_form(person, obj=person) if person else None
    return _profile_page(form, person, needs_form)


def _profile_page(language_form, person, needs_form):
    """The profile; for a delegate's own person also where and in which language their invitations go, which
    the interface language does not change (a delegate who chose 日本語 here still got English invitations,
    and wondered why), and their needs during visits."""
    from planner.delegations.forms import LANGUAGE_LABELS

    return render_template("accounts/profile.html", user=current_user, language_form=language_form, person=person,
                           needs_form=needs_form, language_labels=LANGUAGE_LABELS)


def _needs_form(person, **kwargs):
    """The form of a person's own needs (``obj=person`` fills it from the record)."""
    from planner.delegations import diets
    from planner.delegations.forms import OwnNeedsForm

    form = OwnNeedsForm(**kwargs)
    form.diet.choices = diets.choices(display_language(), _("(no particular diet)"))
    return form


@login_required
def own_needs():
    """A delegate's diet, allergies, accessibility needs and phone, which their visits' organisers read."""
    from planner.delegations.operations import own_person, update_own_needs
    from planner.i18n.forms import ProfileLanguageForm

    person = own_person(current_user)
    if person is None:
        abort(404)
    form = _needs_form(person)
    if form.validate_on_submit():
        try:
            update_own_needs(person, diet=form.diet.data, dietary=form.dietary.data,
                             accessibility=form.accessibility.data, phone=form.phone.data)
        except DomainError as error:
            db.session.rollback()
            populate_errors(form, error)
        else:
            db.session.commit()
            flash(_("Your needs for the visits have been saved: your hosts see them."), "success")
            return redirect(url_for("accounts.profile"))
    return _profile_page(ProfileLanguageForm(locale=current_user.locale or ""), person, form)


@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_own_password(current_user, form.current_password.data, form.new_password.data,
                                client_address())
        except LoginThrottled as throttled:
            form.current_password.errors.append(_(
                "Too many wrong passwords. Wait %(minutes)d minutes and try again.",
                minutes=max(1, throttled.retry_after_seconds // 60)))
        except DomainError as error:
            db.session.commit()  # a wrong current password stays on record, as a failed login does
            populate_errors(form, error)
        else:
            db.session.commit()
            login_user(current_user._get_current_object())  # the new password ended every session, this one too
            current_app.logger.info("password changed for user %s", current_user.id)
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/change_password.html", form=form)


# The pages of a reset link: not kept by caches, not indexed, and the link (a key to the account) not passed on
# as a Referer.
PRIVATE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}


def forgot_password():
    """Ask for a link by mail. The answer is the same whether or not the address has an account."""
    if current_user.is_authenticated:
        return redirect(url_for("accounts.change_password"))
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        started = time.monotonic()
        try:
            note_request(client_address())
        except TooManyRequests:
            db.session.rollback()
            form.email.errors.append(_("Too many links were asked for from your network in the last hour. "
                                       "Try again later, or ask your administrator."))
            return render_template("accounts/forgot_password.html", form=form), 429
        request_reset(form.email.data, display_language())
        db.session.commit()
        # as long for an address without an account as for one whose mail was written: the time said nothing
        time.sleep(max(0.0, started + answer_seconds() - time.monotonic()))
        return render_template("accounts/forgot_password_sent.html", email=form.email.data,
                               minutes=link_minutes())
    return render_template("accounts/forgot_password.html", form=form)


def reset_password(token: str):
    """GET shows the form (changes nothing: mail scanners open links); POST sets the password."""
    try:
        user = account_for(token)
    except ResetLinkError as error:
        return render_template("accounts/reset_link_refused.html", reason=error.reason), \
            (404 if error.reason == "invalid" else 410), PRIVATE
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            reset_with_link(token, form.new_password.data)
        except ResetLinkError as error:  # used (or the account switched off) since the check above
            db.session.rollback()
            return render_template("accounts/reset_link_refused.html", reason=error.reason), 410, PRIVATE
        except DomainError as error:
            populate_errors(form, error)
        else:
            db.session.commit()
            current_app.logger.info("password set by a mailed link for user %s", user.id)
            logout_user()  # whoever was logged in here: the new password ended that account's sessions anyway
            session.clear()
            flash(_("Your new password is set. Log in with it."), "success")
            return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form, user=user), 200, PRIVATE
