"""A full disk is named for the guard, and the booth keeps the passages until it can write.

SQLite's own "database or disk is full" path is reached with ``PRAGMA max_page_count`` on the
writer's connection: the same SQLITE_FULL error a full disk gives, without filling one.
"""

from __future__ import annotations

import errno
import sqlite3
from concurrent.futures import wait
from contextlib import closing

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gatehouse.core.gatehouse_pass import encode_pass
from gatehouse.core.keys import generate_issuer_key
from gatehouse.store import Ledger
from gatehouse.store.problems import BUSY, DISK_FULL, IO_ERROR, READ_ONLY, storage_problem
from tests.booth.conftest import FixedClock
from tests.booth.test_service import make_service
from tests.core.factories import CLAIMS, ISSUER, trust_for
from tests.factories import make_passage


def _limit_pages(ledger: Ledger, pages: int) -> None:
    # The writer's own connection: only there does the limit apply (a test-only reach inside).
    ledger._writer.submit(lambda db: db.execute(f"PRAGMA max_page_count={pages}")).result()


def _fill_until_full(ledger: Ledger) -> BaseException:
    pages = ledger._writer.submit(lambda db: db.execute("PRAGMA page_count").fetchone()[0])
    _limit_pages(ledger, pages.result())
    for _ in range(1000):
        error = ledger.record(make_passage(scanned_text="x" * 3000)).exception()
        if error is not None:
            return error
    raise AssertionError("the ledger never filled up")


def test_full_database_is_classified_as_disk_full(ledger: Ledger) -> None:
    error = _fill_until_full(ledger)
    assert isinstance(error, sqlite3.OperationalError)
    assert storage_problem(error) == DISK_FULL
    assert ledger.verify().intact  # the refused write left no half-chained record


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), DISK_FULL),
        (OSError(errno.EROFS, "Read-only file system"), READ_ONLY),
        (OSError(errno.EIO, "Input/output error"), IO_ERROR),
        (ValueError("a bug, not the disk"), None),
    ],
)
def test_os_errors_are_classified(error: BaseException, expected: object) -> None:
    assert storage_problem(error) == expected


def test_locked_and_read_only_databases_are_classified(ledger: Ledger) -> None:
    ledger.record(make_passage()).result()
    with (
        closing(sqlite3.connect(f"{ledger.path.as_uri()}?mode=ro", uri=True)) as read_only,
        pytest.raises(sqlite3.OperationalError) as caught,
    ):
        read_only.execute("DELETE FROM passages")
    assert storage_problem(caught.value) == READ_ONLY
    blocker = sqlite3.connect(ledger.path, isolation_level=None, timeout=0)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        other = sqlite3.connect(ledger.path, timeout=0)
        with pytest.raises(sqlite3.OperationalError) as locked:
            other.execute("BEGIN IMMEDIATE")
        other.close()
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert storage_problem(locked.value) == BUSY


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return generate_issuer_key()


def test_booth_keeps_deciding_on_a_full_disk_and_saves_later(
    ledger: Ledger, key: Ed25519PrivateKey
) -> None:
    service = make_service(ledger, FixedClock(), trust_for(key))
    _fill_until_full(ledger)

    results = [service.handle_scan(encode_pass(CLAIMS, key, ISSUER)) for _ in range(3)]
    wait([r.saved for r in results], timeout=30)

    assert all(r.decision is not None for r in results)  # the guard still gets verdicts
    assert service.storage_problem == DISK_FULL
    assert service.unsaved_count >= 1

    _limit_pages(ledger, 1_000_000)  # space freed
    service.save_pending()
    ledger.close()  # drains the retried writes
    with Ledger.open(ledger.path) as reopened:
        for result in results:
            assert reopened.get(result.passage.passage_id) is not None
        assert reopened.verify().intact
    assert service.unsaved_count == 0
    assert service.storage_problem is None
