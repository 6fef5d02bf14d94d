"""Fixtures for the outbox tests. Workers commit, claim and race each other, so these tests cannot run inside
the rolling-back ``database`` fixture: they get a database of their own (a SQLite file, or a fresh PostgreSQL
database when PLANNER_TEST_DATABASE_URL is set), built through the migrations, emptied after each test."""

from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from planner import create_app
from planner.extensions import db
from planner.outbox.models import OutboxMessage, outbox_message_regions
from planner.outbox.transport import SMTPTransport
from tests.conftest import app_settings
from tests.mail_server import SMTPServer, smtp_server, start_smtp_server  # noqa: F401 (fixture re-exported)

ORGANIZER = "delegations@planner.example"
BOUNCES = "bounces@planner.example"


@pytest.fixture(scope="session")
def outbox_database_url(tmp_path_factory):
    url = os.environ.get("PLANNER_TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path_factory.mktemp('outbox-db') / 'outbox.sqlite3'}"
        return
    name = f"planner_outbox_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def outbox_settings(url: str, instance) -> dict:
    return app_settings(url, instance) | {
        "MAIL_SERVER": "", "ORGANIZER_EMAIL": ORGANIZER, "ORGANIZER_NAME": "Gujarat–Shizuoka Desk",
        "MAIL_DEFAULT_SENDER": BOUNCES}


@pytest.fixture(scope="session")
def outbox_app(outbox_database_url, tmp_path_factory):
    instance = tmp_path_factory.mktemp("outbox-instance")
    application = create_app(outbox_settings(outbox_database_url, instance))
    with application.app_context():
        upgrade(revision="heads")
        from planner.regions.operations import seed_reference_data

        seed_reference_data()
        db.session.commit()
        db.session.remove()
    yield application
    with application.app_context():
        db.engine.dispose()


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
