"""Connecting to the hub's database: SQLite for one mine, PostgreSQL for a group of mines."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from gatehouse.hub.migrations import migrate

# Threads the hub runs its blocking work in (anyio's default is 40). A PostgreSQL hub keeps
# exactly one pooled connection per thread, no overflow: a thread always finds a connection
# and no connection is ever opened and closed again under load (no session churn).
WORKER_THREADS = 16


def open_database(url: str) -> Engine:
    """An engine for ``url``, its schema brought to this release's (``hub.migrations``:
    SchemaTooNewError for a database a newer release upgraded).

    ``postgresql://`` URLs use psycopg 3, ``WORKER_THREADS`` connections kept open. SQLite gets
    one pooled connection only (Python 3.11's SQLite must never have two connections writing
    one WAL file) in WAL mode with ``synchronous=FULL``, like the booth's ledger.
    """
    engine = connect_database(url)
    try:
        migrate(engine)
    except BaseException:
        engine.dispose()
        raise
    if engine.dialect.name == "postgresql":
        _fill_pool(engine)
    return engine


def connect_database(url: str) -> Engine:
    """An engine for ``url``, configured as the hub uses it, its schema left as it is."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        return create_engine(
            parsed.set(drivername="postgresql+psycopg"),
            pool_pre_ping=True,
            pool_size=WORKER_THREADS,
            max_overflow=0,
            pool_timeout=60,
        )
    if parsed.get_backend_name() != "sqlite":
        raise ValueError(f"the hub runs on SQLite or PostgreSQL, not {parsed.get_backend_name()}")
    engine = create_engine(
        parsed,
        pool_size=1,
        max_overflow=0,
        pool_timeout=60,
        connect_args={"check_same_thread": False, "timeout": 30},
    )
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _begin_immediate)
    return engine


def _fill_pool(engine: Engine) -> None:
    """Open every pooled connection now: the first busy minute opens no session either."""
    held = [engine.connect() for _ in range(WORKER_THREADS)]
    for conn in held:
        conn.close()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Transactions are SQLAlchemy's to begin (pysqlite's own handling breaks SAVEPOINT).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _begin_immediate(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")
