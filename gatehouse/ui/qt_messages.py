"""Qt's own warnings go to the booth's log, each distinct message once.

Left alone, Qt prints the same line to the terminal again and again (the offscreen platform's
"does not support propagateSizeHints()" at every window); a booth's log must stay readable for
the errors that matter.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

log = logging.getLogger("gatehouse.qt")

_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


class QtMessageLog:
    """The handler: remembers what it logged (messages arrive on any thread)."""

    def __init__(self) -> None:
        self._seen: set[tuple[QtMsgType, str]] = set()
        self._lock = threading.Lock()

    def __call__(self, kind: QtMsgType, _context: QMessageLogContext, message: str) -> None:
        with self._lock:
            if (kind, message) in self._seen:
                return
            self._seen.add((kind, message))
        log.log(_LEVELS.get(kind, logging.WARNING), "%s (said once)", message)


def install_qt_message_log() -> QtMessageLog:
    handler = QtMessageLog()
    qInstallMessageHandler(handler)
    return handler
