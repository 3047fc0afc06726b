"""The verdict band: what the guard reads from two metres away, never colour alone."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget

from gatehouse.core.models import Outcome
from gatehouse.core.passage import Passage
from gatehouse.core.reasons import Reason
from gatehouse.ui.role_words import role_words
from gatehouse.ui.widgets import BudgetLabel, named_label

# outcome -> (background, icon); the words come from VerdictPanel.outcome_words
_LOOK: dict[Outcome, tuple[str, str]] = {
    Outcome.ADMIT: ("#1b7f3b", "✔"),
    Outcome.REMEASURE: ("#c77700", "↻"),
    Outcome.REFER: ("#2457a6", "☎"),
    Outcome.TURN_AWAY: ("#b3261e", "✖"),
}
_IDLE_COLOUR = "#3c4043"
# Font sizes as shares of the window's height, so the verdict reads the same from two metres
# on a 1024x768 booth monitor and on a 1920x1080 one (56 px at 800 px high, as before).
HEADLINE_SHARE = 0.07
REASON_LINES = 2  # the deciding reasons come first; more lines show where there is room
_STYLES = {
    "verdictHeadline": (HEADLINE_SHARE, "font-weight:bold;"),
    "verdictNotice": (0.0275, "font-weight:bold;"),
    "verdictIdentity": (0.0275, ""),
    "verdictReasons": (0.025, ""),
    "verdictWarning": (0.0225, "background:#ffd54f; color:black; padding:6px;"),
}


def _band_style(colour: str) -> str:
    """One coloured band: the labels inside stay transparent so it reads as a single block."""
    return f"#verdictPanel {{ background:{colour}; }} #verdictPanel QLabel {{ color:white; }}"


class VerdictPanel(QWidget):
    """Shows one passage's outcome, its reasons and the masked identity, then resets itself."""

    def __init__(self, language: str, reset_after_s: int) -> None:
        super().__init__()
        self.setObjectName("verdictPanel")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._language = language
        self._headline = named_label("verdictHeadline")
        self._identity = named_label("verdictIdentity")
        self._reasons = BudgetLabel("verdictReasons", REASON_LINES)
        self._notice = named_label("verdictNotice")
        self._warning = named_label("verdictWarning")
        self._warning.setWordWrap(True)
        layout = QVBoxLayout(self)
        for label in (self._headline, self._notice, self._identity, self._reasons, self._warning):
            layout.addWidget(label)
        self.fit_height(800)
        self._reset_timer = QTimer(self, singleShot=True, interval=reset_after_s * 1000)
        self._reset_timer.timeout.connect(self.show_idle)
        self.outcome: Outcome | None = None
        self.show_idle()

    def fit_height(self, window_height: int) -> None:
        """Sizes the words for a window (or screen) ``window_height`` pixels high."""
        for label in (self._headline, self._notice, self._identity, self._reasons, self._warning):
            share, style = _STYLES[label.objectName()]
            label.setStyleSheet(f"font-size:{round(window_height * share)}px; {style}")

    def show_idle(self) -> None:
        self.outcome = None
        self.setStyleSheet(_band_style(_IDLE_COLOUR))
        self._headline.setText(self.tr("Show your pass"))
        self._identity.setText("")
        self._reasons.setText("")
        self._notice.hide()
        self._warning.hide()

    def show_passage(self, passage: Passage, save_error: str) -> None:
        colour, icon = _LOOK[passage.outcome]
        self.outcome = passage.outcome
        self.setStyleSheet(_band_style(colour))
        self._headline.setText(f"{icon} {self.outcome_words(passage.outcome)}")
        self._notice.hide()
        self._identity.setText(self._identity_line(passage))
        self._reasons.setText("\n".join(self._text(r) for r in _reasons_to_show(passage)))
        if save_error:
            self._warning.setText(
                self.tr("NOT SAVED to the log, kept in memory and retried: %1").replace(
                    "%1", save_error
                )
            )
            self._warning.show()
        else:
            self._warning.hide()
        self._reset_timer.start()

    def show_repeat(self, seconds: float) -> None:
        """The same pass again, already decided and logged: said under whatever is shown."""
        whole = max(1, round(seconds))
        self._notice.setText(self.tr("Same pass scanned %1 s ago").replace("%1", str(whole)))
        self._notice.show()
        self._reset_timer.start()

    def outcome_words(self, outcome: Outcome) -> str:
        """The verdict in a few words, as the band shows it."""
        return {
            Outcome.ADMIT: self.tr("ADMIT"),
            Outcome.REMEASURE: self.tr("RE-MEASURE"),
            Outcome.REFER: self.tr("REFER TO SUPERVISOR"),
            Outcome.TURN_AWAY: self.tr("TURN AWAY"),
        }[outcome]

    def _text(self, reason: Reason) -> str:
        return reason.zh if self._language == "zh" else reason.en

    def _identity_line(self, passage: Passage) -> str:
        parts = (passage.holder_name, passage.id_masked, role_words(passage.role or ""))
        return "  ".join(p for p in parts if p)


def _reasons_to_show(passage: Passage) -> list[Reason]:
    """The reasons behind the outcome first; on an admit, the checks that passed. Each message
    once: two rules may need the same thing (the ID number, the travel card)."""
    shown: dict[tuple[str, str], Reason] = {}
    for item in passage.reasons:
        if item.outcome == passage.outcome:
            shown.setdefault((item.code, item.en), item)
    return list(shown.values())
