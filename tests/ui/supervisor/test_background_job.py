"""A supervisor's job that fails unexpectedly: the words reach the window, the traceback the log."""

from __future__ import annotations

import logging

import pytest
from pytestqt.qtbot import QtBot

from gatehouse.reports.progress import CancelToken, ProgressCallback
from gatehouse.ui.supervisor.background import BackgroundJob


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
