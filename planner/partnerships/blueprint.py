from flask import Blueprint

from planner.partnerships import views

bp = Blueprint("partnerships", __name__, url_prefix="/partnerships")

bp.add_url_rule("/", "index", views.index)
bp.add_url_rule("/new", "new", views.new, methods=("GET", "POST"))
bp.add_url_rule("/<int:partnership_id>", "view", views.view)
bp.add_url_rule("/<int:partnership_id>/edit", "edit", views.edit, methods=("GET", "POST"))
