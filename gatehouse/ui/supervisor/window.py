"""The supervisor's desk: passages (search, detail, export), the daily report, list import.

Opened from the booth window after the PIN (``open_desk``). Closing it waits for its jobs, so
no worker thread outlives it.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QMainWindow, QPushButton, QTabWidget, QWidget

from gatehouse.ui.setup.wizard import SetupWizard
from gatehouse.ui.supervisor.background import BackgroundJob
from gatehouse.ui.supervisor.daily_panel import DailyReportPanel
from gatehouse.ui.supervisor.lists_panel import ListImportPanel
from gatehouse.ui.supervisor.pin_dialog import PinDialog
from gatehouse.ui.supervisor.policy_panel import PolicyPanel
from gatehouse.ui.supervisor.search_panel import SearchPanel
from gatehouse.ui.supervisor.services import DeskServices
from gatehouse.ui.supervisor.trust_panel import TrustRefusalsPanel


class SupervisorWindow(QMainWindow):
    def __init__(self, services: DeskServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("supervisorWindow")
        self._services = services
        self.setWindowTitle(self.tr("Gatehouse — supervisor"))
        today = datetime.now(UTC).astimezone(services.zone).date()
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
        jobs = [*self.search.jobs, self.daily.job, self.lists.job, self.trust.job]
        if self.policy is not None:
            jobs.append(self.policy.job)
        return [job for job in jobs if job is not None]

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt's name)
        if self.search.export_job is not None:
            self.search.export_job.cancel()
        for job in self.jobs():
            job.wait()
        if self.settings_wizard is not None:
            self.settings_wizard.jobs.wait_all()
        super().closeEvent(event)


def open_desk(services: DeskServices, parent: QWidget | None = None) -> SupervisorWindow | None:
    """Ask for the PIN (or the first PIN); the desk opens only when it is accepted."""
    dialog = PinDialog(services)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    window = SupervisorWindow(services, parent)
    window.show()
    return window
