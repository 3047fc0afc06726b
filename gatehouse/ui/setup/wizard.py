"""The setup wizard: booth, hub, camera, thermometer, ID card reader, PIN, summary.

Pre-filled from the configuration file, so a supervisor re-running it changes only what they
change. Closing it waits for its worker jobs, so none outlives it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget, QWizard

from gatehouse.config import Config
from gatehouse.setup.configure import BoothSetup, NewPin, SetupChoices
from gatehouse.setup.detect import DeviceProbe
from gatehouse.ui.setup.booth_page import BoothPage
from gatehouse.ui.setup.camera_page import CameraPage
from gatehouse.ui.setup.context import SetupContext
from gatehouse.ui.setup.hub_page import HubPage
from gatehouse.ui.setup.id_reader_page import IdReaderPage
from gatehouse.ui.setup.jobs import Jobs
from gatehouse.ui.setup.pin_page import PinPage
from gatehouse.ui.setup.summary_page import SummaryPage
from gatehouse.ui.setup.thermometer_page import ThermometerPage


class SetupWizard(QWizard):
    def __init__(
        self, setup: BoothSetup, probe: DeviceProbe | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("setupWizard")
        self.setWindowTitle(self.tr("Gatehouse — booth setup"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)  # the same on every platform
        self.jobs = Jobs(self)
        context = SetupContext(setup, probe or DeviceProbe(), self.jobs, setup.current())
        self.booth = BoothPage(context.current.booth)
        self.hub = HubPage(context, lambda: self.booth.settings().booth_id)
        self.camera = CameraPage(context)
        self.thermometer = ThermometerPage(context)
        self.id_reader = IdReaderPage(context)
        self.pin = PinPage(context)
        self.summary = SummaryPage(context, self._summary)
        pages = (self.booth, self.hub, self.camera, self.thermometer, self.id_reader, self.pin)
        for page in (*pages, self.summary):
            self.addPage(page)

    @property
    def saved(self) -> Config | None:
        """The configuration written by Finish; None until then (or if cancelled)."""
        return self.summary.saved

    def choices(self) -> SetupChoices:
        booth = self.booth.settings()
        thermometer = self.thermometer.settings()
        id_reader = self.id_reader.settings()
        return SetupChoices(
            booth_id=booth.booth_id,
            mine_name=booth.mine_name,
            checkpoint_type=booth.checkpoint_type,
            camera_source=self.camera.source(),
            thermometer_port=thermometer.port,
            thermometer_protocol=thermometer.protocol,
            thermometer_baudrate=thermometer.baudrate,
            id_reader_port=id_reader.port,
            id_reader_baudrate=id_reader.baudrate,
        )

    def _summary(self) -> tuple[SetupChoices, NewPin | None, str]:
        choices = self.choices()
        pin = self.pin.new_pin()
        enrolment = self.hub.enrolment()
        lines = [
            (self.tr("Booth"), choices.booth_id),
            (self.tr("Mine"), choices.mine_name or "—"),
            (self.tr("Checkpoint"), self.booth.checkpoint.currentText()),
            (self.tr("Hub"), enrolment.hub_url if enrolment else self.tr("No hub yet")),
            (self.tr("Camera"), self.camera.device.chosen_text()),
            (self.tr("Thermometer"), self.thermometer.device.chosen_text()),
            (self.tr("ID card reader"), self.id_reader.device.chosen_text()),
            (self.tr("Supervisor PIN"), self.tr("new") if pin else self.tr("unchanged")),
        ]
        text = "\n".join(f"{label}: {value}" for label, value in lines)
        return choices, pin, text

    def done(self, result: int) -> None:
        self.jobs.wait_all()
        super().done(result)
