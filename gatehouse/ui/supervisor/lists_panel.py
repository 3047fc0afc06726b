"""List import: a supervisor's Excel or CSV file is checked row by row and shown; it can be
imported only when every row is valid, and then whole, in one go.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gatehouse.reports.list_import import ListKind, ParsedList, parse_list, read_rows
from gatehouse.store.audit import AuditKind
from gatehouse.ui.supervisor.background import BackgroundJob
from gatehouse.ui.supervisor.search_panel import named
from gatehouse.ui.supervisor.services import DeskServices


class ListImportPanel(QWidget):
    def __init__(self, services: DeskServices) -> None:
        super().__init__()
        self._services = services
        self.parsed: ParsedList | None = None
        self.job: BackgroundJob | None = None
        self.kind = named(QComboBox(), "listKind")
        self.kind.addItem(self.tr("Home isolation list"), ListKind.ISOLATION)
        self.kind.addItem(self.tr("Visitor approvals"), ListKind.VISITORS)
        self.kind.addItem(self.tr("Contractor ledger"), ListKind.CONTRACTORS)
        self.file = named(QLineEdit(), "listFile")
        browse = QPushButton(self.tr("Choose file…"))
        self.check_button = named(QPushButton(self.tr("Check file")), "checkList")
        self.import_button = named(QPushButton(self.tr("Import")), "importList")
        self.import_button.setEnabled(False)
        self.status = named(QLabel(), "listStatus")
        self.status.setWordWrap(True)
        self.errors = named(QTableWidget(0, 3), "listErrors")
        self.errors.setHorizontalHeaderLabels(
            [self.tr("Row"), self.tr("Column"), self.tr("Problem")]
        )
        self.errors.horizontalHeader().setStretchLastSection(True)
        chooser = QHBoxLayout()
        chooser.addWidget(self.file, 1)
        chooser.addWidget(browse)
        form = QFormLayout()
        form.addRow(self.tr("List"), self.kind)
        form.addRow(self.tr("File (Excel or CSV)"), chooser)
        buttons = QHBoxLayout()
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.import_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.errors, 1)
        browse.clicked.connect(self._browse)
        self.check_button.clicked.connect(self.check)
        self.import_button.clicked.connect(self.import_list)
        self.kind.currentIndexChanged.connect(self._forget)
        self.file.textChanged.connect(self._forget)

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose a list file"), "", self.tr("Lists (*.xlsx *.csv)")
        )
        if chosen:
            self.file.setText(chosen)

    def _forget(self) -> None:
        self.parsed = None
        self.import_button.setEnabled(False)

    def check(self) -> None:
        path = Path(self.file.text().strip())
        kind = ListKind(self.kind.currentData())
        self._forget()
        self.status.setText(self.tr("Checking…"))
        job = BackgroundJob(lambda _p, _c: parse_list(kind, read_rows(path)), "list-check", self)
        job.succeeded.connect(self._show)
        job.failed.connect(
            lambda error: self.status.setText(
                self.tr("Cannot read the file: %1").replace("%1", error)
            )
        )
        self.job = job
        job.start()

    def _show(self, parsed: ParsedList) -> None:
        self.errors.setRowCount(len(parsed.errors))
        for index, error in enumerate(parsed.errors):
            for column, text in enumerate((str(error.row), error.column, error.message)):
                self.errors.setItem(index, column, QTableWidgetItem(text))
        if not parsed.ok:
            self.status.setText(
                self.tr(
                    "%n problem(s) found. Nothing was imported: fix the file, then check again.",
                    "",
                    len(parsed.errors),
                )
            )
            return
        self.parsed = parsed
        if self._services.lists is None:
            self.status.setText(
                self.tr(
                    "%n row(s) are valid, but this booth cannot store lists yet.",
                    "",
                    len(parsed.entries),
                )
            )
            return
        self.status.setText(
            self.tr("%n row(s) are valid and ready to import.", "", len(parsed.entries))
        )
        self.import_button.setEnabled(True)

    def import_list(self) -> None:
        parsed, lists, services = self.parsed, self._services.lists, self._services
        if parsed is None or lists is None:
            return
        name = Path(self.file.text()).name

        def work(_p: object, _c: object) -> int:
            count = lists.replace_list(parsed.kind, parsed.entries).result()
            services.audit.record_event(
                AuditKind.LIST_IMPORT,
                at=datetime.now(UTC),
                booth_id=services.booth_id,
                actor=services.actor,
                details={"list": parsed.kind.value, "rows": count, "file": name},
            ).result()
            return count

        self.import_button.setEnabled(False)
        job = BackgroundJob(work, "list-import", self)
        job.succeeded.connect(
            lambda count: self.status.setText(self.tr("%n row(s) imported.", "", count))
        )
        job.failed.connect(
            lambda error: self.status.setText(
                self.tr("Import failed, nothing changed: %1").replace("%1", error)
            )
        )
        self.job = job
        job.start()
