"""The booth's rotating log file and the latest problems the desk shows from it."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from gatehouse.booth.logfile import LOG_NAME, install_log_file, latest_problems
from gatehouse.cli import start_log_file


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    root = logging.getLogger()
    before = list(root.handlers)
    path = install_log_file(tmp_path / "log")
    try:
        yield path
    finally:
        for handler in set(root.handlers) - set(before):
            root.removeHandler(handler)
            handler.close()


def test_warnings_and_errors_with_their_traceback_are_the_latest_problems(log_file: Path) -> None:
    log = logging.getLogger("gatehouse.test")
    log.setLevel(logging.INFO)
    log.info("the booth started")
    log.warning("thermometer lost")
    try:
        raise OSError("disk full")
    except OSError:
        log.exception("the ledger refused a write")
    problems = latest_problems(log_file.parent)
    assert len(problems) == 2
    assert problems[0].endswith("WARNING gatehouse.test: thermometer lost")
    assert "the ledger refused a write" in problems[1] and "OSError: disk full" in problems[1]
    assert latest_problems(log_file.parent, limit=1) == problems[1:]


def test_rotated_files_are_read_oldest_first(tmp_path: Path) -> None:
    folder = tmp_path / "log"
    folder.mkdir()
    (folder / f"{LOG_NAME}.1").write_text("2026-12-01 08:00:00,000 ERROR a: older\n", "utf-8")
    (folder / LOG_NAME).write_text("2026-12-02 08:00:00,000 ERROR a: newer\n", "utf-8")
    assert [p[-5:] for p in latest_problems(folder)] == ["older", "newer"]
    assert latest_problems(tmp_path / "none") == []


def test_a_log_folder_that_cannot_be_written_does_not_stop_the_booth(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "state"
    blocked.write_text("a file where the log folder should be")
    monkeypatch.setenv("XDG_STATE_HOME", str(blocked))
    assert start_log_file() is None
    assert "no log file" in caplog.text
