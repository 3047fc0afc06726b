"""A background job that fails unexpectedly: the words reach the window, the traceback the log."""

from __future__ import annotations

import logging
import threading

import pytest
import shiboken6
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from gatehouse.reports.progress import CancelToken, ProgressCallback
from gatehouse.ui.background import BackgroundJob


def test_an_unexpected_error_is_shown_and_logged_with_its_traceback(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    def work(_progress: ProgressCallback, _cancel: CancelToken) -> None:
        raise KeyError("column 'holder_name'")

    job = BackgroundJob(work, "export")
    with caplog.at_level(logging.ERROR), qtbot.waitSignal(job.failed, timeout=10_000) as failed:
        job.start()
    assert job.wait(10)
    assert "holder_name" in failed.args[0]
    (record,) = [r for r in caplog.records if "background job export failed" in r.getMessage()]
    assert record.exc_info is not None and record.exc_info[0] is KeyError


def test_a_job_outliving_its_window_ends_quietly(
    qtbot: QtBot, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The window that started a job was destroyed without waiting: the job's signals have no
    source any more, and the worker thread ends without an exception nobody would see."""
    thread_errors: list[threading.ExceptHookArgs] = []
    monkeypatch.setattr(threading, "excepthook", thread_errors.append)
    release = threading.Event()

    def work(progress: ProgressCallback, _cancel: CancelToken) -> str:
        release.wait(10)
        progress(1, 1)
        return "done"

    window = QWidget()
    job = BackgroundJob(work, "trust", parent=window)
    job.start()
    shiboken6.delete(window)  # destroys the job with it, as a closed, deleted window does
    with caplog.at_level(logging.INFO):
        release.set()
        job._thread.join(10)
        assert not job._thread.is_alive()
    assert thread_errors == []
    assert any("after the window that started it" in r.getMessage() for r in caplog.records)
