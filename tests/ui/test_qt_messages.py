"""Qt's warnings reach the log once each, not once per window."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import qInstallMessageHandler, qWarning
from PySide6.QtWidgets import QApplication

from gatehouse.ui.qt_messages import install_qt_message_log


def test_each_distinct_qt_warning_is_logged_once(
    qapp: QApplication, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="gatehouse.qt")
    install_qt_message_log()
    try:
        for _ in range(3):
            qWarning("This plugin does not support propagateSizeHints()")
        qWarning("another thing")
    finally:
        qInstallMessageHandler(None)
    said = [r.getMessage() for r in caplog.records if r.name == "gatehouse.qt"]
    assert said == [
        "This plugin does not support propagateSizeHints() (said once)",
        "another thing (said once)",
    ]
    assert all(r.levelno == logging.WARNING for r in caplog.records if r.name == "gatehouse.qt")
