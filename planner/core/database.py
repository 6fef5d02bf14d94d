"""Connection set-up per database.

SQLite is the embedded default: WAL so readers do not block the writer, foreign keys on, a busy timeout, and
write transactions that take the write lock at BEGIN (``BEGIN IMMEDIATE``) so two writers queue on the busy
timeout instead of one failing with "database is locked" when it upgrades a read lock. Requests that only
read (GET/HEAD) begin normally so they never wait for a writer.

Writers take their turns in order (planner/core/sqlite_writers.py): before ``BEGIN IMMEDIATE`` a writer takes
an exclusive ``flock`` on a file beside the database (``<database>-writers``) and gives it back at the end of the
transaction, because SQLite's busy handler lets a writer that commits and begins again at once win every race
against one that waits. Not on systems without ``fcntl``, nor for a database without a file; SQLite's busy
timeout alone decides there, as it does for a thread that already holds the turn through another connection
(which would otherwise wait for itself), and after a writer has waited the busy timeout for its turn.
"""

import sqlite3

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.pool import Pool

from planner.core import sqlite_writers
from planner.core.sqlite_writers import WritersTurn

SQLITE_BUSY_TIMEOUT_MS = 15_000
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_QUEUE_KEY = "planner.sqlite_writers"


def _is_sqlite(dbapi_connection) -> bool:
    return isinstance(dbapi_connection, sqlite3.Connection)


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
    if sqlite_writers.fcntl is not None and path:
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
