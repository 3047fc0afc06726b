"""Page 4: the thermometer's port and protocol, with a live test that waits for a reading."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QComboBox, QFormLayout, QWizardPage

from drivers.thermometer.protocols import PROTOCOLS
from gatehouse.booth.devices import thermometer_protocol
from gatehouse.config import ConfigError, ThermometerSettings
from gatehouse.setup.detect import Problem, SerialPortInfo, ThermometerCheck
from gatehouse.ui.setup.context import SetupContext, message_label
from gatehouse.ui.setup.device_choice import DeviceChoice, baud_rate_box
from gatehouse.ui.translations import current_language

NONE = "none"  # no thermometer in any mode: the guard types temperatures in (F6)
AUTOMATIC = "auto"  # the defaults' choice: none, except the simulated one in demo mode
SIMULATED = "sim"
BAUD_RATES = (2400, 4800, 9600, 19200, 38400, 57600, 115200)


class ThermometerPage(QWizardPage):
    def __init__(self, context: SetupContext) -> None:
        super().__init__()
        self._context = context
        self._detected = False
        current = context.current.thermometer
        self.setTitle(self.tr("Thermometer"))
        self.setSubTitle(
            self.tr("The serial thermometer at the booth. Without one, the guard types it in.")
        )
        self.device = DeviceChoice("thermometer", self.tr("Port, e.g. COM3"), self.tr("&Test"))
        self.device.set_choices(self._fixed(), [])
        self.device.select(NONE if current.port == AUTOMATIC else current.port)
        self.protocol = QComboBox()
        self.protocol.setObjectName("thermometerProtocol")
        chinese = current_language() == "zh"
        for name, spoken in PROTOCOLS.items():
            self.protocol.addItem(spoken.label_zh if chinese else spoken.label, name)
        self.protocol.setCurrentIndex(max(0, self.protocol.findData(current.protocol)))
        self.baudrate = baud_rate_box("thermometerBaudrate", BAUD_RATES, current.baudrate)
        self.message = message_label("thermometerMessage")
        self.result = message_label("thermometerResult")
        form = QFormLayout(self)
        form.addRow(self.tr("&Port"), self.device)
        form.addRow(self.tr("P&rotocol"), self.protocol)
        form.addRow(self.tr("Baud ra&te"), self.baudrate)
        form.addRow(self.message)
        form.addRow(self.result)
        self.device.test.clicked.connect(self._test)

    def _fixed(self) -> list[tuple[str, str]]:
        return [
            (self.tr("No thermometer (temperatures typed in by hand)"), NONE),
            (self.tr("Simulated thermometer (for trying the booth out)"), SIMULATED),
        ]

    def initializePage(self) -> None:  # noqa: N802 (Qt's name)
        if not self._detected:
            self._detected = True
            self.message.setText(self.tr("Looking for serial ports…"))
            self._context.jobs.run(
                "port-detect", self._context.probe.serial_ports, self._show_ports, self._failed
            )

    def settings(self) -> ThermometerSettings:
        return replace(
            self._context.current.thermometer,
            port=self.device.value(),
            protocol=str(self.protocol.currentData()),
            baudrate=int(self.baudrate.currentData()),
        )

    def validatePage(self) -> bool:  # noqa: N802 (Qt's name)
        if self.device.value():
            return True
        self.message.setText(self.tr("Type the port the thermometer is plugged into."))
        return False

    def _show_ports(self, ports: list[SerialPortInfo]) -> None:
        detected = [(self._describe(port), port.url) for port in ports]
        self.device.set_choices(self._fixed(), detected)
        self.message.setText(self.tr("%n serial port(s) found.", "", len(ports)))

    def _describe(self, port: SerialPortInfo) -> str:
        if port.usb is None:
            return port.description
        return (
            self.tr("%1 — %2 (USB %3)")
            .replace("%1", port.device)
            .replace("%2", port.description)
            .replace("%3", f"{port.usb.vendor_id:04x}:{port.usb.product_id:04x}")
        )

    def _test(self) -> None:
        settings = self.settings()
        if settings.port == NONE:
            self.result.setText(self.tr("No thermometer to test: the guard types temperatures in."))
            return
        if settings.port == SIMULATED:
            self.result.setText(self.tr("The simulated thermometer is built in: nothing to test."))
            return
        try:
            protocol = thermometer_protocol(settings)
        except ConfigError as exc:
            self.result.setText(str(exc))
            return
        self.device.test.setEnabled(False)
        self.result.setText(self.tr("Waiting for a reading… hold a hand in front of it."))
        probe = self._context.probe
        self._context.jobs.run(
            "thermometer-test",
            lambda: probe.thermometer(settings.port, protocol, settings.baudrate),
            self._show_test,
            self._failed,
        )

    def _show_test(self, check: ThermometerCheck) -> None:
        self.device.test.setEnabled(True)
        if check.reading is not None:
            text = self.tr("Reading: %1 °C").replace("%1", f"{check.reading.celsius:.1f}")
        elif check.problem is Problem.NO_READING:
            text = self.tr(
                "The port opened but no reading came (%1). Check the protocol and baud rate."
            ).replace("%1", check.detail)
        elif check.problem is Problem.BAD_SETTING:
            text = self.tr("This port name is not valid: %1").replace("%1", check.detail)
        else:
            text = self.tr("This port cannot be opened: %1").replace("%1", check.detail)
        self.result.setText(text)

    def _failed(self, error: str) -> None:
        self.device.test.setEnabled(True)
        self.message.setText(self.tr("Something went wrong: %1").replace("%1", error))
