"""Assembles a running booth from its configuration: devices, trust, clock, ledger, service.

No Qt here: the GUI and the self-test both drive a booth through ``BoothCallbacks``, which are
called on the booth's worker threads.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from drivers.camera import probe_webcam
from drivers.qr import make_decoder
from drivers.thermometer.port import ThermometerMonitor
from drivers.thermometer.reading import RawReading
from drivers.thermometer.simulator import SimulatedThermometer
from gatehouse.booth.clock import Clock, DemoClock, SystemClock
from gatehouse.booth.demo import DemoManifest
from gatehouse.booth.devices import source_opener, thermometer_protocol
from gatehouse.booth.policy_source import booth_policy
from gatehouse.booth.scanner import CameraState, Frame, ScanLoop
from gatehouse.booth.service import BoothIdentity, BoothService, ScanResult
from gatehouse.booth.temperature import LatestTemperature
from gatehouse.config import Config
from gatehouse.core.keys import TrustStore
from gatehouse.core.models import TemperatureReading
from gatehouse.store.housekeeping import Housekeeper
from gatehouse.store.ledger import Ledger
from gatehouse.sync.worker import worker_for as sync_worker_for

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BoothCallbacks:
    """Where a running booth reports; every callback runs on a worker thread."""

    on_frame: Callable[[Frame], None]
    on_camera_state: Callable[[CameraState], None]
    on_thermometer_state: Callable[[str], None]
    on_temperature: Callable[[TemperatureReading], None]
    on_result: Callable[[ScanResult], None]
    on_repeat: Callable[[str, float], None] | None = None  # (text, seconds since); None: as scans


@dataclass(frozen=True)
class RuntimeOptions:
    """Choices made on the command line rather than in the configuration file."""

    demo: bool | None = None  # None: demo only when no webcam is attached
    demo_speed: float = 1.0  # >1 plays the demo video faster (tests, self-test)
    database: Path | None = None  # overrides the configured ledger path


class BoothRuntime:
    """A booth that is running: start() once, stop() once."""

    def __init__(self, config: Config, options: RuntimeOptions, callbacks: BoothCallbacks):
        self.demo = _decide_demo(config, options)
        manifest = DemoManifest.load() if self.demo else None
        self.clock: Clock = DemoClock(manifest.clock_start) if manifest else SystemClock()
        self.decoder = make_decoder(config.decoder.backend)
        self.ledger = Ledger.open(options.database or config.database_path())
        self._callbacks = callbacks
        self._simulator: SimulatedThermometer | None = None
        thermometer_url = self._thermometer_url(config, manifest)
        self.temperature = LatestTemperature(
            self.clock, "simulated" if self._simulator else "sensor"
        )
        self._thermometer = (
            ThermometerMonitor(
                thermometer_url,
                thermometer_protocol(config.thermometer).parser_factory(),
                on_reading=self._on_raw_reading,
                on_state=callbacks.on_thermometer_state,
                baudrate=config.thermometer.baudrate,
            )
            if thermometer_url
            else None
        )
        self.trust = _load_trust(manifest.trust_file if manifest else config.trusted_keys_path())
        self.policy = booth_policy(config, self.ledger, demo=self.demo)
        self.service = BoothService(
            identity=BoothIdentity(config.booth.booth_id, config.booth.checkpoint_type),
            trust=self.trust,
            policy=self.policy,
            clock=self.clock,
            ledger=self.ledger,
            temperature=self.temperature,
        )
        # Daily backup + retention purge; every minute, passages a failing disk left in memory.
        self.housekeeper = Housekeeper(
            self.ledger, booth_id=config.booth.booth_id, on_tick=self.service.save_pending
        )
        self.sync = sync_worker_for(self.ledger)  # None until the booth is enrolled with a hub
        demo_video = manifest.video if manifest else None
        open_source = source_opener(config.camera, demo_video, options.demo_speed)
        self._scan_loop = ScanLoop(
            open_source,
            self.decoder,
            on_frame=callbacks.on_frame,
            on_scan=self._on_scan,
            on_camera_state=callbacks.on_camera_state,
            on_repeat=callbacks.on_repeat,
            repeat_window=config.decoder.repeat_window_seconds,
        )

    @property
    def has_thermometer(self) -> bool:
        return self._thermometer is not None

    def start(self) -> None:
        if self._thermometer:
            self._thermometer.start()
        else:
            self._callbacks.on_thermometer_state("none")
        self._scan_loop.start()
        self.housekeeper.start()
        if self.sync:
            self.sync.start()

    def stop(self) -> None:
        """Stops devices first so no new passage starts, then drains the ledger's writes."""
        self._scan_loop.stop()
        if self._thermometer:
            self._thermometer.stop()
        if self._simulator:
            self._simulator.stop()
        if self.sync:
            self.sync.stop()
        self.housekeeper.stop()
        self.ledger.close()

    def _thermometer_url(self, config: Config, manifest: DemoManifest | None) -> str | None:
        port = config.thermometer.port
        if port == "sim" or (port == "auto" and manifest is not None):
            temperatures = manifest.temperatures if manifest else (36.5,)
            protocol = thermometer_protocol(config.thermometer)
            self._simulator = SimulatedThermometer(
                temperatures, 0.25, protocol=protocol.name, registers=protocol.registers
            )
            return self._simulator.start()
        return None if port == "auto" else port

    def _on_raw_reading(self, raw: RawReading) -> None:
        self._callbacks.on_temperature(self.temperature.update(raw))

    def _on_scan(self, text: str) -> None:
        self._callbacks.on_result(self.service.handle_scan(text))


def _decide_demo(config: Config, options: RuntimeOptions) -> bool:
    if options.demo is not None:
        return options.demo
    if config.camera.source != "auto":
        return False
    return not probe_webcam(0)


def _load_trust(path: Path) -> TrustStore:
    """The issuer keys this booth accepts; none at all until the office publishes some."""
    if not path.exists():
        log.warning("no trusted issuer keys at %s: every pass will be refused", path)
        return TrustStore()
    return TrustStore.from_json(path.read_text(encoding="utf-8"))
