from flask import Blueprint

from planner.accounts import views

bp = Blueprint("accounts", __name__)

bp.add_url_rule("/login", "login", views.login, methods=("GET", "POST"))
bp.add_url_rule("/logout", "logout", views.logout, methods=("POST",))
bp.add_url_rule("/account", "profile", views.profile, methods=("GET", "POST"))
bp.add_url_rule("/account/needs", "own_needs", views.own_needs, methods=("POST",))
bp.add_url_rule("/account/password", "change_password", views.change_password, methods=("GET", "POST"))
bp.add_url_rule("/password/forgot", "forgot_password", views.forgot_password, methods=("GET", "POST"))
bp.add_url_rule("/password/reset/<token>", "reset_password", views.reset_password, methods=("GET", "POST"))
