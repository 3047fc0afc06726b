"""Export speed beside the floor: CSV against the csv module, XLSX writers side by side.

Each way runs in its own process (``bench.export_writers``) on the same synthetic ledger, so
its time and its peak memory (the child's ``ru_maxrss``) are its own. Outputs are compared:
CSV byte for byte, XLSX cells read back with python-calamine against the cells written.
"""

from __future__ import annotations

import itertools
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from bench.export_writers import BASELINE_SQL, general_cells, header
from bench.report import Section, table
from bench.synthetic_ledger import build_ledger

FULL_ROWS = 100_000
QUICK_ROWS = 20_000
BIG_ROWS = 1_000_000  # the chosen XLSX writer, for memory at scale
QUICK_BIG_ROWS = 50_000
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

# Why the export writes XLSX with rustpy-xlsxwriter (looked up 2026-12-06).
XLSX_CHOICE = (
    "**Why rustpy-xlsxwriter.** Speed: the table's writer seconds. Memory: streams in "
    "constant-memory mode, flat at a million rows (last row); pyexcelerate holds the sheet. "
    "Cells: all four writers read back identical. LibreOffice: opens it (column above). "
    "Maintenance: the writing is done by rust_xlsxwriter (John McNamara, who also wrote "
    "XlsxWriter and libxlsxwriter; MIT OR Apache-2.0; 130 releases on crates.io since June 2022, "
    "0.102.0 in October 2026); rustpy-xlsxwriter is a thin PyO3 binding by one maintainer "
    "(Rahmad Afandi, MIT; CI, CodeQL and dependabot on its repository; 0.8.0 in October 2026), "
    "which is the risk, so `pyproject.toml` pins it below 0.9 and the export keeps XlsxWriter "
    "(BSD-2-Clause, same author, mature) for a search past one sheet and as the fallback if "
    "the binding is ever dropped: the sink is one class (`RustXlsxSink`). openpyxl (MIT) is "
    "the reference; pyexcelerate (BSD) is slower here and not streaming."
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
    """Every cell read back with python-calamine equals the cell written, row by row (streamed:
    a million rows are never all in memory); times to the second, as the sheet shows them."""
    from python_calamine import CalamineWorkbook

    sheet: Iterator[list[Any]] = (
        CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).iter_rows()
    )
    expected: Iterator[list[Any]] = itertools.chain([header()], general_cells(ledger))
    return all(
        want is not None
        and got is not None
        and [_shown("" if c is None else c) for c in want] == [_shown(c) for c in got][: len(want)]
        for want, got in itertools.zip_longest(expected, sheet)
    )


def _shown(cell: Any) -> Any:
    """A cell as the sheet shows it: times to the second (rustpy-xlsxwriter stores whole
    seconds, as the CSV writes them; the format shows no fraction). python-calamine reads a
    midnight stored as a whole serial number as a ``date``: the same instant."""
    if isinstance(cell, datetime):
        return cell.replace(microsecond=0)
    if isinstance(cell, date):
        return datetime.combine(cell, datetime.min.time())
    return cell


def _opens_in_libreoffice(path: Path, folder: Path) -> str:
    """Whether LibreOffice (headless) converts the file to CSV with every row, or why not."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return "not checked (no soffice)"
    subprocess.run(
        [soffice, "--headless", "--convert-to", "csv", "--outdir", str(folder), str(path)],
        capture_output=True,
        check=True,
        timeout=600,
        env={**os.environ, "HOME": str(folder)},  # its profile goes here, not the real home
    )
    converted = folder / f"{path.stem}.csv"
    if not converted.exists():
        return "NO"
    with converted.open(encoding="utf-8", errors="replace") as file:
        return f"yes ({sum(1 for _ in file):,} lines)"


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
            "linearly with rows (paged reads, streamed writes): ×10 for 1,000,000. Every "
            "ratio is between ways measured in this same run."
        ),
        body=table(("way", "seconds", "vs floor", "peak MiB"), table_rows),
    )


def _xlsx_section(ledger: Path, big: Path, folder: Path, rows: int, big_rows: int) -> Section:
    figures: dict[str, tuple[float, float]] = {}
    same: dict[str, str] = {}
    for way, _ in XLSX_WAYS:
        out = folder / f"{way}.xlsx"
        figures[way] = _way(way, ledger, out)
        same[way] = "" if way == "rows-only" else ("yes" if _same_cells(out, ledger) else "NO")
    opens = _opens_in_libreoffice(folder / "rustpy-xlsxwriter.xlsx", folder / "libreoffice")
    big_out = folder / "big.xlsx"
    big_seconds, big_peak = _way("gatehouse-xlsx", big, big_out)
    big_same = "yes" if _same_cells(big_out, big) else "NO"
    reference = figures["openpyxl"][0]
    cells = figures["rows-only"][0]
    table_rows = [
        (
            what,
            f"{rows:,}",
            f"{figures[way][0]:.2f}",
            f"{reference / figures[way][0]:.2f}x",
            ""
            if way == "rows-only"
            else f"{reference - cells:.2f} / {figures[way][0] - cells:.2f}",
            f"{figures[way][1]:.0f}",
            same[way],
            opens if way == "rustpy-xlsxwriter" else "",
        )
        for way, what in XLSX_WAYS
    ]
    table_rows.append(
        (
            "**the export's `xlsx` as the desk writes it** (`ExportRequest.write`, Rust writer)",
            f"{big_rows:,}",
            f"{big_seconds:.2f}",
            "",
            "",
            f"{big_peak:.0f}",
            big_same,
            "",
        )
    )
    return Section(
        title=f"Exports: XLSX writers side by side ({rows:,} passages; the export at {big_rows:,})",
        method=(
            "`bench/bench_exports_speed.py`: every writer is given the same cells (the "
            "export's columns and `safe_cell`, from the ledger) in its own process; 'speed-up' "
            "is openpyxl's time over the writer's; 'writer s' subtracts the cells' own cost "
            "(first row), as openpyxl's writer time / this writer's. Peak memory is the child's "
            "maximum resident set as it reports it; 'same cells' reads the file back with "
            "python-calamine and compares every cell, streamed row by row (times to the second "
            "the sheet shows). pyexcelerate holds "
            "the whole sheet in memory; the others stream. The last row is the export itself "
            f"over a {big_rows:,}-passage ledger in its own process: rustpy-xlsxwriter writes "
            "in rust_xlsxwriter's constant-memory mode (its default: each row is written to "
            "a temporary file as it arrives) and pulls rows from a generator, so the rows are "
            "never all in memory and the peak stays flat. 'LibreOffice' converts the "
            "chosen writer's file with `soffice --headless --convert-to csv` and counts the "
            "lines (header included). Every ratio is between writers measured in this same "
            "run. " + XLSX_CHOICE
        ),
        body=table(
            (
                "writer",
                "rows",
                "seconds",
                "speed-up vs openpyxl",
                "writer s (openpyxl / this)",
                "peak MiB",
                "same cells",
                "LibreOffice",
            ),
            table_rows,
        ),
    )


def run(quick: bool, size: int | None = None) -> list[Section]:
    """``size``: the rows of the large run (the export's XLSX), in place of 1,000,000 when a
    run must be shorter. The hub's CSV is ``bench_exports_hub``."""
    rows, big_rows = (QUICK_ROWS, QUICK_BIG_ROWS) if quick else (FULL_ROWS, BIG_ROWS)
    big_rows = size or big_rows
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        ledger, big = folder / "ledger.sqlite3", folder / "big.sqlite3"
        build_ledger(ledger, rows)
        build_ledger(big, big_rows)
        return [
            _csv_section(ledger, folder, rows),
            _xlsx_section(ledger, big, folder, rows, big_rows),
        ]
