"""Small widget helpers shared by the panels."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel


def named_label(name: str, text: str = "", *, centred: bool = True) -> QLabel:
    """A QLabel with an object name, so tests and style sheets can find it."""
    label = QLabel(text)
    label.setObjectName(name)
    if centred:
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


class ElidedLabel(QLabel):
    """A status-bar label whose words end in "…" where the bar is too narrow for them (a camera
    stream's address on a 1024x768 monitor) instead of being cut off unseen; the whole text is
    its tooltip. The start, which says the state, is always kept."""

    MIN_WIDTH = 120

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.full_text = ""

    def set_full_text(self, text: str) -> None:
        self.full_text = text
        self.setToolTip(text)
        self.updateGeometry()
        self._elide()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        margins = self.contentsMargins()
        width = self.fontMetrics().horizontalAdvance(self.full_text) + margins.left() + 4
        return QSize(width + margins.right(), super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(
            min(self.sizeHint().width(), self.MIN_WIDTH), super().minimumSizeHint().height()
        )

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = max(0, self.contentsRect().width())
        self.setText(
            self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight, width)
        )
