"""The ledger: what one durable passage costs, how fast a busy gate can log, how fast the chain
is checked."""

from __future__ import annotations

import tempfile
import time
from concurrent.futures import Future
from pathlib import Path

from bench.report import Section, ms, percentile, table
from gatehouse.core.passage import Passage
from gatehouse.store.integrity import check_integrity
from gatehouse.store.ledger import Ledger
from gatehouse.store.verify import TAIL_LINKS, verify_ledger
from tests.factories import make_passage

IN_FLIGHT = 32


def _passage() -> Passage:
    return make_passage(scanned_text="GH1:" + "X" * 400, holder_name="张伟")


def _commit_latencies(ledger: Ledger, count: int) -> list[float]:
    samples = []
    for _ in range(count):
        passage = _passage()
        start = time.perf_counter()
        ledger.record(passage).result()
        samples.append(time.perf_counter() - start)
    return samples


def _pipelined_rate(ledger: Ledger, count: int) -> float:
    start = time.perf_counter()
    in_flight: list[Future[None]] = []
    for _ in range(count):
        in_flight.append(ledger.record(_passage()))
        if len(in_flight) >= IN_FLIGHT:
            in_flight.pop(0).result()
    for future in in_flight:
        future.result()
    return count / (time.perf_counter() - start)


def _fill(ledger: Ledger, count: int, chunk: int = 1000) -> None:
    for first in range(0, count, chunk):
        ledger.record_many([_passage() for _ in range(min(chunk, count - first))]).result()


def _open_costs(path: Path, runs: int) -> tuple[list[float], list[float], list[float]]:
    """Start-up checks side by side: SQLite's quick_check alone, the chain's tail alone, and the
    whole of ``Ledger.open`` (both, then the writer and the migrations)."""
    quick, tail, whole = [], [], []
    for _ in range(runs):
        start = time.perf_counter()
        check_integrity(path)
        quick.append(time.perf_counter() - start)
        start = time.perf_counter()
        assert verify_ledger(path, tail=TAIL_LINKS).intact
        tail.append(time.perf_counter() - start)
        start = time.perf_counter()
        Ledger.open(path).close()
        whole.append(time.perf_counter() - start)
    return quick, tail, whole


def run(quick: bool) -> list[Section]:
    commits = 100 if quick else 2000
    pipelined = 500 if quick else 5000
    chain = 2000 if quick else 100_000
    with tempfile.TemporaryDirectory() as folder:
        with Ledger.open(Path(folder) / "commit.sqlite3") as ledger:
            samples = _commit_latencies(ledger, commits)
            rate = _pipelined_rate(ledger, pipelined)
        big = Path(folder) / "chain.sqlite3"
        with Ledger.open(big) as ledger:
            _fill(ledger, chain)
        start = time.perf_counter()
        verdict = verify_ledger(big)
        verify_s = time.perf_counter() - start
        assert verdict.intact
        opening = _open_costs(big, 5 if quick else 20)
    rows = [
        (
            f"commit one passage, waiting for it ({commits} in a row)",
            ms(percentile(samples, 50)),
            ms(percentile(samples, 99)),
            f"{1 / percentile(samples, 50):.0f}/s",
        ),
        (f"passages logged with {IN_FLIGHT} in flight ({pipelined})", "", "", f"{rate:.0f}/s"),
        (
            f"verify-ledger over {chain:,} passages",
            "",
            "",
            f"{verify_s:.1f} s, {chain / verify_s:,.0f} links/s",
        ),
        *(
            (f"{what} ({chain:,} passages)", ms(percentile(s, 50)), ms(percentile(s, 99)), "")
            for what, s in zip(
                (
                    "start-up: quick_check alone",
                    f"start-up: the chain's newest {TAIL_LINKS:,} links alone",
                    "start-up: Ledger.open (both, writer, migrations)",
                ),
                opening,
                strict=True,
            )
        ),
    ]
    return [
        Section(
            title="Ledger: durable commit and chain check",
            method=(
                "`bench/bench_ledger.py`: each passage is one `BEGIN IMMEDIATE` transaction on "
                "the single writer (WAL, synchronous=FULL) that inserts the row, its hash-chain "
                "link and its outbox row; latency is `record(...).result()`, i.e. until COMMIT "
                "returned. `verify-ledger` re-digests every record and re-walks the chain; at "
                "start a booth checks only the newest links (the rest in the background). "
                "Includes the fsyncs of the temp folder's file system."
            ),
            body=table(("what", "p50 ms", "p99 ms", "rate"), rows),
        )
    ]
