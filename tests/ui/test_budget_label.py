"""A long reason or prompt asks for at most its line budget, and where it is cut the guard
sees "…" and the whole text stays in the label (its tooltip, ``text()``)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from gatehouse.ui.widgets import BudgetLabel

REASONS = "\n".join(
    f"Check {n} passed: the health code was green and the test was negative" for n in range(8)
)


def test_a_long_text_asks_for_its_budget_and_ends_in_an_ellipsis(qtbot: QtBot) -> None:
    label = BudgetLabel("verdictReasons", 2)
    qtbot.addWidget(label)
    label.setStyleSheet("font-size:20px; padding:6px;")
    label.setText(REASONS)
    label.resize(500, 100)
    label.show()
    QApplication.processEvents()
    budget = label.budget()
    assert budget == 2 * label.fontMetrics().lineSpacing() + 12
    assert label.minimumSizeHint().height() <= budget
    assert label.sizeHint().height() <= budget
    assert label.heightForWidth(500) == budget
    label.resize(500, budget)
    shown = label.shown_lines()
    assert len(shown) == 2 and shown[0] in REASONS and shown[-1].endswith("…")
    assert " · Check 1 passed" in shown[-1]  # the text's own lines stay apart
    assert all(label.fontMetrics().horizontalAdvance(line) <= 500 for line in shown)
    assert label.toolTip() == label.text() == REASONS
    label.resize(500, 10 * budget)  # given the room, it shows everything, no tooltip needed
    assert label.shown_lines() == REASONS.split("\n")
    assert label.toolTip() == ""


def test_a_short_text_is_a_plain_label(qtbot: QtBot) -> None:
    label = BudgetLabel("guardPrompt", 2)
    qtbot.addWidget(label)
    label.setText("Scan the pass first, then press F7.")
    label.resize(800, label.heightForWidth(800))
    label.show()
    assert label.heightForWidth(800) < label.budget()
    assert label.shown_lines() == ["Scan the pass first, then press F7."]
    assert label.toolTip() == ""
