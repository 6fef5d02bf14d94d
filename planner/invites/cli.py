"""``planner invites replies MAILDIR``: record the answers given with mail clients' own buttons."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from planner.core.audit import acting_as
from planner.extensions import db

invites_group = AppGroup("invites", help="Calendar invites.")

OUTCOME_WORDS = {"recorded": "recorded", "stale": "answered an older time or place", "unknown": "no such invite",
                 "not_invited": "not holding the invite", "not_from_attendee": "not sent by the attendee",
                 "ignored": "not an answer", "superseded": "older than the answer recorded",
                 "unauthenticated": "sender not vouched for by the mail server"}


@invites_group.command("replies")
@click.argument("maildir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--verbose", "-v", is_flag=True, help="One line per reply read.")
@click.option("--trust-authserv-id", "authserv_id", envvar="PLANNER_REPLIES_AUTHSERV_ID", metavar="ID",
              help="Count a reply only when the Authentication-Results header of the mail server with this "
                   "authserv-id (e.g. mx.example.org) says the sender's domain passed DMARC or DKIM (its topmost "
                   "such header). That server must remove such headers naming it from incoming mail (Postfix "
                   "with OpenDKIM or OpenDMARC, rspamd and Gmail do; Exchange Online names no server).")
def replies_command(maildir: Path, verbose: bool, authserv_id: str | None):
    """Read the new mail of MAILDIR (where the organiser address's mail is delivered or fetched, e.g. by
    fetchmail or getmail) and record the calendar replies in it: Accept, Maybe and Decline pressed in Gmail,
    Outlook or Apple Mail. Other mail is left unread. Run it every few minutes (cron or a systemd timer)."""
    from planner.invites.replies import read_maildir

    if not all((maildir / sub).is_dir() for sub in ("new", "cur", "tmp")):
        raise click.BadParameter("not a Maildir (it needs new/, cur/ and tmp/)", param_hint="MAILDIR")
    with acting_as("cli:invites"):
        result = read_maildir(maildir, commit=db.session.commit, rollback=db.session.rollback,
                              authserv_id=(authserv_id or "").strip() or None)
    if result.busy:
        click.echo(f"Replies: another run is reading {maildir}; nothing read.")
        return
    if verbose:
        for line in result.lines:
            click.echo(f"  {line}")
    counts = ", ".join(f"{count} {OUTCOME_WORDS.get(outcome, outcome)}"
                       for outcome, count in sorted(result.outcomes.items())) or "no replies"
    summary = f"Replies: {result.messages} new mails read: {counts}; {result.left_unread} left unread for people."
    if result.errors:
        summary += f" {result.errors} could not be recorded and stay new for the next run (see -v)."
    click.echo(summary)
    if result.errors:  # cron mails the output of a failed run
        raise SystemExit(1)
