"""The hub's all-booth CSV beside the csv module, on SQLite and on PostgreSQL in one run.

Each way runs in its own process (``bench.export_writers``) over the same hub database, so its
time and its peak memory are its own; outputs are compared byte for byte with the floor's.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_console import _filled_hub
from bench.bench_sync import _postgres_url
from bench.export_writers import hub_sqlite_pages
from bench.report import Section, table

ROWS = 100_000
BIG_ROWS = 1_000_000  # memory at scale
QUICK_ROWS, QUICK_BIG_ROWS = 10_000, 30_000
REPEATS = 5  # median, the ways taking turns: the machine is shared
WAYS = (
    ("hub-csv", "**hub all-booth CSV** (`hub.exports.export_passages`)"),
    ("hub-csv-python", "records parsed and tested in Python (the path before SQL's)"),
    ("hub-csv-floor", "csv module from a cursor, columns computed in SQL (the floor)"),
    ("hub-csv-office", "**the office's download (Asia/Shanghai)**: the console's whole export"),
    ("hub-csv-office-before", "the office's download before: a named zone's general path"),
)


def _once(way: str, source: str, out: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds of the process and its peak MiB for one run of one way."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bench.export_writers", way, source, str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return seconds, cpu, float(done.stdout.split()[1])


def _ways(
    sources: dict[str, str], outs: dict[str, Path], repeats: int
) -> dict[str, tuple[float, float, float]]:
    """Median wall seconds, median CPU seconds and the largest peak MiB of each way, the ways
    taking turns run by run, so a burst of load on the shared machine falls on all alike."""
    runs: dict[str, list[tuple[float, float, float]]] = {way: [] for way in sources}
    for _ in range(repeats):
        for way, source in sources.items():
            runs[way].append(_once(way, source, outs[way]))
    return {
        way: (
            statistics.median(r[0] for r in found),
            statistics.median(r[1] for r in found),
            max(r[2] for r in found),
        )
        for way, found in runs.items()
    }


def _database_rows(
    name: str, url: str, folder: Path, count: int, repeats: int
) -> tuple[list[tuple[str, ...]], bool]:
    """The table rows of one database at one size, and whether every output equals the
    floor's."""
    _filled_hub(url, count).engine.dispose()
    ways = list(WAYS)
    outs = {way: folder / f"{name}-{way}-{count}.csv" for way, _ in ways}
    # The hub hands its child a SQLite CSV's compiled pages, and the child reads with sqlite3.
    child = str(hub_sqlite_pages(url, folder)) if name == "SQLite" else url
    sources = {way: child if way == "hub-csv" else url for way, _ in ways}
    figures = _ways(sources, outs, repeats)
    floor, floor_cpu, _ = figures["hub-csv-floor"]
    same = all(outs[way].read_bytes() == outs["hub-csv-floor"].read_bytes() for way in outs)
    rows: list[tuple[str, ...]] = [
        (
            name,
            what,
            f"{count:,}",
            f"{figures[way][0]:.2f}",
            f"{figures[way][0] / floor:.2f}x",
            f"{figures[way][1]:.2f}",
            f"{figures[way][1] / floor_cpu:.2f}x",
            f"{figures[way][2]:.0f}",
        )
        for way, what in ways
    ]
    return rows, same


def run(quick: bool, size: int | None = None) -> list[Section]:
    """``size``: the rows of the large run, in place of 1,000,000 when a run must be shorter."""
    rows, big_rows = (QUICK_ROWS, QUICK_BIG_ROWS) if quick else (ROWS, BIG_ROWS)
    big_rows = size or big_rows
    repeats = 1 if quick else REPEATS
    table_rows: list[tuple[str, ...]] = []
    same = True
    with tempfile.TemporaryDirectory() as name, _postgres_url() as postgres:
        folder = Path(name)
        databases = (
            ("SQLite", f"sqlite:///{folder}/hub.sqlite3"),
            ("PostgreSQL", postgres.replace("postgresql://", "postgresql+psycopg://", 1)),
        )
        for count in sorted({rows, big_rows}):
            for database, url in databases:
                found, identical = _database_rows(database, url, folder, count, repeats)
                table_rows += found
                same = same and identical
    return [
        Section(
            title=(
                "Exports: the hub's all-booth CSV beside the csv module, SQLite and PostgreSQL "
                f"({big_rows:,} passages)"
            ),
            method=(
                "`bench/bench_exports_hub.py`: a hub database filled in bulk as uploads store "
                "passages (`bench/bench_console.py`'s records, ten booths), then each way in its "
                f"own process (median of {repeats}, the ways taking turns run by run; the "
                "process's start and imports included, "
                "as the hub spawns one child per export): the hub's export as its child process "
                "runs it; the records parsed and tested in Python (`hub.exports._python_cells`, "
                "both databases' path before SQL's, still the careful rows' path); and the "
                "floor, the csv module writing the same "
                "columns computed by the database from the stored JSON (SQLite `json_extract`; "
                "PostgreSQL the record read as jsonb once, through a server-side cursor). On "
                "SQLite the hub compiles the export's page queries (`hub/sqlite_export.py`) and "
                "its child runs them with the `sqlite3` module alone (`hub/sqlite_pages.py`, "
                "`hub/export_child.py`: no SQLAlchemy imported; here the compiled pages are "
                "handed to the way's process in a file): each page of 5,000 reads the "
                "stored JSON once into a materialised CTE, computes the cells, the time, the "
                "outcome words and a 'needs care' flag in SQL, and a plain row goes to the csv "
                "module as SQL gave it, with no Python frame per row on the way. On PostgreSQL "
                "the export "
                "(`hub/postgres_export.py`) streams one query (`Cursor.stream`, chunks of 5,000, "
                "so the server computes rows while the export writes): each record read as jsonb "
                "once and tested once (subqueries kept whole by `OFFSET 0`), the cells computed "
                "in SQL, a record SQL cannot vouch for written through the columns in Python. "
                "The office's download is what the console runs (`ExportProcesses.export` "
                "in `ZoneInfo('Asia/Shanghai')`): the hub reads the span of stored times "
                "(`hub/export_zone.py`, two index seeks) and, the zone's offset being fixed "
                "over it (`core/fixed_zone.py`), takes the fast path above in a spawned child "
                "(its spawn and imports included; the peak MiB is the calling process's, the "
                "child's own being the row above's); before, a named zone sent every record "
                "through the columns (`write_table`), as the row below it does, in a child "
                "spawned the same way. "
                "'CPU s' is the process's own "
                "user and system time, steadier than wall time on a shared machine (on "
                "PostgreSQL the server's work is not in it, so only wall time compares there). "
                "Peak MiB is each process's own maximum resident set. Output byte-identical "
                "to the floor's, every way: "
                f"**{'yes' if same else 'NO'}**. Each ratio is between ways on one database at "
                f"one size, measured in this same run. {big_rows:,} rows: "
                + ("the default." if big_rows == BIG_ROWS else "set by `--size` for this run.")
            ),
            body=table(
                (
                    "database",
                    "way",
                    "rows",
                    "seconds",
                    "vs floor",
                    "CPU s",
                    "CPU vs floor",
                    "peak MiB",
                ),
                table_rows,
            ),
        )
    ]
