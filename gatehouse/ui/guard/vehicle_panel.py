"""Under the verdict band while a vehicle is checked: which vehicle, whom to scan next, each
person's outcome so far, and the keys; after the finish, who held the vehicle back.

Every outcome is written with its icon and words, never shown by colour alone. The people's
lines scroll, so however many ride in the vehicle the booth window still fits a 768-px screen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from gatehouse.booth.vehicle import Occupant, VehicleResult, VehicleSession
from gatehouse.core.models import Outcome
from gatehouse.core.reasons import Reason
from gatehouse.ui.widgets import named_label

_TITLE = "font-size:24px; font-weight:bold; padding:6px; background:#263238; color:white;"
_STEP = "font-size:26px; font-weight:bold; padding:6px; background:#ffd54f; color:black;"
_PEOPLE = "font-size:22px; padding:6px;"
_KEYS = "font-size:18px; padding:4px;"
PEOPLE_MIN_PX = 60


class VehiclePanel(QWidget):
    def __init__(self, language: str) -> None:
        super().__init__()
        self.setObjectName("vehiclePanel")
        self._language = language
        self.title = self._label("vehicleTitle", _TITLE)
        self.step = self._label("vehicleStep", _STEP)
        self.people = self._label("vehiclePeople", _PEOPLE)
        self.keys = self._label("vehicleKeys", _KEYS)
        self.people.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.people_area = QScrollArea()
        self.people_area.setObjectName("vehiclePeopleArea")
        self.people_area.setWidget(self.people)
        self.people_area.setWidgetResizable(True)
        self.people_area.setFrameShape(QFrame.Shape.NoFrame)
        self.people_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.people_area.setMinimumHeight(PEOPLE_MIN_PX)  # two lines at least; more scroll
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.step)
        layout.addWidget(self.people_area, 1)
        layout.addWidget(self.keys)
        self.hide()

    @staticmethod
    def _label(name: str, style: str) -> QLabel:
        label = named_label(name)
        label.setWordWrap(True)
        label.setStyleSheet(style)
        return label

    def show_session(
        self, session: VehicleSession, origin: str, purpose: str, *, cancel_armed: bool
    ) -> None:
        people = session.people()
        vehicle = session.vehicle
        self.title.setText(
            self.tr("VEHICLE %1 · from %2 · purpose %3")
            .replace("%1", vehicle.plate)
            .replace("%2", origin)
            .replace("%3", purpose)
        )
        if not people:
            self.step.setText(self.tr("Scan the DRIVER's pass"))
        else:
            self.step.setText(
                self.tr("Scan the next PASSENGER's pass (%1 scanned so far)").replace(
                    "%1", str(len(people))
                )
            )
        self.people.setText("\n".join(self._line(i, p) for i, p in enumerate(people)))
        self.people_area.setVisible(bool(people))
        if cancel_armed:
            self.keys.setText(self.tr("Press Esc AGAIN to cancel this vehicle (nothing logged)."))
        else:
            self.keys.setText(
                self.tr("F10 finish: decide the vehicle · Esc twice: cancel the vehicle")
            )
        self.show()

    def show_result(self, result: VehicleResult) -> None:
        self.title.setText(
            self.tr("VEHICLE %1: %2")
            .replace("%1", result.passage.holder_name or "")
            .replace("%2", self._outcome(result.passage.outcome))
        )
        held_back = [p for p in result.people if p.passage.outcome is not Outcome.ADMIT]
        self.step.setText(
            self.tr("Held back by: %1").replace(
                "%1",
                ", ".join(
                    f"{self._who(result.people.index(p))} {p.passage.holder_name or ''}".strip()
                    for p in held_back
                ),
            )
            if held_back
            else ""
        )
        self.step.setVisible(bool(held_back))
        self.people.setText(
            "\n".join(self._line(index, person) for index, person in enumerate(result.people))
        )
        self.people_area.setVisible(bool(result.people))
        self.keys.setText(self.tr("Esc: back to scanning people"))
        self.show()

    def _line(self, index: int, person: Occupant) -> str:
        passage = person.passage
        line = (
            self.tr("%1: %2 — %3")
            .replace("%1", self._who(index))
            .replace("%2", passage.holder_name or "—")
            .replace("%3", self._outcome(passage.outcome))
        )
        why = [r for r in passage.reasons if r.outcome is passage.outcome]
        if passage.outcome is not Outcome.ADMIT and why:
            line = f"{line}  ({self._text(why[0])})"
        return line

    def _who(self, index: int) -> str:
        if index == 0:
            return self.tr("Driver")
        return self.tr("Passenger %1").replace("%1", str(index))

    def _outcome(self, outcome: Outcome) -> str:
        words = {
            Outcome.ADMIT: self.tr("✔ ADMIT"),
            Outcome.REMEASURE: self.tr("↻ RE-MEASURE"),
            Outcome.REFER: self.tr("☎ REFER"),
            Outcome.TURN_AWAY: self.tr("✖ TURN AWAY"),
        }
        return words[outcome]

    def _text(self, reason: Reason) -> str:
        return reason.zh if self._language == "zh" else reason.en
