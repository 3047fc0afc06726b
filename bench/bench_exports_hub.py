"""The hub's all-booth CSV beside the csv module, on SQLite and on PostgreSQL in one run.

Each way runs in its own process (``bench.export_writers``) over the same hub database, so its
time and its peak memory are its own; outputs are compared byte for byte with the floor's.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench.bench_console import _filled_hub
from bench.bench_sync import _postgres_url
from bench.export_writers import hub_sqlite_pages
from bench.report import Section, table

ROWS = 100_000
BIG_ROWS = 1_000_000  # pace and memory at scale, SQLite
QUICK_ROWS, QUICK_BIG_ROWS = 10_000, 30_000
REPEATS = 5  # median, the ways taking turns: the machine is shared
WAYS = (
    ("hub-csv", "**hub all-booth CSV** (`hub.exports.export_passages`)"),
    ("hub-csv-idle", "the same at the export child's priority (`SCHED_IDLE`)"),
    ("hub-csv-python", "records parsed and tested in Python (the path before SQL's)"),
    ("hub-csv-floor", "csv module from a cursor, columns computed in SQL (the floor)"),
    ("hub-csv-office", "**the office's download (Asia/Shanghai)**: the console's whole export"),
    ("hub-csv-office-before", "the office's download before: a named zone's general path"),
)
SCALE_WAYS = ("hub-csv", "hub-csv-floor", "hub-csv-office")
FLOOR = "hub-csv-floor"
CHILD_WAYS = ("hub-csv", "hub-csv-idle")  # on SQLite, given the pages the hub compiled
# wall seconds, CPU seconds, the process's peak MiB, its export child's peak MiB (0: none)
Figures = tuple[float, float, float, float]


def _once(way: str, source: str, out: Path) -> Figures:
    """The figures of one run of one way, in a process of its own."""
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
    printed = [float(figure) for figure in done.stdout.split()[1:]]
    return seconds, cpu, printed[0], printed[1] if len(printed) > 1 else 0.0


def _ways(sources: dict[str, str], outs: dict[str, Path], repeats: int) -> dict[str, Figures]:
    """Median wall seconds, median CPU seconds and the largest peaks of each way, the ways
    taking turns run by run, so a burst of load on the shared machine falls on all alike."""
    runs: dict[str, list[Figures]] = {way: [] for way in sources}
    for _ in range(repeats):
        for way, source in sources.items():
            runs[way].append(_once(way, source, outs[way]))
    return {
        way: (
            statistics.median(r[0] for r in found),
            statistics.median(r[1] for r in found),
            max(r[2] for r in found),
            max(r[3] for r in found),
        )
        for way, found in runs.items()
    }


def _measured(
    name: str, url: str, folder: Path, count: int, ways: Sequence[str], repeats: int
) -> tuple[dict[str, Figures], bool]:
    """Each way's figures over ``url``'s database (filled first with ``count`` passages), and
    whether every output equals the floor's."""
    _filled_hub(url, count).engine.dispose()
    outs = {way: folder / f"{name}-{way}-{count}.csv" for way in ways}
    # The hub hands its child a SQLite CSV's compiled pages, and the child reads with sqlite3.
    child = str(hub_sqlite_pages(url, folder)) if name == "SQLite" else url
    sources = {way: child if way in CHILD_WAYS else url for way in ways}
    figures = _ways(sources, outs, repeats)
    floor = outs[FLOOR].read_bytes()
    same = all(out.read_bytes() == floor for out in outs.values())
    for out in outs.values():
        out.unlink()
    return figures, same


# The columns each table has after its wall seconds (``_compared``).
COMPARED = ("vs floor", "CPU s", "CPU vs floor", "peak MiB", "export child peak MiB")


def _compared(found: Figures, floor: Figures) -> tuple[str, ...]:
    """A way's ``COMPARED`` columns beside the floor's figures of the same run."""
    return (
        f"{found[0] / floor[0]:.2f}x",
        f"{found[1]:.2f}",
        f"{found[1] / floor[1]:.2f}x",
        f"{found[2]:.0f}",
        f"{found[3]:.0f}" if found[3] else "",
    )


def run(quick: bool, size: int | None = None) -> list[Section]:
    """``size``: the rows of the side-by-side table, in place of 100,000; the run at scale is
    1,000,000 rows (SQLite) whatever the size."""
    rows, big_rows = (QUICK_ROWS, QUICK_BIG_ROWS) if quick else (ROWS, BIG_ROWS)
    rows = size or rows
    repeats = 1 if quick else REPEATS
    names = [way for way, _ in WAYS]
    load = [os.getloadavg()[0]]
    table_rows: list[tuple[str, ...]] = []
    found: dict[tuple[str, int], dict[str, Figures]] = {}
    same = True
    with tempfile.TemporaryDirectory() as name, _postgres_url() as postgres:
        folder = Path(name)
        databases = (
            ("SQLite", f"sqlite:///{folder}/hub.sqlite3"),
            ("PostgreSQL", postgres.replace("postgresql://", "postgresql+psycopg://", 1)),
        )
        for database, url in databases:
            figures, identical = _measured(database, url, folder, rows, names, repeats)
            found[database, rows] = figures
            table_rows += [
                (
                    database,
                    what,
                    f"{rows:,}",
                    f"{figures[way][0]:.2f}",
                    *_compared(figures[way], figures[FLOOR]),
                )
                for way, what in WAYS
            ]
            same = same and identical
        started = time.perf_counter()
        url = f"sqlite:///{folder}/hub-big.sqlite3"
        (folder / "hub.sqlite3").unlink()
        figures, identical = _measured("SQLite", url, folder, big_rows, SCALE_WAYS, 1)
        scale_s = time.perf_counter() - started
        found["SQLite", big_rows] = figures
        same = same and identical
    load.append(os.getloadavg()[0])
    return [
        _side_by_side(rows, size is not None, repeats, same, load, table_rows),
        _at_scale(found, rows, big_rows, scale_s),
    ]


def _at_scale(
    found: dict[tuple[str, int], dict[str, Figures]], rows: int, big_rows: int, seconds: float
) -> Section:
    """SQLite's export at ``big_rows`` beside the same ways at ``rows``: pace and memory."""
    what = dict(WAYS)
    table_rows = []
    for way in SCALE_WAYS:
        for count in (rows, big_rows):
            figures, floor = found["SQLite", count][way], found["SQLite", count][FLOOR]
            table_rows.append(
                (
                    what[way],
                    f"{count:,}",
                    f"{figures[0]:.1f}",
                    f"{figures[0] / count * 100000.0:.2f}",
                    *_compared(figures, floor),
                )
            )
    return Section(
        title=f"Exports: the hub's all-booth CSV on SQLite at {big_rows:,} passages",
        method=(
            f"The same ways as above over a SQLite hub database of {big_rows:,} passages, filled "
            "in bulk the same way, one run each (the ways taking turns), beside their medians "
            f"at {rows:,} from the table above (filled, run and compared in {seconds:.0f} s; "
            "output byte-identical to the floor's here too, counted in the table above). "
            "'s per 100k' is the pace; peak MiB the process's own (for the office's download, "
            "the hub's process over the export alone, its imports before it left out); the "
            "export child's peak MiB is read from the child as it runs (every 0.5 s). "
            "PostgreSQL is not run at this size: filling it takes longer than the run allows."
        ),
        body=table(("way", "rows", "seconds", "s per 100k", *COMPARED), table_rows),
    )


def _side_by_side(
    rows: int,
    sized: bool,
    repeats: int,
    same: bool,
    load: list[float],
    table_rows: list[tuple[str, ...]],
) -> Section:
    return Section(
        title=(
            "Exports: the hub's all-booth CSV beside the csv module, SQLite and PostgreSQL "
            f"({rows:,} passages)"
        ),
        method=(
            "`bench/bench_exports_hub.py`: a hub database filled in bulk as uploads store "
            "passages (`bench/bench_console.py`'s records, ten booths), then each way in its "
            f"own process (median of {repeats}, the ways taking turns run by run; the process's "
            "start and imports included, as the hub spawns one child per export): the hub's "
            "export as its child process runs it, at normal priority like the floor (the code's "
            "speed, side by side), then the same at the priority the hub's child takes "
            "(`export_child.lower_priority`: `SCHED_IDLE`, it runs only on a core nothing else "
            "wants, so its wall time is the machine's other load as much as its own work); the "
            "records parsed and tested in Python (`hub.exports._python_cells`, both databases' "
            "path before SQL's, still the careful rows' path); and the floor, the csv module "
            "writing the same columns computed by the database from the stored JSON (SQLite "
            "`json_extract`; PostgreSQL the record read as jsonb once, through a server-side "
            "cursor). On SQLite the hub compiles the export's page queries "
            "(`hub/sqlite_export.py`) and its child runs them with the `sqlite3` module alone "
            "(`hub/sqlite_pages.py`, `hub/export_child.py`; here the compiled pages are handed "
            "to the way's process in a file): each page of 5,000 reads the stored JSON once "
            "into a materialised CTE, computes the cells, the time, the outcome words and a "
            "'needs care' flag in SQL (one `GLOB` per text for a formula's first character, "
            "the time's shape one `CASE` on its length), and a plain row goes to the csv module "
            "as SQL gave it after one `str.join` of its texts (which stops on a value that is "
            "not text) and a printability test. On PostgreSQL the export "
            "(`hub/postgres_export.py`) streams one query (`Cursor.stream`, chunks of 5,000): "
            "each record read as jsonb once and tested once, the cells computed in SQL, a "
            "record SQL cannot vouch for written through the columns in Python. The office's "
            "download is what the console runs (`ExportProcesses.export` in "
            "`ZoneInfo('Asia/Shanghai')`): the span of stored times read (`hub/export_zone.py`) "
            "and, the zone's offset being fixed over it, the fast path above in a spawned child "
            "at idle priority (its spawn and imports included; peak MiB is the hub process's "
            "over the export, the child's own in the last column); before, a named zone sent "
            "every record through the columns (`write_table`), in a child spawned the same way. "
            "'CPU s' is the process's own user and system time (for the office's download the "
            "child's included). Judge the code's speed on CPU vs floor and on wall time at the "
            "same priority: on this shared 2-core machine wall time at idle priority measures "
            "the other load, and even CPU time grows with load (the cores' caches shared), the "
            "SQL-heavy way's more than the floor's. Load average (1 min) at the start and the "
            f"end of the run: {load[0]:.1f} and {load[1]:.1f}. On PostgreSQL the server's work "
            "is not in CPU s, so only wall time compares there. Output byte-identical to the "
            f"floor's, every way: **{'yes' if same else 'NO'}**. Each ratio is between ways on "
            f"one database at one size, measured in this same run. {rows:,} rows: "
            + ("set by `--size` for this run." if sized else "the default.")
        ),
        body=table(("database", "way", "rows", "seconds", *COMPARED), table_rows),
    )
