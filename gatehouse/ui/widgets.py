"""Small widget helpers shared by the panels."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel


def named_label(name: str, text: str = "", *, centred: bool = True) -> QLabel:
    """A QLabel with an object name, so tests and style sheets can find it."""
    label = QLabel(text)
    label.setObjectName(name)
    if centred:
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label
