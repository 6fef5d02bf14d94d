"""Invites on the web: answer pages, .ics downloads, personal calendar feeds."""
from flask import Blueprint

from planner.invites import views
from planner.invites.rsvp import event_answers, meeting_answers

bp = Blueprint("invites", __name__)
bp.add_app_template_global(meeting_answers, "meeting_answers")
bp.add_app_template_global(event_answers, "event_answers")

bp.add_url_rule("/invites/rsvp/<token>", "rsvp", views.rsvp, methods=("GET", "POST"))
bp.add_url_rule("/agenda/answer", "answer_own", views.answer_own, methods=("POST",))
bp.add_url_rule("/events/<int:event_id>/invite.ics", "event_ics", views.event_ics)
bp.add_url_rule("/b2b/meetings/<int:meeting_id>/invite.ics", "meeting_ics", views.meeting_ics)
bp.add_url_rule("/calendar/<secret>.ics", "feed", views.feed)
bp.add_url_rule("/people/<int:person_id>/calendar-feed", "person_feed", views.person_feed, methods=("GET", "POST"))
