"""Running the hub: its state folder (bundle signing key, admin token) and the uvicorn server."""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import uvicorn
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from starlette.types import ASGIApp

from gatehouse.core.keys import generate_issuer_key, private_key_from_pem, private_key_to_pem
from gatehouse.hub.admission import Admission
from gatehouse.hub.app import create_app
from gatehouse.hub.console.booths import SILENT_AFTER
from gatehouse.hub.database import open_database
from gatehouse.hub.issuing import HubIssuer
from gatehouse.hub.service import Hub

log = logging.getLogger(__name__)
ADMIN_TOKEN_ENV = "GATEHOUSE_HUB_ADMIN_TOKEN"


@dataclass(frozen=True)
class HubState:
    """The hub's secrets, kept in one folder readable only by the hub's account."""

    folder: Path

    @property
    def default_database_url(self) -> str:
        return f"sqlite:///{self.folder / 'hub.sqlite3'}"

    def bundle_key(self) -> Ed25519PrivateKey:
        path = self.folder / "bundle-key.pem"
        if not path.exists():
            self._write_secret(path, private_key_to_pem(generate_issuer_key()))
            log.info("created the hub's bundle signing key at %s", path)
        return private_key_from_pem(path.read_bytes())

    def admin_token(self) -> str:
        from_env = os.environ.get(ADMIN_TOKEN_ENV, "")
        if from_env:
            return from_env
        path = self.folder / "admin-token"
        if not path.exists():
            self._write_secret(path, secrets.token_urlsafe(32).encode("ascii"))
            log.info("created the hub's admin token in %s", path)
        return path.read_text(encoding="ascii").strip()

    def _write_secret(self, path: Path, data: bytes) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)


def open_hub(state: HubState, database_url: str | None) -> Hub:
    key = state.bundle_key()  # creates the state folder on first use, where SQLite lives
    return Hub(open_database(database_url or state.default_database_url), key)


def app_for(
    state: HubState,
    database_url: str | None,
    issuer: HubIssuer | None,
    silent_after: timedelta = SILENT_AFTER,
) -> ASGIApp:
    """The application serving the hub of ``state`` (one per server process)."""
    hub = open_hub(state, database_url)
    return create_app(hub, state.admin_token(), issuer, silent_after=silent_after)


def serve_workers(
    state: HubState, database_url: str | None, host: str, port: int, workers: int, factory: str
) -> None:
    """Serve with ``workers`` processes on one port; each builds its app with ``factory``
    (an import string, e.g. ``module:function``). PostgreSQL only: SQLite has one writer.

    The state folder and the tables are made here, once, before the workers race for them.
    """
    url = database_url or state.default_database_url
    if not url.startswith("postgresql"):
        raise ValueError(
            f"--workers {workers} needs PostgreSQL (--database postgresql://…): "
            "a SQLite hub takes one writer, so it runs one process"
        )
    open_hub(state, url).engine.dispose()
    state.admin_token()
    uvicorn.run(
        factory,
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="info",
        access_log=False,
    )


def serve(
    state: HubState,
    database_url: str | None,
    host: str,
    port: int,
    issuer: HubIssuer | None = None,
    silent_after: timedelta = SILENT_AFTER,
) -> None:
    """Serve until interrupted; with ``issuer`` the office can issue passes through the hub;
    the console calls a booth not heard from for ``silent_after`` silent."""
    hub = open_hub(state, database_url)
    app = create_app(hub, state.admin_token(), issuer, silent_after=silent_after)
    uvicorn.run(app, host=host, port=port, log_level="info", access_log=False)


@contextmanager
def serve_in_thread(
    hub: Hub,
    admin_token: str,
    sock: socket.socket,
    issuer: HubIssuer | None = None,
    admission: Admission | None = None,
) -> Iterator[str]:
    """Serve ``hub`` on the bound socket ``sock`` from a thread until the block ends (tests,
    benchmarks, a hub embedded in another program); yields its base URL."""
    host, port = sock.getsockname()[:2]
    app = create_app(hub, admin_token, issuer, admission=admission)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="gatehouse-hub")
    thread.start()
    try:
        started = threading.Event()
        while not server.started and thread.is_alive():
            started.wait(0.02)
        if not server.started:
            raise RuntimeError("the hub did not start")
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join()
