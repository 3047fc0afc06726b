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
