from flask import Blueprint

from planner.followups import agreement_views, dashboard_views, feedback_views, views

bp = Blueprint("followups", __name__, url_prefix="/outcomes")
GET_POST = ("GET", "POST")

bp.add_url_rule("/", "dashboard", dashboard_views.dashboard)
bp.add_url_rule("/funnel.svg", "funnel_chart", dashboard_views.funnel_chart)
bp.add_url_rule("/agreements.svg", "agreements_chart", dashboard_views.agreements_chart)

bp.add_url_rule("/followups/", "index", views.index)
bp.add_url_rule("/followups.csv", "export_csv", views.export_csv)
bp.add_url_rule("/followups.xlsx", "export_xlsx", views.export_xlsx)
bp.add_url_rule("/followups/new", "new", views.new, methods=GET_POST)
bp.add_url_rule("/followups/<int:followup_id>", "view", views.view)
bp.add_url_rule("/followups/<int:followup_id>/edit", "edit", views.edit, methods=GET_POST)

bp.add_url_rule("/agreements/", "agreements", agreement_views.index)
bp.add_url_rule("/agreements.csv", "agreements_csv", agreement_views.export_csv)
bp.add_url_rule("/agreements.xlsx", "agreements_xlsx", agreement_views.export_xlsx)
bp.add_url_rule("/agreements/new", "new_agreement", agreement_views.new, methods=GET_POST)
bp.add_url_rule("/agreements/<int:agreement_id>", "agreement", agreement_views.view)
bp.add_url_rule("/agreements/<int:agreement_id>/edit", "edit_agreement", agreement_views.edit, methods=GET_POST)
bp.add_url_rule("/agreements/<int:agreement_id>/status", "agreement_status", agreement_views.status,
                methods=GET_POST)

bp.add_url_rule("/rates", "rates", agreement_views.rates, methods=GET_POST)
bp.add_url_rule("/rates/<int:rate_id>/delete", "delete_rate", agreement_views.delete_rate, methods=GET_POST)

bp.add_url_rule("/b2b/<int:session_id>/feedback", "session_feedback", feedback_views.session_feedback,
                methods=GET_POST)
# The delegate's page: no login, the signed link is the key.
bp.add_url_rule("/feedback/<token>", "feedback", feedback_views.feedback, methods=GET_POST)
