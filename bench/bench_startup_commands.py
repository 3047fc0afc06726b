"""How long a command takes to start: whole processes beside ``python -c pass``, and what the
libraries a command may need cost to import, each in a fresh process."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from bench.report import Section, table

# (what, the python arguments)
_PROCESSES = (
    ("`python -c pass` (the floor)", ["-c", "pass"]),
    ("`gatehouse --version`", ["-m", "gatehouse", "--version"]),
    ("`gatehouse --help`", ["-m", "gatehouse", "--help"]),
    ("`gatehouse verify-ledger --help`", ["-m", "gatehouse", "verify-ledger", "--help"]),
    ("`gatehouse issue-pass --help`", ["-m", "gatehouse", "issue-pass", "--help"]),
    ("`gatehouse export --help`", ["-m", "gatehouse", "export", "--help"]),
)
# What a command pays only when it uses it: the booth runtime, the ledger, Qt, the hub, ...
_IMPORTS = (
    "gatehouse.cli",
    "gatehouse.config",
    "gatehouse.store.ledger",
    "gatehouse.reports.export",
    "gatehouse.booth.runtime",
    "gatehouse.hub.server",
    "sqlite_utils",
    "cryptography.hazmat.primitives.asymmetric.ec",
    "cv2",
    "PySide6.QtWidgets",
)


def _median_seconds(args: list[str], repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run([sys.executable, *args], check=True, capture_output=True, timeout=120)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def run(quick: bool) -> list[Section]:
    repeats = 5 if quick else 21
    floor = _median_seconds(["-c", "pass"], repeats)
    rows = []
    for what, args in _PROCESSES:
        seconds = floor if args == ["-c", "pass"] else _median_seconds(args, repeats)
        rows.append((what, f"{seconds * 1000:.0f}", f"{seconds / floor:.1f}x"))
    for module in _IMPORTS:
        seconds = _median_seconds(["-c", f"import {module}"], repeats) - floor
        rows.append((f"`import {module}` (beyond the floor)", f"{seconds * 1000:.0f}", ""))
    return [
        Section(
            title="Commands: start-up",
            method=(
                "`bench/bench_startup_commands.py`: median wall time of a whole process, launch "
                f"to exit, over {repeats} runs, beside `python -c pass` in the same run (the "
                "goal: `--version` and `--help` under 150 ms). The CLI builds its parser from "
                "command modules that import only `argparse` and light definitions; each "
                "command imports its libraries in its handler. Below, what those libraries "
                "cost in a fresh process (median minus the floor), i.e. what `--version` no "
                "longer pays. A test (`tests/test_cli_imports.py`) checks `sys.modules` after "
                "`--version` and `--help`."
            ),
            body=table(("process", "median ms", "vs floor"), rows),
        )
    ]
