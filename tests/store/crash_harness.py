"""Crash harness: SIGKILL a process writing passages at random moments; nothing acknowledged
may be lost, no file may be damaged, the chain must stay valid.

A writer child records passages (and now and then an audit event) through ``Ledger`` and prints
each id the moment its commit is acknowledged. The parent kills it at a random moment — while
opening, migrating or writing — then reopens the file and checks it. Runs alternate between a
new ledger and the same one growing, so kills also land during WAL recovery of a bigger file.
Every other run the child records from a worker thread (as the booth's intake does), whose
commits run on that thread while the writer is idle; the others record from the main thread,
whose commits always go through the writer's queue.

The test suite runs a small variant; the full one is
``.venv/bin/python -m tests.store.crash_harness --runs 200``.
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from gatehouse.store import Ledger
from gatehouse.store.audit import AuditKind
from tests.factories import make_passage

ROOT = Path(__file__).resolve().parents[2]
IN_FLIGHT = 16  # passages queued at once, as a busy booth would


@dataclass
class CrashReport:
    runs: int = 0
    acknowledged: int = 0
    lost: int = 0
    corrupt: int = 0
    chain_broken: int = 0
    stored: int = 0

    def __str__(self) -> str:
        return (
            f"{self.runs} SIGKILL runs: {self.acknowledged} acknowledged passages, "
            f"{self.lost} lost, {self.corrupt} corrupt databases, "
            f"{self.chain_broken} broken chains ({self.stored} passages in the final ledgers)"
        )


def write_until_killed(path: Path, from_worker: bool) -> None:
    """The child: record forever (from a worker thread or the main one), printing each id once
    its commit is acknowledged."""
    if from_worker:
        worker = threading.Thread(target=_record_forever, args=(path,), daemon=True)
        worker.start()
        worker.join()
    else:
        _record_forever(path)


def _report_committed(out: int, line: bytes, future: Future[None]) -> None:
    """Tells the parent a passage is durable; a failed write is not reported."""
    if future.exception() is None:
        os.write(out, line)


def _record_forever(path: Path) -> None:
    out = sys.stdout.fileno()
    with Ledger.open(path) as ledger:
        n = 0
        pending: list[Future[None]] = []
        while True:
            n += 1
            if n % 50 == 0:
                ledger.record_event(
                    AuditKind.LOGIN,
                    at=datetime.now(UTC),
                    booth_id="crash",
                    actor="guard",
                    details={"n": n},
                ).result()
            passage = make_passage(booth_id="crash", scanned_text="GH1:" + "x" * 300)
            future = ledger.record(passage)
            # os.write of one short line is atomic, and runs only after COMMIT returned.
            line = (passage.passage_id + "\n").encode()
            future.add_done_callback(functools.partial(_report_committed, out, line))
            pending.append(future)
            if len(pending) >= IN_FLIGHT:
                pending.pop(0).result()


def crash_once(path: Path, rng: random.Random, report: CrashReport) -> None:
    worker = ["--from-worker"] if report.runs % 2 else []
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.store.crash_harness", "--write", str(path), *worker],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    assert child.stdout is not None
    acknowledged: list[str] = []
    reader = threading.Thread(
        target=lambda: acknowledged.extend(line.decode().strip() for line in child.stdout or ())
    )
    reader.start()
    time.sleep(rng.uniform(0.2, 1.5))
    child.send_signal(signal.SIGKILL)
    child.wait()
    reader.join()
    report.runs += 1
    report.acknowledged += len(acknowledged)
    try:
        with Ledger.open(path) as ledger:
            report.lost += sum(1 for pid in acknowledged if ledger.get(pid) is None)
            report.chain_broken += 0 if ledger.verify().intact else 1
    except Exception:  # any failure to reopen is a damaged file: counted, not hidden
        report.corrupt += 1


def run(folder: Path, runs: int, seed: int = 6) -> CrashReport:
    rng = random.Random(seed)
    report = CrashReport()
    path = folder / "crash-0.sqlite3"
    for n in range(runs):
        if n % 5 == 0:  # a new ledger every fifth run; the others keep growing the same file
            path = folder / f"crash-{n}.sqlite3"
        crash_once(path, rng, report)
    for ledger_file in folder.glob("crash-*.sqlite3"):
        with Ledger.open(ledger_file) as ledger:
            report.stored += ledger.count()
    return report


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.store.crash_harness")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--folder", type=Path, help="where the ledgers go (default: a temp dir)")
    parser.add_argument("--write", type=Path, help=argparse.SUPPRESS)  # the child's mode
    parser.add_argument("--from-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write:
        write_until_killed(args.write, args.from_worker)
        return 0
    import tempfile

    with tempfile.TemporaryDirectory() as temp:
        started = time.monotonic()
        report = run(args.folder or Path(temp), args.runs)
        print(f"{report} in {time.monotonic() - started:.0f} s")
    return 0 if report.lost == report.corrupt == report.chain_broken == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
