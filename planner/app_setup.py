"""The parts `create_app` wires together, each in a small named function (cookiecutter-flask style)."""

import hmac

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext, pgettext
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from werkzeug.middleware.proxy_fix import ProxyFix

from planner import PROJECT_ROOT
from planner.core import database  # noqa: F401  (installs the SQLite connection hooks)
from planner.core.bilingual import in_language
from planner.extensions import babel, csrf, db, login_manager, mail, migrate
from planner.i18n.locales import select_locale


def register_extensions(app) -> None:
    import planner.models  # noqa: F401  (every model registered on the metadata before anything uses it)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True,
                     compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = lazy_gettext("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"
    babel.init_app(app, locale_selector=select_locale)
    mail.init_app(app)
    trusted_proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if trusted_proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=trusted_proxies, x_proto=trusted_proxies)

    @login_manager.user_loader
    def load_user(session_id: str):
        """``<user id>:<session token>`` (``User.get_id``): a session ended by a new token, or one from before
        tokens, is anonymous."""
        from planner.accounts.models import User

        user_id, _, token = (session_id or "").partition(":")
        if not (user_id.isascii() and user_id.isdigit()) or len(user_id) > 10 or not token:
            return None
        user = db.session.get(User, int(user_id))
        if user is None or not user.is_active or not hmac.compare_digest(user.session_token, token):
            return None
        return user


def register_url_converters(app) -> None:
    """Before the routes: <int:…> names a row id, never beyond what a database holds."""
    from planner.core.access import IdConverter

    app.url_map.converters["int"] = IdConverter


def register_blueprints(app) -> None:
    from planner.accounts.blueprint import bp as accounts
    from planner.admin.blueprint import bp as admin
    from planner.delegations.blueprint import bp as delegations
    from planner.delegations.blueprint import people_bp as people
    from planner.exchanges.blueprint import bp as exchanges
    from planner.firms.blueprint import bp as firms
    from planner.followups.blueprint import bp as followups
    from planner.home.blueprint import bp as home
    from planner.i18n.blueprint import bp as i18n
    from planner.invites.blueprint import bp as invites
    from planner.itinerary.blueprint import bp as itinerary
    from planner.matchmaking.blueprint import bp as matchmaking
    from planner.outbox.blueprint import bp as outbox
    from planner.partnerships.blueprint import bp as partnerships
    from planner.regions.blueprint import bp as regions

    for blueprint in (home, accounts, admin, regions, partnerships, outbox, delegations, people, itinerary,
                      exchanges, firms, matchmaking, invites, followups, i18n):
        app.register_blueprint(blueprint)


def register_error_handlers(app) -> None:
    def render_error(code: int, title: str, message: str):
        return render_template("errors/error.html", code=code, title=title, message=message), code

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, _("Form expired"), _("The form was open too long or came from elsewhere. "
                                                      "Go back, reload the page and send it again."))

    @app.errorhandler(400)
    def bad_request(error):
        return render_error(400, _("Bad request"), _("The request could not be understood."))

    @app.errorhandler(403)
    def forbidden(error):
        return render_error(403, _("Not allowed"), _("Your role does not give access to this page."))

    @app.errorhandler(404)
    def not_found(error):
        return render_error(404, _("Not found"), _("There is no such page, or it is not yours to see."))

    @app.errorhandler(405)
    def method_not_allowed(error):
        return render_error(405, pgettext("request method", "Not allowed"),
                            _("This address does not accept that kind of request."))

    @app.errorhandler(413)
    def too_large(error):
        limit_mb = app.config["MAX_CONTENT_LENGTH"] // (1024 * 1024)
        return render_error(413, _("File too large"),
                            _("Uploads are limited to %(mb)d MB. Split the file and try again.", mb=limit_mb))

    @app.errorhandler(429)
    def too_many(error):
        return render_error(429, _("Too many requests"), _("Please wait a little and try again."))

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return render_error(500, _("Something went wrong"),
                            _("The error has been logged. Nothing was saved; please try again."))


def register_template_helpers(app) -> None:
    from planner.core import timefmt
    from planner.core.audit import actor_text
    from planner.core.roles import ROLE_LABELS, Role

    app.jinja_env.filters["dualtime"] = timefmt.dual_time
    app.jinja_env.filters["fmt_date"] = timefmt.format_date
    app.jinja_env.filters["fmt_iso_date"] = timefmt.format_iso_date
    app.jinja_env.filters["actor"] = actor_text
    app.jinja_env.filters["fmt_local"] = timefmt.format_local
    app.jinja_env.globals["Role"] = Role
    from planner.i18n import names
    from planner.i18n.locales import language_switch_choices

    app.jinja_env.filters["local_name"] = names.local_name
    app.jinja_env.filters["named"] = names.named
    app.jinja_env.filters["affiliation"] = names.affiliation
    app.jinja_env.filters["listed"] = names.listed
    app.jinja_env.filters["both_names"] = names.both_names
    app.jinja_env.filters["other_name"] = names.other_name
    from planner.delegations import diets

    # a person's diet in the page's language and their notes as typed: 'Jain · allergic to peanuts'
    app.jinja_env.filters["diet"] = lambda person: diets.summary(person.diet, person.dietary,
                                                                 timefmt.display_language())
    from planner.delegations.ordering import sorted_people

    app.jinja_env.filters["people_ordered"] = sorted_people  # as lists of people read in the page's language
    from planner.i18n.numbers import format_money_ja, in_units

    app.jinja_env.filters["money_ja"] = format_money_ja
    app.jinja_env.filters["in_units"] = in_units
    app.jinja_env.globals["language_switch_choices"] = language_switch_choices
    app.jinja_env.globals["current_language"] = timefmt.display_language
    app.jinja_env.globals["in_language"] = in_language  # a title with its Japanese version, in the page's language
    app.jinja_env.globals["ROLE_LABELS"] = ROLE_LABELS
    from planner.invites.subjects import invites_wait

    app.jinja_env.globals["invites_wait"] = invites_wait  # the pages say what the invites' rule does
    from planner.core.nav import nav_items

    app.context_processor(lambda: {"nav_items": nav_items()})
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True


def register_request_hooks(app) -> None:
    open_endpoints = {"accounts.change_password", "accounts.logout", "static", "i18n.switch"}

    @app.before_request
    def refuse_nul_characters():
        """No text the planner stores or looks up may hold NUL: PostgreSQL refuses it in text columns
        and parameters, which made a 500 of e.g. a login or a search with "%00" in it.  Nobody types
        one, so the request as a whole is refused (before any lookup)."""
        values = [request.path, *request.args.keys(), *(v for vs in request.args.listvalues() for v in vs)]
        if request.method in ("POST", "PUT", "PATCH") and request.form:
            values += [value for key in request.form for value in request.form.getlist(key)]
            values += list(request.form)
        if any("\x00" in value for value in values):
            abort(400)
        return None

    @app.before_request
    def require_own_password():
        if (current_user.is_authenticated and current_user.must_change_password
                and request.endpoint not in open_endpoints):
            flash(_("Please choose your own password before you go on."), "info")
            return redirect(url_for("accounts.change_password"))
        return None

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
            "object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
        return response


def register_commands(app) -> None:
    from planner.cli import register

    register(app)
