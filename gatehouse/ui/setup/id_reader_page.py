"""The resident ID card reader: found on the serial ports (the SAM answers its status command)
and tried with a card. Optional: without one the guard types the number (F7), and a
keyboard-wedge reader needs no setting at all."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QFormLayout, QWizardPage

from drivers.id_card.reader import DEFAULT_BAUDRATE
from gatehouse.config import IdReaderSettings
from gatehouse.core.rules.persons import mask_id_number
from gatehouse.setup.detect import Problem, SerialPortInfo
from gatehouse.setup.id_reader_check import IdReaderCheck, check_id_reader, find_id_readers
from gatehouse.ui.setup.context import SetupContext, message_label
from gatehouse.ui.setup.device_choice import DeviceChoice, baud_rate_box

NONE = ""
BAUD_RATES = (9600, 19200, 38400, 57600, 115200)


class IdReaderPage(QWizardPage):
    def __init__(self, context: SetupContext) -> None:
        super().__init__()
        self._context = context
        self._searched = False
        current = context.current.id_reader
        self.setTitle(self.tr("ID card reader"))
        self.setSubTitle(
            self.tr(
                "A resident ID card reader saves the guard typing 18 digits (F7). A reader "
                "that types like a keyboard needs no setting."
            )
        )
        self.device = DeviceChoice("idReader", self.tr("Port, e.g. COM5"), self.tr("&Test"))
        self.device.set_choices(self._fixed(), [])
        self.device.select(current.port)
        self.baudrate = baud_rate_box("idReaderBaudrate", BAUD_RATES, current.baudrate)
        self.message = message_label("idReaderMessage")
        self.result = message_label("idReaderResult")
        form = QFormLayout(self)
        form.addRow(self.tr("&Port"), self.device)
        form.addRow(self.tr("Baud ra&te"), self.baudrate)
        form.addRow(self.message)
        form.addRow(self.result)
        self.device.test.clicked.connect(self._test)

    def _fixed(self) -> list[tuple[str, str]]:
        return [(self.tr("No ID card reader (the guard types the number)"), NONE)]

    def initializePage(self) -> None:  # noqa: N802 (Qt's name)
        if self._searched:
            return
        self._searched = True
        self.message.setText(self.tr("Looking for an ID card reader on the serial ports…"))
        probe, baudrate = self._context.probe, int(self.baudrate.currentData())
        self._context.jobs.run(
            "id-reader-search",
            lambda: find_id_readers(probe.serial_ports(), baudrate, probe.port_lister),
            self._show_readers,
            self._failed,
        )

    def settings(self) -> IdReaderSettings:
        return replace(
            self._context.current.id_reader,
            port=self.device.value(),
            baudrate=int(self.baudrate.currentData() or DEFAULT_BAUDRATE),
        )

    def _show_readers(self, readers: list[SerialPortInfo]) -> None:
        detected = [(f"{port.device} — {port.description}", port.url) for port in readers]
        self.device.set_choices(self._fixed(), detected)
        if readers and not self.device.value():
            self.device.select(readers[0].url)
        self.message.setText(self.tr("%n ID card reader(s) found.", "", len(readers)))

    def _test(self) -> None:
        settings = self.settings()
        if not settings.port:
            self.result.setText(self.tr("No reader to test: the guard types ID numbers (F7)."))
            return
        self.device.test.setEnabled(False)
        self.result.setText(self.tr("Lay an ID card on the reader…"))
        lister = self._context.probe.port_lister
        self._context.jobs.run(
            "id-reader-test",
            lambda: check_id_reader(settings, lister=lister),
            self._show_test,
            self._failed,
        )

    def _show_test(self, check: IdReaderCheck) -> None:
        self.device.test.setEnabled(True)
        card = check.card
        if card is not None:
            text = (
                self.tr("Card read: %1 %2")
                .replace("%1", card.name or "")
                .replace("%2", mask_id_number(card.id_number))
            )
        elif check.problem is Problem.NO_READING:
            text = self.tr("The reader did not read a card: %1").replace("%1", check.detail)
        elif check.problem is Problem.BAD_SETTING:
            text = self.tr("This port name is not valid: %1").replace("%1", check.detail)
        else:
            text = self.tr("This port cannot be opened: %1").replace("%1", check.detail)
        self.result.setText(text)

    def _failed(self, error: str) -> None:
        self.device.test.setEnabled(True)
        self.message.setText(self.tr("Something went wrong: %1").replace("%1", error))
