"""Delegations (visits in one direction), their members, and the people register."""
from flask import Blueprint

from planner.delegations import import_views, people_views, views

bp = Blueprint("delegations", __name__, url_prefix="/delegations")

bp.add_url_rule("/", "index", views.index)
bp.add_url_rule("/new", "new", views.new, methods=("GET", "POST"))
bp.add_url_rule("/<int:delegation_id>", "view", views.view)
bp.add_url_rule("/<int:delegation_id>/edit", "edit", views.edit, methods=("GET", "POST"))
bp.add_url_rule("/<int:delegation_id>/status", "status", views.status, methods=("GET", "POST"))
bp.add_url_rule("/<int:delegation_id>/members", "members", views.members, methods=("GET", "POST"))
bp.add_url_rule("/<int:delegation_id>/badges", "badges", views.badges)
bp.add_url_rule("/<int:delegation_id>/members/<int:member_id>/schedule-of-stay", "schedule_of_stay",
                views.schedule_of_stay)
bp.add_url_rule("/<int:delegation_id>/members/<int:member_id>/edit", "edit_member", views.edit_member,
                methods=("GET", "POST"))
bp.add_url_rule("/<int:delegation_id>/members.csv", "members_csv", import_views.export_csv)
bp.add_url_rule("/<int:delegation_id>/members.xlsx", "members_xlsx", import_views.export_xlsx)
bp.add_url_rule("/<int:delegation_id>/members/import", "import_members", import_views.upload,
                methods=("GET", "POST"))
bp.add_url_rule("/<int:delegation_id>/members/import/template.csv", "member_template_csv",
                import_views.template_as_csv)
bp.add_url_rule("/<int:delegation_id>/members/import/template.xlsx", "member_template_xlsx",
                import_views.template_as_xlsx)
bp.add_url_rule("/<int:delegation_id>/members/imports/<int:import_id>", "member_import_preview",
                import_views.preview)
bp.add_url_rule("/<int:delegation_id>/members/imports/<int:import_id>/confirm", "member_import_confirm",
                import_views.confirm, methods=("GET", "POST"))
bp.add_url_rule("/<int:delegation_id>/members/imports/<int:import_id>/errors.csv", "member_import_errors",
                import_views.error_rows)

people_bp = Blueprint("people", __name__, url_prefix="/people")

people_bp.add_url_rule("/", "index", people_views.index)
people_bp.add_url_rule("/new", "new", people_views.new, methods=("GET", "POST"))
people_bp.add_url_rule("/<int:person_id>", "view", people_views.view)
people_bp.add_url_rule("/<int:person_id>/edit", "edit", people_views.edit, methods=("GET", "POST"))
