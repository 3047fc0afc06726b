"""Export speed beside the floor: CSV against the csv module, XLSX writers side by side.

Each way runs in its own process (``bench.export_writers``) on the same synthetic ledger, so
its time and its peak memory (the child's ``ru_maxrss``) are its own. Outputs are compared:
CSV byte for byte, XLSX cells read back with python-calamine against the cells written.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.export_writers import BASELINE_SQL, general_cells, header
from bench.report import Section, table
from bench.synthetic_ledger import build_ledger

FULL_ROWS = 100_000
QUICK_ROWS = 20_000
CSV_REPEATS = 3
CSV_WAYS = (
    ("csv-module", "csv module from a cursor, columns computed in SQL (the floor)"),
    ("csv-module-safe-cell", "the same with `safe_cell` on every cell"),
    ("gatehouse-csv", "**Gatehouse CSV export** (`ExportRequest.write`, fast path)"),
    ("general-csv", "Gatehouse's general path: columns + `safe_cell` per cell (before)"),
)
XLSX_WAYS = (
    ("rows-only", "the cells alone, no file (what every writer below is given)"),
    ("openpyxl", "openpyxl write_only (reference)"),
    ("xlsxwriter", "XlsxWriter constant_memory (the export's `xlsx` before; still past a sheet)"),
    ("pyexcelerate", "pyexcelerate (takes all rows at once)"),
    ("rustpy-xlsxwriter", "**rustpy-xlsxwriter: the export's `xlsx` now** (`RustXlsxSink`)"),
)


def _run(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """(wall seconds, peak MiB as the child reports it, or 0) of one child process."""
    start = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, env=env, check=True)
    seconds = time.perf_counter() - start
    words = done.stdout.split()
    return seconds, float(words[1]) if len(words) == 2 else 0.0


def _way(way: str, ledger: Path, out: Path, repeats: int = 1) -> tuple[float, float]:
    """Median seconds and the largest peak over ``repeats`` runs (this machine is shared)."""
    return _median(
        [sys.executable, "-m", "bench.export_writers", way, str(ledger), str(out)], repeats
    )


def _median(
    args: list[str], repeats: int, env: dict[str, str] | None = None
) -> tuple[float, float]:
    runs = [_run(args, env) for _ in range(repeats)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def _same_cells(path: Path, ledger: Path) -> bool:
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    expected: list[list[Any]] = [header(), *general_cells(ledger)]
    if len(sheet) != len(expected):
        return False
    return all(
        [("" if c is None else c) for c in want] == list(got)[: len(want)]
        for want, got in zip(expected, sheet, strict=True)
    )


def _csv_section(ledger: Path, folder: Path, rows: int) -> Section:
    outs = {way: folder / f"{way}.csv" for way, _ in CSV_WAYS}
    figures = {way: _way(way, ledger, outs[way], CSV_REPEATS) for way, _ in CSV_WAYS}
    floor = figures["csv-module"][0]
    same = outs["gatehouse-csv"].read_bytes() == outs["general-csv"].read_bytes()
    same_floor = outs["gatehouse-csv"].read_bytes() == outs["csv-module"].read_bytes()
    table_rows = [
        (
            what,
            f"{figures[way][0]:.2f}",
            f"{figures[way][0] / floor:.2f}x",
            f"{figures[way][1]:.0f}",
        )
        for way, what in CSV_WAYS
    ]
    process = folder / "process.csv"
    cli, _ = _median(
        [
            sys.executable,
            "-m",
            "gatehouse",
            "export",
            "--database",
            str(ledger),
            "--from",
            "2000-01-01",
            "--to",
            "2100-01-01",
            "--out",
            str(process),
        ],
        CSV_REPEATS,
        {**os.environ, "TZ": "Asia/Shanghai"},
    )
    script = (
        "import csv, sqlite3, sys\n"
        f"conn = sqlite3.connect({str(ledger)!r})\n"
        f"f = open({str(folder / 'floor.csv')!r}, 'w', encoding='utf-8-sig', newline='')\n"
        "w = csv.writer(f)\n"
        f"w.writerow({header()!r})\n"
        f"w.writerows(conn.execute({BASELINE_SQL!r}))\n"
        "f.close()\n"
    )
    bare, _ = _median([sys.executable, "-c", script], CSV_REPEATS)
    table_rows += [
        ("whole process: `gatehouse export --format csv`", f"{cli:.2f}", f"{cli / bare:.2f}x", ""),
        ("whole process: `python -c` with the csv-module floor", f"{bare:.2f}", "1.00x", ""),
    ]
    return Section(
        title=f"Exports: CSV beside the csv module ({rows:,} passages)",
        method=(
            "`bench/bench_exports_speed.py`: each way in its own process (median of "
            f"{CSV_REPEATS}) on one synthetic ledger (`bench/synthetic_ledger.py`), China "
            "time, masked ID numbers. The floor "
            "computes every column in SQLite (time by `strftime` on a fixed +08:00 offset, the "
            "reasons by `json_each`) and hands the cursor to `csv.writer`, with no formula "
            "neutralisation. The export's fast path (`reports/passages_csv.py`) computes the "
            "time, the outcome words and a 'needs care' flag in SQL, parses reasons once (not "
            "at all when there are none) and neutralises only rows the flag names. "
            f"Output byte-identical to the general path: **{'yes' if same else 'NO'}**; to the "
            f"floor's: {'yes' if same_floor else 'no'}. The whole-process rows time "
            "`gatehouse export` against a `python -c` script running the floor. Times scale "
            "linearly with rows (paged reads, streamed writes): ×10 for 1,000,000."
        ),
        body=table(("way", "seconds", "vs floor", "peak MiB"), table_rows),
    )


def _xlsx_section(ledger: Path, folder: Path, rows: int) -> Section:
    figures: dict[str, tuple[float, float]] = {}
    same: dict[str, str] = {}
    for way, _ in XLSX_WAYS:
        out = folder / f"{way}.xlsx"
        figures[way] = _way(way, ledger, out)
        same[way] = "" if way == "rows-only" else ("yes" if _same_cells(out, ledger) else "NO")
    reference = figures["openpyxl"][0]
    cells = figures["rows-only"][0]
    table_rows = [
        (
            what,
            f"{figures[way][0]:.2f}",
            f"{reference / figures[way][0]:.2f}x",
            ""
            if way == "rows-only"
            else f"{reference - cells:.2f} / {figures[way][0] - cells:.2f}",
            f"{figures[way][1]:.0f}",
            same[way],
        )
        for way, what in XLSX_WAYS
    ]
    return Section(
        title=f"Exports: XLSX writers side by side ({rows:,} passages)",
        method=(
            "`bench/bench_exports_speed.py`: every writer is given the same cells (the "
            "export's columns and `safe_cell`, from the ledger) in its own process; 'speed-up' "
            "is openpyxl's time over the writer's; 'writer s' subtracts the cells' own cost "
            "(first row), as openpyxl's writer time / this writer's. Peak memory is the child's "
            "maximum resident set as it reports it; 'same cells' reads the file back with "
            "python-calamine and compares every cell. pyexcelerate holds the whole sheet in "
            "memory; the others stream."
        ),
        body=table(
            (
                "writer",
                "seconds",
                "speed-up vs openpyxl",
                "writer s (openpyxl / this)",
                "peak MiB",
                "same cells",
            ),
            table_rows,
        ),
    )


def run(quick: bool) -> list[Section]:
    rows = QUICK_ROWS if quick else FULL_ROWS
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        ledger = folder / "ledger.sqlite3"
        build_ledger(ledger, rows)
        return [_csv_section(ledger, folder, rows), _xlsx_section(ledger, folder, rows)]
