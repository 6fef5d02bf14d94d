"""The `planner` command: Flask's CLI bound to the factory, plus the planner's own commands.

    planner db upgrade            create or update the schema (Flask-Migrate)
    planner seed                  load reference data (idempotent)
    planner demo                  load demo data (idempotent)
    planner users create ...      create an account
    planner schedule solve IN.json  schedule B2B meetings (JSON in, JSON out; no database)
    planner outbox send | run     deliver queued mail once, or continuously
    planner matchmaking remind    list (--mark: record) B2B meeting requests waiting too long for an answer
    planner followups feedback --session ID | --due   feedback requests after a B2B session
    planner followups remind      the weekly digest of follow-ups due to their owners
    planner run                   serve the planner (development server)
"""

import click
from flask.cli import AppGroup, FlaskGroup

from planner.core.audit import acting_as
from planner.core.errors import DomainError
from planner.extensions import db


def _create_app():
    from planner import create_app
    from planner.core.runtime import tune_gc

    tune_gc()  # the server (`planner run`), the outbox worker and the batch commands
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main():
    """The delegation planner's command line."""


@click.command("seed")
def seed_command():
    """Load reference data: regions (ISO 3166-2 IN and JP) and sectors. Safe to run again."""
    from planner.regions.operations import seed_reference_data

    with acting_as("cli:seed"):
        counts = seed_reference_data()
        db.session.commit()
    click.echo("Reference data: " + ", ".join(f"{key.replace('_', ' ')} {value}" for key, value in counts.items()))


@click.command("demo")
def demo_command():
    """Load realistic demo data (accounts for every role, the five known partnerships, ...). Safe to run again."""
    from planner.demo import load_demo_data

    with acting_as("cli:demo"):
        summary = load_demo_data()
        db.session.commit()
    click.echo("Demo data: " + ", ".join(f"{key} {value}" for key, value in summary.items()))


users_group = AppGroup("users", help="Manage user accounts.")


@users_group.command("create")
@click.option("--email", required=True)
@click.option("--name", default="", help="Display name (defaults to the part of the e-mail before @).")
@click.option("--role", required=True, type=click.Choice(["admin", "state", "prefecture", "delegate"]))
@click.option("--region", "region_code", default=None, help="ISO 3166-2 code, e.g. IN-GJ or JP-22.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_user_command(email, name, role, region_code, password):
    """Create a user account."""
    from planner.accounts.operations import create_user
    from planner.regions.operations import region_by_code

    region = None
    if region_code:
        region = region_by_code(region_code)
        if region is None:
            raise click.ClickException(f"unknown region code {region_code!r} (run `planner seed` first?)")
    with acting_as("cli:users"):
        try:
            user = create_user(email=email, name=name or email.split("@")[0], role=role, password=password,
                               region=region)
        except DomainError as error:
            raise click.ClickException(f"{error.field or 'error'}: {error.message}") from None
        db.session.commit()
    click.echo(f"Created {user.role} {user.email}" + (f" for {region.code}" if region else ""))


def register(app) -> None:
    from planner.followups.cli import followups_group
    from planner.invites.cli import invites_group
    from planner.matchmaking.cli import matchmaking_group
    from planner.outbox.cli import outbox_group
    from planner.scheduling.cli import schedule

    for command in (seed_command, demo_command, users_group, outbox_group, schedule, matchmaking_group,
                    followups_group, invites_group):
        app.cli.add_command(command)
