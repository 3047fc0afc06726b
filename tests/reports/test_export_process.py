"""Exports written by a real child process: the file, progress, the audit, cancelling, errors."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Mapping
from concurrent.futures import Future
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from gatehouse.reports.cells import IdNumbers
from gatehouse.reports.export import ExportRequest, export_passages
from gatehouse.reports.export_process import ExportProcess, run_export
from gatehouse.reports.failures import ReportFailedError
from gatehouse.reports.progress import CancelToken, JobCancelledError
from gatehouse.reports.table import partial_path
from gatehouse.store import Ledger
from gatehouse.store.audit import AuditKind
from gatehouse.store.queries import PassageFilter, PassageQueries
from tests.reports.test_export import CST, EVIL_NAME, _audit_events, _fill, _read

NOW = datetime(2024, 3, 2, tzinfo=UTC)


def _request(path: Path, format: str = "csv", **fields: Any) -> ExportRequest:
    return ExportRequest(PassageFilter(), path, format, zone=CST, **fields)


def test_the_child_writes_what_the_thread_export_writes_and_reports_progress(
    ledger: Ledger, queries: PassageQueries, tmp_path: Path
) -> None:
    _fill(ledger, 10, holder_name=EVIL_NAME)
    seen: list[tuple[int, int]] = []
    process = ExportProcess(
        ledger.path, _request(tmp_path / "child.csv"), now=NOW, progress_every=4
    )
    assert process.pid not in (None, os.getpid())
    assert process.wait(lambda done, total: seen.append((done, total))) == 10
    assert not process.alive and process.exitcode == 0
    assert seen == [(4, 10), (8, 10), (10, 10)]

    export_passages(
        queries, _request(tmp_path / "thread.csv"), audit=None, booth_id="b", actor="s", now=NOW
    )
    child_rows = _read(tmp_path / "child.csv")
    assert child_rows == _read(tmp_path / "thread.csv")
    assert child_rows[1][child_rows[0].index("姓名 Name")] == "'" + EVIL_NAME


def test_full_id_numbers_are_audited_in_the_parent_before_the_child_starts(
    ledger: Ledger, tmp_path: Path
) -> None:
    _fill(ledger, 3)
    children_while_auditing: list[int] = []

    class WatchedLedger:
        def record_event(self, kind: AuditKind, **fields: Any) -> Future[str]:
            children_while_auditing.append(len(multiprocessing.active_children()))
            return ledger.record_event(kind, **fields)

    path = tmp_path / "full.xlsx"
    done = run_export(
        ledger.path,
        _request(path, "xlsx", id_numbers=IdNumbers.FULL),
        audit=WatchedLedger(),
        booth_id="gate-1",
        actor="supervisor",
        now=NOW,
    )
    assert done.rows == 3 and done.path == path and len(_read(path)) == 4
    assert children_while_auditing == [0]
    (event,) = _audit_events(ledger)
    details = event["details"]
    assert isinstance(details, Mapping)
    assert details["id_numbers"] == "full" and details["file"] == "full.xlsx"


def test_an_export_whose_audit_fails_starts_no_child_and_writes_nothing(
    ledger: Ledger, tmp_path: Path
) -> None:
    class BrokenAudit:
        def record_event(self, kind: AuditKind, **fields: Any) -> Future[str]:
            failed: Future[str] = Future()
            failed.set_exception(OSError(28, "No space left on device"))
            return failed

    with pytest.raises(OSError):
        run_export(
            ledger.path,
            _request(tmp_path / "x.csv"),
            audit=BrokenAudit(),
            booth_id="b",
            actor="s",
            now=NOW,
        )
    assert multiprocessing.active_children() == []
    assert list(tmp_path.glob("x.csv*")) == []


def test_a_cancelled_child_stops_by_itself_and_leaves_no_file(
    ledger: Ledger, tmp_path: Path
) -> None:
    _fill(ledger, 10)
    path = tmp_path / "cancelled.xlsx"
    token = CancelToken()
    token.cancel()  # the desk's Cancel, seen by the waiting thread before the first row
    process = ExportProcess(ledger.path, _request(path, "xlsx"), now=NOW, progress_every=2)
    with pytest.raises(JobCancelledError):
        process.wait(cancel=token)
    assert not process.alive
    assert process.exitcode == 0  # it stopped itself: not terminated
    assert list(tmp_path.glob("cancelled*")) == []


def test_a_child_stuck_in_a_write_is_terminated_and_its_partial_file_removed(
    ledger: Ledger, tmp_path: Path
) -> None:
    _fill(ledger, 3)
    path = tmp_path / "stuck.csv"
    os.mkfifo(partial_path(path))  # nobody reads it: the child blocks opening it, like a dead share
    process = ExportProcess(ledger.path, _request(path), now=NOW)
    process.cancel()
    with pytest.raises(JobCancelledError, match="stopped"):
        process.wait(grace_s=0.5)
    assert not process.alive
    assert process.exitcode == -15  # SIGTERM
    assert list(tmp_path.glob("stuck*")) == []


@pytest.mark.parametrize(
    ("target", "words"),
    [
        ("missing-folder/x.csv", "文件夹不存在 · The folder does not exist"),
        ("/sys/gatehouse-export.csv", "没有写入此处的权限 · No permission to write here"),
    ],
)
def test_an_unwritable_place_comes_back_in_plain_words(
    ledger: Ledger, tmp_path: Path, target: str, words: str
) -> None:
    _fill(ledger, 2)
    path = tmp_path / target  # an absolute target replaces tmp_path
    with pytest.raises(ReportFailedError) as failed:
        run_export(ledger.path, _request(path), audit=None, booth_id="b", actor="s", now=NOW)
    assert str(failed.value).startswith(words)
    assert str(partial_path(path)) in str(failed.value)
    assert not path.exists()


def test_a_full_disk_comes_back_in_plain_words_and_leaves_no_file(
    ledger: Ledger, tmp_path: Path
) -> None:
    _fill(ledger, 50)
    path = tmp_path / "full-disk.csv"
    partial_path(path).symlink_to("/dev/full")  # every write fails with ENOSPC
    with pytest.raises(ReportFailedError, match="磁盘已满,文件未保存 · The disk is full"):
        run_export(ledger.path, _request(path), audit=None, booth_id="b", actor="s", now=NOW)
    assert list(tmp_path.glob("full-disk*")) == []
