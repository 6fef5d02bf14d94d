"""Connection set-up per database.

SQLite is the embedded default: WAL so readers do not block the writer, foreign keys on, a busy timeout, and
write transactions that take the write lock at BEGIN (``BEGIN IMMEDIATE``) so two writers queue on the busy
timeout instead of one failing with "database is locked" when it upgrades a read lock. Requests that only
read (GET/HEAD) begin normally so they never wait for a writer.

Writers take their turns in order. SQLite's busy handler polls, sleeping up to 100 ms between tries, so a writer
that commits and begins again at once wins every race against one that is waiting: the outbox worker beside a
confirmation of several B2B sessions got no turn until the last of them was done, and the mail went out only
after the whole burst. Before ``BEGIN IMMEDIATE`` a writer therefore takes an exclusive ``flock`` on a file
beside the database (``<database>-writers``); the kernel wakes a waiting writer the moment the lock is let go,
so it goes before the one that just finished. (Not on systems without ``fcntl``, nor for a database without a
file; SQLite's busy timeout alone decides there, as it does for a thread that already holds the turn through
another connection, which would otherwise wait for itself.)
"""

import os
import sqlite3
import threading
import weakref

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None

SQLITE_BUSY_TIMEOUT_MS = 15_000
WRITERS_TURN_TIMEOUT_S = SQLITE_BUSY_TIMEOUT_MS / 1000
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WRITERS_SUFFIX = "-writers"
_QUEUE_KEY = "planner.sqlite_writers"


def _is_sqlite(dbapi_connection) -> bool:
    return isinstance(dbapi_connection, sqlite3.Connection)


class _Wait:
    """A helper thread in the kernel's queue for the lock on a connection's descriptor (``flock`` cannot time out;
    the lock belongs to the open file, not to a thread, so the connection owns what the helper gets). A writer
    that gives up waiting leaves it queued: its next write waits on the same helper, so a writer stuck for hours
    costs one thread and one descriptor per connection. If the lock comes when nobody wants it, the helper lets
    go of it at once."""

    def __init__(self, fd: int):
        self.fd = fd
        self.lock = threading.Lock()
        self.got = threading.Event()
        self.wanted = True
        self.finished = False  # the helper is gone and the descriptor free again
        self.close_when_done = False
        threading.Thread(target=self._run, name="sqlite-writers-turn", daemon=True).start()

    def _run(self) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        with self.lock:
            if self.wanted:
                self.got.set()
                return
        self._let_go()

    def _let_go(self) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        with self.lock:
            self.finished = True
            close = self.close_when_done
        if close:
            os.close(self.fd)

    def wait(self, timeout: float) -> bool:
        """Whether the lock came within ``timeout``; if not, it is let go of when it comes (unless asked again)."""
        with self.lock:
            self.wanted = True
        try:
            if self.got.wait(timeout):
                return True
        except BaseException:  # Ctrl-C while waiting: nobody will hold what comes
            if not self.give_up():  # it came just now: let go of it
                self._let_go()
            raise
        return not self.give_up()

    def give_up(self) -> bool:
        """Stop wanting the lock; True when it had not come (else the caller has it after all)."""
        with self.lock:
            if self.got.is_set():
                return False
            self.wanted = False
        return True


class WritersTurn:
    """One connection's place in the writers' queue: its own descriptor of the lock file (a ``flock`` belongs to
    an open file, so two connections of one process queue like two processes).

    A writer waits for its turn at most ``WRITERS_TURN_TIMEOUT_S`` (SQLite's busy timeout), then goes on
    without it, and SQLite's busy timeout decides as before: a writer stuck in an open transaction holds the
    others up for a while, not for ever. A contended turn is waited for by a :class:`_Wait` helper."""

    _holders: set[tuple[str, int]] = set()  # (lock file, thread) holding a turn through some connection
    _all: weakref.WeakSet = weakref.WeakSet()

    def __init__(self, path: str):
        self.path = path + WRITERS_SUFFIX
        self.fd: int | None = None
        self.owner: tuple[str, int] | None = None
        self._waiting: _Wait | None = None
        self._all.add(self)

    def take(self) -> None:
        holder = (self.path, threading.get_ident())
        if self.owner is not None or holder in self._holders:
            return
        if self.fd is None:
            try:
                self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            except OSError:  # a read-only folder: SQLite's busy timeout alone
                return
        waiting = self._waiting
        if waiting is None or waiting.finished:
            self._waiting = None
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                waiting = self._waiting = _Wait(self.fd)
            else:
                waiting = None
        if waiting is not None:
            if not waiting.wait(WRITERS_TURN_TIMEOUT_S):
                return
            self._waiting = None
        self.owner = holder
        self._holders.add(holder)

    def give_back(self) -> None:
        if self.owner is None:
            return
        self._holders.discard(self.owner)
        self.owner = None
        fcntl.flock(self.fd, fcntl.LOCK_UN)

    def close(self) -> None:
        self.give_back()
        waiting, self._waiting = self._waiting, None
        if waiting is not None:
            with waiting.lock:
                if not waiting.finished:  # the helper still uses the descriptor: it closes it when done
                    waiting.close_when_done = True
                    self.fd = None
        if self.fd is not None:
            os.close(self.fd)
        self.fd = None

    @classmethod
    def forget_inherited(cls) -> None:
        """In a forked child: the parent's turns and descriptors are the parent's (a copy kept open here would
        keep the parent's lock alive after the parent is gone; the helpers did not come along)."""
        cls._holders.clear()
        for turn in list(cls._all):
            fd, turn.fd, turn.owner, turn._waiting = turn.fd, None, None, None
            if fd is not None:
                try:
                    os.close(fd)
                except OSError:
                    pass


if fcntl is not None:
    os.register_at_fork(after_in_child=WritersTurn.forget_inherited)


@event.listens_for(Engine, "connect")
def _configure_sqlite_connection(dbapi_connection, connection_record):
    if not _is_sqlite(dbapi_connection):
        return
    # Take transaction control away from the sqlite3 module, so that the "begin" hook below decides.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    path = next((row[2] for row in cursor.execute("PRAGMA database_list") if row[1] == "main"), "")
    cursor.close()
    if fcntl is not None and path:
        connection_record.info[_QUEUE_KEY] = WritersTurn(path)


def _transaction_may_write() -> bool:
    return not (has_request_context() and request.method in READ_ONLY_METHODS)


@event.listens_for(Engine, "begin")
def _begin_sqlite_transaction(conn):
    if conn.dialect.name != "sqlite":
        return
    if not _transaction_may_write():
        conn.exec_driver_sql("BEGIN")
        return
    turn = conn.connection.info.get(_QUEUE_KEY)
    if turn is not None:
        turn.take()
    try:
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    except BaseException:
        if turn is not None:
            turn.give_back()
        raise


def _give_back(info) -> None:
    turn = info.get(_QUEUE_KEY)
    if turn is not None:
        turn.give_back()


# The turn ends with the transaction. COMMIT runs just after the "commit" hook: the next writer's BEGIN IMMEDIATE
# waits those few moments on the busy handler, and nobody can slip in between, as the turn is already theirs.
@event.listens_for(Engine, "commit")
@event.listens_for(Engine, "rollback")
def _end_of_transaction(conn):
    # An invalidated connection has no DBAPI connection to look at (the pool's "invalidate" gave the turn back).
    if conn.dialect.name == "sqlite" and not conn.invalidated:
        _give_back(conn.connection.info)


@event.listens_for(Pool, "checkin")
def _returned_to_pool(dbapi_connection, connection_record):
    if connection_record is not None:
        _give_back(connection_record.info)


@event.listens_for(Pool, "close")
def _closed(dbapi_connection, connection_record):
    turn = connection_record.info.get(_QUEUE_KEY) if connection_record is not None else None
    if turn is not None:
        turn.close()


@event.listens_for(Pool, "invalidate")
def _invalidated(dbapi_connection, connection_record, exception):
    if connection_record is not None:
        _give_back(connection_record.info)
