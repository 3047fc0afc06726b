"""The ledger: what one durable passage costs, how fast a busy gate can log, how fast the chain
is checked."""

from __future__ import annotations

import itertools
import json
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, closing, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from unittest.mock import patch

from sqlite_utils import Database

from bench.report import Section, ms, percentile, table, time_calls
from gatehouse.core.chain import PASSAGE_KIND, RecordDigesters, next_link, record_digests
from gatehouse.core.keys import generate_issuer_key
from gatehouse.core.passage import Passage
from gatehouse.hub import ingest
from gatehouse.hub.database import open_database
from gatehouse.hub.service import Hub
from gatehouse.store import verify
from gatehouse.store.integrity import check_integrity
from gatehouse.store.ledger import Ledger
from gatehouse.store.records import PassageTable, read_record
from gatehouse.store.rows import passage_to_row, utc_text
from gatehouse.store.schema import migrate
from gatehouse.store.verify import TAIL_LINKS, verify_ledger
from gatehouse.store.writer import SerialWriter
from gatehouse.sync.protocol import link_to_json
from tests.factories import make_passage

IN_FLIGHT = 32
UPLOAD_ITEMS = 100
BOOTH = "booth-01"


def _passage() -> Passage:
    return make_passage(scanned_text="GH1:" + "X" * 400, holder_name="张伟")


def _side_by_side(
    ledger: Ledger, raw_path: Path, count: int
) -> tuple[list[float], list[float], list[float]]:
    """Commit latencies taken in turns, so that all see the same load on this shared machine:
    the ledger from a worker thread (as the booth's intake records), the raw floor on that
    same worker thread, and the ledger from the main thread (whose jobs always go through the
    writer's queue: the hand-off every commit paid before). Each is timed on its own thread."""
    raw = _raw_committer(raw_path)
    ours, floor, queued = [], [], []
    with ThreadPoolExecutor(1) as worker:
        for _ in range(count):
            ours.append(worker.submit(_timed_record, ledger).result())
            floor.append(worker.submit(raw, passage_to_row(_passage())).result())
            queued.append(_timed_record(ledger))
    return ours, floor, queued


def _timed_record(ledger: Ledger) -> float:
    passage = _passage()
    start = time.perf_counter()
    ledger.record(passage).result()
    return time.perf_counter() - start


def _raw_committer(path: Path) -> Callable[[dict[str, Any]], float]:
    """The floor: plain sqlite3 on the caller's thread (WAL, synchronous=FULL) writing the same
    three rows (passage, link, outbox) in one ``BEGIN IMMEDIATE`` transaction, digests made up;
    each call commits one passage row and returns its seconds."""
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA journal_mode=WAL")
    migrate(Database(conn))
    columns = (*passage_to_row(_passage()), "recorded_at")
    insert = f"INSERT INTO passages ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    seqs = itertools.count(1)

    def commit(row: dict[str, Any]) -> float:
        seq = next(seqs)
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(insert, (*row.values(), utc_text(datetime.now(UTC))))
        conn.execute(
            "INSERT INTO chain (seq, kind, record_id, public_digest, personal_digest, prev_hash,"
            " hash) VALUES (?, 'passage', ?, ?, ?, ?, ?)",
            (seq, row["passage_id"], "a" * 64, "b" * 64, "c" * 64, "d" * 64),
        )
        conn.execute(
            "INSERT INTO outbox (seq, state, updated_at) VALUES (?, 'pending', ?)",
            (seq, utc_text(datetime.now(UTC))),
        )
        conn.execute("COMMIT")
        return time.perf_counter() - start

    return commit


def _breakdown(path: Path, count: int) -> list[tuple[str, str]]:
    """Median µs of each step a commit does beyond the floor's statements, timed alone on a
    worker thread against the migrated ledger at ``path``; and the read-back it replaced."""
    passage = _passage()
    row = passage_to_row(passage)
    stored = {**row, "recorded_at": utc_text(datetime.now(UTC))}
    conn = sqlite3.connect(path, check_same_thread=False)
    recorded_id = conn.execute("SELECT passage_id FROM passages LIMIT 1").fetchone()[0]
    passages = PassageTable.of(conn)
    record = passages.shape.predict(stored)
    assert record is not None
    digests = passages.digests(record)
    writer = SerialWriter(path.with_name("handoff.sqlite3"))
    steps: list[tuple[str, Callable[[], object]]] = [
        ("build the row (`passage_to_row`)", lambda: passage_to_row(passage)),
        ("predict the stored row (`StoredShape.predict`)", lambda: passages.shape.predict(stored)),
        ("both digests (`RecordDigester`)", lambda: passages.digests(record)),
        ("the chain link (`next_link`)", lambda: next_link(None, PASSAGE_KIND, "p", *digests)),
        (
            "the writer's hand-off, inline (`submit` … `result`, empty job)",
            lambda: writer.submit(lambda db: None, transaction=False).result(),
        ),
        (
            "replaced: read the row back and digest it (SELECT + `record_digests`)",
            lambda: record_digests(
                PASSAGE_KIND, read_record(conn, PASSAGE_KIND, recorded_id) or {}
            ),
        ),
    ]
    try:
        with ThreadPoolExecutor(1) as worker:
            return [
                (
                    what,
                    f"{statistics.median(worker.submit(time_calls, fn, count).result()) * 1e6:.1f}",
                )
                for what, fn in steps
            ]
    finally:
        writer.close()
        conn.close()


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


def _digesting(module: object, per_call: bool) -> AbstractContextManager[object]:
    """``module`` as it is, or (``per_call``) as it was before ``RecordDigesters``:
    ``record_digests`` on every record."""
    if per_call:
        return patch.object(module, "RecordDigesters", lambda: record_digests)
    return nullcontext()


def _record_costs(path: Path, count: int) -> tuple[list[float], list[float]]:
    """Seconds per record to re-digest ``count`` stored passages of ``path`` (as verify-ledger
    reads them), per call and through one ``RecordDigesters``, in turns: one sample per pass."""
    with closing(sqlite3.connect(path)) as conn:
        ids = [row[0] for row in conn.execute("SELECT passage_id FROM passages LIMIT ?", (count,))]
        records = [read_record(conn, PASSAGE_KIND, i) or {} for i in ids]
    per_call: list[float] = []
    cached: list[float] = []
    for _ in range(7):
        for samples, digests in ((per_call, record_digests), (cached, RecordDigesters())):
            start = time.perf_counter()
            for record in records:
                digests(PASSAGE_KIND, record)
            samples.append((time.perf_counter() - start) / len(records))
    return per_call, cached


def _verify_costs(path: Path, runs: int) -> tuple[list[float], list[float]]:
    """verify-ledger over the whole of ``path``, per call and with ``RecordDigesters``, in turns."""
    per_call: list[float] = []
    cached: list[float] = []
    for _ in range(runs):
        for samples, old in ((per_call, True), (cached, False)):
            with _digesting(verify, old):
                start = time.perf_counter()
                assert verify_ledger(path).intact
                samples.append(time.perf_counter() - start)
    return per_call, cached


def _ingest_costs(folder: Path, uploads: int) -> tuple[list[float], list[float]]:
    """CPU seconds of one in-process ``Hub.upload_as`` of ``UPLOAD_ITEMS`` new passages (a
    booth's chain sent in order, as JSON would bring it), per call and with
    ``RecordDigesters`` in turns on one SQLite hub."""
    with Ledger.open(folder / "booth.sqlite3") as ledger:
        _fill(ledger, 2 * uploads * UPLOAD_ITEMS)
        pending = ledger.pending(limit=2 * uploads * UPLOAD_ITEMS)
    items = json.loads(
        json.dumps([{"link": link_to_json(i.link), "record": i.record} for i in pending])
    )
    engine = open_database(f"sqlite:///{folder}/hub.sqlite3")
    hub = Hub(engine, generate_issuer_key())
    token = hub.enrol(BOOTH, hub.create_enrolment_code(BOOTH))
    per_call: list[float] = []
    cached: list[float] = []
    ways = itertools.cycle(((per_call, True), (cached, False)))
    try:
        for first in range(0, len(items), UPLOAD_ITEMS):
            samples, old = next(ways)
            with _digesting(ingest, old):
                start = time.thread_time()
                results = hub.upload_as(token, items[first : first + UPLOAD_ITEMS])
                samples.append(time.thread_time() - start)
            assert results is not None and all(r.status == "ack" for r in results)
    finally:
        engine.dispose()
    return per_call, cached


def _redigest_rows(
    records: tuple[list[float], list[float]],
    verifies: tuple[list[float], list[float]],
    uploads: tuple[list[float], list[float]],
    chain: int,
) -> list[tuple[str, str, str, str]]:
    """Each pair as two rows, per call first; the ratio is of the medians."""
    rows = []
    for what, unit, scale, (per_call, cached) in (
        ("re-digest one stored passage", "µs", 1e6, records),
        (f"verify-ledger over {chain:,} passages", "s", 1.0, verifies),
        (f"hub ingest of one {UPLOAD_ITEMS}-passage upload (CPU)", "ms", 1e3, uploads),
    ):
        before, after = statistics.median(per_call), statistics.median(cached)
        rows += [
            (what, "per call (`record_digests`)", f"{before * scale:.2f} {unit}", len(per_call)),
            (
                what,
                f"one `RecordDigesters`: **{before / after:.2f}x**",
                f"{after * scale:.2f} {unit}",
                len(cached),
            ),
        ]
    return [(what, way, value, str(n)) for what, way, value, n in rows]


def run(quick: bool) -> list[Section]:
    commits = 100 if quick else 2000
    pipelined = 500 if quick else 5000
    chain = 2000 if quick else 100_000
    with tempfile.TemporaryDirectory() as folder:
        with Ledger.open(Path(folder) / "commit.sqlite3") as ledger:
            samples, raw, queued = _side_by_side(ledger, Path(folder) / "raw.sqlite3", commits)
            steps = _breakdown(ledger.path, commits)
            rate = _pipelined_rate(ledger, pipelined)
        big = Path(folder) / "chain.sqlite3"
        with Ledger.open(big) as ledger:
            _fill(ledger, chain)
        opening = _open_costs(big, 5 if quick else 20)
        redigest = _redigest_rows(
            _record_costs(big, 2000),
            _verify_costs(big, 1 if quick else 3),
            _ingest_costs(Path(folder), 5 if quick else 30),
            chain,
        )
    ratio = percentile(samples, 50) / percentile(raw, 50)
    rows = [
        (
            f"commit one passage from a worker thread, waiting for it ({commits} in a row)",
            ms(percentile(samples, 50)),
            ms(percentile(samples, 99)),
            f"{1 / percentile(samples, 50):.0f}/s; p50 {ratio:.2f}x raw sqlite3",
        ),
        (
            f"raw sqlite3, same three rows in one transaction ({commits} in a row)",
            ms(percentile(raw, 50)),
            ms(percentile(raw, 99)),
            f"{1 / percentile(raw, 50):.0f}/s",
        ),
        (
            f"commit one passage from the main thread, through the queue ({commits} in a row)",
            ms(percentile(queued, 50)),
            ms(percentile(queued, 99)),
            f"{1 / percentile(queued, 50):.0f}/s; p50 "
            f"{percentile(queued, 50) / percentile(raw, 50):.2f}x raw sqlite3",
        ),
        (f"passages logged with {IN_FLIGHT} in flight ({pipelined})", "", "", f"{rate:.0f}/s"),
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
                "returned. Beside it, the floor: plain `sqlite3` on the caller's thread writing "
                "the same three rows with the same settings (no writer thread, no digests; "
                "its row is built before timing, the ledger's figure includes building its "
                "row and digests), "
                "one commit of each in turn so both see the same load, both timed on one worker "
                "thread as the booth's intake records; in the same turns, a commit from the "
                "main thread, which always goes through the writer's queue (ratios are from "
                "the same run). "
                "The passage INSERT is one fixed prepared statement and the writer keeps the "
                "chain head, so a commit is BEGIN, 3 INSERTs, COMMIT; "
                "when the writer is idle a worker thread's commit runs on that thread under "
                "the writer's lock, with no queue or wake-up (the GUI thread always queues). "
                "The row's values and both digests are made before BEGIN, outside the lock: "
                "the digests must be of the row as SQLite stored it (an INTEGER column given "
                "'7' stores 7), so `store.affinity` applies the columns' type affinities in "
                "Python where the stored form is certain (text in TEXT columns, numbers in the "
                "REAL temperature, NULL; a property test checks it against SQLite) and the row "
                "is read back in the transaction otherwise; `core.chain.RecordDigester` writes "
                "the canonical text with the keys' order and JSON worked out once per table. "
                "`verify-ledger` re-digests every record and re-walks the chain (timed in "
                "the re-digesting section below); at "
                "start a booth checks only the newest links (the rest in the background). "
                "Includes the fsyncs of the temp folder's file system."
            ),
            body=table(("what", "p50 ms", "p99 ms", "rate"), rows),
        ),
        Section(
            title="Ledger: where a commit's time goes beyond the floor",
            method=(
                "`bench/bench_ledger.py`: each step the ledger's commit does besides the "
                "floor's BEGIN, 3 INSERTs and COMMIT, timed alone "
                f"({commits} calls each, median) on a worker thread against the ledger "
                "written above; the last row is what each commit paid before the digests "
                "were taken ahead of the write. Not shown: the Python between the steps "
                "(the job's frames, the chain head kept per connection, "
                "sqlite-utils' `execute`)."
            ),
            body=table(("step", "median µs"), steps),
        ),
        Section(
            title="Ledger: re-digesting records (verify-ledger, hub ingest)",
            method=(
                "`bench/bench_ledger.py`: where records are digested again in bulk, each "
                "loop keeps one `core.chain.RecordDigester` per record kind and key order "
                "(`RecordDigesters`: a record of another shape is digested the plain way, and "
                "past 8 shapes every further one is) instead of calling `record_digests` per "
                "record (keys sorted and encoded every time). 'per call' is the same code with "
                "`RecordDigesters` replaced by `record_digests` (`unittest.mock.patch` on the "
                "module, in the bench only); the two ways run in turns in this same run and "
                "the ratio is of their medians. Rows: 2,000 passages of the verify ledger "
                "above, read as verify-ledger reads them, digested in 7 passes each; "
                "`verify_ledger` over the whole ledger (a SELECT per record too); "
                f"`Hub.upload_as` in process on a SQLite hub, uploads of {UPLOAD_ITEMS} new "
                "passages of one booth's chain (JSON round-tripped), alternating, CPU time of "
                "the calling thread (`time.thread_time`, parse, digest, check and store). "
                "Restore's `adopt_links` uses the same helper (not timed)."
            ),
            body=table(("what", "way", "median", "samples"), redigest),
        ),
    ]
