"""Fixtures for the outbox tests. Workers commit, claim and race each other, so these tests cannot run inside
the rolling-back ``database`` fixture: they get a database of their own (a SQLite file, or a fresh PostgreSQL
database when PLANNER_TEST_DATABASE_URL is set), built through the migrations, emptied after each test."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from planner.extensions import db
from planner.outbox.models import OutboxMessage, outbox_message_regions
from planner.outbox.transport import SMTPTransport
from tests.conftest import committing_app
from tests.mail_server import SMTPServer, smtp_server, start_smtp_server  # noqa: F401 (fixture re-exported)

ORGANIZER = "delegations@planner.example"
BOUNCES = "bounces@planner.example"


OUTBOX_SETTINGS = {"MAIL_SERVER": "", "ORGANIZER_EMAIL": ORGANIZER, "ORGANIZER_NAME": "Gujarat–Shizuoka Desk",
                   "MAIL_DEFAULT_SENDER": BOUNCES}


@pytest.fixture(scope="session")
def outbox_app(tmp_path_factory):
    with committing_app(tmp_path_factory, "outbox", **OUTBOX_SETTINGS) as application:
        yield application


@pytest.fixture
def committed(outbox_app):
    """An app context on the outbox database, where commits are real; the outbox is emptied afterwards."""
    with outbox_app.app_context():
        try:
            yield db
        finally:
            db.session.rollback()
            db.session.execute(sa.delete(outbox_message_regions))
            db.session.execute(sa.delete(OutboxMessage))
            db.session.commit()
            db.session.remove()


def smtp_transport(server: SMTPServer, timeout: float = 5.0) -> SMTPTransport:
    return SMTPTransport(host=server.host, port=server.port, use_tls=False, use_ssl=False, username=None,
                         password=None, timeout=timeout, envelope_from=BOUNCES)
