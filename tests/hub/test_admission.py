"""A busy hub says when to come back; the booth waits that long and sends smaller batches;
the PostgreSQL pool opens no session under steady load. A real hub on SQLite and PostgreSQL."""

from __future__ import annotations

import http.client
import os
import sqlite3
import threading
import time
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, QueuePool, select

from gatehouse.hub.admission import Admission
from gatehouse.hub.database import WORKER_THREADS
from gatehouse.hub.service import Hub, PassageQuery
from gatehouse.hub.tables import booths
from gatehouse.sync import protocol
from gatehouse.sync.client import HubClient, HubRefusedError, HubUnavailableError
from gatehouse.sync.enrolment import enrol_booth
from gatehouse.sync.worker import SyncWorker
from tests.hub.live import ADMIN_TOKEN, POSTGRES_URL_ENV, serving
from tests.hub.test_api import BOOTH, _enrolled_client, _fill, _items


@contextmanager
def _database_held(engine: Engine) -> Iterator[None]:
    """Another client holds the booth's row (PostgreSQL) or the write lock (SQLite), so an
    ingest blocks inside its slot as it would behind a slow disk or a long transaction."""
    if engine.dialect.name == "sqlite":
        other = sqlite3.connect(str(engine.url.database), isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
        return
    with engine.begin() as conn:
        conn.execute(select(booths.c.booth_id).with_for_update())
        yield


def _in_thread(call: Any) -> tuple[threading.Thread, list[Any]]:
    out: list[Any] = []
    thread = threading.Thread(target=lambda: out.append(call()))
    thread.start()
    return thread, out


def test_a_busy_hub_answers_503_with_retry_after_and_stores_nothing_it_refused(
    engine: Engine, hub: Hub, tmp_path: Path
) -> None:
    with serving(hub, admission=Admission(1, queue_s=0.2)) as url:
        booth = _enrolled_client(url)
        with _fill(tmp_path / "booth.sqlite3", 20) as ledger:
            items = _items(ledger)
        with _database_held(engine):
            first, answers = _in_thread(lambda: booth.upload(items[:10])[0])
            time.sleep(1.0)  # the first upload holds the only slot, blocked on the database
            with pytest.raises(HubRefusedError) as busy:
                booth.upload(items[10:])
        first.join()

        assert busy.value.status == 503 and "busy" in str(busy.value)
        assert busy.value.retry_after_s is not None and busy.value.retry_after_s >= 1
        assert [r["status"] for r in answers[0]] == ["ack"] * 10
        assert len(hub.passages(PassageQuery())) == 10
        results, _ = booth.upload(items[10:])
        assert [r["status"] for r in results] == ["ack"] * 10
        assert len(hub.passages(PassageQuery())) == 20


def _upload_headers_only(url: str, declared_bytes: int) -> http.client.HTTPResponse:
    """An upload that announces ``declared_bytes`` of body and sends none of it: the hub can
    answer only if it does so without reading the body (else the read times out)."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=5)
    conn.putrequest("POST", protocol.UPLOAD_PATH)
    conn.putheader("Content-Type", "application/json")
    conn.putheader("Content-Length", str(declared_bytes))
    conn.endheaders()
    return conn.getresponse()


def test_a_full_queue_answers_503_before_the_body_is_read(
    engine: Engine, hub: Hub, tmp_path: Path
) -> None:
    with serving(hub, admission=Admission(1, queue_s=20, max_waiting=1)) as url:
        booth = _enrolled_client(url)
        with _fill(tmp_path / "booth.sqlite3", 20) as ledger:
            items = _items(ledger)
        with _database_held(engine):
            first, _ = _in_thread(lambda: booth.upload(items[:10]))
            time.sleep(1.0)  # the first upload holds the only slot, blocked on the database
            second, _ = _in_thread(lambda: booth.upload(items[10:]))
            time.sleep(1.0)  # the second waits for the slot: the queue is full

            busy = _upload_headers_only(url, 1_000_000)

            assert busy.status == 503 and busy.getheader("Retry-After") is not None
            assert "busy" in busy.read().decode()
        first.join()
        second.join()
        assert len(hub.passages(PassageQuery())) == 20  # the waiting upload was still taken


def test_a_booth_whose_upload_times_out_sends_smaller_batches_and_loses_nothing(
    engine: Engine, hub: Hub, tmp_path: Path
) -> None:
    with serving(hub) as url, _fill(tmp_path / "booth.sqlite3", 300) as ledger:
        admin = HubClient(url, ADMIN_TOKEN)
        code = admin.request("POST", protocol.ENROLMENT_CODES_PATH, {"booth_id": BOOTH}).json()
        settings = enrol_booth(ledger, url, BOOTH, code["code"])
        client = HubClient(url, settings.token, timeout_s=1.0)
        worker = SyncWorker(ledger, settings, client=client, batch_size=200)
        with _database_held(engine), pytest.raises(HubUnavailableError, match="in time"):
            worker.sync_once()
        assert worker.batch_size == 50  # a quarter of 200

        report = worker.sync_once()  # the hub finished the abandoned batch meanwhile

        assert report.acknowledged == 300 and worker.status().backlog == 0
        assert len(hub.passages(PassageQuery(limit=1000))) == 300
        assert 50 < worker.batch_size <= 200  # quick answers: the batch grows back


def sessions_opened(url: str, since: datetime, stop: threading.Event) -> set[int]:
    """Backends of the test database started after ``since``, sampled until ``stop``: a
    session opened and closed again between samples 20 ms apart is seen too (it is not
    instantaneous: PostgreSQL forks a process for it)."""
    seen: set[int] = set()
    with psycopg.connect(url, autocommit=True) as watcher:
        while not stop.wait(0.02):
            rows = watcher.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                " AND backend_type = 'client backend' AND pid <> pg_backend_pid()"
                " AND backend_start > %s",
                (since,),
            )
            seen |= {row[0] for row in rows}
    return seen


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)  # SQLite has no sessions
def test_postgresql_opens_no_session_under_steady_load(
    engine: Engine, hub: Hub, tmp_path: Path
) -> None:
    with serving(hub) as url:
        clients = [_enrolled_client(url, f"booth-{n:02d}") for n in range(8)]
        ledgers = [_fill(tmp_path / f"b{n}.sqlite3", 40, f"booth-{n:02d}") for n in range(8)]
        batches = [_items(ledger) for ledger in ledgers]
        for ledger in ledgers:
            ledger.close()
        since, stop = datetime.now(UTC), threading.Event()
        with ThreadPoolExecutor(9) as pool:
            watching = pool.submit(sessions_opened, os.environ[POSTGRES_URL_ENV], since, stop)
            time.sleep(0.2)
            for start in range(0, 40, 4):  # 10 rounds of 8 booths uploading at once
                rounds = [
                    pool.submit(client.upload, batch[start : start + 4])
                    for client, batch in zip(clients, batches, strict=True)
                ]
                assert all(r.result()[1].status == 200 for r in rounds)
            stop.set()
            opened = watching.result()
        assert opened == set()
        assert len(hub.passages(PassageQuery(limit=1000))) == 320
        assert isinstance(hub.engine.pool, QueuePool)
    assert hub.engine.pool.size() == WORKER_THREADS
