"""Fixtures every test shares: the app on a real database (a SQLite file, or PostgreSQL when
PLANNER_TEST_DATABASE_URL says so), a transaction that rolls back after each test, clients logged in per role."""

import os
import re
import uuid
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from flask import g, request_started
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy.engine import make_url

from planner import create_app
from planner.extensions import db
from tests.factories import TEST_PASSWORD


def _sqlite_url(tmp_dir) -> str:
    return f"sqlite:///{tmp_dir / 'planner-test.sqlite3'}"


def reset_postgres_schema(url: str) -> None:
    """Start the PostgreSQL test database empty, so the migrations build every table from nothing."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA IF EXISTS public CASCADE")
        conn.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


def app_settings(url: str, instance_dir) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_TIME_COST": 1,
        "PASSWORD_HASH_MEMORY_KIB": 1024,
        "SERVER_NAME": "planner.test",
        "MAILBOX_DIR": str(instance_dir / "mailbox"),
    }


@contextmanager
def fresh_database(tmp_dir, prefix: str):
    """A database of its own, for tests whose writers must really commit: a SQLite file in `tmp_dir`, or a new
    PostgreSQL database next to PLANNER_TEST_DATABASE_URL's (dropped afterwards). Yields its URL, empty."""
    url = os.environ.get("PLANNER_TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_dir / f'{prefix}.sqlite3'}"
        return
    name = f"planner_{prefix}_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def migrated_app(url: str, instance_dir, **overrides):
    """An app on `url` with the schema built by the migrations and the reference data loaded."""
    application = create_app(app_settings(url, instance_dir) | overrides)
    with application.app_context():
        upgrade(revision="heads")
        from planner.regions.operations import seed_reference_data

        seed_reference_data()
        db.session.commit()
        db.session.remove()
    return application


@contextmanager
def committing_app(tmp_path_factory, prefix: str, **overrides):
    """An app on a database of its own (``fresh_database``), migrated, whose writers commit for real: for the
    tests of concurrent writers. Disposes of its connections at the end."""
    with fresh_database(tmp_path_factory.mktemp(f"{prefix}-db"), prefix) as url:
        application = migrated_app(url, tmp_path_factory.mktemp(f"{prefix}-instance"), **overrides)
        yield application
        with application.app_context():
            db.engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = os.environ.get("PLANNER_TEST_DATABASE_URL")
    if url:
        reset_postgres_schema(url)
        return url
    return _sqlite_url(tmp_path_factory.mktemp("db"))


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    """One app for the session; its schema comes from the migrations, as in production."""
    instance = tmp_path_factory.mktemp("instance")
    os.environ["PLANNER_INSTANCE_PATH"] = str(instance)
    application = create_app(app_settings(database_url, instance))
    with application.app_context():
        upgrade(revision="heads")
        from planner.regions.operations import seed_reference_data

        seed_reference_data()
        db.session.commit()
        db.session.remove()
    yield application
    with application.app_context():
        db.engine.dispose()


class _BoundSession(FlaskSession):
    """Flask-SQLAlchemy picks engines by bind key; in tests every session uses the test's one connection."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None and self.bind is not None:
            return self.bind
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


def _fresh_g_per_request(sender, **extra):
    """Requests in a test share the test's app context; give each one an empty `g` as production does
    (otherwise Flask-Login's cached user would leak from one client's request into another's)."""
    g.__dict__.clear()


@pytest.fixture
def database(app):
    """Each test runs inside one outer transaction that is rolled back; commits in the code become savepoints."""
    request_started.connect(_fresh_g_per_request, app)
    with app.app_context():
        connection = db.engine.connect()
        transaction = connection.begin()
        original = db.session
        db.session = db._make_scoped_session(
            {"bind": connection, "join_transaction_mode": "create_savepoint", "class_": _BoundSession})
        try:
            yield db
        finally:
            db.session.remove()
            db.session = original
            if transaction.is_active:
                transaction.rollback()
            connection.close()
            request_started.disconnect(_fresh_g_per_request, app)


@pytest.fixture
def client(app, database):
    return app.test_client()


@pytest.fixture
def runner(app, database):
    return app.test_cli_runner()


@pytest.fixture
def factories(database):
    from tests import factories as module  # noqa: PLC0415

    return module


def login(client, email: str, password: str = TEST_PASSWORD):
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302, f"login of {email} failed with {response.status_code}"
    return response


@pytest.fixture
def login_as(app, database, factories):
    """login_as(role, region_code=None) → a test client logged in as a new user of that role."""

    def _login(role: str, region_code: str | None = None, **kwargs):
        user = factories.user(role, region_code, **kwargs)
        database.session.commit()
        client = app.test_client()
        login(client, user.email)
        client.user = user
        return client

    return _login


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


@contextmanager
def count_queries():
    """The SQL statements run inside the block (a page that reads what it lists in a fixed number of queries)."""
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
