"""Itineraries: venues, events of a delegation, day-by-day agendas and the CSV export."""
from flask import Blueprint

from planner.core.timefmt import zone_label
from planner.itinerary import venue_views, views

bp = Blueprint("itinerary", __name__)
bp.add_app_template_global(zone_label, "zone_label")

bp.add_url_rule("/delegations/<int:delegation_id>/events/new", "new_event", views.new_event,
                methods=("GET", "POST"))
bp.add_url_rule("/events/<int:event_id>", "event", views.event)
bp.add_url_rule("/events/<int:event_id>/dietary", "dietary_sheet", views.dietary_sheet)
bp.add_url_rule("/events/<int:event_id>/rooming-list", "rooming_list", views.rooming_list)
bp.add_url_rule("/events/<int:event_id>/edit", "edit_event", views.edit_event, methods=("GET", "POST"))
bp.add_url_rule("/events/<int:event_id>/status", "event_status", views.event_status, methods=("GET", "POST"))
bp.add_url_rule("/delegations/<int:delegation_id>/agenda", "delegation_agenda", views.delegation_agenda)
bp.add_url_rule("/delegations/<int:delegation_id>/itinerary.csv", "delegation_csv", views.delegation_csv)
bp.add_url_rule("/people/<int:person_id>/agenda", "person_agenda", views.person_agenda)
bp.add_url_rule("/agenda", "my_agenda", views.my_agenda)

bp.add_url_rule("/venues/", "venues", venue_views.index)
bp.add_url_rule("/venues/new", "new_venue", venue_views.new, methods=("GET", "POST"))
bp.add_url_rule("/venues/<int:venue_id>", "venue", venue_views.view)
bp.add_url_rule("/venues/<int:venue_id>/edit", "edit_venue", venue_views.edit, methods=("GET", "POST"))
