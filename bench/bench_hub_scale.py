"""The hub at group scale: a recovery storm of many booths, then light steady load with and
without an all-booth export, on SQLite and PostgreSQL. The hub is its own process
(``gatehouse hub serve``); the booths are threads of this one, each with its own ledger and
the project's ``SyncWorker``. Both share the machine's cores: the figures say so."""

from __future__ import annotations

import contextlib
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psycopg

from bench.bench_sync import _postgres_url
from bench.report import Section, percentile, table
from gatehouse.backoff import Backoff
from gatehouse.hub.server import HubState, open_hub
from gatehouse.store.ledger import Ledger
from gatehouse.sync import protocol
from gatehouse.sync.client import HubClient, HubError, HubRefusedError, HubUnavailableError
from gatehouse.sync.enrolment import SyncSettings
from gatehouse.sync.worker import SyncWorker, retry_delay
from tests.factories import make_passage
from tests.hub.live import ADMIN_TOKEN
from tests.hub.test_admission import sessions_opened
from tests.sync.hub_process import HubProcess

TIMEOUT_S = 15.0


@dataclass
class _Tally:
    """Upload latencies and failures seen by all booths (their clients report here)."""

    uploads: list[float] = field(default_factory=list)
    timeouts: int = 0
    busy: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class _CountingClient(HubClient):
    def __init__(self, url: str, token: str, tally: _Tally) -> None:
        super().__init__(url, token, timeout_s=TIMEOUT_S)
        self._tally = tally

    def upload(self, items: Any) -> Any:
        start = time.perf_counter()
        try:
            answer = super().upload(items)
        except HubUnavailableError as exc:
            with self._tally.lock:
                self._tally.timeouts += exc.timed_out
            raise
        except HubRefusedError as exc:
            with self._tally.lock:
                self._tally.busy += exc.status == 503
            raise
        with self._tally.lock:
            self._tally.uploads.append(time.perf_counter() - start)
        return answer


def _rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    line = next(x for x in status.splitlines() if x.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def _booths(
    hub: HubProcess, database_url: str, folder: Path, count: int, backlog: int
) -> list[SyncWorker]:
    """``count`` booths with full outboxes, enrolled straight in the hub's database (the
    enrolment endpoint allows a handful a minute per address: it is not what is measured)."""
    office = open_hub(HubState(hub.state), database_url)
    workers = []
    tally = _Tally()
    try:
        for n in range(count):
            booth_id = f"booth-{n:03d}"
            ledger = Ledger.open(folder / f"{booth_id}.sqlite3")
            ledger.record_many(make_passage(booth_id=booth_id) for _ in range(backlog)).result()
            token = office.enrol(booth_id, office.create_enrolment_code(booth_id))
            settings = SyncSettings(hub.url, booth_id, token, office.bundle_key.public_key())
            client = _CountingClient(hub.url, token, tally)
            workers.append(SyncWorker(ledger, settings, client=client))
    finally:
        office.engine.dispose()
    return workers


def _drain(worker: SyncWorker, until: float) -> None:
    """The worker's own loop, run once to empty: retries as ``SyncWorker`` does."""
    failures = 0
    backoff = Backoff(base_s=1.0, cap_s=30.0)
    while time.monotonic() < until:
        try:
            worker.sync_once()
            return
        except HubError as exc:
            failures += 1
            time.sleep(retry_delay(backoff, failures, exc))


def _sampling(read: Callable[[], float], out: list[float], stop: threading.Event) -> None:
    while not stop.wait(0.2):
        out.append(read())


def _steady(workers: list[SyncWorker], seconds: float, tally: _Tally) -> float:
    """Each booth records a passage and syncs every ~1 s for ``seconds``; upload p95 (ms)."""
    tally.uploads.clear()
    until = time.monotonic() + seconds

    def booth(worker: SyncWorker) -> None:
        while time.monotonic() < until:
            worker._ledger.record(make_passage(booth_id=worker._settings.booth_id)).result()
            with contextlib.suppress(HubError):
                worker.sync_once()
            time.sleep(1.0)

    with ThreadPoolExecutor(len(workers)) as pool:
        list(pool.map(booth, workers))
    return percentile(tally.uploads, 95) * 1000


def _export_loop(url: str, stop: threading.Event, done: list[float]) -> None:
    while not stop.is_set():
        request = urllib.request.Request(url + protocol.EXPORT_PATH.format(fmt="csv"))
        request.add_header("Authorization", f"Bearer {ADMIN_TOKEN}")
        start = time.perf_counter()
        with urllib.request.urlopen(request, timeout=600) as reply:
            reply.read()
        done.append(time.perf_counter() - start)


def _run_one(
    name: str, database_url: str, pg_url: str | None, booths: int, backlog: int
) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "hub").mkdir()
        hub = HubProcess(database_url, Path(folder) / "hub")
        hub.start()
        try:
            workers = _booths(hub, database_url, Path(folder), booths, backlog)
            tally = workers[0]._client._tally  # type: ignore[attr-defined]
            rss_before = _rss_mb(hub.pid)
            since, watching = datetime.now(UTC), threading.Event()
            opened = ThreadPoolExecutor(1)
            sessions = opened.submit(sessions_opened, pg_url, since, watching) if pg_url else None
            rss: list[float] = []
            stop = threading.Event()
            sampler = threading.Thread(target=_sampling, args=(lambda: _rss_mb(hub.pid), rss, stop))
            sampler.start()
            start = time.monotonic()
            with ThreadPoolExecutor(booths) as pool:
                list(pool.map(lambda w: _drain(w, start + 600), workers))
            drain_s = time.monotonic() - start
            stop.set()
            sampler.join()
            watching.set()
            new_sessions = None if sessions is None else len(sessions.result())
            opened.shutdown()
            pending = sum(w.status().backlog for w in workers)
            storm = sorted(tally.uploads)
            timeouts, busy = tally.timeouts, tally.busy
            steady_workers = workers[: min(20, booths)]
            base_p95 = _steady(steady_workers, 15, tally)
            stop_export, exports = threading.Event(), []
            exporter = threading.Thread(target=_export_loop, args=(hub.url, stop_export, exports))
            exporter.start()
            export_p95 = _steady(steady_workers, 15, tally)
            stop_export.set()
            exporter.join()
            time.sleep(2)
            rss_after = _rss_mb(hub.pid)
            for worker in workers:
                worker._ledger.close()
        finally:
            hub.stop()
    churn = (
        "—" if new_sessions is None else f"{new_sessions} ({new_sessions / drain_s * 60:.0f}/min)"
    )
    total = booths * backlog
    return [
        name,
        f"{booths}×{backlog:,}",
        f"{drain_s:.1f}",
        f"{total / drain_s:,.0f}",
        f"{percentile(storm, 50) * 1000:.0f} / {percentile(storm, 95) * 1000:.0f}",
        f"{timeouts} / {busy}",
        churn,
        f"{rss_before:.0f} / {max(rss, default=0):.0f} / {rss_after:.0f}",
        f"{base_p95:.0f} → {export_p95:.0f} ({len(exports)} export(s), "
        f"{(exports[0] if exports else 0):.1f} s)",
        str(pending),
    ]


def run(quick: bool) -> list[Section]:
    booths, backlog = (10, 200) if quick else (200, 300)
    rows = []
    with tempfile.TemporaryDirectory() as folder, _postgres_url() as postgres:
        rows.append(_run_one("SQLite", f"sqlite:///{folder}/hub.sqlite3", None, booths, backlog))
        with psycopg.connect(postgres, autocommit=True) as conn:
            conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        rows.append(_run_one("PostgreSQL", postgres, postgres, booths, backlog))
    header = (
        "hub database",
        "booths × backlog",
        "drain s",
        "passages/s",
        "upload p50 / p95 ms",
        "client timeouts / busy 503s",
        "new PG sessions in the storm",
        "hub RSS MB before / peak / after",
        "steady upload p95 ms → during all-booth CSV export",
        "left unsent",
    )
    return [
        Section(
            title="Hub at group scale: recovery storm, steady load, export",
            method=(
                f"`bench/bench_hub_scale.py`: {booths} booths, each with its own ledger holding "
                f"{backlog:,} unsent passages, reconnect at once; each runs `SyncWorker.sync_once` "
                f"in its own thread (client timeout {TIMEOUT_S:.0f} s, batches adapted to the "
                "hub's answer time, 503 + Retry-After honoured with jitter) until its outbox is "
                "empty. The hub is a separate `gatehouse hub serve` process (default admission: "
                "1 ingest at a time on SQLite, 4 on PostgreSQL; 16 worker threads, 16 pooled "
                "PostgreSQL connections). Then 20 booths each record and sync a passage every "
                "second for 15 s, and again for 15 s while the office downloads the all-booth "
                "CSV in a loop (written by a child process). New PostgreSQL sessions: backends "
                "of the hub's database started during the storm (pg_stat_activity sampled "
                "every 20 ms). The load generator and the hub share "
                "the machine's 2 cores: at this scale the booths' own Python (ledgers, JSON, "
                "HTTP) takes a large share of the CPU, so the hub's figures are a lower bound."
            ),
            body=table(header, rows),
        )
    ]
