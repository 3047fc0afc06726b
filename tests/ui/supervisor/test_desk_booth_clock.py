"""The desk starts from the booth's clock: in demo mode (demo clock, passages weeks in the past)
its default search shows the latest passages, and its reports and exports are stamped with that
clock's time; and its problems tab shows the booth's log."""

from __future__ import annotations

import dataclasses
import logging
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pypdf
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from gatehouse.booth.logfile import install_log_file
from gatehouse.demo import DemoManifest
from gatehouse.store import Ledger
from gatehouse.ui.supervisor.services import DeskServices
from gatehouse.ui.supervisor.window import SupervisorWindow
from tests.factories import make_passage


def test_the_default_search_shows_the_demo_clocks_latest_passages(
    qtbot: QtBot, services: DeskServices, ledger: Ledger
) -> None:
    moment = DemoManifest.load().clock_start
    for minutes in (1, 2, 3):
        ledger.record(make_passage(decided_at=moment + timedelta(minutes=minutes))).result()
    window = SupervisorWindow(dataclasses.replace(services, clock=lambda: moment))
    qtbot.addWidget(window)
    try:
        panel = window.search
        qtbot.mouseClick(panel.search_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "match" in panel.count_label.text())
        assert panel.results.rowCount() == 3
    finally:
        window.close()


def test_the_problems_tab_shows_the_latest_errors_of_the_log(
    qtbot: QtBot, services: DeskServices, tmp_path: Path
) -> None:
    folder = tmp_path / "log"
    root = logging.getLogger()
    handlers = list(root.handlers)
    install_log_file(folder)
    try:
        logging.getLogger("gatehouse.sync").error("the hub answered garbage")
    finally:
        for handler in set(root.handlers) - set(handlers):
            root.removeHandler(handler)
            handler.close()
    window = SupervisorWindow(dataclasses.replace(services, log_folder=folder))
    qtbot.addWidget(window)
    try:
        log = window.log
        assert log is not None
        window.show()
        window.tabs.setCurrentWidget(log)
        qtbot.waitUntil(lambda: "garbage" in log.text.toPlainText())
        assert "ERROR gatehouse.sync" in log.text.toPlainText()
    finally:
        window.close()
    assert SupervisorWindow(services).log is None  # outside a booth: no log tab


def test_the_report_and_export_stamps_are_the_desks_clock(
    qtbot: QtBot, services: DeskServices, ledger: Ledger
) -> None:
    """The demo clock is weeks before the wall clock: a stamp from the wall clock would name a
    file, and print a time, that no passage in the desk's day has anywhere near."""
    moment = DemoManifest.load().clock_start.replace(microsecond=0)
    ledger.record(make_passage(decided_at=moment - timedelta(minutes=5))).result()
    window = SupervisorWindow(dataclasses.replace(services, clock=lambda: moment))
    qtbot.addWidget(window)
    local = moment.astimezone(services.zone)
    try:
        panel = window.daily
        window.tabs.setCurrentWidget(panel)
        qtbot.mouseClick(panel.make_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "Report saved" in panel.status.text(), timeout=20_000)
        (report,) = services.output_folder.glob("daily-report-*.pdf")
        assert report.name.endswith(f"-{local:%Y%m%d-%H%M%S}.pdf")
        text = pypdf.PdfReader(report).pages[0].extract_text()
        assert f"{local:%Y-%m-%d %H:%M}" in text  # the report's "made at"

        search = window.search
        window.tabs.setCurrentWidget(search)
        qtbot.mouseClick(search.search_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "match" in search.count_label.text())
        qtbot.mouseClick(search.export_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "exported to" in search.export_status.text(), timeout=30_000)
        (export,) = services.output_folder.glob("passages-*.csv")
        assert export.name == f"passages-{local:%Y%m%d-%H%M%S}.csv"
    finally:
        window.close()
    with sqlite3.connect(ledger.path) as conn:
        stamps = [row[0] for row in conn.execute("SELECT at FROM audit_events WHERE kind='export'")]
    assert [datetime.fromisoformat(at) for at in stamps] == [moment]  # the audit's time too
