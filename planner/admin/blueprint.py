from flask import Blueprint

from planner.admin import views

bp = Blueprint("admin", __name__, url_prefix="/admin")

bp.add_url_rule("/users", "users", views.users)
bp.add_url_rule("/users/new", "new_user", views.new_user, methods=("GET", "POST"))
bp.add_url_rule("/users/<int:user_id>/edit", "edit_user", views.edit_user, methods=("GET", "POST"))
bp.add_url_rule("/users/<int:user_id>/password", "reset_user_password", views.reset_user_password,
                methods=("GET", "POST"))
bp.add_url_rule("/audit", "audit_log", views.audit_log)
bp.add_url_rule("/users/<int:user_id>/password-link", "send_password_link", views.send_password_link,
                methods=("POST",))
