"""``gatehouse hub serve --workers 2``: two processes on one PostgreSQL take every booth's
uploads, consecutive batches of a booth landing on either, and the chain stays whole."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine

from gatehouse.hub.database import WORKER_THREADS
from gatehouse.hub.service import Hub, PassageQuery
from gatehouse.sync.client import HubClient
from tests.hub.test_api import _enrolled_client, _fill, _items
from tests.sync.hub_process import HubProcess

BOOTHS = 4
PASSAGES = 120


def _hub_backends(url: str) -> set[int]:
    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        return {row[0] for row in rows}


def _send_all(client: HubClient, items: list[dict[str, object]]) -> list[str]:
    """One booth's items in batches of 10, each batch a new connection (either process)."""
    statuses: list[str] = []
    for start in range(0, len(items), 10):
        results, _ = client.upload(items[start : start + 10])
        statuses += [r["status"] for r in results]
    return statuses


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
def test_two_processes_share_one_postgresql(engine: Engine, hub: Hub, tmp_path: Path) -> None:
    url = os.environ["GATEHOUSE_TEST_POSTGRES_URL"]
    before = _hub_backends(url)
    with HubProcess(url, tmp_path, "--workers", "2") as process:
        # each process opens its own pool once started (a third would open as many again)
        deadline = time.monotonic() + 60
        while len(_hub_backends(url) - before) < 2 * WORKER_THREADS and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(_hub_backends(url) - before) == 2 * WORKER_THREADS
        clients = [_enrolled_client(process.url, f"booth-{n:02d}") for n in range(BOOTHS)]
        ledgers = [
            _fill(tmp_path / f"b{n}.sqlite3", PASSAGES, f"booth-{n:02d}") for n in range(BOOTHS)
        ]
        batches = [_items(ledger) for ledger in ledgers]
        with ThreadPoolExecutor(BOOTHS) as pool:
            statuses = list(pool.map(_send_all, clients, batches))
        for ledger in ledgers:
            ledger.close()

    assert statuses == [["ack"] * PASSAGES] * BOOTHS
    stored = hub.passages(PassageQuery(limit=5000))
    assert len(stored) == len({p["passage_id"] for p in stored}) == BOOTHS * PASSAGES
    heads = {row["booth_id"]: (row["head_seq"], row["quarantined"]) for row in hub.booths()}
    assert heads == {f"booth-{n:02d}": (PASSAGES, 0) for n in range(BOOTHS)}


def test_several_processes_on_sqlite_are_refused_saying_why(tmp_path: Path) -> None:
    command = [sys.executable, "-m", "gatehouse", "hub", "serve", "--state", str(tmp_path)]
    done = subprocess.run(
        [*command, "--workers", "2", "--port", "0"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode != 0
    assert "--workers 2 needs PostgreSQL" in done.stderr
