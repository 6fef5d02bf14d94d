"""Connection set-up per database.

SQLite is the embedded default: WAL so readers do not block the writer, foreign keys on, a busy timeout, and
write transactions that take the write lock at BEGIN (``BEGIN IMMEDIATE``) so two writers queue on the busy
timeout instead of one failing with "database is locked" when it upgrades a read lock. Requests that only
read (GET/HEAD) begin normally so they never wait for a writer.
"""

import sqlite3

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

SQLITE_BUSY_TIMEOUT_MS = 15_000
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


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
    cursor.close()


def _transaction_may_write() -> bool:
    return not (has_request_context() and request.method in READ_ONLY_METHODS)


@event.listens_for(Engine, "begin")
def _begin_sqlite_transaction(conn):
    if conn.dialect.name != "sqlite":
        return
    conn.exec_driver_sql("BEGIN IMMEDIATE" if _transaction_may_write() else "BEGIN")
