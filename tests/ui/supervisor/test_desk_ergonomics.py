"""The desk as a supervisor handles it: keys that close it and search, where it opens, words."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from PySide6.QtCore import QByteArray, QDate, Qt
from pytestqt.qtbot import QtBot

from gatehouse.core.models import Outcome
from gatehouse.core.reasons import reason
from gatehouse.store import Ledger
from gatehouse.ui.supervisor.services import DeskServices
from gatehouse.ui.supervisor.window import SupervisorWindow, show_desk
from tests.factories import make_passage
from tests.ui.supervisor.conftest import DESK_NOW as NOW


def _desk(qtbot: QtBot, services: DeskServices) -> SupervisorWindow:
    window = SupervisorWindow(services)
    qtbot.addWidget(window)
    show_desk(window, None)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # shortcuts reach the active window only
    qtbot.waitUntil(lambda: window.search.shown is not None)
    return window


def test_esc_and_ctrl_w_close_the_desk(qtbot: QtBot, services: DeskServices) -> None:
    for key, modifier in (
        (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
        (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
    ):
        desk = _desk(qtbot, services)
        qtbot.keyClick(desk, key, modifier)

        def closed(desk: SupervisorWindow = desk) -> bool:
            return not desk.isVisible()

        qtbot.waitUntil(closed)


def test_the_desk_opens_maximised_then_where_it_was_left(
    qtbot: QtBot, services: DeskServices
) -> None:
    window = _desk(qtbot, services)
    assert window.isMaximized()
    window.showNormal()
    qtbot.waitUntil(lambda: not window.isMaximized())
    left: list[QByteArray] = []
    window.closed.connect(left.append)
    window.close()
    again = SupervisorWindow(services)
    qtbot.addWidget(again)
    show_desk(again, left[0])
    # as it was left, not maximised (offscreen, the 800x600 screen clamps its place and size)
    assert not again.isMaximized()
    again.close()


def test_enter_in_a_date_field_searches_and_columns_fit_their_content(
    qtbot: QtBot, services: DeskServices, ledger: Ledger
) -> None:
    yellow = reason("health.yellow")
    ledger.record(
        make_passage(
            decided_at=NOW - timedelta(days=10),
            outcome=Outcome.TURN_AWAY,
            reasons=(yellow,),
            id_masked="110105**********1234",
        )
    ).result()
    window = _desk(qtbot, services)
    panel = window.search
    assert panel.results.rowCount() == 0  # ten days ago: outside the default week
    panel.from_date.setDate(QDate(panel.from_date.date().addDays(-7)))
    panel.from_date.setFocus()
    qtbot.keyClick(panel.from_date, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.results.rowCount() == 1)
    id_column = 5
    shown = panel.results.item(0, id_column).text()
    metrics = panel.results.fontMetrics()
    assert panel.results.columnWidth(id_column) >= metrics.horizontalAdvance(shown)
    window.close()


def test_the_reason_filter_speaks_words_and_searches_by_code(
    qtbot: QtBot, services: DeskServices, ledger: Ledger
) -> None:
    ledger.record(
        make_passage(decided_at=NOW, outcome=Outcome.TURN_AWAY, reasons=(reason("health.yellow"),))
    ).result()
    ledger.record(make_passage(decided_at=NOW)).result()
    window = _desk(qtbot, services)
    panel = window.search
    qtbot.waitUntil(lambda: panel.reason.count() == 2)
    assert panel.reason.itemText(1).startswith("健康码 · 健康码黄码")
    assert "health.yellow" not in panel.reason.itemText(1)
    panel.reason.setFocus()
    qtbot.keyClick(panel.reason, Qt.Key.Key_Down)
    qtbot.keyClick(panel.reason, Qt.Key.Key_Return)  # Enter searches from the reason too
    qtbot.waitUntil(lambda: panel.count_label.text() == "1 passage(s) match.")
    window.close()


def test_the_default_range_follows_the_booths_clock(qtbot: QtBot, services: DeskServices) -> None:
    demo_moment = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
    window = SupervisorWindow(replace(services, clock=lambda: demo_moment))
    qtbot.addWidget(window)
    assert window.search.to_date.date() == QDate(2026, 11, 20)
    assert window.daily.day.date() == QDate(2026, 11, 20)
    window.close()
