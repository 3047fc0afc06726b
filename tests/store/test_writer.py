import sqlite3
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import closing
from pathlib import Path

import pytest
from sqlite_utils import Database

from gatehouse.store import SerialWriter, WriterClosedError


def _values(path: Path) -> list[int]:
    with closing(sqlite3.connect(path)) as conn:
        return [row[0] for row in conn.execute("SELECT x FROM t ORDER BY x")]


def _insert(value: int) -> Callable[[Database], None]:
    def job(db: Database) -> None:
        db.execute("INSERT INTO t VALUES (?)", [value])

    return job


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "writer.sqlite3"


@pytest.fixture
def writer(db_path: Path) -> Iterator[SerialWriter]:
    opened = SerialWriter(db_path)
    opened.submit(lambda db: db.execute("CREATE TABLE t (x INTEGER PRIMARY KEY)")).result()
    yield opened
    opened.close()


def test_future_resolves_after_commit(writer: SerialWriter, db_path: Path) -> None:
    gate = threading.Event()
    writer.submit(lambda db: gate.wait())  # hold the writer so the callback is attached first
    seen: list[list[int]] = []
    future = writer.submit(_insert(1))
    future.add_done_callback(lambda _: seen.append(_values(db_path)))

    gate.set()
    future.result()
    writer.close()  # joins the thread, so the callback has run

    assert seen == [[1]]


def test_failing_job_rolls_back_and_writer_carries_on(writer: SerialWriter, db_path: Path) -> None:
    def insert_then_fail(db: Database) -> None:
        db.execute("INSERT INTO t VALUES (7)")
        raise ValueError("boom")

    with pytest.raises(ValueError, match="boom"):
        writer.submit(insert_then_fail).result()

    writer.submit(_insert(8)).result()
    assert _values(db_path) == [8]


def test_job_result_is_returned_through_the_future(writer: SerialWriter) -> None:
    assert writer.submit(lambda db: db.execute("SELECT 40 + 2").fetchone()[0]).result() == 42


def test_close_runs_every_queued_job_first(writer: SerialWriter, db_path: Path) -> None:
    gate = threading.Event()
    writer.submit(lambda db: gate.wait())
    futures: list[Future[None]] = [writer.submit(_insert(n)) for n in range(50)]
    threading.Timer(0.05, gate.set).start()

    writer.close()

    assert all(f.done() and f.exception() is None for f in futures)
    assert _values(db_path) == list(range(50))


def test_submit_after_close_raises(writer: SerialWriter) -> None:
    writer.close()
    with pytest.raises(WriterClosedError):
        writer.submit(_insert(1))


def test_open_failure_is_raised_by_the_constructor(tmp_path: Path) -> None:
    with pytest.raises(sqlite3.OperationalError):
        SerialWriter(tmp_path / "missing-folder" / "writer.sqlite3")


def _in_worker(fn: Callable[[], object]) -> object:
    """Run ``fn`` on a thread other than the main one (as the booth's intake worker does)."""
    results: list[object] = []
    worker = threading.Thread(target=lambda: results.append(fn()))
    worker.start()
    worker.join()
    return results[0]


def test_idle_writer_runs_a_worker_threads_job_on_that_thread(
    writer: SerialWriter, db_path: Path
) -> None:
    def job(db: Database) -> str:
        db.execute("INSERT INTO t VALUES (1)")
        return threading.current_thread().name

    ran_on = _in_worker(lambda: (threading.current_thread().name, writer.submit(job).result()))

    assert isinstance(ran_on, tuple) and ran_on[0] == ran_on[1]
    assert _values(db_path) == [1]


def test_main_thread_jobs_always_go_to_the_writer_thread(writer: SerialWriter) -> None:
    name = writer.submit(lambda db: threading.current_thread().name).result()

    assert name == "gatehouse-writer"


def test_a_busy_writer_queues_worker_jobs_in_order(writer: SerialWriter, db_path: Path) -> None:
    gate = threading.Event()
    writer.submit(lambda db: gate.wait())
    futures = _in_worker(lambda: [writer.submit(_insert(n)) for n in range(5)])
    assert isinstance(futures, list)
    threading.Timer(0.05, gate.set).start()

    assert [f.result() for f in futures] == [None] * 5
    assert _values(db_path) == list(range(5))


def test_a_failing_inline_job_rolls_back_and_the_writer_carries_on(
    writer: SerialWriter, db_path: Path
) -> None:
    def insert_then_fail(db: Database) -> None:
        db.execute("INSERT INTO t VALUES (7)")
        raise ValueError("boom")

    failed = _in_worker(lambda: writer.submit(insert_then_fail).exception())

    assert isinstance(failed, ValueError)
    writer.submit(_insert(8)).result()
    _in_worker(lambda: writer.submit(_insert(9)).result())
    assert _values(db_path) == [8, 9]


def test_close_waits_for_a_job_running_on_its_callers_thread(
    writer: SerialWriter, db_path: Path
) -> None:
    started, gate = threading.Event(), threading.Event()

    def slow(db: Database) -> None:
        started.set()
        gate.wait()
        db.execute("INSERT INTO t VALUES (3)")

    worker = threading.Thread(target=lambda: writer.submit(slow))
    worker.start()
    started.wait()
    threading.Timer(0.05, gate.set).start()
    writer.close()
    worker.join()

    assert _values(db_path) == [3]
