"""The Lists tab: the lists in force and their kept versions, and imports that say what they do.

A file is checked row by row and previewed against the list in force (added, removed,
changed, unchanged) for the way it is to apply — replace the list, add to it or remove from
it. The confirmation names the list, the way and the counts; only then is it applied, all or
none, audited, as a new version. Any kept version can be restored the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gatehouse.reports.list_import import ListKind, ParsedList, parse_list, read_rows
from gatehouse.store.list_changes import ListChange, ListMode, Person
from gatehouse.store.lists import Importer, ListVersion, OfficeList
from gatehouse.ui.background import BackgroundJob, Work
from gatehouse.ui.supervisor.list_words import (
    change_summary,
    confirmation,
    list_name,
    mode_choice,
    mode_name,
)
from gatehouse.ui.supervisor.search_panel import named
from gatehouse.ui.supervisor.services import DeskServices

KINDS = (ListKind.ISOLATION, ListKind.VISITORS, ListKind.CONTRACTORS)


def _table(name: str, headers: list[str]) -> QTableWidget:
    table: QTableWidget = named(QTableWidget(0, len(headers)), name)
    table.setHorizontalHeaderLabels(headers)
    table.horizontalHeader().setStretchLastSection(True)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.verticalHeader().setVisible(False)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for index, cells in enumerate(rows):
        for column, text in enumerate(cells):
            table.setItem(index, column, QTableWidgetItem(text))
    table.resizeColumnsToContents()


class ListImportPanel(QWidget):
    def __init__(self, services: DeskServices) -> None:
        super().__init__()
        self._services = services
        self.parsed: ParsedList | None = None
        self.change: ListChange | None = None
        self.jobs: list[BackgroundJob] = []
        self.confirm_box: QMessageBox | None = None
        self.history_versions: list[ListVersion] = []
        self.kind = named(QComboBox(), "listKind")
        for kind in KINDS:
            self.kind.addItem(list_name(kind), kind)
        self.in_force = _table(
            "listsInForce",
            [
                self.tr("List"),
                self.tr("Version"),
                self.tr("People"),
                self.tr("Imported"),
                self.tr("By"),
                self.tr("How"),
                self.tr("File"),
            ],
        )
        self.history = _table(
            "listHistory",
            [
                self.tr("Version"),
                self.tr("How"),
                self.tr("People"),
                self.tr("Added"),
                self.tr("Removed"),
                self.tr("When"),
                self.tr("By"),
                self.tr("File"),
            ],
        )
        self.restore_button = named(QPushButton(self.tr("&Restore this version…")), "restoreList")
        self.mode = named(QComboBox(), "listMode")
        for mode in (ListMode.REPLACE, ListMode.ADD, ListMode.REMOVE):
            self.mode.addItem(mode_choice(mode), mode)
        self.file = named(QLineEdit(), "listFile")
        self.by = named(QLineEdit(), "listImporter")
        self.by.setPlaceholderText(self.tr("recorded in the audit with the change"))
        browse = QPushButton(self.tr("Choose file…"))
        self.check_button = named(QPushButton(self.tr("Check file")), "checkList")
        self.import_button = named(QPushButton(self.tr("Import…")), "importList")
        self.import_button.setEnabled(False)
        self.status = named(QLabel(), "listStatus")
        self.status.setWordWrap(True)
        self.preview = _table(
            "listPreview", [self.tr("Change"), self.tr("ID number"), self.tr("Name")]
        )
        self.errors = _table("listErrors", [self.tr("Row"), self.tr("Column"), self.tr("Problem")])
        self.errors.hide()
        self._build(browse)
        browse.clicked.connect(self._browse)
        self.check_button.clicked.connect(self.check)
        self.import_button.clicked.connect(self.confirm_import)
        self.restore_button.clicked.connect(self.confirm_restore)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.mode.currentIndexChanged.connect(self._forget)
        self.file.textChanged.connect(self._forget)
        self.refresh()

    def _build(self, browse: QPushButton) -> None:
        chooser = QHBoxLayout()
        chooser.addWidget(self.file, 1)
        chooser.addWidget(browse)
        form = QFormLayout()
        form.addRow(self.tr("How"), self.mode)
        form.addRow(self.tr("File (Excel or CSV)"), chooser)
        form.addRow(self.tr("Your name"), self.by)
        buttons = QHBoxLayout()
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("List")))
        top.addWidget(self.kind, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Lists in force")))
        layout.addWidget(self.in_force, 1)
        layout.addLayout(top)
        layout.addWidget(QLabel(self.tr("Kept versions of this list")))
        layout.addWidget(self.history, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.preview, 2)
        layout.addWidget(self.errors, 2)

    def _run(self, work: Work, name: str, done: Callable[[Any], None]) -> None:
        job = BackgroundJob(work, name, self)
        job.succeeded.connect(done)
        job.failed.connect(self._failed)
        self.jobs = [j for j in self.jobs if j.running] + [job]
        job.start()

    def _failed(self, error: str) -> None:
        self.status.setText(self.tr("Nothing was changed: %1").replace("%1", error))

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose a list file"), "", self.tr("Lists (*.xlsx *.csv)")
        )
        if chosen:
            self.file.setText(chosen)

    def _kind_changed(self) -> None:
        self._forget()
        self.refresh()

    def _forget(self) -> None:
        self.parsed = None
        self.change = None
        self.import_button.setEnabled(False)
        self.preview.setRowCount(0)

    def _selected_kind(self) -> ListKind:
        return ListKind(self.kind.currentData())

    def refresh(self) -> None:
        """Reload the lists in force and the chosen list's versions (on a worker)."""
        lists, kind = self._services.lists, self._selected_kind()
        if lists is None:
            self.status.setText(self.tr("This booth cannot store lists: it has no list secret."))
            return
        self._run(
            lambda _p, _c: (lists.in_force(), lists.versions(kind), lists.office_lists()),
            "lists-read",
            self._show_versions,
        )

    def _show_versions(
        self,
        found: tuple[dict[str, ListVersion | None], list[ListVersion], list[OfficeList]],
    ) -> None:
        in_force, versions, office = found
        rows = []
        for kind in KINDS:
            version = in_force.get(kind)
            if version is None:
                rows.append([list_name(kind), "—", "0", self.tr("never imported"), "", "", ""])
            else:
                rows.append([list_name(kind), *self._version_cells(version, short=True)])
        for item in office:
            when = item.published_at.astimezone(self._services.zone).strftime("%Y-%m-%d %H:%M")
            name = self.tr("%1 (from the office)").replace("%1", list_name(item.kind))
            how = self.tr("sent by the hub")
            rows.append(
                [name, str(item.version), str(item.people), when, self.tr("office"), how, ""]
            )
        _fill(self.in_force, rows)
        self.history_versions = versions
        _fill(self.history, [self._version_cells(version) for version in versions])
        self.restore_button.setEnabled(len(versions) > 1)
        if len(versions) > 1:
            self.history.selectRow(1)  # the version before the one in force

    def _version_cells(self, version: ListVersion, *, short: bool = False) -> list[str]:
        when = version.imported_at.astimezone(self._services.zone).strftime("%Y-%m-%d %H:%M")
        how = mode_name(version.mode)
        if version.restored_from is not None:
            how = f"{how} {version.restored_from}"
        if short:
            return [
                str(version.version),
                str(version.people),
                when,
                version.imported_by,
                how,
                version.file,
            ]
        return [
            str(version.version),
            how,
            str(version.people),
            f"+{version.added}",
            f"−{version.removed}",
            when,
            version.imported_by,
            version.file,
        ]

    def check(self) -> None:
        lists, path, kind = (
            self._services.lists,
            Path(self.file.text().strip()),
            self._selected_kind(),
        )
        mode = ListMode(self.mode.currentData())
        self._forget()
        self.errors.hide()
        self.status.setText(self.tr("Checking…"))

        def work(_p: object, _c: object) -> tuple[ParsedList, ListChange | None]:
            parsed = parse_list(kind, read_rows(path), removal=mode is ListMode.REMOVE)
            if not parsed.ok or lists is None:
                return parsed, None
            return parsed, lists.preview(kind, parsed.entries, mode)

        self._run(work, "list-check", self._show_check)

    def _show_check(self, found: tuple[ParsedList, ListChange | None]) -> None:
        parsed, change = found
        if not parsed.ok:
            _fill(self.errors, [[str(e.row), e.column, e.message] for e in parsed.errors])
            self.errors.show()
            self.status.setText(
                self.tr(
                    "%n problem(s) found. Nothing was imported: fix the file, then check again.",
                    "",
                    len(parsed.errors),
                )
            )
            return
        if change is None:
            self.status.setText(
                self.tr(
                    "%n row(s) are valid, but this booth cannot store lists: it has no list"
                    " secret.",
                    "",
                    len(parsed.entries),
                )
            )
            return
        self.parsed, self.change = parsed, change
        self._show_change(change)
        self.import_button.setEnabled(True)

    def _show_change(self, change: ListChange) -> None:
        groups: list[tuple[str, tuple[Person, ...]]] = [
            (self.tr("removed"), change.removed),
            (self.tr("added"), change.added),
            (self.tr("changed"), change.changed),
            (self.tr("not on the list"), change.not_on_list),
        ]
        _fill(
            self.preview,
            [
                [label, person.id_masked, person.name]
                for label, people in groups
                for person in people
            ],
        )
        self.status.setText(change_summary(change))

    def confirm_import(self) -> None:
        if self.change is None or self.parsed is None:
            return
        if not self.by.text().strip():
            self.status.setText(
                self.tr("Type your name first: the audit records who changed the list.")
            )
            self.by.setFocus()
            return
        change, entries = self.change, self.parsed.entries
        source = Path(self.file.text()).name
        lists, who = self._services.lists, self._importer()
        assert lists is not None  # a change exists only with a list store
        self._confirm(
            change, source, lambda: lists.apply(change, entries, who, file=source).result()
        )

    def confirm_restore(self) -> None:
        lists, rows = self._services.lists, self.history.selectionModel().selectedRows()
        if lists is None or not rows or not self.by.text().strip():
            self.status.setText(self.tr("Choose a version and type your name first."))
            return
        version = self.history_versions[rows[0].row()].version
        kind, who = self._selected_kind(), self._importer()

        def preview(_p: object, _c: object) -> ListChange:
            return lists.preview_restore(kind, version)

        def ask(change: ListChange) -> None:
            source = self.tr("version %1").replace("%1", str(version))
            self._confirm(change, source, lambda: lists.restore(change, version, who).result())

        self._run(preview, "list-restore-preview", ask)

    def _importer(self) -> Importer:
        return Importer(self.by.text().strip(), self._services.booth_id, self._services.actor)

    def _confirm(self, change: ListChange, source: str, apply: Callable[[], ListVersion]) -> None:
        """Ask, naming the list, the way and the counts; a change that removes people defaults
        to Cancel."""
        title, text, label = confirmation(change, source)
        box = QMessageBox(
            QMessageBox.Icon.Warning if change.removed else QMessageBox.Icon.Question,
            title,
            text,
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("confirmListChange")
        yes = box.addButton(label, QMessageBox.ButtonRole.AcceptRole)
        if change.removed:
            box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        else:
            box.setDefaultButton(yes)
        box.finished.connect(lambda _result: self._confirmed(box.clickedButton() is yes, apply))
        self.confirm_box = box
        box.open()

    def _confirmed(self, yes: bool, apply: Callable[[], ListVersion]) -> None:
        self.confirm_box = None
        if not yes:
            self.status.setText(self.tr("Cancelled: nothing was changed."))
            return
        self.import_button.setEnabled(False)
        self._run(lambda _p, _c: apply(), "list-import", self._applied)

    def _applied(self, version: ListVersion) -> None:
        self._forget()
        self.status.setText(
            self.tr("Version %1 of the %2 is in force: %3 people.")
            .replace("%1", str(version.version))
            .replace("%2", list_name(version.kind).lower())
            .replace("%3", str(version.people))
        )
        self.refresh()
