"""The guard's F-key flows on the booth window, after each verdict.

- Re-measure: the wait is shown; on a second abnormal reading the guard checks with a contact
  thermometer and confirms (F5), which turns the person away and flags the case.
- F4: a code without a travel record (an attested provincial code, a certificate, a pass issued
  without travel): the guard types the cities on the person's travel card and the code is
  decided again with them.
- A code that can only be verified online, or a pass whose health-code colour has aged: the
  guard picks the colour today's code shows on the phone (F1 green, F2 yellow, F3 red). A
  provincial code's passage is logged as attested, pending verification, and an answer from the
  issuer other than green is shown as an alert (F8 dismisses it).
- A list in force and the person not identified: F7 asks for the ID number.
- F6: a temperature typed by hand (the thermometer is down), logged with source "manual".
- F7: the person's ID number typed by the guard, and the pass decided again with it; a card
  on the ID card reader does the same without typing (``decide_with_card``, id_card_flow).
- F9: a supervisor override (PIN, reason, audit event).
- F10: vehicle mode (plate, origin, purpose, then each person; ``vehicle_flow``).

Every booth call (decide, attest, confirm) runs on a worker thread; its passage reaches the
screen the way a camera scan's does, through the bridge once it is durable.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QWidget

from drivers.thermometer.reading import RawReading
from gatehouse.booth.announcer import Announcer
from gatehouse.booth.duty import GuardOnDuty
from gatehouse.booth.reverification import Reverification
from gatehouse.booth.service import BoothService, ScanResult
from gatehouse.booth.temperature import LatestTemperature
from gatehouse.booth.vehicle import VehicleDesk
from gatehouse.bundles.policy import region_table
from gatehouse.core.decision import FollowUp
from gatehouse.core.id_card import IdCard
from gatehouse.core.models import HealthCodeColour, Outcome, TemperatureReading
from gatehouse.core.next_step import GuardStep, NextStep
from gatehouse.core.passage import Passage
from gatehouse.ui.background import BackgroundJob
from gatehouse.ui.guard.id_number_dialog import IdNumberDialog
from gatehouse.ui.guard.manual_temperature import ManualTemperatureDialog
from gatehouse.ui.guard.overrides import Override, OverrideFlow
from gatehouse.ui.guard.prompt_panel import GuardPrompt
from gatehouse.ui.guard.sounds import SoundCues
from gatehouse.ui.guard.travel_dialog import TravelDialog
from gatehouse.ui.guard.vehicle_flow import VehicleFlow
from gatehouse.ui.supervisor.services import DeskServices

CARD_WINDOW_S = 60.0
"""An ID card laid on the reader is the person's whose verdict came at most this long ago: time
to take the card out after "ID needed", not long enough to reach the next person in line."""
COLOUR_KEYS = {
    "F1": HealthCodeColour.GREEN,
    "F2": HealthCodeColour.YELLOW,
    "F3": HealthCodeColour.RED,
}


@dataclass(frozen=True)
class GuardServices:
    """What the flows act on; ``deliver`` shows a passage like a scan (the bridge's
    ``on_result``), ``show_temperature`` puts a typed reading on the temperature panel."""

    service: BoothService
    temperature: LatestTemperature
    deliver: Callable[[ScanResult], None]
    show_temperature: Callable[[TemperatureReading], None]
    desk: DeskServices
    guard_id: str | None = None
    duty: GuardOnDuty | None = None  # who is on duty (F11 signs a guard on); None: not asked
    announcer: Announcer | None = None  # tones and speech; None: the system beep
    beeps: bool = True  # False: [ui] sounds = "off"


class GuardFlows(QObject):
    def __init__(
        self,
        window: QWidget,
        prompt: GuardPrompt,
        services: GuardServices,
        *,
        language: str,
        verdict_seconds: int,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._prompt = prompt
        self._services = services
        self._language = language
        beep = QApplication.beep if services.beeps else None
        self.sounds = SoundCues(self, services.announcer, language, beep)
        self.overrides = OverrideFlow(services.desk, window)
        self.overrides.recorded.connect(self._show_override)
        self.overrides.failed.connect(self._show_failure)
        self.vehicle = VehicleFlow(
            window,
            prompt,
            VehicleDesk(services.service),
            self.sounds,
            language=language,
            guard_id=services.guard_id,
        )
        self.vehicle.decided.connect(self._show_vehicle)
        self.current: ScanResult | None = None  # the person on screen, the keys act on them
        self.shown_at = 0.0  # time.monotonic() of the current person's latest verdict
        self.on_screen: Passage | None = None  # the passage on the band (F9 overrides it)
        self._awaiting: str = ""  # "attest", "confirm" or ""
        self.jobs: list[BackgroundJob] = []
        self.temperature_dialog: ManualTemperatureDialog | None = None
        self.id_dialog: IdNumberDialog | None = None
        self.travel_dialog: TravelDialog | None = None
        self._notice_timer = QTimer(self, singleShot=True, interval=verdict_seconds * 1000)
        self._notice_timer.timeout.connect(self._expire_notice)
        keys: dict[str, Callable[[], None]] = {
            **{key: self._attester(colour) for key, colour in COLOUR_KEYS.items()},
            "F4": self._declare_travel,
            "F5": self._confirm_abnormal,
            "F6": self._type_temperature,
            "F7": self._type_id_number,
            "F8": lambda: prompt.warn(""),
            "F9": self._override,
            "F10": self.vehicle.press_f10,
            "Esc": self._dismiss,
        }
        for key, action in keys.items():
            QShortcut(QKeySequence(key), window, action, context=Qt.ShortcutContext.WindowShortcut)
        prompt.show_keys(self._idle_keys())

    # -- verdicts and alerts from the booth --

    def show_verdict(self, result: ScanResult, _save_error: str) -> None:
        self.current = result
        self.shown_at = time.monotonic()
        self.on_screen = result.passage
        self.sounds.play(result.passage)
        step = result.decision.next_step
        if step.step is GuardStep.ATTEST_COLOUR and step.colour_aged:
            self._await(
                "attest",
                self.tr(
                    "The pass's health-code colour is from an earlier check: look at today's "
                    "code on the phone. Which colour does it show?  F1 green · F2 yellow · F3 red"
                ),
            )
        elif step.step is GuardStep.ATTEST_COLOUR:
            self._await(
                "attest",
                self.tr(
                    "Cannot be checked offline: look at the phone. Which colour does the code "
                    "show?  F1 green · F2 yellow · F3 red"
                ),
            )
        elif step.step is GuardStep.CONFIRM_ABNORMAL:
            self._await(
                "confirm",
                self.tr(
                    "Abnormal again. Check with the contact thermometer. Still abnormal: F5 turns "
                    "the person away and reports the case. Normal: F6 and type the value."
                ),
            )
        elif step.step is GuardStep.ENTER_TRAVEL:
            words = self.tr(
                "This code carries no travel record: look at the person's travel card and "
                "press F4 to enter the cities."
            )
            remeasure = self._remeasure_words(step)
            self._await("travel", "\n".join(w for w in (words, remeasure) if w))
        elif step.step is GuardStep.ENTER_ID_NUMBER:
            words = self.tr(
                "The person lists need this person's ID number: press F7 and type the number "
                "on the ID card."
            )
            remeasure = self._remeasure_words(step)
            self._await("", "\n".join(w for w in (words, remeasure) if w))
        else:
            self._await("", self._remeasure_words(step))
        self._prompt.tell(self._notice_words(result, step))
        self._notice_timer.start()
        self.vehicle.refresh()

    def show_reverification(self, answer: Reverification) -> None:
        if not answer.result.alert_supervisor:
            return
        why = answer.result.reason.zh if self._language == "zh" else answer.result.reason.en
        self._prompt.warn(
            self.tr("RE-VERIFICATION ALERT: %1. Tell the supervisor now. (F8: dismiss)").replace(
                "%1", why
            )
        )

    # -- the keys --

    def _attester(self, colour: HealthCodeColour) -> Callable[[], None]:
        def attest() -> None:
            current = self.current
            if self._awaiting != "attest" or current is None:
                return
            service, key, guard = (
                self._services.service,
                current.person_key,
                self._services.guard_id,
            )
            self._run(lambda: service.attest(key, colour, guard))

        return attest

    def _confirm_abnormal(self) -> None:
        current = self.current
        if self._awaiting != "confirm" or current is None:
            return
        service, key = self._services.service, current.person_key
        self._run(lambda: service.confirm_abnormal(key))

    def _type_temperature(self) -> None:
        dialog = ManualTemperatureDialog(self._window)
        dialog.accepted.connect(lambda: self._manual_reading(dialog.celsius))
        self.temperature_dialog = dialog
        dialog.open()

    def _manual_reading(self, celsius: float) -> None:
        reading = self._services.temperature.update(RawReading(celsius), source="manual")
        self._services.show_temperature(reading)
        self._prompt.tell(
            self.tr("Temperature typed by hand: %1 °C (manual).").replace("%1", f"{celsius:.1f}")
        )
        current = self.current
        if current is not None and current.decision.next_step.measure_again:
            self._decide_again(current, None)  # the pass waited only for a temperature
        elif self._awaiting == "confirm" and current is not None:
            self._decide_again(current, None)  # the contact thermometer's value decides

    def _type_id_number(self) -> None:
        current = self.current
        if current is None:
            self._prompt.tell(self.tr("Scan the pass first, then press F7."))
            return
        dialog = IdNumberDialog(self._window)
        dialog.accepted.connect(lambda: self._decide_again(current, dialog.id_number))
        self.id_dialog = dialog
        dialog.open()

    def _declare_travel(self) -> None:
        current = self.current
        if current is None:
            self._prompt.tell(self.tr("Scan the code first, then press F4."))
            return
        if current.decision.next_step.travel_signed:
            self._prompt.tell(self.tr("This pass carries its own signed travel record."))
            return
        service = self._services.service
        checkpoint = service.checkpoint_policy()
        dialog = TravelDialog(
            service.policy.regions or region_table(),
            service.today(),
            checkpoint.lookback_days if checkpoint is not None else 14,
            self._window,
        )
        key, guard = current.person_key, self._services.guard_id
        dialog.accepted.connect(
            lambda: self._run(lambda: service.declare_travel(key, dialog.declared, guard))
        )
        self.travel_dialog = dialog
        dialog.open()

    def decide_with_card(self, card: IdCard) -> bool:
        """The ID card on the reader is the person on screen's: decide them again with it.
        False when nobody is on screen, or their verdict is older than CARD_WINDOW_S."""
        current = self.current
        if current is None or time.monotonic() - self.shown_at > CARD_WINDOW_S:
            return False
        self._decide_again(current, None, card)
        return True

    def _decide_again(
        self, current: ScanResult, id_number: str | None, id_card: IdCard | None = None
    ) -> None:
        service, text = self._services.service, current.passage.scanned_text
        key, guard = current.person_key, self._services.guard_id
        self._run(
            lambda: service.decide_again(
                key, text, id_number=id_number, guard_id=guard, id_card=id_card
            )
        )

    def _show_vehicle(self, passage: Passage) -> None:
        """The vehicle's verdict is on the band: F9 overrides it, the person keys have no one."""
        self.current = None
        self.on_screen = passage

    def _override(self) -> None:
        if self.on_screen is None:
            self._prompt.tell(self.tr("No verdict on screen to override."))
            return
        self.overrides.start(self.on_screen)

    def _dismiss(self) -> None:
        self._awaiting = ""
        self._prompt.clear()
        self.vehicle.escape()

    # -- helpers --

    def _run(self, work: Callable[[], ScanResult | None]) -> None:
        """``work`` on a worker thread; its passage is delivered like a scan's."""
        self._awaiting = ""
        self._prompt.ask(self.tr("One moment…"))
        deliver = self._services.deliver

        def job(_progress: object, _cancel: object) -> bool:
            result = work()
            if result is not None:
                deliver(result)
            return result is not None

        background = BackgroundJob(job, "guard", self)
        background.succeeded.connect(self._after_run)
        background.failed.connect(self._show_failure)
        self.jobs = [j for j in self.jobs if j.running] + [background]
        background.start()

    def _after_run(self, found: bool) -> None:
        if not found:
            self._prompt.ask(self.tr("This person is no longer waiting: scan the pass again."))

    def _await(self, step: str, words: str) -> None:
        self._awaiting = step
        self._prompt.ask(words)

    def _remeasure_words(self, step: NextStep) -> str:
        if step.wait_minutes is not None:
            waiting = len(self._services.service.pending_remeasures())
            return (
                self.tr(
                    "Re-measure: the person waits %1 min, then measures and shows the pass "
                    "again. (%2 waiting)"
                )
                .replace("%1", str(step.wait_minutes))
                .replace("%2", str(waiting))
            )
        if step.measure_again:
            return self.tr(
                "No usable temperature: measure again. Thermometer down? F6: type the value."
            )
        return ""

    def _notice_words(self, result: ScanResult, step: NextStep) -> str:
        lines = []
        if step.colour_attested:
            lines.append(self.tr("Colour attested by the guard: pending online verification."))
        if step.travel_declared:
            lines.append(
                self.tr("Travel as the person declared it, typed by the guard (not signed).")
            )
        follow_ups = result.decision.follow_ups
        if FollowUp.FLAG_CASE in follow_ups:
            lines.append(self.tr("Case flagged: report it to the epidemic office."))
        if FollowUp.HOME_MONITORING in follow_ups:
            lines.append(self.tr("Admitted under home health monitoring: tell the person."))
        if FollowUp.ALERT_SUPERVISOR in follow_ups:
            lines.append(self.tr("Supervisor alerted: this person must not pass."))
        if result.passage.temperature_source == "manual":
            lines.append(self.tr("Temperature typed by hand (manual)."))
        return "\n".join(lines)

    def _expire_notice(self) -> None:
        if not self._awaiting:
            self._prompt.clear()

    def _show_override(self, override: Override) -> None:
        words = {
            Outcome.ADMIT: self.tr("ADMIT"),
            Outcome.REMEASURE: self.tr("RE-MEASURE"),
            Outcome.REFER: self.tr("REFER"),
            Outcome.TURN_AWAY: self.tr("TURN AWAY"),
        }
        self._awaiting = ""
        self._prompt.ask(
            self.tr("SUPERVISOR OVERRIDE: %1 instead of %2. Reason: %3")
            .replace("%1", words[override.outcome])
            .replace("%2", words[override.original])
            .replace("%3", "; ".join(p for p in (override.reason_words, override.note) if p))
        )
        self._notice_timer.start()

    def _show_failure(self, error: str) -> None:
        self._prompt.ask(self.tr("Could not complete: %1").replace("%1", error))

    def _idle_keys(self) -> str:
        travel = self.tr("F4 travel cities")
        keys = self.tr(
            "F6 temperature by hand · F7 ID number · F9 override (supervisor) · "
            "F10 vehicle · F11 guard sign-on · F12 supervisor desk · Esc dismiss"
        )
        return f"{travel} · {keys}"  # a list of keys, not a sentence
