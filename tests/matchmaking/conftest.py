"""A database of its own for the concurrency tests: writers there commit for real (a SQLite file, or a fresh
PostgreSQL database when PLANNER_TEST_DATABASE_URL is set), built through the migrations."""

import os
import uuid

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy.engine import make_url

from planner import create_app
from planner.extensions import db
from tests.conftest import app_settings


@pytest.fixture(scope="session")
def b2b_database_url(tmp_path_factory):
    url = os.environ.get("PLANNER_TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path_factory.mktemp('b2b-db') / 'b2b.sqlite3'}"
        return
    name = f"planner_b2b_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(scope="session")
def b2b_app(b2b_database_url, tmp_path_factory):
    application = create_app(app_settings(b2b_database_url, tmp_path_factory.mktemp("b2b-instance")))
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
def committed(b2b_app):
    """An app context on the B2B database where commits are real. Each test builds its own session and firms,
    so nothing needs cleaning between tests (the database is thrown away at the end)."""
    with b2b_app.app_context():
        try:
            yield db
        finally:
            db.session.rollback()
            db.session.remove()
