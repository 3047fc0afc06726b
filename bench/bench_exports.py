"""Exporting a year of one busy gate: CSV and two XLSX writers, in the background.

A ledger of synthetic passages (1,000,000 by default, a year at a busy mine gate) is exported
the way the supervisor's desk does it: a worker thread that waits on ``run_export``, whose child
process writes the file, while a timer on the GUI thread (Qt, offscreen) records how long the
event loop is ever kept waiting. One writer is also run the old way, ``export_passages`` on the
worker thread itself, so the stall the child process removes stays visible in the same run.
"""

from __future__ import annotations

import os
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # after QT_QPA_PLATFORM is chosen
from PySide6.QtWidgets import QApplication

from bench.report import Section, table
from bench.synthetic_ledger import build_ledger
from gatehouse.reports.export import ExportDone, ExportRequest, export_passages
from gatehouse.reports.export_process import run_export
from gatehouse.reports.sinks import WRITERS
from gatehouse.store.queries import PassageFilter, PassageQueries

TICK_MS = 5
FULL_ROWS = 1_000_000
QUICK_ROWS = 20_000
WRITERS_COMPARED = (
    ("csv", "CSV (csv module)"),
    ("xlsx", "XLSX, XlsxWriter constant_memory"),
    ("xlsx-openpyxl", "XLSX, openpyxl write_only"),
)
THREAD_WRITER = "xlsx"  # also exported on the worker thread itself, as the desk used to
Export = Callable[[ExportRequest], ExportDone]


def _in_child_process(database: Path) -> Export:
    """The desk's way: the worker thread only waits while a child process writes."""
    return lambda request: run_export(
        database, request, audit=None, booth_id="bench", actor="bench", now=datetime.now(UTC)
    )


def _on_the_thread(queries: PassageQueries) -> Export:
    """The old way: the worker thread queries and writes itself, sharing the GIL with the GUI."""
    return lambda request: export_passages(
        queries, request, audit=None, booth_id="bench", actor="bench"
    )


def _export_in_background(export: Export, format: str, out: Path) -> dict[str, float]:
    app = QApplication.instance() or QApplication([])
    gaps: list[float] = []
    last = [time.perf_counter()]
    result: dict[str, float] = {}

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now
        if not worker.is_alive():
            app.quit()

    def work() -> None:
        started = time.perf_counter()
        done = export(ExportRequest(PassageFilter(), out, format))
        result["seconds"] = time.perf_counter() - started
        result["rows"] = done.rows

    worker = threading.Thread(target=work, name="bench-export")
    timer = QTimer(interval=TICK_MS)
    timer.timeout.connect(tick)
    worker.start()
    timer.start()
    app.exec()
    worker.join()
    timer.stop()
    stalls = sorted(gaps[2:]) or [TICK_MS / 1000]
    result["longest_stall_ms"] = stalls[-1] * 1000 - TICK_MS
    result["mib"] = out.stat().st_size / 2**20
    return result


def run(quick: bool) -> list[Section]:
    count = QUICK_ROWS if quick else FULL_ROWS
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "year.sqlite3"
        started = time.perf_counter()
        build_ledger(database, count)
        build_s = time.perf_counter() - started
        runs = [
            (format, label, "child process", _in_child_process(database))
            for format, label in WRITERS_COMPARED
        ]
        thread_label = dict(WRITERS_COMPARED)[THREAD_WRITER]
        runs.append(
            (
                THREAD_WRITER,
                thread_label,
                "worker thread (old)",
                _on_the_thread(PassageQueries(database)),
            )
        )
        for format, label, where, export in runs:
            out = Path(folder) / f"export-{format}{WRITERS[format][0]}"
            figures = _export_in_background(export, format, out)
            rows.append(
                (
                    label,
                    where,
                    f"{figures['rows']:,.0f}",
                    f"{figures['seconds']:.1f}",
                    f"{figures['rows'] / figures['seconds']:,.0f}",
                    f"{figures['mib']:.1f}",
                    f"{figures['longest_stall_ms']:.1f}",
                )
            )
            out.unlink()
    return [
        Section(
            title="Exports: a year of one busy gate",
            method=(
                f"`bench/bench_exports.py`: {count:,} synthetic passages (a year at one gate; "
                f"ledger built in {build_s:.0f} s) exported in full as the supervisor's desk "
                "does it: a worker thread records the export and waits on `run_export`, whose "
                "child process (multiprocessing, spawn) reads the ledger read-only and writes "
                "the file; the seconds include starting the child. Meanwhile a "
                f"{TICK_MS} ms QTimer on the GUI thread records the longest gap between its "
                "ticks (stall = gap minus the interval). The last row is the old way, "
                "`export_passages` on the worker thread itself, whose stalls come from sharing "
                "the interpreter lock with the GUI thread. Same rows, same columns, formula "
                "neutralisation and masking on, for every writer."
            ),
            body=table(
                (
                    "writer",
                    "written by",
                    "rows",
                    "seconds",
                    "rows/s",
                    "file MiB",
                    "longest GUI stall ms",
                ),
                rows,
            ),
        )
    ]
