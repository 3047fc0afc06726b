"""The booth's health in words: sync, office data age, clock, disk, loudspeaker, and the
banners that must not be missed (hub unreachable, disk refusing writes, automatic admits
stopped, a background worker that failed unexpectedly).

Only paints ``BoothStatus`` snapshots collected on a worker thread (gatehouse.booth.status).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

from PySide6.QtWidgets import QLabel, QStatusBar, QVBoxLayout, QWidget

from gatehouse.booth.status import BoothStatus
from gatehouse.sync.worker import SyncStatus
from gatehouse.ui.widgets import ElidedLabel, named_label

_BANNER = "font-size:20px; font-weight:bold; padding:8px; color:white; background:{};"
_OFFLINE_COLOUR = "#5f6368"
_PROBLEM_COLOUR = "#b3261e"
_BLOCKED_COLOUR = "#2457a6"


def _banner(name: str, colour: str) -> QLabel:
    label = named_label(name)
    label.setWordWrap(True)
    label.setStyleSheet(_BANNER.format(colour))
    label.hide()
    return label


class StatusStrip(QWidget):
    """The banners (put above the preview) and the status-bar labels (``install``)."""

    def __init__(self, language: str, zone: tzinfo | None = None) -> None:
        super().__init__()
        self._language = language
        self._zone = zone or datetime.now(UTC).astimezone().tzinfo or UTC
        self.offline_banner = _banner("offlineBanner", _OFFLINE_COLOUR)
        self.storage_banner = _banner("storageBanner", _PROBLEM_COLOUR)
        self.blocked_banner = _banner("admitsStoppedBanner", _BLOCKED_COLOUR)
        self.worker_banner = _banner("workerFaultBanner", _PROBLEM_COLOUR)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        banners = (self.offline_banner, self.storage_banner, self.blocked_banner)
        for banner in (*banners, self.worker_banner):
            layout.addWidget(banner)
        self.sync_label = named_label("syncStatus", self.tr("Sync: starting…"))
        self.data_age_label = named_label("dataAge")
        self.clock_label = named_label("clockWarning")
        self.clock_label.setStyleSheet(f"color:white; background:{_PROBLEM_COLOUR}; padding:2px;")
        self.clock_label.hide()
        self.loudspeaker_label = ElidedLabel("loudspeakerStatus")  # an error can be long
        self.loudspeaker_label.setStyleSheet(self.clock_label.styleSheet())
        self.loudspeaker_label.hide()

    def install(self, status_bar: QStatusBar) -> None:
        labels = (self.sync_label, self.data_age_label, self.clock_label, self.loudspeaker_label)
        for label in labels:
            status_bar.addWidget(label)

    def show_loudspeaker(self, words: str) -> None:
        """What failed ("" once it plays again): "…" where the bar is narrow, whole in the
        tooltip, so the status bar never outgrows a 1366-px screen."""
        self.loudspeaker_label.set_full_text(words)
        self.loudspeaker_label.setVisible(bool(words))

    def show_status(self, status: BoothStatus) -> None:
        self._show_sync(status)
        problem = status.storage_problem
        if problem is None:
            self.storage_banner.hide()
        else:
            words = problem.zh if self._language == "zh" else problem.en
            kept = self.tr("%n passage(s) waiting to be written.", "", status.unsaved)
            self.storage_banner.setText(f"⚠ {words} {kept}" if status.unsaved else f"⚠ {words}")
            self.storage_banner.show()
        self._show_blockers(status)
        self._show_faults(status)

    def _show_blockers(self, status: BoothStatus) -> None:
        """Why admits are stopped; an office document this release refuses is worse (nobody is
        decided at all), so it says the booth refers everyone, in red, and on the data label."""
        if not status.admit_blockers:
            self.blocked_banner.hide()
            return
        why = "\n".join(r.zh if self._language == "zh" else r.en for r in status.admit_blockers)
        if status.refused_documents:
            self.data_age_label.setText(self.tr("Office data: refused, everyone is referred"))
            words = self.tr("THIS BOOTH REFERS EVERYONE: call the supervisor.\n%1")
            colour = _PROBLEM_COLOUR
        else:
            words = self.tr("Automatic admits stopped, refer to the supervisor:\n%1")
            colour = _BLOCKED_COLOUR
        words = words.replace("%1", why)
        remedy = self._how_to_get_data(status.sync)
        self.blocked_banner.setText(f"{words}\n{remedy}" if remedy else words)
        self.blocked_banner.setStyleSheet(_BANNER.format(colour))
        self.blocked_banner.show()

    def _show_faults(self, status: BoothStatus) -> None:
        """Workers' unexpected failures, in the words the supervisor keeps (zh and en)."""
        faults = status.worker_faults
        if not faults:
            self.worker_banner.hide()
            return
        lines = [
            f"⚠ {self._local(f.at)} {f.zh if self._language == 'zh' else f.en}" for f in faults
        ]
        self.worker_banner.setText("\n".join(lines))
        self.worker_banner.show()

    def _show_sync(self, status: BoothStatus) -> None:
        sync = status.sync
        if sync is None:
            self.sync_label.setText(self.tr("Sync: no hub set up"))
            self.data_age_label.setText(self.tr("Office data: built-in only"))
            self.offline_banner.hide()
            self.clock_label.hide()
            return
        backlog = self.tr("%n waiting to send", "", sync.backlog)
        if sync.last_success is None:
            self.sync_label.setText(self.tr("Sync: never yet · %1").replace("%1", backlog))
        else:
            self.sync_label.setText(
                self.tr("Sync: last %1 · %2")
                .replace("%1", self._local(sync.last_success))
                .replace("%2", backlog)
            )
        self.sync_label.setToolTip(sync.last_error or "")
        self.data_age_label.setText(self._data_age(sync, status.at))
        if status.hub_unreachable:
            self.offline_banner.setText(self._offline_words(sync))
            self.offline_banner.show()
        else:
            self.offline_banner.hide()
        if sync.clock_skew_alarm and sync.clock_skew is not None:
            minutes = round(abs(sync.clock_skew) / timedelta(minutes=1))
            self.clock_label.setText(
                self.tr("Clock is %1 min off the hub: have the time checked").replace(
                    "%1", str(minutes)
                )
            )
            self.clock_label.show()
        else:
            self.clock_label.hide()

    def _how_to_get_data(self, sync: SyncStatus | None) -> str:
        """What brings the office data (risk areas, lists, rules) to a booth that never had it:
        a new booth refers everyone, and the guard must know it is not broken."""
        if sync is None:
            return self.tr(
                "This booth has no office data yet: it is not connected to a hub. Enrol it "
                "(F12, then Booth settings…, or gatehouse setup) with the code from the "
                "epidemic office."
            )
        if sync.last_success is None:
            return self.tr(
                "The office data arrives at the first sync with the hub: check the network."
            )
        return ""

    def _offline_words(self, sync: SyncStatus) -> str:
        if sync.last_success is None:
            return self.tr("OFFLINE: the hub cannot be reached. Passages are kept and sent later.")
        return self.tr(
            "OFFLINE: the hub cannot be reached since %1. Passages are kept and sent later."
        ).replace("%1", self._local(sync.last_success))

    def _data_age(self, sync: SyncStatus, now: datetime) -> str:
        age = sync.data_age(now)
        if age is None:
            return self.tr("Office data: never received")
        hours = max(0, int(age / timedelta(hours=1)))
        if hours == 0:
            return self.tr("Office data: current")
        return self.tr("Office data: %n hour(s) old", "", hours)

    def _local(self, moment: datetime) -> str:
        return moment.astimezone(self._zone).strftime("%m-%d %H:%M")
