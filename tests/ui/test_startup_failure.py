"""A booth that cannot open its ledger says why and what to do, logs it and exits with a status
of its own: the real ``gatehouse run`` process on damaged, missing, read-only and locked
ledgers, and the real window a guard sees."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from gatehouse import config
from gatehouse.booth.startup import StartupProblem, classify
from gatehouse.store import Ledger, LedgerCorruptError
from gatehouse.ui.startup_failure import StartupFailureWindow
from tests.factories import make_passage
from tests.gatehouse_process import run_gatehouse

DEMO_VIDEO = Path(__file__).resolve().parents[2] / "resources" / "demo" / "demo.mp4"


def _booth_files(tmp_path: Path, *, in_use: bool) -> tuple[Path, Path]:
    ledger = tmp_path / "data" / "ledger.sqlite3"
    cfg = config.Config()
    cfg = replace(cfg, store=replace(cfg.store, database=str(ledger), ledger_in_use=in_use))
    # A camera is configured: with none (auto, no webcam) ``run`` is the demo, whose sandbox
    # ledger is not the booth's.
    cfg = replace(cfg, camera=replace(cfg.camera, source=str(DEMO_VIDEO)))
    path = tmp_path / "gatehouse.toml"
    config.save(cfg, path)
    return path, ledger


def _run_booth(tmp_path: Path, cfg: Path) -> subprocess.CompletedProcess[str]:
    return run_gatehouse("run", "--config", str(cfg), home=tmp_path / "home")


def _assert_refused(done: subprocess.CompletedProcess[str], problem: StartupProblem) -> None:
    assert done.returncode == problem.value, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert f"the booth cannot start ({problem.name})" in done.stderr  # logged


def _one_passage(path: Path) -> None:
    with Ledger.open(path) as ledger:
        ledger.record(make_passage()).result()


def test_damaged_ledger_ends_the_start_with_its_own_status(tmp_path: Path) -> None:
    cfg, ledger = _booth_files(tmp_path, in_use=True)
    _one_passage(ledger)
    ledger.write_bytes(b"not a database any more\n" * 500)

    done = _run_booth(tmp_path, cfg)

    _assert_refused(done, StartupProblem.DAMAGED)
    assert "gatehouse restore" in done.stderr


def test_missing_ledger_of_a_booth_that_had_one_is_not_recreated(tmp_path: Path) -> None:
    cfg, ledger = _booth_files(tmp_path, in_use=True)

    done = _run_booth(tmp_path, cfg)

    _assert_refused(done, StartupProblem.MISSING)
    assert "folder missing" in done.stderr
    assert not ledger.exists()


def test_first_start_notes_that_the_booth_now_has_a_ledger(tmp_path: Path) -> None:
    cfg, ledger = _booth_files(tmp_path, in_use=False)
    from gatehouse.booth.ledger_check import open_booth_ledger

    open_booth_ledger(config.load(cfg), None).close()

    assert config.load(cfg).store.ledger_in_use
    ledger.write_bytes(b"")
    _assert_refused(_run_booth(tmp_path, cfg), StartupProblem.MISSING)


@contextmanager
def _read_only(path: Path) -> Iterator[None]:
    """Read-only for this process: chmod does not stop root, the immutable attribute does."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(path)], check=True)
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        path.chmod(0o444)
        try:
            yield
        finally:
            path.chmod(0o644)


def test_read_only_ledger_is_named_as_such(tmp_path: Path) -> None:
    cfg, ledger = _booth_files(tmp_path, in_use=True)
    _one_passage(ledger)

    with _read_only(ledger):
        done = _run_booth(tmp_path, cfg)

    _assert_refused(done, StartupProblem.READ_ONLY)


def test_ledger_locked_by_another_program_is_named_as_such(tmp_path: Path) -> None:
    cfg, ledger = _booth_files(tmp_path, in_use=True)
    _one_passage(ledger)

    with closing(sqlite3.connect(ledger, isolation_level=None)) as other:
        other.execute("BEGIN EXCLUSIVE")
        done = _run_booth(tmp_path, cfg)
        other.execute("ROLLBACK")

    _assert_refused(done, StartupProblem.LOCKED)


@pytest.mark.parametrize(
    ("language", "words"), [("zh", ["已损坏", "信息部门"]), ("en", ["damaged", "Call IT"])]
)
def test_the_window_says_what_happened_and_what_to_do_in_the_guards_language(
    qtbot: QtBot, tmp_path: Path, language: str, words: list[str]
) -> None:
    path = tmp_path / "ledger.sqlite3"
    path.write_bytes(b"garbage" * 1000)
    with pytest.raises(LedgerCorruptError) as caught:
        Ledger.open(path)
    failure = classify(caught.value)
    assert failure is not None

    window = StartupFailureWindow(failure, language)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)

    text = window.words.text()
    assert all(word in text for word in words)
    assert "gatehouse restore" in text
    with qtbot.waitSignal(window.accepted, timeout=2000):
        qtbot.keyClick(window, Qt.Key.Key_Return)


def test_a_ledger_folder_that_cannot_be_made_is_named_as_such(tmp_path: Path) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("a file where the ledger's folder should be")
    cfg, _ledger = _booth_files(tmp_path, in_use=False)

    done = _run_booth(tmp_path, cfg)

    _assert_refused(done, StartupProblem.CANNOT_OPEN)
    assert "[store] database" in done.stderr
