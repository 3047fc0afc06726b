"""The supervisor's desk: passages (search, detail, export), the daily report, list import.

Opened from the booth window after the PIN (``open_desk``), maximised the first time and then
where the supervisor left it; Esc and Ctrl+W close it. Closing it waits for its jobs, so no
worker thread outlives it.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QMainWindow, QPushButton, QTabWidget, QWidget

from gatehouse.ui.background import BackgroundJob
from gatehouse.ui.setup.wizard import SetupWizard
from gatehouse.ui.supervisor.daily_panel import DailyReportPanel
from gatehouse.ui.supervisor.lists_panel import ListImportPanel
from gatehouse.ui.supervisor.log_panel import LogPanel
from gatehouse.ui.supervisor.pin_dialog import PinDialog
from gatehouse.ui.supervisor.policy_panel import PolicyPanel
from gatehouse.ui.supervisor.search_panel import SearchPanel
from gatehouse.ui.supervisor.services import DeskServices
from gatehouse.ui.supervisor.trust_panel import TrustRefusalsPanel


class SupervisorWindow(QMainWindow):
    closed = Signal(QByteArray)  # the window's geometry, to open it there next time

    def __init__(self, services: DeskServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("supervisorWindow")
        self._services = services
        self.setWindowTitle(self.tr("Gatehouse — supervisor"))
        for keys in ("Esc", "Ctrl+W"):
            QShortcut(QKeySequence(keys), self, self.close)
        today = services.clock().astimezone(services.zone).date()
        self.search = SearchPanel(services, today)
        self.daily = DailyReportPanel(services, today)
        self.lists = ListImportPanel(services)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.search, self.tr("Passages"))
        self.tabs.addTab(self.daily, self.tr("Daily report"))
        self.tabs.addTab(self.lists, self.tr("Lists"))
        self.policy = PolicyPanel(services.policy, services.actor) if services.policy else None
        if self.policy is not None:
            self.tabs.addTab(self.policy, self.tr("Policy"))
        self.log = LogPanel(services.log_folder) if services.log_folder else None
        if self.log is not None:
            self.tabs.addTab(self.log, self.tr("Problems log"))
        self.trust = TrustRefusalsPanel(services.queries.path, services.zone)
        self.tabs.addTab(self.trust, self.tr("Trust"))
        self.settings_wizard: SetupWizard | None = None
        if services.setup is not None:
            settings = QPushButton(self.tr("Booth &settings…"))
            settings.setObjectName("boothSettings")
            settings.clicked.connect(self.open_settings)
            self.tabs.setCornerWidget(settings)
        self.setCentralWidget(self.tabs)
        self.statusBar().showMessage(
            self.tr("Exports and reports are saved in %1").replace(
                "%1", str(services.output_folder)
            )
        )

    def open_settings(self) -> None:
        """The setup wizard, pre-filled from the booth's file (the PIN was asked already)."""
        if self._services.setup is None:
            return
        self.settings_wizard = SetupWizard(self._services.setup, parent=self)
        self.settings_wizard.open()

    def jobs(self) -> list[BackgroundJob]:
        jobs = [
            *self.search.jobs,
            self.daily.job,
            self.daily.booth_job,
            *self.lists.jobs,
            self.trust.job,
        ]
        if self.policy is not None:
            jobs.append(self.policy.job)
        if self.log is not None:
            jobs.append(self.log.job)
        return [job for job in jobs if job is not None]

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        if self.search.export_job is not None:
            self.search.export_job.cancel()
        for job in self.jobs():
            job.wait()
        if self.settings_wizard is not None:
            self.settings_wizard.jobs.wait_all()
        self.closed.emit(self.saveGeometry())
        super().closeEvent(event)


def open_desk(
    services: DeskServices, parent: QWidget | None = None, geometry: QByteArray | None = None
) -> SupervisorWindow | None:
    """Ask for the PIN (or the first PIN); the desk opens only when it is accepted, maximised
    or, given the ``geometry`` it was closed with, where it was left."""
    dialog = PinDialog(services)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    window = SupervisorWindow(services, parent)
    show_desk(window, geometry)
    return window


def show_desk(window: SupervisorWindow, geometry: QByteArray | None) -> None:
    if geometry is not None and window.restoreGeometry(geometry):
        window.show()
    else:
        window.showMaximized()
