"""``planner followups feedback --session ID | --due`` and ``planner followups remind`` (the weekly digest)."""

import click
from flask.cli import AppGroup

from planner.core.audit import acting_as
from planner.extensions import db

followups_group = AppGroup("followups", help="Follow-ups: feedback requests and the weekly digest.")


@followups_group.command("feedback")
@click.option("--session", "session_id", type=click.IntRange(min=1), default=None,
              help="Send the first feedback request of this B2B session (its id).")
@click.option("--due", is_flag=True, help="Send the second request for sessions held FOLLOWUP_SECOND_REQUEST_MONTHS "
                                          "months ago (default 6) that were not asked yet.")
def feedback_command(session_id: int | None, due: bool):
    """Queue feedback requests to the representatives of B2B session participants (through the outbox)."""
    from planner.core.errors import DomainError
    from planner.core.timefmt import today_ist
    from planner.followups.feedback import (
        second_request_months,
        send_due_second_round,
        send_feedback_requests,
    )
    from planner.matchmaking.models import B2BSession

    if (session_id is None) == (not due):
        raise click.UsageError("give either --session ID or --due")
    with acting_as("cli:followups"):
        if session_id is not None:
            session = db.session.get(B2BSession, session_id)
            if session is None:
                raise click.ClickException(f"no B2B session {session_id}")
            try:
                count = send_feedback_requests(session, 1)
            except DomainError as error:
                raise click.ClickException(error.message) from None
            db.session.commit()
            click.echo(f"Session {session_id}: {count} feedback request(s) queued.")
            return
        sent = send_due_second_round(today_ist())
        db.session.commit()
    for sid, count in sent.items():
        click.echo(f"Session {sid}: {count} second request(s) queued.")
    click.echo(f"{len(sent)} session(s) due for the second request ({second_request_months()} months).")


@followups_group.command("remind")
def remind_command():
    """Mail each owner the open follow-ups overdue or due within 7 days (run weekly by cron or a timer)."""
    from planner.core.timefmt import today_ist
    from planner.followups.digest import send_digests

    with acting_as("cli:followups"):
        sent = send_digests(today_ist())
        db.session.commit()
    for email, count in sent.items():
        click.echo(f"{email}: {count} follow-up(s)")
    click.echo(f"{len(sent)} digest(s) queued.")
