from flask import Blueprint

from planner.i18n import views

bp = Blueprint("i18n", __name__)

bp.add_url_rule("/language", "switch", views.switch, methods=("POST",))
