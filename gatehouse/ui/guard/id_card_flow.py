"""The ID card on the reader: the guard's F7 without typing, and the reader in the status bar.

A card read (SAM or keyboard-wedge reader) decides the person on screen again with it; with
nobody on screen the guard is told to scan the pass first. A card the reader could not read
asks for it to be placed again; one that failed the SAM's authentication is a warning (a
forged or damaged card: check it by eye, call the supervisor); a reader fault goes to the
status bar with the reader's state, like the thermometer's.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QStatusBar

from drivers.id_card.protocol import Trouble
from drivers.id_card.session import ReaderProblem
from gatehouse.booth.id_reader import IdReaderReport, ReaderState
from gatehouse.ui.guard.flows import GuardFlows
from gatehouse.ui.guard.prompt_panel import GuardPrompt
from gatehouse.ui.widgets import named_label

_FAULT_STYLE = "color:white; background:#b3261e; padding:2px;"


class IdCardFlow(QObject):
    def __init__(self, flows: GuardFlows, prompt: GuardPrompt, status_bar: QStatusBar) -> None:
        super().__init__(flows)
        self._flows = flows
        self._prompt = prompt
        self.label = named_label("idReaderStatus")
        self.label.hide()  # shown once a reader reports
        self._state = ""  # the port's last state; a fault shown goes once a card is read
        status_bar.addWidget(self.label)

    def show(self, report: IdReaderReport) -> None:
        if isinstance(report, ReaderState):
            self._show_state(report.state)
        elif isinstance(report, ReaderProblem):
            self._show_problem(report)
        else:
            if self._state:
                self._show_state(self._state)  # the reader works: any fault shown is over
            if not self._flows.decide_with_card(report):
                self._prompt.tell(
                    self.tr("ID card read: scan the pass first, then place the card.")
                )

    def _show_state(self, state: str) -> None:
        self._state = state
        words = {
            "connecting": self.tr("Connecting ID card reader…"),
            "connected": self.tr("ID card reader ready"),
            "silent": self.tr("ID card reader does not answer"),
            "lost": self.tr("ID card reader lost, reconnecting"),
        }.get(state, self.tr("ID card reader: %1").replace("%1", state))
        self.label.setStyleSheet("" if state == "connected" else _FAULT_STYLE)
        self.label.setText(words)
        self.label.show()

    def _show_problem(self, problem: ReaderProblem) -> None:
        if problem.trouble is Trouble.AUTHENTICATION:
            self._prompt.warn(
                self.tr(
                    "The ID card failed the reader's authentication (%1): it may be forged or "
                    "damaged. Check it by eye and call the supervisor. (F8: dismiss)"
                ).replace("%1", problem.detail)
            )
        elif problem.trouble is Trouble.CARD:
            self._prompt.tell(
                self.tr(
                    "Could not read the ID card: place it again and hold it still. (%1)"
                ).replace("%1", problem.detail)
            )
        else:
            self.label.setStyleSheet(_FAULT_STYLE)
            self.label.setText(self.tr("ID card reader fault: %1").replace("%1", problem.detail))
            self.label.show()
