"""Every background worker under the one supervision pattern: an unexpected exception injected
into it is reported (logged with its traceback, kept in words for the status bar) and the
worker recovers on its own. The sync thread's own test is in tests/sync/test_worker.py."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pytest

from drivers.camera import OpenCVSource
from drivers.qr import make_decoder
from drivers.thermometer.ascii_protocol import AsciiLineParser
from drivers.thermometer.port import ThermometerMonitor
from drivers.thermometer.reading import RawReading
from drivers.thermometer.simulator import SimulatedThermometer
from gatehouse.backoff import Backoff
from gatehouse.booth.devices import supervised
from gatehouse.booth.intake import RepeatedPasses, ScanIntake
from gatehouse.booth.reverification import Reverification, ReverificationWorker
from gatehouse.booth.scanner import CameraState, ScanLoop
from gatehouse.core.models import HealthCodeColour
from gatehouse.demo import DemoManifest
from gatehouse.store.housekeeping import Housekeeper
from gatehouse.store.writer import SerialWriter
from gatehouse.supervision import SHOWN_FOR, Supervisor, WorkerFault
from gatehouse.verification.client import HealthCodeVerifier, VerifierAccount
from tests.booth.test_reverification import TOKEN, _answer, _attest, _booth
from tests.verification.issuer_service import IssuerService, running_service

TIMEOUT_S = 30.0


class InjectedError(RuntimeError):
    """The injected fault: nothing in the workers expects it."""


def _supervisor() -> Supervisor:
    return Supervisor(backoff=Backoff(base_s=0.1, cap_s=0.1))


def _wait(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while not condition():
        assert time.monotonic() < deadline, "the worker did not recover in time"
        time.sleep(0.02)


def _reported(
    supervisor: Supervisor, worker: str, error: str = "InjectedError: injected"
) -> WorkerFault:
    (fault,) = [f for f in supervisor.faults() if f.worker == worker]
    assert error in fault.error and fault.count >= 1
    return fault


def _assert_healed(supervisor: Supervisor, worker: str, caplog: pytest.LogCaptureFixture) -> None:
    fault = _reported(supervisor, worker)
    assert fault.recovered_at is not None and "works again" in fault.en
    logged = [r for r in caplog.records if r.name == "gatehouse.supervision" and r.exc_info]
    assert any(worker in r.getMessage() for r in logged)  # with its traceback


@pytest.fixture(autouse=True)
def _logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="gatehouse.supervision")


def test_writer_thread_survives_an_unexpected_error_outside_a_job(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    supervisor = _supervisor()
    writer = SerialWriter(tmp_path / "w.sqlite3", supervisor=supervisor)
    try:
        writer._jobs.put(InjectedError("injected"))  # type: ignore[arg-type]  # not a job at all
        _wait(lambda: bool(supervisor.faults()))
        writer.submit(lambda db: db.execute("CREATE TABLE t (x)")).result(TIMEOUT_S)
        assert writer.submit(lambda db: db.execute("SELECT 42").fetchone()[0]).result() == 42
    finally:
        writer.close()
    fault = _reported(supervisor, "writer", "AttributeError: 'InjectedError' object")
    assert fault.recovered_at is not None
    assert "Ledger writer" in fault.en and "记录写入" in fault.zh


def test_intake_reports_a_failing_scan_and_takes_the_next(
    caplog: pytest.LogCaptureFixture,
) -> None:
    supervisor = _supervisor()
    decided: list[str] = []

    def decide(text: str) -> None:
        if text == "first":
            raise InjectedError("injected")
        decided.append(text)

    intake = ScanIntake(
        decide,
        repeats=RepeatedPasses(window=0.0),
        measured_within=lambda _: True,
        on_repeat=None,
        supervisor=supervisor,
    )
    intake.submit("first")
    intake.submit("second")
    intake.close()
    assert decided == ["second"]
    _assert_healed(supervisor, "intake", caplog)


@pytest.fixture
def issuer_service() -> Iterator[tuple[IssuerService, str]]:
    with running_service() as running:
        yield running


def test_reverification_thread_restarts_after_an_unexpected_error(
    issuer_service: tuple[IssuerService, str],
    ledger: Any,
    clock: Any,
    caplog: pytest.LogCaptureFixture,
) -> None:
    state, url = issuer_service
    state.reply = lambda body: _answer(200, "green")
    supervisor = _supervisor()
    results: list[Reverification] = []

    def on_result(item: Reverification) -> None:
        if not results:
            results.append(item)
            raise InjectedError("injected")
        results.append(item)

    verifier = HealthCodeVerifier(VerifierAccount(url, TOKEN, timeout_s=10))
    worker = ReverificationWorker(
        verifier, "north-gate", retry_interval=0.05, on_result=on_result, supervisor=supervisor
    )
    worker.start()
    try:
        booth = _booth(ledger, clock, worker)
        _attest(booth, HealthCodeColour.GREEN)
        _wait(lambda: bool(supervisor.faults()))
        _attest(booth, HealthCodeColour.GREEN)  # answered by the restarted thread
        _wait(lambda: len(results) == 2 and worker.pending_count == 0)
        _wait(lambda: supervisor.faults()[0].recovered_at is not None)
    finally:
        worker.stop()
    _assert_healed(supervisor, "reverification", caplog)


class _FailingOnce:
    """The demo video, whose first opening fails while reading in a way nobody expects."""

    def __init__(self) -> None:
        self.opened = 0

    def __call__(self) -> OpenCVSource:
        self.opened += 1
        source = OpenCVSource(DemoManifest.load().video, realtime=True, speed=4.0)
        if self.opened == 1:

            def read() -> npt.NDArray[np.uint8] | None:
                raise InjectedError("injected")

            source.read = read  # type: ignore[method-assign]  # the real source, failing once
        return source


class _DecoderFailingOnce:
    def __init__(self) -> None:
        self._real = make_decoder("zxing")
        self._failed = False

    @property
    def name(self) -> str:
        return "zxing, failing once"

    def decode(self, frame: npt.NDArray[np.uint8]) -> list[str]:
        if not self._failed:
            self._failed = True
            raise InjectedError("injected")
        return self._real.decode(frame)


def test_camera_and_decoder_threads_recover_from_unexpected_errors(
    caplog: pytest.LogCaptureFixture,
) -> None:
    supervisor = _supervisor()
    scans: list[str] = []
    states: list[CameraState] = []
    opener = _FailingOnce()
    loop = ScanLoop(
        opener,
        _DecoderFailingOnce(),
        on_frame=lambda _: None,
        on_scan=scans.append,
        on_camera_state=states.append,
        reconnect_interval=60,
        supervisor=supervisor,
    )
    loop.start()
    try:
        _wait(lambda: len(scans) >= 2)  # the reopened video decodes
    finally:
        loop.stop()
    assert opener.opened >= 2
    assert [s.state for s in states][:4] == ["connecting", "live", "lost", "connecting"]
    _assert_healed(supervisor, "camera", caplog)
    _assert_healed(supervisor, "decoder", caplog)


class _ParserFailingOnce(AsciiLineParser):
    failed = False

    def feed(self, data: bytes) -> list[RawReading]:
        if not _ParserFailingOnce.failed and data:
            _ParserFailingOnce.failed = True
            raise InjectedError("injected")
        return super().feed(data)


def test_thermometer_monitor_reconnects_after_an_unexpected_error(
    caplog: pytest.LogCaptureFixture,
) -> None:
    supervisor = _supervisor()
    simulator = SimulatedThermometer([36.5, 36.6], interval_s=0.05, ambient=22.5, transport="pty")
    readings: list[RawReading] = []
    states: list[str] = []
    on_state, on_fault = supervised("thermometer", states.append, supervisor)
    monitor = ThermometerMonitor(
        simulator.start(),
        _ParserFailingOnce,
        readings.append,
        on_state,
        reconnect_interval=0.1,
        on_fault=on_fault,
    )
    monitor.start()
    try:
        _wait(lambda: len(readings) >= 3)
        assert monitor.running
    finally:
        monitor.stop()
        simulator.stop()
    assert states[:3] == ["connecting", "connected", "lost"]
    _assert_healed(supervisor, "thermometer", caplog)


def test_faults_stay_in_view_for_a_while_after_recovery_then_go() -> None:
    now = [datetime(2024, 5, 1, 9, 0, tzinfo=UTC)]
    supervisor = Supervisor(backoff=Backoff(base_s=2, cap_s=8), clock=lambda: now[0])
    delays = [supervisor.failed("sync", InjectedError("injected")) for _ in range(4)]
    assert 1 <= delays[0] <= 2 and 4 <= delays[3] <= 8  # growing, capped
    (fault,) = supervisor.faults()
    assert fault.count == 4 and "4× in a row" in fault.en and "连续4次" in fault.zh
    supervisor.recovered("sync")
    now[0] += SHOWN_FOR - timedelta(seconds=1)
    assert supervisor.faults()[0].recovered_at is not None
    now[0] += timedelta(seconds=2)
    assert supervisor.faults() == ()
    supervisor.failed("sync", InjectedError("injected"))
    assert supervisor.faults()[0].count == 1  # a new episode counts from one


def test_guarded_task_returns_its_fallback_and_reports() -> None:
    supervisor = _supervisor()

    def task(x: int) -> int:
        if x < 0:
            raise InjectedError("injected")
        return x * 2

    guarded = supervisor.guarded("export", task, -1)
    assert guarded(-5) == -1
    assert supervisor.faults()[0].recovered_at is None
    assert guarded(4) == 8
    assert supervisor.faults()[0].recovered_at is not None


def test_a_stopped_worker_is_not_restarted() -> None:
    supervisor = _supervisor()
    stop = threading.Event()
    runs = 0

    def loop() -> None:
        nonlocal runs
        runs += 1
        stop.set()
        raise InjectedError("injected")

    thread = supervisor.thread("sync", loop, stop, "test-loop")
    thread.start()
    thread.join(TIMEOUT_S)
    assert not thread.is_alive() and runs == 1


def test_housekeeping_thread_restarts_after_an_unexpected_error(
    ledger: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    supervisor = _supervisor()
    ticks = 0

    def on_tick() -> None:
        nonlocal ticks
        ticks += 1
        if ticks == 1:
            raise InjectedError("injected")

    keeper = Housekeeper(
        ledger,
        booth_id="booth-01",
        backup_folder=tmp_path / "b",
        tick_s=0.01,
        on_tick=on_tick,
        supervisor=supervisor,
    )
    keeper.start()
    try:
        _wait(lambda: bool(list((tmp_path / "b").glob("*.sqlite3"))))
    finally:
        keeper.stop()
    assert ticks >= 2
    _assert_healed(supervisor, "housekeeping", caplog)
