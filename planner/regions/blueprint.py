from flask import Blueprint

from planner.regions import views

bp = Blueprint("regions", __name__, url_prefix="/regions")

bp.add_url_rule("/", "index", views.index)
bp.add_url_rule("/<string:code>", "view", views.view)
