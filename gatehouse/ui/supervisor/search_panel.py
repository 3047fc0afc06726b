"""Passage search with filters, the results table, the chosen passage in full, and exports
(the search's passages, or the contractor ledger for the search's dates).

Searches run on worker threads; an export is written by a child process (its worker thread
only records the audit event and waits), shows its progress and can be cancelled.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gatehouse.core.models import Outcome
from gatehouse.reports.cells import IdNumbers
from gatehouse.reports.columns import (
    Row,
    deciding_first,
    final_outcome,
    last_override,
    local_time,
    outcome_text,
)
from gatehouse.reports.contractor_ledger import ContractorLedgerRequest
from gatehouse.reports.export import ExportDone, ExportRequest, TableExport
from gatehouse.reports.export_process import ExportProcess, run_export
from gatehouse.reports.progress import CancelToken, ProgressCallback
from gatehouse.reports.reason_words import category, label
from gatehouse.reports.sinks import WRITERS
from gatehouse.store.queries import PassageFilter
from gatehouse.ui.background import BackgroundJob, Work
from gatehouse.ui.role_words import ROLES, role_words
from gatehouse.ui.supervisor.detail_view import PassageDetail
from gatehouse.ui.supervisor.services import DeskServices

RESULT_LIMIT = 1000
MAX_COLUMN_PX = 320


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def date_edit(name: str, day: date) -> QDateEdit:
    edit = QDateEdit(to_qdate(day))
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    return edit


def named(widget: Any, name: str) -> Any:
    widget.setObjectName(name)
    return widget


class SearchPanel(QWidget):
    def __init__(self, services: DeskServices, today: date) -> None:
        super().__init__()
        self._services = services
        self._rows: list[dict[str, Any]] = []
        self.jobs: list[BackgroundJob] = []
        self.export_job: BackgroundJob | None = None
        self.export_process: ExportProcess | None = None  # the latest export's child process
        self.shown: PassageFilter | None = None  # the search whose results are on screen
        self._searches = 0

        self.from_date = date_edit("fromDate", today - timedelta(days=6))
        self.to_date = date_edit("toDate", today)
        self.booth = named(QComboBox(), "boothFilter")
        self.person = named(QLineEdit(), "personFilter")
        self.person.setPlaceholderText(self.tr("ID number, masked ID number or name"))
        self.outcome = named(QComboBox(), "outcomeFilter")
        self.outcome.addItem(self.tr("All outcomes"), None)
        for outcome in Outcome:
            self.outcome.addItem(outcome_text({"outcome": outcome.name}), outcome)
        self.role = named(QComboBox(), "roleFilter")
        self.role.addItem(self.tr("All roles"), "")
        for role in ROLES:
            self.role.addItem(role_words(role), role)
        self.guard = named(QComboBox(), "guardFilter")
        self.guard.addItem(self.tr("All guards"), "")
        self.reason = named(QComboBox(), "reasonFilter")
        self.search_button = named(QPushButton(self.tr("Search")), "searchButton")
        self.count_label = named(QLabel(), "resultCount")
        self.results = named(QTableWidget(0, 9), "results")
        self.results.setHorizontalHeaderLabels(
            [
                self.tr("Time"),
                self.tr("Booth"),
                self.tr("Outcome"),
                self.tr("Overridden"),
                self.tr("Name"),
                self.tr("ID number"),
                self.tr("Temperature"),
                self.tr("Guard"),
                self.tr("Reasons"),
            ]
        )
        self.results.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.results.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.results.horizontalHeader().setStretchLastSection(True)
        self.detail = PassageDetail(services.zone)

        self.format = named(QComboBox(), "exportFormat")
        self.format.addItem("CSV", "csv")
        self.format.addItem("Excel (XLSX)", "xlsx")
        self.full_ids = named(
            QCheckBox(self.tr("Full ID numbers where stored (recorded in the audit log)")),
            "fullIdNumbers",
        )
        self.export_button = named(QPushButton(self.tr("Export results")), "exportButton")
        self.contractor_button = named(
            QPushButton(self.tr("Contractor ledger")), "contractorLedgerButton"
        )
        self.contractor_button.setToolTip(
            self.tr(
                "Every contractor on the imported list with their passages in the chosen dates,"
                " and contractors seen at the gate who are not on the list"
            )
        )
        self.progress = named(QProgressBar(), "exportProgress")
        self.cancel_button = named(QPushButton(self.tr("Cancel export")), "cancelExport")
        self.export_status = named(QLabel(), "exportStatus")
        self.export_status.setWordWrap(True)
        self.export_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress.hide()
        self.cancel_button.hide()

        self._layout()
        self.search_button.clicked.connect(self.search)
        self.person.returnPressed.connect(self.search)
        for field in (
            self.from_date,
            self.to_date,
            self.booth,
            self.outcome,
            self.role,
            self.guard,
            self.reason,
        ):
            field.installEventFilter(self)  # Enter in any filter searches
        self.results.itemSelectionChanged.connect(self._show_selected)
        self.export_button.clicked.connect(self.export)
        self.contractor_button.clicked.connect(self.export_contractor_ledger)
        self.cancel_button.clicked.connect(self.cancel_export)
        self._enable_exports(False)  # until a search is on screen: an export is that search
        self.refresh_choices()
        self.search()

    def _layout(self) -> None:
        filters = QFormLayout()
        dates = QHBoxLayout()
        dates.addWidget(self.from_date)
        dates.addWidget(QLabel("–"))
        dates.addWidget(self.to_date)
        filters.addRow(self.tr("Dates"), dates)
        filters.addRow(self.tr("Booth"), self.booth)
        filters.addRow(self.tr("Person"), self.person)
        filters.addRow(self.tr("Outcome"), self.outcome)
        filters.addRow(self.tr("Role"), self.role)
        filters.addRow(self.tr("Guard on duty"), self.guard)
        filters.addRow(self.tr("Reason"), self.reason)
        filters.addRow(self.search_button)
        exports = QHBoxLayout()
        for widget in (
            self.format,
            self.full_ids,
            self.export_button,
            self.contractor_button,
            self.progress,
        ):
            exports.addWidget(widget)
        exports.addWidget(self.cancel_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.count_label)
        left_layout.addWidget(self.results, 1)
        left_layout.addLayout(exports)
        left_layout.addWidget(self.export_status)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.detail)
        splitter.setSizes([700, 400])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.search()
            return True
        return super().eventFilter(watched, event)

    def refresh_choices(self) -> None:
        """Booths and reason codes that occur in the ledger (read on a worker thread)."""
        queries = self._services.queries
        self._job(
            lambda _p, _c: (queries.booth_ids(), queries.reason_codes(), queries.guard_ids()),
            "choices",
            self._fill_choices,
        ).start()

    def _fill_choices(self, found: tuple[list[str], list[str], list[str]]) -> None:
        booths, codes, guards = found
        for guard in guards:
            if self.guard.findData(guard) < 0:
                self.guard.addItem(guard, guard)
        self.booth.clear()
        self.booth.addItem(self.tr("All booths"), "")
        for booth in booths:
            self.booth.addItem(booth, booth)
        self.reason.clear()
        self.reason.addItem(self.tr("All reasons"), "")
        for code in sorted(codes, key=lambda code: (category(code), label(code))):
            zh, en = label(code)
            self.reason.addItem(f"{category(code)[0]} · {zh} · {en}", code)

    def date_range(self) -> tuple[datetime, datetime]:
        """The chosen days as local midnight to the midnight after the last day."""
        zone = self._services.zone
        start = datetime.combine(from_qdate(self.from_date.date()), time(0), zone)
        end_day = from_qdate(self.to_date.date()) + timedelta(days=1)
        return start, datetime.combine(end_day, time(0), zone)

    def current_filter(self) -> PassageFilter:
        start, end = self.date_range()
        booth = self.booth.currentData()
        outcome = self.outcome.currentData()
        return PassageFilter(
            start=start,
            end=end,
            booth_ids=(booth,) if booth else (),
            person=self.person.text().strip(),
            outcomes=(outcome,) if outcome is not None else (),
            reason_code=self.reason.currentData() or "",
            role=self.role.currentData() or "",
            guard=self.guard.currentData() or "",
        )

    def search(self) -> None:
        """Run the filters on screen; a search started later wins over one still running."""
        chosen = self.current_filter()
        queries = self._services.queries
        self._searches += 1
        serial = self._searches
        self.count_label.setText(self.tr("Searching…"))
        job = self._job(
            lambda _p, _c: (queries.search(chosen, RESULT_LIMIT), queries.count(chosen)),
            "search",
            lambda found: self._show_results(found, chosen, serial),
        )
        job.failed.connect(self.count_label.setText)
        job.start()

    def _show_results(
        self, found: tuple[list[dict[str, Any]], int], chosen: PassageFilter, serial: int
    ) -> None:
        if serial != self._searches:
            return  # a newer search is on its way
        rows, total = found
        self._rows = rows
        self.shown = chosen
        self.results.setRowCount(len(rows))
        for index, row in enumerate(rows):
            for column, text in enumerate(self._cells(row)):
                self.results.setItem(index, column, QTableWidgetItem(text))
        if total > len(rows):
            self.count_label.setText(
                self.tr("%1 passages match; the latest %2 are shown. Export gives them all.")
                .replace("%1", f"{total:,}")
                .replace("%2", f"{len(rows):,}")
            )
        else:
            self.count_label.setText(self.tr("%n passage(s) match.", "", total))
        self._fit_columns()
        self.export_button.setText(self.tr("Export these %n passage(s)", "", total))
        self._enable_exports(True)
        self.detail.show_nothing()

    def _cells(self, row: Row) -> list[str]:
        moment = local_time(row, self._services.zone)
        celsius = row.get("temperature_c")
        return [
            moment.strftime("%Y-%m-%d %H:%M:%S") if moment else "",
            str(row.get("booth_id") or ""),
            outcome_text(row),
            self._override_cell(row),
            str(row.get("holder_name") or ""),
            str(row.get("id_masked") or ""),
            f"{float(celsius):.1f}" if celsius is not None else "",
            str(row.get("guard_id") or ""),
            ";".join(str(r.get("zh", "")) for r in deciding_first(row)),
        ]

    def _fit_columns(self) -> None:
        """Every column as wide as its content (the reasons take what is left)."""
        self.results.resizeColumnsToContents()
        for column in range(self.results.columnCount() - 1):
            if self.results.columnWidth(column) > MAX_COLUMN_PX:
                self.results.setColumnWidth(column, MAX_COLUMN_PX)

    def _override_cell(self, row: Row) -> str:
        """The outcome after a supervisor's override, and by whom; empty when none."""
        override = last_override(row)
        if override is None:
            return ""
        return (
            self.tr("%1 (by %2)")
            .replace("%1", outcome_text({"outcome": final_outcome(row)}))
            .replace("%2", str(override.get("actor") or "—"))
        )

    def _show_selected(self) -> None:
        selected = self.results.selectionModel().selectedRows()
        if selected:
            self.detail.show_passage(self._rows[selected[0].row()])

    def export(self) -> None:
        """The passages of the search on screen, every one of them (not only those shown),
        whatever the filters were changed to since."""
        if self.shown is None:
            return
        format = self.format.currentData()
        request = ExportRequest(
            self.shown,
            self._output_path("passages", format),
            format,
            IdNumbers.FULL if self.full_ids.isChecked() else IdNumbers.MASKED,
            self._services.zone,
        )
        self._start_export(
            request,
            lambda done: self.tr("%n passage(s) exported to %1", "", done.rows).replace(
                "%1", str(done.path)
            ),
        )

    def export_contractor_ledger(self) -> None:
        """The contractor ledger (外委人员台账) for the dates of the search on screen; the other
        filters do not apply to it."""
        shown = self.shown
        if shown is None or shown.start is None or shown.end is None:
            return
        format = self.format.currentData()
        request = ContractorLedgerRequest(
            shown.start,
            shown.end,
            self._output_path("contractor-ledger", format),
            format,
            self._services.zone,
            self._services.mine_name,
        )
        self._start_export(
            request,
            lambda done: self.tr(
                "Contractor ledger with %n person(s) saved to %1", "", done.rows
            ).replace("%1", str(done.path)),
        )

    def _output_path(self, stem: str, format: str) -> Path:
        local = self._services.clock().astimezone(self._services.zone)
        return self._services.output_folder / f"{stem}-{local:%Y%m%d-%H%M%S}{WRITERS[format][0]}"

    def _start_export(self, export: TableExport, saved_text: Callable[[ExportDone], str]) -> None:
        if self.export_job is not None and self.export_job.running:
            return
        services = self._services
        moment = services.clock()

        def work(progress: ProgressCallback, cancel: CancelToken) -> ExportDone:
            services.output_folder.mkdir(parents=True, exist_ok=True)
            return run_export(
                services.queries.path,
                export,
                audit=services.audit,
                booth_id=services.booth_id,
                actor=services.actor,
                now=moment,
                progress=progress,
                cancel=cancel,
                started=self._remember_process,
            )

        self._enable_exports(False)
        self.progress.setRange(0, 0)  # busy until the first progress report
        self.progress.show()
        self.cancel_button.show()
        self.export_status.setText(self.tr("Exporting…"))
        job = self._job(work, "export", lambda done: self.export_status.setText(saved_text(done)))
        job.progressed.connect(self._export_progress)
        job.failed.connect(
            lambda error: self.export_status.setText(
                self.tr("Export failed: %1").replace("%1", error)
            )
        )
        job.cancelled.connect(
            lambda: self.export_status.setText(self.tr("Export cancelled; no file was kept."))
        )
        job.ended.connect(self._export_ended)
        self.export_job = job
        job.start()

    def _remember_process(self, process: ExportProcess) -> None:
        """Called on the export's worker thread: a plain attribute, read by tests and windows."""
        self.export_process = process

    def _export_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _enable_exports(self, enabled: bool) -> None:
        exporting = self.export_job is not None and self.export_job.running
        for button in (self.export_button, self.contractor_button):
            button.setEnabled(enabled and self.shown is not None and not exporting)

    def _export_ended(self) -> None:
        self.export_job = None
        self._enable_exports(True)
        self.progress.hide()
        self.cancel_button.hide()

    def cancel_export(self) -> None:
        if self.export_job is not None:
            self.export_job.cancel()

    def _job(self, work: Work, name: str, on_result: Any) -> BackgroundJob:
        """A job with its result slot connected; the caller connects the rest, then starts it."""
        job = BackgroundJob(work, name, self)
        job.succeeded.connect(on_result)
        self.jobs = [j for j in self.jobs if j.running] + [job]
        return job
