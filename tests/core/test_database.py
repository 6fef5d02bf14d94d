"""The embedded SQLite default: WAL, foreign keys, a busy timeout, and writers that queue instead of failing."""

import threading
import time

import pytest
import sqlalchemy as sa

from planner import create_app
from planner.extensions import db
from tests.conftest import app_settings

pytestmark = pytest.mark.skipif(
    __import__("os").environ.get("PLANNER_TEST_DATABASE_URL", "").startswith("postgresql"),
    reason="SQLite connection settings; the PostgreSQL run checks its own database")


@pytest.fixture
def sqlite_app(tmp_path):
    app = create_app(app_settings(f"sqlite:///{tmp_path / 'concurrency.sqlite3'}", tmp_path))
    with app.app_context():
        with db.engine.begin() as conn:
            conn.exec_driver_sql("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)")
            conn.exec_driver_sql("INSERT INTO counter VALUES (1, 0)")
        yield app
        db.engine.dispose()


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(sqlite_app):
    with db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 15000


def test_concurrent_read_modify_write_transactions_queue_instead_of_failing(sqlite_app):
    """Each writer reads the value, waits, writes value + 1. With BEGIN IMMEDIATE they serialise: no lost
    update and no 'database is locked' error, even though each holds the lock longer than the others wait."""
    errors, engine = [], db.engine

    def writer():
        try:
            with engine.begin() as conn:
                value = conn.exec_driver_sql("SELECT value FROM counter WHERE id = 1").scalar()
                time.sleep(0.05)
                conn.execute(sa.text("UPDATE counter SET value = :v WHERE id = 1"), {"v": value + 1})
        except Exception as error:  # noqa: BLE001  (the test reports any failure below)
            errors.append(error)

    threads = [threading.Thread(target=writer) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT value FROM counter WHERE id = 1").scalar() == 6


def test_foreign_keys_are_enforced(sqlite_app):
    with db.engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
        conn.exec_driver_sql("CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent(id))")
    with pytest.raises(sa.exc.IntegrityError):
        with db.engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO child VALUES (1, 42)")
