from flask import Blueprint

from planner.home import views

bp = Blueprint("home", __name__)

bp.add_url_rule("/", "index", views.index)
