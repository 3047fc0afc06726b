"""Guards against a Qt binding that corrupts the interpreter over a long shift."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    text = Signal(str)


def test_emitting_signals_leaves_reference_counts_alone() -> None:
    """PySide6 6.12.0 dropped a reference to True on every emit: the booth, emitting preview
    frames at 15 fps, aborted with "bool_dealloc" within hours. pyproject excludes it."""
    emitter = _Emitter()
    received: list[str] = []
    emitter.text.connect(received.append)
    before = sys.getrefcount(True)
    for _ in range(10_000):
        emitter.text.emit("frame")
    assert len(received) == 10_000
    assert abs(sys.getrefcount(True) - before) < 100
