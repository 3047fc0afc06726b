"""The daily report (日报告) for a chosen day and booth, made as a PDF on a worker thread.

The booth list is every booth the ledger has passages of (as the search offers); the names of
who filled the report in, who approved it and a phone are printed on it. The file name says
the day, the booths and when it was made, so a one-booth report never overwrites the all-booths
one and a report made at noon never overwrites the evening's.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gatehouse.reports.daily import daily_figures
from gatehouse.reports.daily_pdf import ReportPeople, render_daily_report
from gatehouse.ui.background import BackgroundJob
from gatehouse.ui.supervisor.search_panel import date_edit, from_qdate, named
from gatehouse.ui.supervisor.services import DeskServices


class DailyReportPanel(QWidget):
    def __init__(self, services: DeskServices, today: date) -> None:
        super().__init__()
        self._services = services
        self.job: BackgroundJob | None = None
        self.day = date_edit("reportDate", today)
        self.booth = named(QComboBox(), "reportBooth")
        self.booth.addItem(self.tr("All booths"), "")
        self.booth.addItem(services.booth_id, services.booth_id)
        self.filled_in_by = named(QLineEdit(), "reportFilledInBy")
        self.approved_by = named(QLineEdit(), "reportApprovedBy")
        self.phone = named(QLineEdit(), "reportPhone")
        self.make_button = named(QPushButton(self.tr("Make daily report (PDF)")), "makeReport")
        self.status = named(QLabel(), "reportStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout()
        form.addRow(self.tr("Day"), self.day)
        form.addRow(self.tr("Booth"), self.booth)
        form.addRow(self.tr("Filled in by"), self.filled_in_by)
        form.addRow(self.tr("Approved by"), self.approved_by)
        form.addRow(self.tr("Phone"), self.phone)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                self.tr("A report is made for every day, also when nothing happened (zero report).")
            )
        )
        layout.addLayout(form)
        layout.addWidget(self.make_button)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.make_button.clicked.connect(self.make_report)
        self.booth_job = BackgroundJob(
            lambda _p, _c: services.queries.booth_ids(), "report-booths", self
        )
        self.booth_job.succeeded.connect(self._fill_booths)
        self.booth_job.start()

    def _fill_booths(self, booths: list[str]) -> None:
        for booth in booths:
            if self.booth.findData(booth) < 0:
                self.booth.addItem(booth, booth)

    def make_report(self) -> None:
        if self.job is not None and self.job.running:
            return
        services = self._services
        day = from_qdate(self.day.date())
        booth = self.booth.currentData()
        people = ReportPeople(
            self.filled_in_by.text().strip(),
            self.approved_by.text().strip(),
            self.phone.text().strip(),
        )

        def work(_progress: object, _cancel: object) -> Path:
            now = services.clock().astimezone(services.zone)
            path = services.output_folder / (
                f"daily-report-{day.isoformat()}-{booth or 'all-booths'}-{now:%Y%m%d-%H%M%S}.pdf"
            )
            services.output_folder.mkdir(parents=True, exist_ok=True)
            figures = daily_figures(
                services.queries, day, services.zone, (booth,) if booth else (), now
            )
            render_daily_report(
                figures, path, mine_name=services.mine_name, generated_at=now, people=people
            )
            return path

        self.make_button.setEnabled(False)
        self.status.setText(self.tr("Making the report…"))
        job = BackgroundJob(work, "daily-report", self)
        job.succeeded.connect(
            lambda made: self.status.setText(self.tr("Report saved: %1").replace("%1", str(made)))
        )
        job.failed.connect(
            lambda error: self.status.setText(self.tr("No report: %1").replace("%1", error))
        )
        job.ended.connect(lambda: self.make_button.setEnabled(True))
        self.job = job
        job.start()
