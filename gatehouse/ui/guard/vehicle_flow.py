"""Vehicle mode on the booth window: F10 states a vehicle, its people are scanned as usual, F10
again decides it; Esc twice cancels it (one Esc only dismisses a prompt, as everywhere).

The vehicle's verdict takes the verdict band like a person's; the panel under it lists the
people with their outcomes and says who held the vehicle back. Deciding and logging the vehicle
runs on a worker thread; the band shows it once it is durable, or with the reason it is not.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QBoxLayout, QWidget

from gatehouse.booth.vehicle import VehicleDesk, VehicleModeError, VehicleResult
from gatehouse.ui.background import BackgroundJob
from gatehouse.ui.guard.prompt_panel import GuardPrompt
from gatehouse.ui.guard.sounds import SoundCues
from gatehouse.ui.guard.vehicle_dialog import VehicleDialog
from gatehouse.ui.guard.vehicle_panel import VehiclePanel
from gatehouse.ui.verdict_panel import VerdictPanel


class VehicleFlow(QObject):
    decided = Signal(object)  # the vehicle's Passage, once it is on the verdict band

    def __init__(
        self,
        window: QWidget,
        prompt: GuardPrompt,
        desk: VehicleDesk,
        sounds: SoundCues,
        *,
        language: str,
        guard_id: str | None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._prompt = prompt
        self.desk = desk
        self._sounds = sounds
        self._guard_id = guard_id
        verdict = window.findChild(VerdictPanel)
        holder = prompt.parentWidget()
        layout = holder.layout() if holder is not None else None
        if verdict is None or not isinstance(layout, QBoxLayout):
            raise TypeError("vehicle mode needs the booth window's verdict band and prompt")
        self._verdict = verdict
        self.panel = VehiclePanel(language)
        layout.insertWidget(layout.indexOf(prompt), self.panel)
        prompt.share_room_with(self.panel)
        self.dialog: VehicleDialog | None = None
        self.jobs: list[BackgroundJob] = []
        self._cancel_armed = False
        self.finishing = False  # F10 pressed, the vehicle not yet on the band

    def press_f10(self) -> None:
        """No vehicle: state one. A vehicle being checked: decide it."""
        if self.finishing:
            return
        if self.desk.active is None:
            self._open_dialog()
        else:
            self._finish()

    def escape(self) -> None:
        """Hides a finished vehicle's summary; on a vehicle being checked, the second Esc in a
        row cancels it."""
        session = self.desk.active
        if self.finishing:
            return
        if session is None:
            self.panel.hide()
            return
        if not self._cancel_armed:
            self._show_session(cancel_armed=True)
            return
        self.desk.cancel()
        self._cancel_armed = False
        self.panel.hide()
        self._prompt.tell(
            self.tr(
                "Vehicle %1 cancelled: no vehicle logged; the people scanned stay logged."
            ).replace("%1", session.vehicle.plate)
        )

    def refresh(self) -> None:
        """After each person's verdict: the people so far, or no panel when no vehicle."""
        if self.finishing:
            return
        if self.desk.active is None:
            self.panel.hide()
        else:
            self._show_session(cancel_armed=False)

    def _show_session(self, *, cancel_armed: bool) -> None:
        session = self.desk.active
        if session is None:
            return
        self._cancel_armed = cancel_armed
        vehicle = session.vehicle
        self.panel.show_session(
            session,
            self.desk.region_name(vehicle.origin_region),
            self.desk.purposes().get(vehicle.purpose, vehicle.purpose),
            cancel_armed=cancel_armed,
        )

    def _open_dialog(self) -> None:
        dialog = VehicleDialog(self.desk, self._window)
        dialog.accepted.connect(lambda: self._start(dialog))
        dialog.finished.connect(self._window.activateWindow)  # the F-keys work on the window
        self.dialog = dialog
        dialog.open()

    def _start(self, dialog: VehicleDialog) -> None:
        try:
            self.desk.start(dialog.plate_text, dialog.origin_code, dialog.purpose_key)
        except (ValueError, VehicleModeError) as error:
            self._prompt.ask(self.tr("Vehicle not started: %1").replace("%1", str(error)))
            return
        self._prompt.clear()
        self._show_session(cancel_armed=False)

    def _finish(self) -> None:
        self.finishing = True
        self._prompt.ask(self.tr("Deciding the vehicle…"))
        desk, guard = self.desk, self._guard_id

        def job(_progress: object, _cancel: object) -> tuple[VehicleResult, str]:
            result = desk.finish(guard)
            error = result.saved.exception()  # waits until the vehicle is durable
            return result, "" if error is None else f"{type(error).__name__}: {error}"

        background = BackgroundJob(job, "vehicle", self)
        background.succeeded.connect(self._show_result)
        background.failed.connect(self._show_failure)
        self.jobs = [j for j in self.jobs if j.running] + [background]
        background.start()

    def _show_result(self, outcome: tuple[VehicleResult, str]) -> None:
        result, save_error = outcome
        self.finishing = False
        self._prompt.clear()
        self._verdict.show_passage(result.passage, save_error)
        self._sounds.play(result.passage)
        self.panel.show_result(result)
        self.decided.emit(result.passage)

    def _show_failure(self, error: str) -> None:
        self.finishing = False
        self._prompt.ask(self.tr("Could not decide the vehicle: %1").replace("%1", error))
        self.refresh()
