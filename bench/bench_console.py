"""The office console's passage search page over a large hub, on SQLite and PostgreSQL:
each request a real HTTP GET of the rendered page by a logged-in user, p50/p95; then the
all-booth CSV export with the memory of the hub and of the export's own process.

.venv/bin/python -m bench console                  # 1,000,000 passages
.venv/bin/python -m bench console --size 200000    # another size
"""

from __future__ import annotations

import http.cookiejar
import re
import socket
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from bench.bench_sync import _postgres_url
from bench.process_memory import ChildPeak, reset_peak, rss_kib
from bench.report import Section, summary_ms, table, time_calls
from gatehouse.core.chain import canonical_json
from gatehouse.core.keys import generate_issuer_key
from gatehouse.hub.console.accounts import Accounts, Role
from gatehouse.hub.console.booths import add_booth
from gatehouse.hub.database import open_database
from gatehouse.hub.migrations import migrate
from gatehouse.hub.server import serve_in_thread
from gatehouse.hub.service import Hub, iso
from gatehouse.hub.tables import metadata, passages

ADMIN = "bench-admin-token-0123456789"
PASSWORD = "bench-password-1"
BOOTHS = [(f"gate-{n:02d}", "北矿 North" if n % 2 else "南矿 South") for n in range(10)]
START = datetime(2024, 1, 1, tzinfo=UTC)
CHUNK = 5000
PASSAGES = 1_000_000  # the size
DAYS = 60
QUERIES = (
    ("newest page, no filter", ""),
    ("one day", "since=2024-01-20&until=2024-01-20"),
    ("one booth", "booth=gate-03"),
    ("turn-aways (2%)", "outcome=TURN_AWAY"),
    ("visitors (role, in the record)", "role=visitor"),
    ("a name (rare)", "person=%E7%8E%8B%E4%BA%94"),  # 王五
    ("a masked ID (rare)", "person=150602********0021"),
)


def _records(count: int) -> Iterator[list[dict[str, Any]]]:
    """Passages as the hub stores them, ``CHUNK`` at a time, spread over ``DAYS`` days."""
    step = timedelta(days=DAYS) / count
    chunk: list[dict[str, Any]] = []
    for n in range(count):
        booth_id = BOOTHS[n % len(BOOTHS)][0]
        rare = n % 50_000 == 7
        record = {
            "booth_id": booth_id,
            "checkpoint_type": "mine_gate",
            "decided_at": iso(START + step * n),
            "holder_name": "王五" if rare else f"员工{n % 5000}",
            "id_masked": "150602********0021" if rare else f"110101********{n % 10000:04d}",
            "outcome": "TURN_AWAY" if n % 50 == 0 else "ADMIT",
            "pass_id": f"P-{n:08d}",
            "passage_id": uuid.uuid4().hex,
            "policy_version": "2024.1",
            "reasons": "[]",
            "role": "visitor" if n % 20 == 0 else "employee",
            "temperature_c": 36.5,
        }
        chunk.append(
            {
                **{k: record[k] for k in ("passage_id", "booth_id", "decided_at", "outcome")},
                **{k: record[k] for k in ("pass_id", "holder_name", "id_masked")},
                "temperature_c": 36.5,
                "policy_version": "2024.1",
                "chain_seq": n // len(BOOTHS) + 1,
                "public_digest": "0" * 64,
                "personal_digest": "0" * 64,
                "record": canonical_json(record),
                "received_at": record["decided_at"],
            }
        )
        if len(chunk) == CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _filled_hub(url: str, count: int) -> Hub:
    engine = open_database(url)
    metadata.drop_all(engine)
    migrate(engine)
    hub = Hub(engine, generate_issuer_key())
    for booth_id, mine in BOOTHS:
        hub.enrol(booth_id, add_booth(hub, booth_id, mine, "mine_gate", "bench"))
    with engine.begin() as conn:
        for chunk in _records(count):
            conn.execute(passages.insert(), chunk)
    with engine.begin() as conn:  # the statistics autovacuum keeps on a hub in service
        conn.exec_driver_sql("ANALYZE")
    Accounts(engine, hub.clock).add_user("office", PASSWORD, Role.STAFF, None)
    return hub


def _logged_in(base: str) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    page = opener.open(f"{base}/console/login").read().decode()
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found is not None
    form = {"csrf_token": found.group(1), "username": "office", "password": PASSWORD}
    opener.open(f"{base}/console/login", urllib.parse.urlencode(form).encode()).read()
    return opener


@dataclass(frozen=True)
class Exported:
    label: str
    rows: int
    seconds: float
    hub_before_mib: int
    hub_peak_mib: int
    child_peak_mib: int


def _export(opener: urllib.request.OpenerDirector, base: str, label: str, query: str) -> Exported:
    """The console's CSV export of ``query`` read to the end: rows, seconds, the hub process's
    resident memory before and its peak during (the peak reset first, Linux's clear_refs),
    and the export process's peak."""
    reset_peak()
    before = rss_kib("VmRSS")
    child = ChildPeak()
    start = time.perf_counter()
    lines = 0
    with opener.open(f"{base}/console/export.csv?{query}") as reply:
        for _ in reply:
            lines += 1
    seconds = time.perf_counter() - start
    child_peak = child.stop()
    hub_peak = rss_kib("VmHWM") // 1024
    return Exported(label, lines - 1, seconds, before // 1024, hub_peak, child_peak)


def _measure(
    url: str, count: int, repeats: int
) -> tuple[list[tuple[str, str, str]], list[Exported], float]:
    started = time.perf_counter()
    hub = _filled_hub(url, count)
    filled_s = time.perf_counter() - started
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    rows = []
    try:
        with serve_in_thread(hub, ADMIN, sock) as base:
            opener = _logged_in(base)
            for label, query in QUERIES:

                def get(query: str = query) -> None:
                    with opener.open(f"{base}/console/passages?{query}") as reply:
                        assert reply.status == 200 and b'data-passage="' in reply.read()

                rows.append((label, *summary_ms(time_calls(get, repeats, warmup=2))))
            exported = [
                _export(opener, base, "one booth (a tenth)", "booth=gate-03"),
                _export(opener, base, "every booth", ""),
            ]
    finally:
        sock.close()
        hub.engine.dispose()
    return rows, exported, filled_s


def run(quick: bool, size: int | None = None) -> list[Section]:
    count = size or (20_000 if quick else PASSAGES)
    repeats = 5 if quick else 20
    results: dict[str, list[tuple[str, str, str]]] = {}
    exports: list[tuple[object, ...]] = []
    fills: list[str] = []
    with tempfile.TemporaryDirectory() as folder, _postgres_url() as postgres:
        for name, url in (("SQLite", f"sqlite:///{folder}/hub.sqlite3"), ("PostgreSQL", postgres)):
            results[name], exported, filled_s = _measure(url, count, repeats)
            fills.append(f"{name} {filled_s:.0f} s")
            exports.extend(
                (
                    name,
                    e.label,
                    f"{e.rows:,}",
                    f"{e.seconds:.1f}",
                    e.hub_before_mib,
                    e.hub_peak_mib,
                    e.child_peak_mib,
                )
                for e in exported
            )
    rows = [
        (label, *sqlite[1:], *pg[1:])
        for (label, *_), sqlite, pg in zip(
            QUERIES, results["SQLite"], results["PostgreSQL"], strict=True
        )
    ]
    return [
        Section(
            title="Console: the passage search page",
            method=(
                f"`bench/bench_console.py`: {count:,} passages of {len(BOOTHS)} booths in the "
                "hub's database (inserted in bulk, as uploads store them, then ANALYZE as "
                f"autovacuum would; filling took {', '.join(fills)}), then the office's "
                "search page requested over HTTP on "
                "127.0.0.1 by a logged-in user: each sample is the whole rendered page (50 "
                "rows, newest first), session check and audit row included; "
                f"{repeats} samples after 2 warm-ups. A name is matched from its start and a "
                "masked ID number exactly, through the indexes `hub_passages_name` and "
                "`hub_passages_masked` (`gatehouse/hub/person_search.py`); the role is in "
                "the stored record, so that search reads the records (newest first, until a "
                "page is found)."
            ),
            body=table(
                (
                    "search",
                    "SQLite p50 ms",
                    "SQLite p95 ms",
                    "PostgreSQL p50 ms",
                    "PostgreSQL p95 ms",
                ),
                rows,
            ),
        ),
        Section(
            title="Console: every booth's passages exported as CSV",
            method=(
                f"`bench/bench_console.py`: the same {count:,} passages, the console's CSV "
                "export of one booth's passages (a tenth) and of every booth's, each read to "
                "the end over HTTP. The hub runs in the benchmark's process: its resident "
                "memory before the export and its peak during it (the peak reset first, "
                "`/proc/self/clear_refs`). The export is written by a child process spawned for "
                "it (`gatehouse/hub/export_process.py`), paging through the database 5,000 rows "
                "at a time into a temporary file the hub then streams: its peak (VmHWM, read "
                "every 0.1 s) should not grow with the number of rows."
            ),
            body=table(
                (
                    "hub database",
                    "export",
                    "rows",
                    "seconds",
                    "hub RSS before MiB",
                    "hub peak RSS MiB",
                    "export process peak RSS MiB",
                ),
                exports,
            ),
        ),
    ]
