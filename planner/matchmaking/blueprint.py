"""B2B sessions (the web side of matchmaking): every URL of the feature."""
from flask import Blueprint

from planner.matchmaking import request_views, schedule_views, views

bp = Blueprint("matchmaking", __name__)
GET_POST = ("GET", "POST")

bp.add_url_rule("/b2b/", "index", views.index)
bp.add_url_rule("/b2b/mine", "mine", views.mine)
bp.add_url_rule("/events/<int:event_id>/b2b", "setup", views.setup, methods=GET_POST)
bp.add_url_rule("/b2b/<int:session_id>", "view", views.view)
bp.add_url_rule("/b2b/<int:session_id>/edit", "edit", views.edit, methods=GET_POST)
bp.add_url_rule("/b2b/<int:session_id>/tables", "tables", views.tables, methods=GET_POST)
bp.add_url_rule("/b2b/<int:session_id>/register", "register", views.register, methods=GET_POST)
bp.add_url_rule("/b2b/<int:session_id>/interpreters", "interpreters", views.interpreters, methods=GET_POST)
bp.add_url_rule("/b2b/<int:session_id>/interpreters/assign", "assign_interpreters",
                schedule_views.assign_interpreters, methods=GET_POST)
bp.add_url_rule("/b2b/participants/<int:participant_id>", "participant", views.participant)
bp.add_url_rule("/b2b/participants/<int:participant_id>/availability", "availability", views.availability,
                methods=GET_POST)
bp.add_url_rule("/b2b/participants/<int:participant_id>/representatives", "representatives",
                views.representatives, methods=GET_POST)

bp.add_url_rule("/b2b/participants/<int:participant_id>/requests/new", "new_request", request_views.new_request,
                methods=GET_POST)
bp.add_url_rule("/b2b/requests/<int:request_id>/answer", "answer", request_views.answer, methods=GET_POST)
bp.add_url_rule("/b2b/requests/<int:request_id>/withdraw", "withdraw", request_views.withdraw, methods=("POST",))

bp.add_url_rule("/b2b/<int:session_id>/schedule", "grid", schedule_views.grid)
bp.add_url_rule("/b2b/<int:session_id>/schedule.csv", "schedule_csv", schedule_views.schedule_csv)
bp.add_url_rule("/b2b/<int:session_id>/tables/<int:table_id>", "table_sheet", schedule_views.table_sheet)
bp.add_url_rule("/b2b/<int:session_id>/solve", "solve", schedule_views.solve, methods=GET_POST)
bp.add_url_rule("/b2b/runs/<int:run_id>", "run", schedule_views.run)
bp.add_url_rule("/b2b/runs/<int:run_id>/confirm", "confirm", schedule_views.confirm, methods=GET_POST)
bp.add_url_rule("/b2b/<int:session_id>/meetings/new", "new_meeting", schedule_views.new_meeting, methods=GET_POST)
bp.add_url_rule("/b2b/meetings/<int:meeting_id>/edit", "move", schedule_views.move, methods=GET_POST)
bp.add_url_rule("/b2b/meetings/<int:meeting_id>/interpreter", "interpreter", schedule_views.interpreter,
                methods=GET_POST)
bp.add_url_rule("/b2b/meetings/<int:meeting_id>/swap", "swap", schedule_views.swap, methods=GET_POST)
bp.add_url_rule("/b2b/meetings/<int:meeting_id>/cancel", "cancel", schedule_views.cancel, methods=GET_POST)
