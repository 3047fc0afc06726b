"""The trust files this booth refused, in words: what was refused, why, and what it means at
the gate (the last good copy still used, or nothing from it trusted so codes are referred).

The booth records each refusal as an audit event (``trust_refused``); this panel reads them
on a worker thread (``gatehouse/store/trust_refusals.py``) and lists the latest first.
"""

from __future__ import annotations

from datetime import tzinfo
from pathlib import Path

from PySide6.QtWidgets import QLabel, QListWidget, QPushButton, QVBoxLayout, QWidget

from gatehouse.store.trust_refusals import Consequence, TrustRefusal, recent_trust_refusals
from gatehouse.ui.background import BackgroundJob
from gatehouse.ui.supervisor.search_panel import named


class TrustRefusalsPanel(QWidget):
    def __init__(self, ledger_path: Path, zone: tzinfo) -> None:
        super().__init__()
        self._ledger_path = ledger_path
        self._zone = zone
        self.job: BackgroundJob | None = None
        self.summary = named(QLabel(), "trustSummary")
        self.summary.setWordWrap(True)
        self.items = named(QListWidget(), "trustRefusals")
        self.items.setWordWrap(True)
        refresh = named(QPushButton(self.tr("&Refresh")), "trustRefresh")
        refresh.clicked.connect(self.refresh)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.items, 1)
        layout.addWidget(refresh)
        self.refresh()

    def refresh(self) -> None:
        if self.job is not None and self.job.running:
            return
        path = self._ledger_path
        self.job = BackgroundJob(lambda _p, _c: recent_trust_refusals(path), "trust", self)
        self.job.succeeded.connect(self._show)
        self.job.failed.connect(self.summary.setText)
        self.job.start()

    def _show(self, refusals: list[TrustRefusal]) -> None:
        self.items.clear()
        if not refusals:
            self.summary.setText(self.tr("No trust file has been refused."))
            return
        nothing = sum(1 for item in refusals if item.consequence is Consequence.NOTHING)
        self.summary.setText(
            self.tr(
                "Trust files refused: %1. Where nothing from a file is trusted, the codes it "
                "would verify are referred to you; ask the office for a good copy."
            ).replace("%1", str(len(refusals)))
            if nothing
            else self.tr(
                "Trust files refused: %1. The booth still uses the last good copy of each."
            ).replace("%1", str(len(refusals)))
        )
        for item in refusals:
            self.items.addItem(self._line(item))

    def _line(self, item: TrustRefusal) -> str:
        when = item.at.astimezone(self._zone).strftime("%Y-%m-%d %H:%M")
        meaning = {
            Consequence.LAST_GOOD: self.tr("The last good copy is still used."),
            Consequence.NOTHING: self.tr(
                "Nothing from it is trusted: codes it would verify are referred."
            ),
            Consequence.PART: self.tr("Only this item is left out."),
        }[item.consequence]
        return f"{when}  {item.booth_id}\n{meaning}\n{item.problem}"
