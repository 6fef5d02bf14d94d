"""``planner matchmaking remind``: list (and with --mark, record) meeting requests waiting too long for an answer.

Sending the reminders goes through the outbox once invites are wired: that code calls
:func:`planner.matchmaking.operations.requests_to_remind`, queues one message per request, then
:func:`~planner.matchmaking.operations.mark_reminded` in the same transaction."""

import click
from flask.cli import AppGroup

from planner.core.audit import acting_as
from planner.core.types import utcnow
from planner.extensions import db
from planner.matchmaking.operations import mark_reminded, requests_to_remind

matchmaking_group = AppGroup("matchmaking", help="B2B sessions: reminders for unanswered meeting requests.")


@matchmaking_group.command("remind")
@click.option("--session", "session_id", type=int, default=None, help="Only this B2B session (its id).")
@click.option("--mark", is_flag=True, help="Record that the requests listed were reminded now.")
def remind_command(session_id: int | None, mark: bool):
    """List meeting requests unanswered for longer than their session's reminder time."""
    now = utcnow()
    due = requests_to_remind(now, session_id)
    for request in due:
        waited = int((now - request.created_at).total_seconds() // 3600)
        click.echo(f"request {request.id}: {request.requester.firm.name} → {request.target.firm.name} "
                   f"(session {request.session_id}, waiting {waited} h)")
    if mark and due:
        with acting_as("cli:matchmaking"):
            mark_reminded(due, now)
            db.session.commit()
    click.echo(f"{len(due)} request(s) to remind" + (", marked as reminded." if mark and due else "."))
