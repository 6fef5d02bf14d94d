"""The embedded SQLite default: WAL, foreign keys, a busy timeout, and writers that queue instead of failing,
in the order they came."""

import contextlib
import fcntl
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from planner import create_app
from planner.core import database, sqlite_writers
from planner.core.sqlite_writers import WRITERS_SUFFIX
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
    assert sqlite_writers.WRITERS_TURN_TIMEOUT_S * 1000 == database.SQLITE_BUSY_TIMEOUT_MS  # a turn: as long


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


def _turn_is_free(app) -> bool:
    """Whether a writer could take its turn now (the lock file beside the database is not held)."""
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///") + WRITERS_SUFFIX
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # closing the descriptor lets go of the lock, if it was taken
    return True


def test_a_waiting_writer_goes_before_one_that_commits_and_begins_again(sqlite_app):
    """A writer runs 30 short write transactions back to back; another one starts while the third is open. It
    must not wait for the whole run: SQLite's busy handler alone (polling, sleeping up to 100 ms) let it in only
    after the 30th, as the busy writer begins again a few microseconds after each commit."""
    engine, order, third_open = db.engine, [], threading.Event()

    def busy_writer():
        with engine.connect() as conn:
            for index in range(30):
                conn.execute(sa.text("UPDATE counter SET value = value + 1 WHERE id = 1"))
                if index == 2:
                    third_open.set()
                time.sleep(0.02)
                conn.commit()
                order.append("busy")

    def other_writer():
        third_open.wait(5)
        with engine.begin() as conn:
            conn.execute(sa.text("UPDATE counter SET value = value * 100 WHERE id = 1"))
        order.append("other")

    threads = [threading.Thread(target=busy_writer), threading.Thread(target=other_writer)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(order) == 31
    assert order.index("other") <= 6  # right after the third (some slack for a loaded machine), not the 30th


def test_the_turn_is_held_for_the_write_transaction_only(sqlite_app):
    engine = db.engine
    with engine.connect() as conn:
        conn.execute(sa.text("UPDATE counter SET value = 1 WHERE id = 1"))
        assert not _turn_is_free(sqlite_app)
        conn.commit()
        assert _turn_is_free(sqlite_app)
        conn.execute(sa.text("UPDATE counter SET value = 2 WHERE id = 1"))
        assert not _turn_is_free(sqlite_app)
        conn.rollback()
        assert _turn_is_free(sqlite_app)
        conn.execute(sa.text("UPDATE counter SET value = 3 WHERE id = 1"))
    assert _turn_is_free(sqlite_app)  # closed without a commit: given back with the connection
    with sqlite_app.test_request_context("/", method="GET"), engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT value FROM counter WHERE id = 1").scalar() == 1
        assert _turn_is_free(sqlite_app)  # a page that only reads takes no turn


def test_a_thread_holding_its_turn_is_not_made_to_wait_for_itself(sqlite_app):
    """A second connection in the thread that holds the turn through a first one gets SQLite's "database is
    locked" after the busy timeout, as before the queue, instead of waiting for itself for ever."""
    engine = db.engine
    with engine.connect() as first:
        first.execute(sa.text("UPDATE counter SET value = 5 WHERE id = 1"))
        with engine.connect() as second:
            second.connection.dbapi_connection.execute("PRAGMA busy_timeout=200")
            started = time.monotonic()
            with pytest.raises(sa.exc.OperationalError, match="database is locked"):
                second.execute(sa.text("UPDATE counter SET value = 6 WHERE id = 1"))
            assert time.monotonic() - started < 5
        first.commit()
    with engine.connect() as conn:
        conn.execute(sa.text("UPDATE counter SET value = 7 WHERE id = 1"))
        assert not _turn_is_free(sqlite_app)
        conn.commit()
        assert conn.exec_driver_sql("SELECT value FROM counter WHERE id = 1").scalar() == 7


def _wait_until(condition, seconds: float = 3.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@contextlib.contextmanager
def _stuck_writer(engine):
    """Another thread holds a write transaction open until the block ends, then commits it."""
    holding, release = threading.Event(), threading.Event()

    def stuck_writer():
        with engine.connect() as conn:
            conn.execute(sa.text("UPDATE counter SET value = 1 WHERE id = 1"))
            holding.set()
            release.wait(10)
            conn.commit()

    thread = threading.Thread(target=stuck_writer)
    thread.start()
    try:
        assert holding.wait(5)
        yield
    finally:
        release.set()
        thread.join(10)


def test_a_writer_waits_for_its_turn_no_longer_than_the_timeout_then_sqlite_decides(sqlite_app, monkeypatch):
    """A writer stuck in an open transaction holds the others up for the timeout, not for ever: after it the
    waiting writer goes on to BEGIN IMMEDIATE, whose busy timeout ends in "database is locked"."""
    monkeypatch.setattr(sqlite_writers, "WRITERS_TURN_TIMEOUT_S", 0.3)
    engine = db.engine
    with _stuck_writer(engine), engine.connect() as conn:
        conn.connection.dbapi_connection.execute("PRAGMA busy_timeout=200")
        started = time.monotonic()
        with pytest.raises(sa.exc.OperationalError, match="database is locked"):
            conn.execute(sa.text("UPDATE counter SET value = 2 WHERE id = 1"))
        assert time.monotonic() - started < 3
    # The abandoned wait lets go as soon as it gets the turn: the next writer is not held up by it.
    assert _wait_until(lambda: _turn_is_free(sqlite_app))
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE counter SET value = 3 WHERE id = 1"))
    assert _turn_is_free(sqlite_app)


def test_rolling_back_an_invalidated_connection_gives_the_turn_back_without_an_error(sqlite_app):
    with db.engine.connect() as conn:
        conn.execute(sa.text("UPDATE counter SET value = 4 WHERE id = 1"))
        conn.invalidate()
        conn.rollback()
    assert _turn_is_free(sqlite_app)


def test_a_forked_child_does_not_keep_a_dead_parents_turn(sqlite_app, tmp_path):
    """A process holding a turn forks (gunicorn --preload, multiprocessing) and is killed: its child, still
    running, must not keep the lock alive through the descriptor it inherited."""
    url = sqlite_app.config["SQLALCHEMY_DATABASE_URI"]
    script = tmp_path / "fork.py"
    script.write_text(
        "import os, sys, time\n"
        "import sqlalchemy as sa\n"
        "import planner.core.database  # the connection hooks\n"
        f"engine = sa.create_engine({url!r})\n"
        "conn = engine.connect()\n"
        "conn.execute(sa.text('UPDATE counter SET value = 9 WHERE id = 1'))\n"
        "child = os.fork()\n"
        "if child == 0:\n"
        "    time.sleep(20)\n"
        "    os._exit(0)\n"
        "print(child, flush=True)\n"
        "time.sleep(60)\n")
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True,
                              cwd=Path(__file__).resolve().parents[2])
    child = int(parent.stdout.readline())
    try:
        assert not _turn_is_free(sqlite_app)  # the parent holds it
        parent.kill()
        parent.wait(10)
        assert _wait_until(lambda: _turn_is_free(sqlite_app))
    finally:
        parent.kill()
        os.kill(child, signal.SIGKILL)


def _helpers() -> int:
    return sum(thread.name == "sqlite-writers-turn" for thread in threading.enumerate())


def test_a_writer_stuck_for_long_costs_one_waiting_helper_per_connection(sqlite_app, monkeypatch):
    monkeypatch.setattr(sqlite_writers, "WRITERS_TURN_TIMEOUT_S", 0.05)
    engine, before = db.engine, _helpers()
    with _stuck_writer(engine):
        for _attempt in range(10):
            with engine.connect() as conn:
                conn.connection.dbapi_connection.execute("PRAGMA busy_timeout=10")
                with pytest.raises(sa.exc.OperationalError, match="database is locked"):
                    conn.execute(sa.text("UPDATE counter SET value = 2 WHERE id = 1"))
        assert _helpers() - before <= 2  # one per pooled connection, not one per attempt
    assert _wait_until(lambda: _helpers() == before)  # the lock came when nobody wanted it: let go, gone
    assert _turn_is_free(sqlite_app)


def test_ctrl_c_while_waiting_for_the_turn_leaves_nothing_held(sqlite_app):
    path = sqlite_app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///") + WRITERS_SUFFIX
    holder, mine = os.open(path, os.O_RDWR), os.open(path, os.O_RDWR)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)
        waiting = sqlite_writers._Wait(mine)

        def interrupted(timeout=None):
            raise KeyboardInterrupt

        waiting.got.wait = interrupted
        with pytest.raises(KeyboardInterrupt):
            waiting.wait(1)
        fcntl.flock(holder, fcntl.LOCK_UN)
        assert _wait_until(lambda: waiting.finished)  # the lock came to nobody: let go
        assert _turn_is_free(sqlite_app)
    finally:
        os.close(holder)
        os.close(mine)
