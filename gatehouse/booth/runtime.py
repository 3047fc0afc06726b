"""Assembles a running booth from its configuration: devices, trust, clock, ledger, service.

No Qt here: the GUI and the self-test both drive a booth through ``BoothCallbacks``, which are
called on the booth's worker threads.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from drivers.camera import FrameSource, probe_webcam
from drivers.qr import QrDecoder, make_decoder
from drivers.serial_scanner import MangledLine
from drivers.thermometer.port import ThermometerMonitor
from drivers.thermometer.reading import RawReading
from drivers.thermometer.simulator import SimulatedThermometer
from gatehouse.booth.announcer import Announcer, announcer_for
from gatehouse.booth.clock import Clock, DemoClock, SystemClock
from gatehouse.booth.devices import (
    scanner_monitor,
    source_opener,
    stability_detector,
    supervised,
    thermometer_protocol,
)
from gatehouse.booth.duty import GuardOnDuty, last_guard
from gatehouse.booth.id_reader import IdReaderReport, id_reader_monitor, wedge_id_card
from gatehouse.booth.intake import RepeatedPasses, ScanIntake
from gatehouse.booth.ledger_check import ChainCheck, open_booth_ledger
from gatehouse.booth.reverification import Reverification, ReverificationWorker
from gatehouse.booth.reverification import worker_for as reverification_worker_for
from gatehouse.booth.scanner import CameraState, Frame, ScanLoop
from gatehouse.booth.service import BoothIdentity, BoothService, ScanResult
from gatehouse.booth.shc_chunks import ShcChunks
from gatehouse.booth.status import BoothStatus, StatusMonitor, collect_status
from gatehouse.booth.temperature import LatestTemperature
from gatehouse.bundles.policy import PolicyKeeper, list_secret
from gatehouse.bundles.trust import RefusalRecorder, TrustKeeper, booth_trust
from gatehouse.config import Config
from gatehouse.core.code_reader import TrustMaterial
from gatehouse.core.decision import Policy
from gatehouse.core.models import TemperatureReading
from gatehouse.demo import DemoManifest
from gatehouse.store.housekeeping import Housekeeper
from gatehouse.store.ledger import Ledger
from gatehouse.store.lists import ListStore
from gatehouse.sync.worker import SyncStatus
from gatehouse.sync.worker import worker_for as sync_worker_for

log = logging.getLogger(__name__)

SIMULATOR_FIRST_MEASUREMENT_S = 2.0
"""At most this long start() waits for a simulated thermometer's first stable measurement."""


@dataclass(frozen=True)
class BoothCallbacks:
    """Where a running booth reports; every callback runs on a worker thread."""

    on_frame: Callable[[Frame], None]
    on_camera_state: Callable[[CameraState], None]
    on_thermometer_state: Callable[[str], None]
    on_temperature: Callable[[TemperatureReading], None]
    on_result: Callable[[ScanResult], None]
    # The same pass again, not decided anew (gatehouse.booth.intake); None: decided like any scan.
    on_repeat: Callable[[str, float], None] | None = None  # (text, seconds since its last scan)
    # The serial scanner's port state, or "mangled" for a line it garbled; never without one.
    on_scanner: Callable[[str], None] | None = None
    # A provincial code the guard attested came back from its issuer (alert when not green).
    on_reverification: Callable[[Reverification], None] | None = None
    # The status bar's snapshot (sync, disk, stale data), every few seconds.
    on_status: Callable[[BoothStatus], None] | None = None
    # The ID card reader: a card (SAM or keyboard-wedge reader), a problem, its port's state.
    on_id_reader: Callable[[IdReaderReport], None] | None = None


@dataclass(frozen=True)
class RuntimeOptions:
    """Choices made on the command line rather than in the configuration file."""

    demo: bool | None = None  # None: demo only when no webcam is attached
    demo_speed: float = 1.0  # >1 plays the demo video faster (tests, self-test)
    database: Path | None = None  # overrides the configured ledger path


@dataclass(frozen=True)
class BoothParts:
    """The collaborators a running booth is wired from. ``BoothRuntime.from_config`` makes them
    from the configuration, as the app does; the runtime connects them to each other and to
    its devices, whose callbacks are its own."""

    demo: bool
    clock: Clock
    decoder: QrDecoder
    ledger: Ledger
    trust: TrustMaterial
    # The mine's own person lists (the supervisor's import); None without a list secret.
    lists: ListStore | None
    # Rebuilds the policy when a bundle arrives or a list is imported.
    policy_keeper: PolicyKeeper
    # The loudspeaker (tones, speech); None when [ui] wants neither or the platform has none.
    announcer: Announcer | None
    # Re-verifies attested provincial codes; None without a verification account.
    reverification: ReverificationWorker | None
    # The guard on duty: signed on at the booth (F11), kept across a restart.
    duty: GuardOnDuty
    temperature: LatestTemperature
    open_source: Callable[[], FrameSource]  # the camera, (re)opened at every connection
    thermometer_url: str | None = None  # None: no thermometer
    simulator: SimulatedThermometer | None = None  # the simulated thermometer, when it is one


class BoothRuntime:
    """A booth that is running: start() once, stop() once."""

    @classmethod
    def from_config(
        cls, config: Config, options: RuntimeOptions, callbacks: BoothCallbacks
    ) -> BoothRuntime:
        """The booth the configuration describes: the app's wiring, and the tests'."""
        demo = _decide_demo(config, options)
        decoder = make_decoder(config.decoder.backend)  # a missing library: before any file opens
        manifest = DemoManifest.load() if demo else None
        clock: Clock = DemoClock(manifest.clock_start) if manifest else SystemClock()
        # The demo is a sandbox: its passages (demo names, the demo clock's date) go to a
        # ledger of their own and never to the real one or the hub.
        demo_database = config.demo_database_path() if demo else None
        ledger = open_booth_ledger(config, options.database or demo_database)
        url, simulator = _thermometer(config, manifest)
        secret = list_secret(config)
        lists = ListStore(ledger, secret) if secret else None
        return cls(
            config,
            BoothParts(
                demo=demo,
                clock=clock,
                decoder=decoder,
                ledger=ledger,
                trust=booth_trust(config, demo=demo, hub=None if demo else ledger, keep=True),
                lists=lists,
                policy_keeper=PolicyKeeper(config, ledger, demo=demo, lists=lists, keep=True),
                announcer=announcer_for(config.ui),
                reverification=None
                if demo
                else reverification_worker_for(config, ledger, callbacks.on_reverification),
                duty=GuardOnDuty(ledger, config.booth.booth_id, clock.now, last_guard(ledger.path)),
                temperature=LatestTemperature(
                    clock,
                    "simulated" if simulator else "sensor",
                    stability_detector(config.thermometer),
                ),
                open_source=source_opener(
                    config.camera, manifest.video if manifest else None, options.demo_speed
                ),
                thermometer_url=url,
                simulator=simulator,
            ),
            callbacks,
        )

    def __init__(self, config: Config, parts: BoothParts, callbacks: BoothCallbacks) -> None:
        self.demo = parts.demo
        self.clock = parts.clock
        self.decoder = parts.decoder
        self.ledger = parts.ledger
        self.chain_check = ChainCheck(self.ledger)  # the whole chain, off the start-up path
        self._callbacks = callbacks
        self._simulator = parts.simulator
        self._first_measurement = threading.Event()
        self.temperature = parts.temperature
        on_state, on_fault = supervised("thermometer", callbacks.on_thermometer_state)
        self._thermometer = (
            ThermometerMonitor(
                parts.thermometer_url,
                thermometer_protocol(config.thermometer).parser_factory(),
                on_reading=self._on_raw_reading,
                on_state=on_state,
                baudrate=config.thermometer.baudrate,
                on_fault=on_fault,
            )
            if parts.thermometer_url
            else None
        )
        self.trust = parts.trust
        self._trust_refusals = RefusalRecorder(self.ledger, config.booth.booth_id)
        self._trust_refusals(self.trust.refused)
        self._value_set_refusals = RefusalRecorder(self.ledger, config.booth.booth_id)
        self.announcer = parts.announcer
        self.lists = parts.lists
        # Its policy follows new bundles, imported lists and the hub's clock (_on_sync_status).
        self.policy_keeper = parts.policy_keeper
        self.policy = self.policy_keeper.policy  # as at start-up; the service holds the current
        self.reverification = parts.reverification
        self.duty = parts.duty
        self.service = BoothService(
            identity=BoothIdentity(config.booth.booth_id, config.booth.checkpoint_type),
            trust=self.trust,
            policy=self.policy,
            clock=self.clock,
            ledger=self.ledger,
            temperature=self.temperature,
            on_attested=self.reverification.add if self.reverification else None,
            on_duty=self.duty.current,
        )
        # Daily backup + retention purge; every minute, passages a failing disk left in memory.
        self.housekeeper = Housekeeper(
            self.ledger, booth_id=config.booth.booth_id, on_tick=self.service.save_pending
        )
        self._record_value_set_refusals(self.policy)
        self.policy_keeper.set_apply(self._apply_policy)
        if self.lists:
            self.lists.on_change = self.policy_keeper.reload_soon
        self._trust_keeper = TrustKeeper(config, self.ledger, self._apply_trust)
        self.sync = (
            None  # a demo never syncs, whichever ledger it was given
            if self.demo
            else sync_worker_for(  # None until the booth is enrolled with a hub
                self.ledger,
                interval_s=config.sync.interval_seconds,
                clock=self.clock.now,  # the clock decisions use is the one compared with the hub's
                on_status=self._on_sync_status,
                checkpoint_type=config.booth.checkpoint_type,  # told to the office's list
            )
        )
        on_status = callbacks.on_status
        self._status = StatusMonitor(self._collect_status, on_status) if on_status else None
        self._shc_chunks = ShcChunks()
        # Every scanning device feeds one intake, decided off the device and GUI threads.
        self._intake = ScanIntake(
            self._decide,
            repeats=RepeatedPasses(config.decoder.repeat_window_seconds),
            measured_within=self.temperature.measured_within,
            on_repeat=callbacks.on_repeat,
        )
        self._scanner = scanner_monitor(
            config.scanner, self._on_scanner_line, callbacks.on_scanner or _ignore
        )
        self._id_reader = id_reader_monitor(config.id_reader, self._report_id_reader)
        self._scan_loop = ScanLoop(
            parts.open_source,
            self.decoder,
            on_frame=callbacks.on_frame,
            on_scan=self.submit_scan,
            on_camera_state=callbacks.on_camera_state,
        )

    @property
    def has_thermometer(self) -> bool:
        return self._thermometer is not None

    def start(self) -> None:
        log.info(
            "booth %s started%s; ledger %s",
            self.service.identity.booth_id,
            " in demo mode" if self.demo else "",
            self.ledger.path,
        )
        if self._thermometer:
            self._thermometer.start()
        else:
            self._callbacks.on_thermometer_state("none")
        if self._simulator:  # the simulated person measures before showing the first pass
            self._first_measurement.wait(SIMULATOR_FIRST_MEASUREMENT_S)
        self._scan_loop.start()
        if self._scanner:
            self._scanner.start()
        if self._id_reader:
            self._id_reader.start()
        self.housekeeper.start()
        self.chain_check.start()
        if self.sync:
            self.sync.start()
        if self.reverification:
            self.reverification.start()
        if self._status:
            self._status.start()

    def stop(self) -> None:
        """Stops devices first so no new passage starts, then drains the ledger's writes."""
        self._scan_loop.stop()
        if self._scanner:
            self._scanner.stop()
        if self._id_reader:
            self._id_reader.stop()
        self._intake.close()
        if self._thermometer:
            self._thermometer.stop()
        if self._simulator:
            self._simulator.stop()
        if self.sync:
            self.sync.stop()
        if self.reverification:
            self.reverification.stop()
        if self._status:
            self._status.stop()
        self.housekeeper.stop()
        if self.announcer:
            self.announcer.close()
        self.ledger.close()

    def submit_scan(self, text: str) -> None:
        """A scanned text from any device (camera, serial or keyboard-wedge scanner); returns
        at once, safe on any thread including the GUI's. An ID number alone is a keyboard-wedge
        ID card reader's: it goes where the reader's cards go."""
        card = wedge_id_card(text)
        if card is None:
            self._intake.submit(text)
        else:
            self._report_id_reader(card)

    def _report_id_reader(self, report: IdReaderReport) -> None:
        if self._callbacks.on_id_reader is not None:
            self._callbacks.on_id_reader(report)

    def _collect_status(self) -> BoothStatus:
        return collect_status(
            self.service, self.sync, self.clock, ledger_problem=self.chain_check.problem
        )

    def _record_value_set_refusals(self, policy: Policy) -> None:
        if not self.demo and policy.dcc_value_sets is not None:
            self._value_set_refusals(policy.dcc_value_sets.refused)

    def _apply_policy(self, policy: Policy) -> None:
        self._record_value_set_refusals(policy)
        self.service.set_policy(policy)

    def _apply_trust(self, trust: TrustMaterial) -> None:
        self._trust_refusals(trust.refused)
        self.service.set_trust(trust)

    def _on_sync_status(self, status: SyncStatus) -> None:
        """Every sync reply: the policy sees the hub's clock and new bundles; trust, new keys."""
        self.policy_keeper.on_sync_status(status)
        if not self.demo:
            self._trust_keeper.on_sync_status(status)

    def _on_raw_reading(self, raw: RawReading) -> None:
        reading = self.temperature.feed(raw)  # only a stable plateau is a measurement
        if reading is not None:
            self._first_measurement.set()
            self._callbacks.on_temperature(reading)

    def _on_scanner_line(self, line: str | MangledLine) -> None:
        if isinstance(line, MangledLine):
            log.warning("serial scanner sent a garbled line (%s)", line.problem)
            if self._callbacks.on_scanner:
                self._callbacks.on_scanner("mangled")
        else:
            self.submit_scan(line)

    def _decide(self, text: str) -> None:
        whole = self._shc_chunks.add(text)  # a multi-part SMART Health Card is decided whole
        if whole is not None:
            self._callbacks.on_result(self.service.handle_scan(whole))


def _ignore(_state: str) -> None:
    """For a scanner state nobody shows."""


def simulated_people(temperatures: tuple[float, ...], hold: int = 5) -> tuple[float, ...]:
    """Readings of people stepping up one after another: each forehead comes closer (a lower
    reading) then holds still for ``hold`` readings, so every person is a plateau of their own.
    A constant stream would be one plateau, hence one measurement that soon goes stale."""
    return tuple(
        reading for celsius in temperatures for reading in (celsius - 2.0, *[celsius] * hold)
    )


def _thermometer(
    config: Config, manifest: DemoManifest | None
) -> tuple[str | None, SimulatedThermometer | None]:
    """The thermometer's port, and the simulator behind it when the port is simulated."""
    port = config.thermometer.port
    if port == "sim" or (port == "auto" and manifest is not None):
        temperatures = (manifest or DemoManifest.load()).temperatures
        protocol = thermometer_protocol(config.thermometer)
        simulator = SimulatedThermometer(
            simulated_people(temperatures),
            0.1,
            protocol=protocol.name,
            registers=protocol.registers,
        )
        return simulator.start(), simulator
    return (None if port in ("auto", "none") else port), None


def _decide_demo(config: Config, options: RuntimeOptions) -> bool:
    if options.demo is not None:
        return options.demo
    if config.camera.source != "auto":
        return False
    return not probe_webcam(0)
