"""A database of its own for the concurrency tests: writers there commit for real (a SQLite file, or a fresh
PostgreSQL database when PLANNER_TEST_DATABASE_URL is set), built through the migrations."""

import pytest

from planner.extensions import db
from tests.conftest import committing_app


@pytest.fixture(scope="session")
def b2b_app(tmp_path_factory):
    with committing_app(tmp_path_factory, "b2b") as application:
        yield application


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
