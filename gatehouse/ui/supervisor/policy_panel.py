"""The active rule pack and checkpoint policy, and changing the policy with confirmation."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from gatehouse.booth.policy_desk import PolicyDesk, PolicySummary
from gatehouse.reports.progress import CancelToken, ProgressCallback
from gatehouse.ui.background import BackgroundJob, Work
from gatehouse.ui.supervisor.policy_words import parameter_line, policy_differences
from gatehouse.ui.supervisor.search_panel import named


class PolicyPanel(QWidget):
    def __init__(self, desk: PolicyDesk, actor: str) -> None:
        super().__init__()
        self._desk = desk
        self._actor = actor
        self.job: BackgroundJob | None = None
        self.summary: PolicySummary | None = None
        self.pack = named(QLabel(), "policyPack")
        self.checkpoint = named(QLabel(), "policyCheckpoint")
        self.parameters = named(QLabel(), "policyParameters")
        self.parameters.setWordWrap(True)
        self.blockers = named(QLabel(), "policyBlockers")
        self.blockers.setWordWrap(True)
        self.id_check = named(QLabel(), "policyIdCheck")
        self.id_check.setWordWrap(True)
        self.choice = named(QComboBox(), "policyChoice")
        self.change_button = named(
            QPushButton(self.tr("Change checkpoint policy…")), "policyChange"
        )
        self.status = named(QLabel(), "policyStatus")
        form = QFormLayout()
        form.addRow(self.tr("Rule pack in force"), self.pack)
        form.addRow(self.tr("Checkpoint policy"), self.checkpoint)
        form.addRow(self.tr("Parameters"), self.parameters)
        form.addRow(self.tr("Automatic admits"), self.blockers)
        form.addRow(self.tr("Person lists"), self.id_check)
        form.addRow(self.tr("Change to"), self.choice)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.change_button)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self.change_button.clicked.connect(self.ask_to_change)
        self.refresh()

    def refresh(self) -> None:
        """Reads the summary on a worker: it touches the clock and the policy, never the GUI."""
        self._run(lambda _p, _c: self._desk.summary(), self._show)

    def ask_to_change(self) -> None:
        target = self.choice.currentData()
        if not target or (self.job is not None and self.job.running):
            return
        answer = QMessageBox.question(
            self,
            self.tr("Change checkpoint policy"),
            self.tr(
                "From the next person on, this booth will decide by the policy %1. "
                "The change is recorded in the audit log."
            ).replace("%1", self.choice.currentText())
            + "\n\n"
            + self.tr("What changes:")
            + "\n"
            + "\n".join(self._differences(target))
            + "\n\n"
            + self.tr("Continue?"),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return

        def change(_progress: ProgressCallback, _cancel: CancelToken) -> PolicySummary:
            self._desk.change_checkpoint(target, self._actor)
            return self._desk.summary()

        self._run(change, self._show)

    def _differences(self, target: str) -> list[str]:
        """The rules and parameters that differ between the policy in force and ``target``."""
        summary = self.summary
        choices = {c.checkpoint_type: c for c in summary.choices} if summary else {}
        now, then = choices.get(summary.checkpoint_type if summary else ""), choices.get(target)
        if now is None or then is None:
            return []
        return policy_differences(now.rules, then.rules, now.parameters, then.parameters)

    def _run(self, work: Work, on_done: Callable[[PolicySummary], None]) -> None:
        self.job = BackgroundJob(work, "policy", self)
        self.job.succeeded.connect(on_done)
        self.job.failed.connect(self.status.setText)
        self.job.start()

    def _show(self, summary: PolicySummary) -> None:
        self.summary = summary
        if summary.pack_id is None:
            self.pack.setText(self.tr("None in force: every person is referred"))
        else:
            until = summary.effective_until.isoformat() if summary.effective_until else "—"
            self.pack.setText(
                self.tr("%1 version %2, in force from %3 until %4")
                .replace("%1", summary.pack_id)
                .replace("%2", summary.pack_version or "")
                .replace("%3", summary.effective_from.isoformat() if summary.effective_from else "")
                .replace("%4", until)
            )
        names = {c.checkpoint_type: f"{c.name_zh} · {c.name_en}" for c in summary.choices}
        self.checkpoint.setText(names.get(summary.checkpoint_type, summary.checkpoint_type))
        self.parameters.setText(
            "\n".join(parameter_line(key, value) for key, value in summary.parameters.items())
        )
        self.blockers.setText(
            "\n".join(f"{r.zh} · {r.en}" for r in summary.blockers)
            if summary.blockers
            else self.tr("Allowed")
        )
        self.id_check.setText(
            self.tr(
                "ID NOT REQUIRED by this pack (%1): a person nobody identified passes the "
                "list check unchecked"
            ).replace("%1", ", ".join(summary.id_waived))
            if summary.id_waived
            else self.tr("An admit needs the person identified (ID number or the pass's hash)")
        )
        self.id_check.setStyleSheet(
            "color: #b00000; font-weight: bold" if summary.id_waived else ""
        )
        self.choice.clear()
        for choice in summary.choices:
            if choice.checkpoint_type != summary.checkpoint_type:
                self.choice.addItem(names[choice.checkpoint_type], choice.checkpoint_type)
        self.change_button.setEnabled(self.choice.count() > 0)
        self.status.setText("")
