"""A supervisor overrides a verdict: PIN first, then outcome and reason, then the audit chain.

The passage itself is never rewritten: the override is an audit event (``AuditKind.OVERRIDE``)
that names the passage, so the log keeps what the booth decided and what the supervisor did.
The PIN check (argon2id, lockout) is the supervisor desk's own ``PinDialog``; the event is
written by the ledger's writer thread and reported back through a queued signal.
"""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from gatehouse.core.models import Outcome
from gatehouse.core.passage import Passage
from gatehouse.store.audit import AuditKind
from gatehouse.ui.guard.override_dialog import OverrideDialog
from gatehouse.ui.supervisor.pin_dialog import PinDialog
from gatehouse.ui.supervisor.services import DeskServices


@dataclass(frozen=True)
class Override:
    event_id: str
    passage_id: str
    original: Outcome
    outcome: Outcome
    reason: str  # a code of OVERRIDE_REASONS
    reason_words: str  # as the supervisor read it
    note: str


class OverrideFlow(QObject):
    recorded = Signal(object)  # Override, once it is in the audit chain
    failed = Signal(str)

    def __init__(self, desk: DeskServices, window: QWidget) -> None:
        super().__init__(window)
        self._desk = desk
        self._window = window
        self.pin_dialog: PinDialog | None = None
        self.dialog: OverrideDialog | None = None

    @property
    def busy(self) -> bool:
        return any(d is not None and d.isVisible() for d in (self.pin_dialog, self.dialog))

    def start(self, passage: Passage) -> None:
        """Ask for the PIN, then for the override of ``passage``; nothing is written on Cancel."""
        if self.busy:
            return
        pin = PinDialog(self._desk)
        pin.setParent(self._window, pin.windowFlags())
        pin.accepted.connect(lambda: self._ask(passage))
        self.pin_dialog = pin
        pin.open()

    def _ask(self, passage: Passage) -> None:
        dialog = OverrideDialog(passage.outcome, self._window)
        dialog.accepted.connect(lambda: self._record(passage, dialog))
        self.dialog = dialog
        dialog.open()

    def _record(self, passage: Passage, dialog: OverrideDialog) -> None:
        outcome, code = dialog.chosen_outcome, dialog.chosen_reason
        note = dialog.note.text().strip()
        words = dialog.reason.currentText()
        future = self._desk.audit.record_event(
            AuditKind.OVERRIDE,
            at=datetime.now(UTC),
            booth_id=self._desk.booth_id,
            actor=self._desk.actor,
            details={
                "passage_id": passage.passage_id,
                "original_outcome": passage.outcome.label,
                "outcome": outcome.label,
                "reason": code,
                "note": note,
            },
        )

        def written(done: Future[str]) -> None:  # on the ledger's writer thread
            error = done.exception()
            if error is not None:
                self.failed.emit(f"{type(error).__name__}: {error}")
                return
            self.recorded.emit(
                Override(
                    done.result(), passage.passage_id, passage.outcome, outcome, code, words, note
                )
            )

        future.add_done_callback(written)
