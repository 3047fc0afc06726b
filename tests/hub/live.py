"""A real hub for tests: uvicorn serving the Starlette app on 127.0.0.1, in a thread."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, event

from gatehouse.core.keys import generate_issuer_key
from gatehouse.hub.admission import Admission
from gatehouse.hub.database import connect_database, open_database
from gatehouse.hub.server import serve_in_thread
from gatehouse.hub.service import Hub, iso
from gatehouse.hub.tables import bundles, metadata
from gatehouse.sync import protocol

ADMIN_TOKEN = "test-admin-token-0123456789"
POSTGRES_URL_ENV = "GATEHOUSE_TEST_POSTGRES_URL"
DATABASES = ("sqlite", "postgresql")


def fresh_database(kind: str, tmp_path: os.PathLike[str]) -> Engine:
    """An empty hub database of ``kind``: a new SQLite file, or the test PostgreSQL emptied.

    Without ``GATEHOUSE_TEST_POSTGRES_URL`` the PostgreSQL variant fails under CI (CI=true) —
    a hub suite that silently skipped its production database would prove nothing — and is
    skipped, saying why, on a developer's machine. ``scripts/test.sh`` starts a throwaway
    server and sets the variable.
    """
    if kind == "sqlite":
        return open_database(f"sqlite:///{os.fspath(tmp_path)}/hub.sqlite3")
    return open_database(emptied_postgres())


def emptied_postgres() -> str:
    """The test PostgreSQL server's URL, its hub tables dropped (without opening it as a hub
    first: a test may have left it "too new")."""
    url = postgres_url()
    raw = connect_database(url)
    metadata.drop_all(raw)
    raw.dispose()
    return url


def postgres_url() -> str:
    """The test PostgreSQL server's URL (``fresh_database`` says when it is missing)."""
    url = os.environ.get(POSTGRES_URL_ENV)
    if not url:
        message = f"{POSTGRES_URL_ENV} is not set: run scripts/test.sh, which starts PostgreSQL"
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    return url


def free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextmanager
def serving(
    hub: Hub, sock: socket.socket | None = None, admission: Admission | None = None
) -> Iterator[str]:
    """Serve ``hub`` on 127.0.0.1 until the block ends; yields its base URL."""
    sock = sock or free_socket()
    try:
        with serve_in_thread(hub, ADMIN_TOKEN, sock, admission=admission) as url:
            yield url
    finally:
        sock.close()


def make_hub(engine: Engine) -> Hub:
    return Hub(engine, generate_issuer_key())


@contextmanager
def statements(hub: Hub) -> Iterator[list[str]]:
    """The SQL statements the hub's engine runs inside the block, as the database gets them."""
    seen: list[str] = []

    def note(*args: Any) -> None:
        seen.append(args[2])

    event.listen(hub.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(hub.engine, "before_cursor_execute", note)


# Fixtures for the conftests that import them (tests/hub, tests/sync); each gives ``engine``.
@pytest.fixture
def hub(engine: Engine) -> Hub:
    return make_hub(engine)


@pytest.fixture
def hub_url(hub: Hub) -> Iterator[str]:
    with serving(hub) as url:
        yield url


def serve_unchecked(hub: Hub, name: str, version: int, content: object) -> None:
    """What a hub that did not check (an older release) would serve: the bundle signed with
    the hub's key."""
    now = datetime.now(UTC)
    signed = protocol.sign_bundle(protocol.Bundle(name, version, now, content), hub.bundle_key)
    with hub.engine.begin() as conn:
        conn.execute(
            bundles.insert().values(
                name=name,
                version=version,
                signed=signed,
                etag=f'"{name}-{version}"',
                published_at=iso(now),
            )
        )
