"""Small widget helpers shared by the panels."""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QResizeEvent, QTextLayout, QTextOption
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


class BudgetLabel(QLabel):
    """A word-wrapped label that asks the window for at most ``lines`` lines, so a long reason
    or prompt never makes the booth window taller than a 768-px screen. Given more height it
    shows more; words that do not fit end in "…" and the whole text is the tooltip. ``text()``
    stays the whole text (the log, screen readers and tests read it)."""

    def __init__(self, name: str, lines: int) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.lines = lines

    def set_lines(self, lines: int) -> None:
        """A new line budget (labels sharing a window's height hand lines to each other)."""
        if lines != self.lines:
            self.lines = lines
            self.updateGeometry()
            self.setToolTip(self.text() if self._cut() else "")

    def budget(self) -> int:
        """The most height the label asks for: ``lines`` lines and its margins."""
        margins = self.contentsMargins()
        text_lines = self.lines * self.fontMetrics().lineSpacing()
        return text_lines + margins.top() + margins.bottom() + 2 * self.margin()

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt's name)
        return min(super().heightForWidth(width), self.budget())

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        hint = super().sizeHint()
        return QSize(hint.width(), min(hint.height(), self.budget()))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        hint = super().minimumSizeHint()
        return QSize(hint.width(), min(hint.height(), self.budget()))

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self.setToolTip(self.text() if self._cut() else "")

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        super().setText(text)
        self.setToolTip(text if self._cut() else "")

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        if not self._cut():
            super().paintEvent(event)
            return
        box, spacing = self._text_box(), self.fontMetrics().lineSpacing()
        shown = self.shown_lines()
        align = self.alignment() & Qt.AlignmentFlag.AlignHorizontal_Mask
        top = box.top() + (box.height() - len(shown) * spacing) // 2
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.setFont(self.font())
        for index, line in enumerate(shown):
            row = QRect(box.left(), top + index * spacing, box.width(), spacing)
            painter.drawText(row, align | Qt.AlignmentFlag.AlignVCenter, line)
        painter.end()

    def shown_lines(self) -> list[str]:
        """The lines the label shows at its size (its paragraphs when the whole text fits)."""
        if not self._cut():
            return self.text().split("\n")
        box = self._text_box()
        return self._fitting_lines(box.width(), box.height() // self.fontMetrics().lineSpacing())

    def _text_box(self) -> QRect:
        inset = self.margin()
        return self.contentsRect().adjusted(inset, inset, -inset, -inset)

    def _cut(self) -> bool:
        """True when the whole text needs more height than the label has."""
        return super().heightForWidth(self.width()) > self.height()

    def _fitting_lines(self, width: int, room: int) -> list[str]:
        """The text wrapped at ``width``, at most ``room`` lines; the last holds the rest (its
        lines joined by " · ") and ends in "…" where words were left out."""
        wrapped: list[tuple[str, bool]] = []  # (line, whether it starts a line of the text)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        for paragraph in self.text().split("\n"):
            layout = QTextLayout(paragraph, self.font())
            layout.setTextOption(option)
            layout.beginLayout()
            while (line := layout.createLine()).isValid():
                line.setLineWidth(width)
                start = line.textStart()
                wrapped.append((paragraph[start : start + line.textLength()].strip(), start == 0))
            layout.endLayout()
        room = max(1, room)
        if len(wrapped) <= room:
            return [line for line, _ in wrapped]
        rest = wrapped[room - 1][0] + "".join(
            (" · " if starts else " ") + line for line, starts in wrapped[room:]
        )
        last = self.fontMetrics().elidedText(rest, Qt.TextElideMode.ElideRight, width)
        return [*(line for line, _ in wrapped[: room - 1]), last]
