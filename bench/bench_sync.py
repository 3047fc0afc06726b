"""A week offline at a busy gate: a 100,000-passage backlog pushed to the hub, on SQLite and
on PostgreSQL (a throwaway server, or the one in GATEHOUSE_TEST_POSTGRES_URL)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.report import Section, table
from gatehouse.core.keys import generate_issuer_key
from gatehouse.hub.database import open_database
from gatehouse.hub.migrations import migrate
from gatehouse.hub.server import serve_in_thread
from gatehouse.hub.service import Hub
from gatehouse.hub.tables import metadata
from gatehouse.store.ledger import Ledger
from gatehouse.sync.enrolment import SyncSettings
from gatehouse.sync.worker import SyncWorker
from tests.factories import make_passage

ROOT = Path(__file__).resolve().parent.parent
ADMIN = "bench-admin-token-0123456789"
BATCH = 500
BOOTH = "bench-booth"


@contextmanager
def _postgres_url() -> Iterator[str]:
    url = os.environ.get("GATEHOUSE_TEST_POSTGRES_URL")
    if url:
        yield url
        return
    folder = tempfile.mkdtemp()
    script = str(ROOT / "scripts" / "test_postgres.sh")
    started = subprocess.run([script, "start", folder], check=True, capture_output=True, text=True)
    try:
        yield started.stdout.strip()
    finally:
        subprocess.run([script, "stop", folder], check=False)


def _backlog(path: Path, count: int) -> None:
    with Ledger.open(path) as ledger:
        for first in range(0, count, 1000):
            size = min(1000, count - first)
            ledger.record_many([make_passage(booth_id=BOOTH) for _ in range(size)]).result()


def _push(ledger_path: Path, database_url: str) -> tuple[float, int]:
    engine = open_database(database_url)
    metadata.drop_all(engine)
    migrate(engine)
    hub = Hub(engine, generate_issuer_key())
    token = hub.enrol(BOOTH, hub.create_enrolment_code(BOOTH))
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    try:
        with serve_in_thread(hub, ADMIN, sock) as url, Ledger.open(ledger_path) as ledger:
            settings = SyncSettings(url, BOOTH, token, hub.bundle_key.public_key())
            worker = SyncWorker(ledger, settings, batch_size=BATCH)
            start = time.perf_counter()
            report = worker.sync_once()
            seconds = time.perf_counter() - start
            assert ledger.outbox_counts().pending == 0
    finally:
        sock.close()
        engine.dispose()
    return seconds, report.acknowledged


def run(quick: bool) -> list[Section]:
    count = 2000 if quick else 100_000
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        template = Path(folder) / "backlog.sqlite3"
        _backlog(template, count)
        with _postgres_url() as postgres:
            for name, url in (
                ("SQLite", f"sqlite:///{folder}/hub.sqlite3"),
                ("PostgreSQL", postgres),
            ):
                booth = Path(folder) / f"booth-{name}.sqlite3"
                shutil.copy(template, booth)
                seconds, acknowledged = _push(booth, url)
                rows.append(
                    (name, f"{acknowledged:,}", f"{seconds:.1f}", f"{acknowledged / seconds:,.0f}")
                )
    return [
        Section(
            title="Sync: a week's backlog pushed to the hub",
            method=(
                f"`bench/bench_sync.py`: {count:,} passages waiting in a booth's outbox, pushed "
                f"by `SyncWorker.sync_once` in batches of {BATCH} over HTTP on 127.0.0.1 to the "
                "hub (uvicorn + Starlette + SQLAlchemy Core) on each database; every item is "
                "checked (digests, chain link, duplicates) and acknowledged, and the booth marks "
                "each batch synced before sending the next. PostgreSQL 15 runs locally with "
                "default settings (fsync on); the hub's SQLite uses WAL with synchronous=FULL."
            ),
            body=table(("hub database", "passages", "seconds", "rows/s"), rows),
        )
    ]
