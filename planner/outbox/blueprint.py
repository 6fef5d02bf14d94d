from flask import Blueprint

from planner.outbox import views
from planner.outbox.errors import explain

bp = Blueprint("outbox", __name__, url_prefix="/outbox")
bp.add_app_template_filter(explain, "mail_error")

bp.add_url_rule("/", "index", views.index)
bp.add_url_rule("/<int:message_id>", "view", views.view)
bp.add_url_rule("/<int:message_id>/invite.ics", "ics", views.ics)
bp.add_url_rule("/<int:message_id>/retry", "retry", views.retry, methods=("GET", "POST"))
