"""Page 2: the hub's address and the office's enrolment code, or "no hub yet".

Enrolment is tried when the page is left, on a worker thread; the hub's answer is shown in
words and anything but success keeps the page open. "Scan the code" reads the address and the
code from the console's QR code through the booth's camera (``enrolment_scan``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFormLayout, QLineEdit, QPushButton, QRadioButton, QWizardPage

from gatehouse.setup.configure import Enrolment, EnrolmentError, EnrolmentProblem
from gatehouse.sync.enrolment import hub_address
from gatehouse.ui.setup.context import SetupContext, message_label
from gatehouse.ui.setup.enrolment_scan import EnrolmentScanDialog, camera_opener


class HubPage(QWizardPage):
    def __init__(self, context: SetupContext, booth_id: Callable[[], str]) -> None:
        super().__init__()
        self._context = context
        self._booth_id = booth_id
        self._enrolment: Enrolment | None = None  # as the ledger had it when the page opened
        self._known = False  # whether _enrolment has been read yet
        self._asked = False
        self._enrolled_now: tuple[str, str, str] | None = None  # (url, booth id, code) done
        self._enrolling = False
        self.setTitle(self.tr("Central hub"))
        self.setSubTitle(
            self.tr(
                "The hub collects this booth's records and sends it the office's rules and "
                "lists. The epidemic office gives you its address and a one-time code."
            )
        )
        self.no_hub = QRadioButton(self.tr("No hub &yet (the booth works on its own)"))
        self.no_hub.setObjectName("noHub")
        self.use_hub = QRadioButton(self.tr("&Enrol with a hub"))
        self.use_hub.setObjectName("useHub")
        self.hub_url = QLineEdit()
        self.hub_url.setObjectName("hubUrl")
        self.hub_url.setPlaceholderText("http://192.168.1.10:8750")
        self.code = QLineEdit()
        self.code.setObjectName("enrolmentCode")
        self.scan = QPushButton(self.tr("&Scan the code with the camera…"))
        self.scan.setObjectName("scanCode")
        self.scan.clicked.connect(self._scan_code)
        self.scanner: EnrolmentScanDialog | None = None  # open while scanning
        self.status = message_label("hubStatus")
        self.message = message_label("hubMessage")
        form = QFormLayout(self)
        form.addRow(self.no_hub)
        form.addRow(self.use_hub)
        form.addRow(self.tr("Hub &address"), self.hub_url)
        form.addRow(self.tr("Enrolment &code"), self.code)
        form.addRow(self.scan)
        form.addRow(self.status)
        form.addRow(self.message)
        self.no_hub.setChecked(True)
        self.use_hub.toggled.connect(self._enable_fields)
        self._enable_fields()

    def initializePage(self) -> None:  # noqa: N802 (Qt's name)
        if not self._asked:
            self._asked = True
            self._context.jobs.run(
                "enrolment-state", self._context.setup.enrolment, self._loaded, self._failed
            )

    def enrolment(self) -> Enrolment | None:
        """The hub this booth is enrolled with (now or before); None: no hub."""
        if self.no_hub.isChecked():
            return None
        if self._enrolled_now is not None:
            return Enrolment(self._enrolled_now[0], self._enrolled_now[1])
        return self._enrolment

    def validatePage(self) -> bool:  # noqa: N802 (Qt's name)
        if self._enrolling:
            return False
        if self.no_hub.isChecked():
            return True
        key = (self._address(), self._booth_id(), self.code.text().strip())
        url, booth_id, code = key
        if key == self._enrolled_now:
            return True
        if not code and not self._known:
            self.message.setText(self.tr("Checking this booth's enrolment…"))
            return False
        if not code:
            known = self._enrolment
            if known is not None and (known.hub_url, known.booth_id) == (url, booth_id):
                return True
            self.message.setText(self._missing_code(known, booth_id))
            return False
        self._enrolling = True
        self.message.setText(self.tr("Enrolling with the hub…"))
        self._context.jobs.run(
            "enrol", lambda: self._enrol(url, booth_id, code), self._enrol_done, self._failed
        )
        return False

    def _address(self) -> str:
        """The typed address as enrolment stores it (host:port is http://host:port), so the
        booth's own address typed either way is recognised; as typed when it is no address
        (the enrolment then says why)."""
        try:
            return hub_address(self.hub_url.text())
        except ValueError:
            return self.hub_url.text().strip()

    def _missing_code(self, known: Enrolment | None, booth_id: str) -> str:
        if known is not None and known.booth_id != booth_id:
            return self.tr(
                "The booth id changed to %1: enrolling it needs a new code from the office."
            ).replace("%1", booth_id)
        return self.tr("Type the hub's address and the enrolment code from the office.")

    def _enrol(self, url: str, booth_id: str, code: str) -> Enrolment | EnrolmentError:
        try:
            return self._context.setup.enrol(url, booth_id, code)
        except EnrolmentError as exc:
            return exc

    def _enrol_done(self, outcome: Enrolment | EnrolmentError) -> None:
        self._enrolling = False
        if isinstance(outcome, EnrolmentError):
            self.message.setText(self._problem_text(outcome))
            return
        self._enrolled_now = (
            outcome.hub_url,
            outcome.booth_id,
            self.code.text().strip(),
        )
        self.message.setText(
            self.tr("Enrolled with %1 as %2.")
            .replace("%1", outcome.hub_url)
            .replace("%2", outcome.booth_id)
        )
        self.wizard().next()

    def _problem_text(self, error: EnrolmentError) -> str:
        if error.problem is EnrolmentProblem.BAD_ADDRESS:
            return self.tr(
                "The hub's address is host:port or http(s)://host:port, e.g. 192.168.1.10:8750."
            )
        if error.problem is EnrolmentProblem.REFUSED:
            return (
                self.tr(
                    "The hub refused this code: it is wrong, already used, or made for another "
                    "booth. Ask the epidemic office for a new code for booth %1. (%2)"
                )
                .replace("%1", self._booth_id())
                .replace("%2", error.detail)
            )
        return self.tr(
            "No hub answered at this address. Check the address and the network, or "
            'choose "No hub yet". (%1)'
        ).replace("%1", error.detail)

    def _loaded(self, enrolment: Enrolment | None) -> None:
        self._known = True
        self._enrolment = enrolment
        if enrolment is None:
            return
        self.use_hub.setChecked(True)
        self.no_hub.setEnabled(False)  # un-enrolling needs a new code to undo: not offered here
        if not self.hub_url.text():
            self.hub_url.setText(enrolment.hub_url)
        self.status.setText(
            self.tr("This booth is enrolled with %1 as %2. Leave the code empty to keep that.")
            .replace("%1", enrolment.hub_url)
            .replace("%2", enrolment.booth_id)
        )

    def _failed(self, error: str) -> None:
        self._enrolling = False
        self.message.setText(self.tr("Something went wrong: %1").replace("%1", error))

    def _enable_fields(self) -> None:
        for field in (self.hub_url, self.code, self.scan):
            field.setEnabled(self.use_hub.isChecked())

    def _scan_code(self) -> None:
        current = self._context.current
        camera = camera_opener(current.camera.source, self._context.probe)
        jobs = self._context.jobs
        self.scanner = EnrolmentScanDialog(camera, current.decoder.backend, jobs, self)
        self.scanner.accepted.connect(self._scanned)
        self.scanner.open()
        self.scanner.start()

    def _scanned(self) -> None:
        found = self.scanner.result_code if self.scanner else None
        self.scanner = None
        if found is None:
            return
        self.hub_url.setText(found.hub_url)
        self.code.setText(found.code)
        booth_id = self._booth_id()
        if found.booth_id == booth_id:
            read = self.tr("Code read for booth %1: press Next to enrol.")
            self.message.setText(read.replace("%1", booth_id))
        else:
            self.message.setText(
                self.tr(
                    "This code was made for booth %1, but this booth is %2: go back and set the "
                    "booth id to %1, or ask the epidemic office for a code for %2."
                )
                .replace("%1", found.booth_id)
                .replace("%2", booth_id)
            )
