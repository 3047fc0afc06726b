"""Connecting to the hub's database: SQLite for one mine, PostgreSQL for a group of mines."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from gatehouse.hub.tables import metadata


def open_database(url: str) -> Engine:
    """An engine for ``url`` with the hub's tables created if missing.

    ``postgresql://`` URLs use psycopg 3. SQLite gets one pooled connection only (Python 3.11's
    SQLite must never have two connections writing one WAL file) in WAL mode with
    ``synchronous=FULL``, like the booth's ledger.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        engine = create_engine(parsed.set(drivername="postgresql+psycopg"), pool_pre_ping=True)
    elif parsed.get_backend_name() == "sqlite":
        engine = create_engine(
            parsed,
            pool_size=1,
            max_overflow=0,
            pool_timeout=60,
            connect_args={"check_same_thread": False, "timeout": 30},
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _begin_immediate)
    else:
        raise ValueError(f"the hub runs on SQLite or PostgreSQL, not {parsed.get_backend_name()}")
    metadata.create_all(engine)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Transactions are SQLAlchemy's to begin (pysqlite's own handling breaks SAVEPOINT).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _begin_immediate(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")
