"""The annual exchange tracker: who sent and hosted delegations each year, against the initiative's target."""
from flask import Blueprint

from planner.exchanges import views

bp = Blueprint("exchanges", __name__, url_prefix="/exchanges")

bp.add_url_rule("/", "index", views.index)
bp.add_url_rule("/<int:year>", "year", views.year)
bp.add_url_rule("/chart.svg", "chart", views.chart)
