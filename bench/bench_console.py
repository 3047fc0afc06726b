"""The office console's passage search page over a large hub, on SQLite and PostgreSQL:
each request a real HTTP GET of the rendered page by a logged-in user, p50/p95."""

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
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench.bench_sync import _postgres_url
from bench.report import Section, summary_ms, table, time_calls
from gatehouse.core.chain import canonical_json
from gatehouse.core.keys import generate_issuer_key
from gatehouse.hub.console.accounts import Accounts, Role
from gatehouse.hub.console.booths import add_booth
from gatehouse.hub.database import open_database
from gatehouse.hub.server import serve_in_thread
from gatehouse.hub.service import Hub, iso
from gatehouse.hub.tables import metadata, passages

ADMIN = "bench-admin-token-0123456789"
PASSWORD = "bench-password-1"
BOOTHS = [(f"gate-{n:02d}", "北矿 North" if n % 2 else "南矿 South") for n in range(10)]
START = datetime(2024, 1, 1, tzinfo=UTC)
CHUNK = 5000
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
    metadata.create_all(engine)
    hub = Hub(engine, generate_issuer_key())
    for booth_id, mine in BOOTHS:
        hub.enrol(booth_id, add_booth(hub, booth_id, mine, "mine_gate", "bench"))
    with engine.begin() as conn:
        for chunk in _records(count):
            conn.execute(passages.insert(), chunk)
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


def _rss_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def _export(opener: urllib.request.OpenerDirector, base: str) -> tuple[int, float, int, int]:
    """The all-booth CSV export through the console: rows, seconds, resident memory before
    and its peak during (MiB; the peak reset first, Linux's clear_refs)."""
    Path("/proc/self/clear_refs").write_text("5")
    before = _rss_kib("VmRSS")
    start = time.perf_counter()
    lines = 0
    with opener.open(f"{base}/console/export.csv") as reply:
        for _ in reply:
            lines += 1
    seconds = time.perf_counter() - start
    return lines - 1, seconds, before // 1024, _rss_kib("VmHWM") // 1024


def _measure(
    url: str, count: int, repeats: int
) -> tuple[list[tuple[str, str, str]], tuple[int, float, int, int]]:
    hub = _filled_hub(url, count)
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
            exported = _export(opener, base)
    finally:
        sock.close()
        hub.engine.dispose()
    return rows, exported


def run(quick: bool) -> list[Section]:
    count, repeats = (20_000, 5) if quick else (200_000, 20)
    results, exports = {}, []
    with tempfile.TemporaryDirectory() as folder, _postgres_url() as postgres:
        for name, url in (("SQLite", f"sqlite:///{folder}/hub.sqlite3"), ("PostgreSQL", postgres)):
            results[name], (rows_out, seconds, before, peak) = _measure(url, count, repeats)
            exports.append((name, f"{rows_out:,}", f"{seconds:.1f}", before, peak))
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
                "hub's database (inserted in bulk, as uploads store them), then the office's "
                "search page requested over HTTP on 127.0.0.1 by a logged-in user: each sample "
                "is the whole rendered page (50 rows, newest first), session check and audit "
                f"row included; {repeats} samples after 2 warm-ups. Not measured: 1,000,000 "
                "passages (the issue's size; this shared 2-core machine)."
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
                "export with no filter, read to the end over HTTP; the hub runs in the "
                "benchmark's process, whose resident memory is read before the export and its "
                "peak during it (the peak reset first, `/proc/self/clear_refs`). The export "
                "pages through the database 5,000 rows at a time into a temporary file that is "
                "then streamed, so the peak should not grow with the number of rows."
            ),
            body=table(
                ("hub database", "rows", "seconds", "RSS before MiB", "peak RSS during MiB"),
                exports,
            ),
        ),
    ]
