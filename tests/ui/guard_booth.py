"""A booth window with the guard's panels on a real service and ledger, on a clock the test moves.

The scans take the runtime's path (one intake worker decides, the bridge shows the passage once
it is durable); the devices are left out so a test controls the temperature and the moment.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from drivers.thermometer.reading import RawReading
from gatehouse.booth.announcer import Announcer
from gatehouse.booth.intake import RepeatedPasses, ScanIntake
from gatehouse.booth.service import BoothIdentity, BoothService, ScanResult
from gatehouse.booth.temperature import LatestTemperature
from gatehouse.core.code_reader import TrustMaterial
from gatehouse.store import Ledger
from gatehouse.store.pins import pin_store_for
from gatehouse.store.queries import PassageQueries
from gatehouse.ui.bridge import BoothBridge
from gatehouse.ui.guard.attach import attach_guard
from gatehouse.ui.guard.flows import GuardFlows, GuardServices
from gatehouse.ui.guard.signals import GuardSignals
from gatehouse.ui.main_window import MainWindow
from gatehouse.ui.supervisor.services import DeskServices
from tests.booth.codes import ISSUERS, accepting_pack
from tests.booth.conftest import FixedClock
from tests.core.factories import trust_for
from tests.core.policies import policy
from tests.ui.supervisor.conftest import CST, FAST_ARGON2

WAIT_MS = 20_000


class GuardBooth:
    def __init__(
        self,
        qtbot: QtBot,
        ledger: Ledger,
        key: Ed25519PrivateKey,
        out: Path,
        language: str = "en",
        announcer: Announcer | None = None,
    ) -> None:
        self.qtbot = qtbot
        self.ledger = ledger
        self.clock = FixedClock()
        self.temperature = LatestTemperature(self.clock, "sensor")
        self.service = BoothService(
            identity=BoothIdentity("north-gate", "mine_gate"),
            trust=TrustMaterial(passes=trust_for(key), health_code_issuers=ISSUERS),
            policy=policy(packs=(accepting_pack(),)),
            clock=self.clock,
            ledger=ledger,
            temperature=self.temperature,
        )
        self.desk = DeskServices(
            queries=PassageQueries(ledger.path),
            audit=ledger,
            pins=pin_store_for(ledger, hasher=FAST_ARGON2),
            booth_id="north-gate",
            mine_name="王庄煤矿",
            zone=CST,
            output_folder=out,
        )
        self.bridge = BoothBridge()
        self.signals = GuardSignals()
        self.callbacks = self.signals.extend(self.bridge.callbacks())
        self.window = MainWindow(
            self.bridge,
            demo=False,
            decoder_name="zxing",
            language=language,
            threshold_c=37.3,
            verdict_seconds=60,
        )
        qtbot.addWidget(self.window)
        self.flows: GuardFlows = attach_guard(
            self.window,
            self.bridge,
            self.signals,
            GuardServices(
                service=self.service,
                temperature=self.temperature,
                deliver=self.callbacks.on_result,
                show_temperature=self.bridge.temperature.emit,
                desk=self.desk,
                announcer=announcer,
            ),
            language=language,
            verdict_seconds=60,
        )
        self.flows.sounds.played.clear()
        self.shown: list[ScanResult] = []
        self.bridge.verdict.connect(lambda result, _error: self.shown.append(result))
        self._intake = ScanIntake(
            lambda text: self.callbacks.on_result(self.service.handle_scan(text)),
            repeats=RepeatedPasses(0),
            measured_within=self.temperature.measured_within,
            on_repeat=None,
        )
        self.window.show()
        self.window.activateWindow()
        qtbot.waitUntil(self.window.isActiveWindow)  # shortcuts reach the active window only

    def measure(self, celsius: float) -> None:
        self.temperature.update(RawReading(celsius))

    def scan(self, text: str) -> ScanResult:
        """Scan ``text`` as a camera would and wait until its verdict is on screen."""
        return self.wait_for_verdict(lambda: self._intake.submit(text))

    def press(self, key: Qt.Key) -> None:
        self.qtbot.keyClick(self.window, key)

    def wait_for_verdict(self, action: object) -> ScanResult:
        before = len(self.shown)
        assert callable(action)
        action()
        self.qtbot.waitUntil(lambda: len(self.shown) > before, timeout=WAIT_MS)
        return self.shown[-1]

    def text(self, name: str) -> str:
        return self.label(name).text()

    def label(self, name: str) -> QLabel:
        found = self.window.findChild(QLabel, name)
        assert found is not None, name
        return found

    def close(self) -> None:
        self._intake.close()
        for job in self.flows.jobs:
            job.wait()
