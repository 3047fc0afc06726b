"""The status strip's words for a booth that synced before: last sync and backlog, data age,
a disputed clock, automatic admits stopped, and the offline banner once the hub stops answering."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtWidgets import QStatusBar
from pytestqt.qtbot import QtBot

from gatehouse.booth.status import BoothStatus
from gatehouse.core.decision import RefusedBundle
from gatehouse.core.reasons import reason
from gatehouse.store.problems import READ_ONLY
from gatehouse.supervision import Supervisor
from gatehouse.sync.worker import SyncStatus
from gatehouse.ui.guard.status_strip import StatusStrip
from tests.core.factories import NOW
from tests.ui.supervisor.conftest import CST

SYNCED = SyncStatus(
    last_attempt=NOW - timedelta(hours=5),
    last_success=NOW - timedelta(hours=5),
    backlog=7,
    clock_skew=timedelta(minutes=-9),
)


def strip(qtbot: QtBot) -> StatusStrip:
    """The strip with its labels in a status bar that the strip keeps alive (as a window would)."""
    shown = StatusStrip("en", CST)
    bar = QStatusBar(shown)
    shown.install(bar)
    qtbot.addWidget(shown)
    shown.show()
    return shown


def test_a_booth_that_synced_hours_ago_with_a_wrong_clock(qtbot: QtBot) -> None:
    shown = strip(qtbot)
    stale = reason("data.risk_list_stale", hours=30, max_hours=24)
    shown.show_status(BoothStatus(NOW, SYNCED, READ_ONLY, 2, (stale,)))

    assert shown.sync_label.text() == "Sync: last 05-01 11:00 · 7 waiting to send"
    assert shown.data_age_label.text() == "Office data: 5 hour(s) old"
    assert shown.clock_label.isVisible() and "9 min off the hub" in shown.clock_label.text()
    assert shown.storage_banner.isVisible()
    assert (
        "read-only" in shown.storage_banner.text() and "2 passage(s)" in shown.storage_banner.text()
    )
    assert shown.blocked_banner.isVisible() and stale.en in shown.blocked_banner.text()
    assert not shown.offline_banner.isVisible()

    failing = SyncStatus(
        last_attempt=NOW, last_success=SYNCED.last_success, last_error="connection refused"
    )
    shown.show_status(BoothStatus(NOW, failing, None, 0, ()))
    assert shown.offline_banner.isVisible()
    assert "since 05-01 11:00" in shown.offline_banner.text()
    assert shown.sync_label.toolTip() == "connection refused"
    assert not shown.storage_banner.isVisible() and not shown.blocked_banner.isVisible()
    assert not shown.clock_label.isVisible()


def test_a_refused_office_document_says_the_booth_refers_everyone(qtbot: QtBot) -> None:
    shown = strip(qtbot)
    refused = RefusedBundle("policy", 4, "rules must be a list").reason
    shown.show_status(BoothStatus(NOW, SYNCED, None, 0, (refused,)))
    text = shown.blocked_banner.text()
    assert shown.blocked_banner.isVisible() and refused.en in text
    assert text.startswith("THIS BOOTH REFERS EVERYONE: call the supervisor.")
    assert "#b3261e" in shown.blocked_banner.styleSheet()  # red as a fault, not the blue pause
    assert shown.data_age_label.text() == "Office data: refused, everyone is referred"

    stale = reason("data.risk_list_stale", hours=30, max_hours=24)  # a pause keeps its words
    shown.show_status(BoothStatus(NOW, SYNCED, None, 0, (stale,)))
    assert shown.blocked_banner.text().startswith("Automatic admits stopped")
    assert "#2457a6" in shown.blocked_banner.styleSheet()
    assert shown.data_age_label.text() == "Office data: 5 hour(s) old"
    shown.show_status(BoothStatus(NOW, SYNCED, None, 0, ()))  # the office's correction arrived
    assert not shown.blocked_banner.isVisible()


def test_a_booth_without_a_hub_shows_no_offline_banner(qtbot: QtBot) -> None:
    shown = strip(qtbot)
    shown.show_status(BoothStatus(NOW, None, None, 0, ()))
    assert shown.sync_label.text() == "Sync: no hub set up"
    assert not shown.offline_banner.isVisible()


def test_a_worker_that_failed_unexpectedly_is_shown_in_words(qtbot: QtBot) -> None:
    supervisor = Supervisor(clock=lambda: NOW)
    supervisor.failed("sync", RuntimeError("boom"))
    supervisor.failed("camera", OSError("gone"))
    supervisor.recovered("camera")
    shown = strip(qtbot)
    shown.show_status(BoothStatus(NOW, SYNCED, None, 0, (), supervisor.faults()))

    text = shown.worker_banner.text()
    assert shown.worker_banner.isVisible()
    assert "Sync with the hub failed unexpectedly (RuntimeError: boom; 1× in a row)" in text
    assert "Camera hit an unexpected error (OSError: gone), was restarted and works again" in text

    chinese = StatusStrip("zh", CST)
    qtbot.addWidget(chinese)
    chinese.show()
    chinese.show_status(BoothStatus(NOW, SYNCED, None, 0, (), supervisor.faults()))
    assert "与中心同步意外出错" in chinese.worker_banner.text()

    shown.show_status(BoothStatus(NOW, SYNCED, None, 0, ()))
    assert not shown.worker_banner.isVisible()
