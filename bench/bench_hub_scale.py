"""The hub at group scale: a recovery storm of many booths, then the group's steady load with
and without an all-booth export, on SQLite and PostgreSQL (re-sends: ``bench_hub_resend``).
The hub is its own process (``gatehouse hub serve``); the booths are threads of
this one, each with its own ledger and the project's ``SyncWorker``. Both share the machine's
cores: the figures say so.

``python -m bench hub_scale`` runs the issue's size; ``python -m bench.bench_hub_scale
--booths 200 --backlog 3000 --steady-s 60`` any other, rewriting the same section."""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
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
PASSAGE_EVERY_S = 3.0  # each booth, steady state
BUNDLES_EVERY_S = 60.0


@dataclass(frozen=True)
class Size:
    booths: int
    backlog: int  # passages per booth in the storm
    steady_s: float  # each steady phase (alone, then during exports)
    databases: tuple[str, ...] = ("sqlite", "postgresql")
    hub_env: tuple[str, ...] = ()  # NAME=VALUE for the hub process, e.g. MALLOC_ARENA_MAX=2


@dataclass
class _Tally:
    """Upload latencies and failures seen by all booths (their clients report here)."""

    uploads: list[float] = field(default_factory=list)
    timeouts: int = 0
    busy: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        with self.lock:
            self.uploads, self.timeouts, self.busy = [], 0, 0


class _CountingClient(HubClient):
    def __init__(self, url: str, token: str, tally: _Tally) -> None:
        super().__init__(url, token, timeout_s=TIMEOUT_S)
        self._tally = tally

    def upload(self, items: Any, report: Any = None) -> Any:
        start = time.perf_counter()
        try:
            answer = super().upload(items, report)
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


def _malloc_trim(pid: int) -> float:
    """RSS (MB) after glibc's ``malloc_trim(0)`` ran inside the hub (through gdb): what it
    gives back was freed heap malloc kept, not memory the hub still uses. NaN without gdb."""
    if shutil.which("gdb") is None:
        return float("nan")
    subprocess.run(
        ["gdb", "-p", str(pid), "-batch", "-ex", "call (int) malloc_trim(0)"],
        check=False,
        capture_output=True,
        timeout=120,
    )
    return _rss_mb(pid)


def _template(folder: Path, booths: int, backlog: int) -> None:
    """One ledger per booth with ``backlog`` unsent passages, each written as one transaction
    through the booth's own ``Ledger`` (valid chained ledgers, built in bulk)."""
    paths = [folder / f"booth-{n:03d}.sqlite3" for n in range(booths)]
    with ProcessPoolExecutor(2) as pool:
        list(pool.map(_ledger, paths, [backlog] * booths))


def _ledger(path: Path, backlog: int) -> None:
    with Ledger.open(path) as ledger:
        ledger.record_many(make_passage(booth_id=path.stem) for _ in range(backlog)).result()


def _booths(
    hub: HubProcess, database_url: str, folder: Path, count: int, tally: _Tally
) -> list[SyncWorker]:
    """Workers for the ledgers in ``folder``, enrolled straight in the hub's database (the
    enrolment endpoint allows a handful a minute per address: it is not what is measured),
    their uploads counted in ``tally``."""
    office = open_hub(HubState(hub.state), database_url)
    workers = []
    try:
        for n in range(count):
            booth_id = f"booth-{n:03d}"
            ledger = Ledger.open(folder / f"{booth_id}.sqlite3")
            token = office.enrol(booth_id, office.create_enrolment_code(booth_id))
            settings = SyncSettings(hub.url, booth_id, token, office.bundle_key.public_key())
            client = _CountingClient(hub.url, token, tally)
            workers.append(SyncWorker(ledger, settings, client=client))
    finally:
        office.engine.dispose()
    return workers


def _publish(hub: HubProcess, database_url: str) -> None:
    """A bundle for the booths to fetch once and then check (304) in the steady state."""
    office = open_hub(HubState(hub.state), database_url)
    try:
        office.publish("privacy", {"retention_days": 30})
    finally:
        office.engine.dispose()


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


def _load() -> float:
    """The machine's 1-minute load average: runnable processes competing for its cores."""
    return os.getloadavg()[0]


def _mean_max(samples: list[float]) -> str:
    if not samples:
        return "—"
    return f"{sum(samples) / len(samples):.1f} / {max(samples):.1f}"


@contextlib.contextmanager
def _sampled(read: Callable[[], float], out: list[float]) -> Iterator[None]:
    """``read()`` appended to ``out`` every 0.2 s while the block runs."""
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.2):
            out.append(read())

    sampler = threading.Thread(target=sample)
    sampler.start()
    try:
        yield
    finally:
        stop.set()
        sampler.join()


@contextlib.contextmanager
def _new_sessions(pg_url: str | None) -> Iterator[list[int]]:
    """How many PostgreSQL sessions the hub opened inside the block (none counted: SQLite)."""
    counted: list[int] = []
    if pg_url is None:
        yield counted
        return
    since, stop = datetime.now(UTC), threading.Event()
    with ThreadPoolExecutor(1) as pool:
        watching = pool.submit(sessions_opened, pg_url, since, stop)
        try:
            yield counted
        finally:
            stop.set()
            counted.append(len(watching.result()))


def _steady(workers: list[SyncWorker], seconds: float) -> None:
    """Each booth records a passage and pushes it every ``PASSAGE_EVERY_S`` (staggered) and
    syncs whole (its outbox, then every bundle) every ``BUNDLES_EVERY_S``."""
    until = time.monotonic() + seconds

    def booth(n: int, worker: SyncWorker) -> None:
        time.sleep(n % 100 * PASSAGE_EVERY_S / 100)
        next_bundles = time.monotonic() + n % 60 * BUNDLES_EVERY_S / 60
        while (now := time.monotonic()) < until:
            worker._ledger.record(make_passage(booth_id=worker._settings.booth_id)).result()
            with contextlib.suppress(HubError):
                if now >= next_bundles:
                    worker.sync_once()
                    next_bundles += BUNDLES_EVERY_S
                else:
                    worker._push()
            time.sleep(max(0.0, PASSAGE_EVERY_S - (time.monotonic() - now)))

    with ThreadPoolExecutor(len(workers)) as pool:
        list(pool.map(booth, range(len(workers)), workers))


def _export_loop(url: str, stop: threading.Event, done: list[float]) -> None:
    while not stop.is_set():
        request = urllib.request.Request(url + protocol.EXPORT_PATH.format(fmt="csv"))
        request.add_header("Authorization", f"Bearer {ADMIN_TOKEN}")
        start = time.perf_counter()
        with urllib.request.urlopen(request, timeout=600) as reply:
            reply.read()
        done.append(time.perf_counter() - start)


@dataclass
class _Figures:
    storm: list[str] = field(default_factory=list)
    steady: list[str] = field(default_factory=list)


def _run_one(
    name: str, database_url: str, pg_url: str | None, template: Path, size: Size
) -> _Figures:
    figures = _Figures()
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "hub").mkdir()
        shutil.copytree(template, Path(folder) / "booths")
        hub = HubProcess(database_url, Path(folder) / "hub")
        hub.start()
        try:
            tally = _Tally()
            workers = _booths(hub, database_url, Path(folder) / "booths", size.booths, tally)
            rss_before = _rss_mb(hub.pid)
            rss: list[float] = []
            loads: list[float] = []
            start, cpu_start = time.monotonic(), _cpu_s(hub.pid)
            with (
                _sampled(lambda: _rss_mb(hub.pid), rss),
                _sampled(_load, loads),
                _new_sessions(pg_url) as storm_sessions,
                ThreadPoolExecutor(size.booths) as pool,
            ):
                list(pool.map(lambda w: _drain(w, start + 1800), workers))
            drain_s = time.monotonic() - start
            hub_cpu = (_cpu_s(hub.pid) - cpu_start) / drain_s
            pending = sum(w.status().backlog for w in workers)
            storm = sorted(tally.uploads)
            time.sleep(5)
            rss_after = _rss_mb(hub.pid)
            rss_trimmed = _malloc_trim(hub.pid)
            total = size.booths * size.backlog
            figures.storm = [
                name,
                f"{size.booths}×{size.backlog:,}",
                f"{drain_s:.1f}",
                f"{total / drain_s:,.0f}",
                f"{percentile(storm, 50) * 1000:.0f} / {percentile(storm, 95) * 1000:.0f}",
                f"{tally.timeouts} / {tally.busy}",
                _per_minute(storm_sessions, drain_s),
                f"{hub_cpu:.2f}",
                _mean_max(loads),
                f"{rss_before:.0f} / {max(rss, default=0):.0f} / {rss_after:.0f} / "
                f"{rss_trimmed:.0f}",
                str(pending),
            ]
            tally.reset()
            _publish(hub, database_url)
            steady_loads: list[float] = []
            pids = (hub.pid, _postmaster(pg_url))
            with (
                _new_sessions(pg_url) as steady_sessions,
                _sampled(_load, steady_loads),
                _cpu_per_s(pids) as steady_cpu,
            ):
                _steady(workers, size.steady_s)
            usual = sorted(tally.uploads)
            steady_timeouts = tally.timeouts
            tally.reset()
            stop_export, exports = threading.Event(), list[float]()
            exporter = threading.Thread(target=_export_loop, args=(hub.url, stop_export, exports))
            exporter.start()
            export_loads: list[float] = []
            with _sampled(_load, export_loads), _cpu_per_s(pids) as export_cpu:
                _steady(workers, size.steady_s)
            stop_export.set()
            exporter.join()
            during = sorted(tally.uploads)
            figures.steady = [
                name,
                f"{size.booths}",
                f"{len(usual) / size.steady_s:.1f}",
                f"{percentile(usual, 50) * 1000:.0f} / {percentile(usual, 95) * 1000:.0f}",
                str(steady_timeouts + tally.timeouts),
                _per_minute(steady_sessions, size.steady_s),
                f"{percentile(during, 95) * 1000:.0f} "
                f"({percentile(during, 95) / max(percentile(usual, 95), 1e-9):.1f}x)",
                f"{len(exports)} × {(exports[0] if exports else 0):.1f} s",
                f"{_rss_mb(hub.pid):.0f}",
                f"{_mean_max(steady_loads)}; {_mean_max(export_loads)}",
                " / ".join(
                    f"{alone:.2f}; {during:.2f}" if pid else "—"
                    for pid, alone, during in zip(pids, steady_cpu, export_cpu, strict=True)
                ),
            ]
            for worker in workers:
                worker._ledger.close()
        finally:
            hub.stop()
    return figures


def _per_minute(counted: list[int], seconds: float) -> str:
    if not counted:
        return "—"
    return f"{counted[0]} ({counted[0] / seconds * 60:.0f}/min)"


def measure(size: Size) -> list[Section]:
    storms, steadies = [], []
    os.environ.update(pair.partition("=")[::2] for pair in size.hub_env)  # the hub inherits them
    with tempfile.TemporaryDirectory() as folder, _postgres_url() as postgres:
        template = Path(folder) / "template"
        template.mkdir()
        started = time.monotonic()
        _template(template, size.booths, size.backlog)
        build_s = time.monotonic() - started
        runs = [
            ("SQLite", f"sqlite:///{folder}/hub.sqlite3", None),
            ("PostgreSQL", postgres, postgres),
        ]
        for name, url, pg_url in runs:
            if name.lower() not in size.databases:
                continue
            if pg_url is not None:
                with psycopg.connect(pg_url, autocommit=True) as conn:
                    conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
            figures = _run_one(name, url, pg_url, template, size)
            storms.append(figures.storm)
            steadies.append(figures.steady)
    return _sections(size, build_s, storms, steadies)


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system) process ``pid`` has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _tree_cpu_s(pid: int | None) -> float:
    """CPU seconds process ``pid`` and its children (ended and running) have used: the hub with
    its export child, PostgreSQL's server with every backend. NaN without a ``pid``."""
    if pid is None:
        return float("nan")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended while listed
            continue
        if stat.parent.name == str(pid) or int(fields[1]) == pid:
            total += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    return total / os.sysconf("SC_CLK_TCK")


def _postmaster(pg_url: str | None) -> int | None:
    """The PostgreSQL server's first process: the parent of every backend."""
    if pg_url is None:
        return None
    with psycopg.connect(pg_url) as conn:  # read while its backend lives
        backend = conn.info.backend_pid
        return int(Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()[1])


@contextlib.contextmanager
def _cpu_per_s(pids: tuple[int | None, ...]) -> Iterator[list[float]]:
    """Each of ``pids``' CPU seconds (with children) per second inside the block."""
    per_s: list[float] = []
    start, before = time.monotonic(), [_tree_cpu_s(pid) for pid in pids]
    yield per_s
    seconds = time.monotonic() - start
    per_s.extend((_tree_cpu_s(pid) - b) / seconds for pid, b in zip(pids, before, strict=True))


def _env(size: Size) -> str:
    return f"; started with {', '.join(size.hub_env)}" if size.hub_env else ""


def _sections(
    size: Size,
    build_s: float,
    storms: list[list[str]],
    steadies: list[list[str]],
) -> list[Section]:
    storm_header = (
        "hub database",
        "booths × backlog",
        "drain s",
        "passages/s",
        "upload p50 / p95 ms",
        "client timeouts / busy 503s",
        "new PG sessions in the storm",
        "hub CPU s / drain s",
        "machine load avg mean / max",
        "hub RSS MB before / peak / 5 s after / after malloc_trim",
        "left unsent",
    )
    steady_header = (
        "hub database",
        "booths",
        "uploads/s",
        "upload p50 / p95 ms",
        "client timeouts",
        "new PG sessions",
        "upload p95 ms during all-booth CSV export",
        "exports done × first export's time",
        "hub RSS MB after",
        "machine load avg mean / max: alone; during export",
        "CPU s/s hub with export child / PostgreSQL server: alone; during export",
    )
    machine = (
        f"The load generator (the {size.booths} booths' ledgers, JSON and HTTP) and the hub "
        "share the machine's 2 cores, which other engineers were also using: "
        "'hub CPU s / drain s' near 1 means the hub had a core to itself; well under 1 means "
        "the machine, not the hub, was the limit. 'Machine load avg': the 1-minute load "
        "average sampled every 0.2 s; above 2 more was runnable than the 2 cores could run."
    )
    return [
        Section(
            title="Hub at group scale: recovery storm",
            method=(
                f"`bench/bench_hub_scale.py`: {size.booths} booths, each with its own ledger "
                f"holding {size.backlog:,} unsent passages ({size.booths * size.backlog:,} in "
                f"all; the ledgers built in {build_s:.0f} s, one transaction each, then copied "
                "for each database), reconnect at once; each runs `SyncWorker.sync_once` in its "
                f"own thread (client timeout {TIMEOUT_S:.0f} s, batches adapted to the hub's "
                "answer time, 503 + Retry-After honoured with jitter) until its outbox is empty. "
                "The hub is a separate `gatehouse hub serve` process (default admission: 1 "
                "ingest at a time on SQLite, 4 on PostgreSQL; 16 worker threads, 16 pooled "
                f"PostgreSQL connections{_env(size)}). New PostgreSQL sessions: backends of "
                "the hub's database started during the storm (pg_stat_activity sampled every "
                "20 ms). RSS after malloc_trim: glibc's `malloc_trim(0)` called inside the hub "
                "through gdb after the storm, to tell freed-but-kept heap from live memory. "
                f"{machine}"
            ),
            body=table(storm_header, storms),
        ),
        Section(
            title="Hub at group scale: steady state, and during an all-booth export",
            method=(
                f"After the storm, on the same hub: all {size.booths} booths record a passage "
                f"every {PASSAGE_EVERY_S:.0f} s and push it (staggered), and sync whole (outbox, "
                f"then every bundle, one of them published) every {BUNDLES_EVERY_S:.0f} s, for "
                f"{size.steady_s:.0f} s; then again for {size.steady_s:.0f} s while the office "
                "downloads the all-booth CSV in a loop (written by a child process at "
                "SCHED_IDLE). Sessions: as above, over the first phase. CPU s/s: user + system "
                "seconds per second of the hub process with its children (the export's), and "
                "of the PostgreSQL server with every backend (the export query's runs at "
                "normal priority; the whole server, so only the bench's own server is the "
                "hub's alone)."
            ),
            body=table(steady_header, steadies),
        ),
    ]


def run(quick: bool) -> list[Section]:
    return measure(Size(10, 200, 10.0) if quick else Size(200, 3_000, 60.0))


def main() -> int:
    """Any size, from the command line; its figures replace this module's BENCHMARKS.md part."""
    from bench.__main__ import ROOT, _block, _kept_blocks, _render

    parser = argparse.ArgumentParser(prog="python -m bench.bench_hub_scale")
    parser.add_argument("--booths", type=int, default=200)
    parser.add_argument("--backlog", type=int, default=3_000, help="passages per booth")
    parser.add_argument("--steady-s", type=float, default=60.0, help="each steady phase")
    parser.add_argument("--databases", default="sqlite,postgresql", help="comma-separated")
    parser.add_argument("--hub-env", action="append", default=[], help="NAME=VALUE for the hub")
    parser.add_argument("--print-only", action="store_true", help="leave BENCHMARKS.md alone")
    args = parser.parse_args()
    started = time.perf_counter()
    databases = tuple(args.databases.split(","))
    size = Size(args.booths, args.backlog, args.steady_s, databases, tuple(args.hub_env))
    sections = measure(size)
    stamp = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {time.perf_counter() - started:.0f} s"
    block = _block("bench_hub_scale", sections, stamp)
    print(block)
    if not args.print_only:
        target = ROOT / "BENCHMARKS.md"
        blocks = {**_kept_blocks(target, ["bench_hub_scale"]), "bench_hub_scale": block}
        target.write_text(_render(blocks), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
