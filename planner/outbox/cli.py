"""``planner outbox send`` (one pass, then exit) and ``planner outbox run`` (the long-running worker)."""

from __future__ import annotations

import signal
import threading

import click
from flask import current_app
from flask.cli import AppGroup

from planner.core.audit import acting_as
from planner.outbox.transport import transport_from_config
from planner.outbox.worker import PassResult, WorkerSettings, new_worker_id, run_forever, send_pass

outbox_group = AppGroup("outbox", help="Deliver the mail outbox.")


def _summary(result: PassResult) -> str:
    text = f"sent {result.sent}, failed {result.failed}"
    if result.retrying:
        text += f", {result.retrying} to retry later"
    return text


@outbox_group.command("send")
def send_command():
    """Deliver every message that is due, once, then exit (prints how many were sent and failed)."""
    transport = transport_from_config(current_app.config)
    with acting_as("cli:outbox"):
        result = send_pass(transport, settings=WorkerSettings.from_config(current_app.config))
    for error in result.errors[:20]:
        click.echo(f"  not delivered: {error}", err=True)
    click.echo(f"Outbox ({transport.describe()}): {_summary(result)}.")


@outbox_group.command("run")
@click.option("--poll-interval", type=click.FloatRange(min=0.05), default=None,
              help="Seconds between looks at the outbox when it is empty (default OUTBOX_POLL_SECONDS).")
def run_command(poll_interval: float | None):
    """Deliver the outbox continuously until SIGTERM or Ctrl-C (run it beside the web server)."""
    config = current_app.config
    transport = transport_from_config(config)
    stop = threading.Event()

    def request_stop(signum, frame):
        stop.set()  # the batch in hand is finished and recorded first

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    worker_id = new_worker_id()
    click.echo(f"Outbox worker {worker_id}: delivering to {transport.describe()}. Stop with Ctrl-C.")
    with acting_as("cli:outbox"):
        run_forever(
            transport, stop=stop, worker_id=worker_id, settings=WorkerSettings.from_config(config),
            poll_seconds=poll_interval if poll_interval is not None else float(config["OUTBOX_POLL_SECONDS"]),
            on_pass=lambda result: click.echo(f"Outbox: {_summary(result)}."),
            on_error=lambda exc: click.echo(f"Outbox: pass interrupted ({type(exc).__name__}: {exc}); "
                                            "trying again.", err=True))
    click.echo("Outbox worker stopped.")
