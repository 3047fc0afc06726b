"""The demo booth keeps deciding as its video loops: every person gets a fresh measurement."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from drivers.thermometer.reading import RawReading
from drivers.thermometer.stability import StableReadingDetector
from gatehouse import config
from gatehouse.booth.runtime import BoothCallbacks, BoothRuntime, RuntimeOptions, simulated_people
from gatehouse.booth.service import ScanResult
from gatehouse.demo import DemoManifest
from tests.booth.dead_hub import enrol_with_a_dead_hub


def test_simulated_people_are_one_measurement_each() -> None:
    temperatures = DemoManifest.load().temperatures
    detector = StableReadingDetector()
    found = [detector.feed(RawReading(r)) for r in simulated_people(temperatures) * 2]
    measured = [m.celsius for m in found if m is not None]
    assert measured == list(temperatures) * 2


def test_the_looping_demo_is_decided_again_on_every_loop(tmp_path: Path) -> None:
    manifest = DemoManifest.load()
    results: list[ScanResult] = []
    second_loop = threading.Event()

    def on_result(result: ScanResult) -> None:
        results.append(result)
        if len(results) > len(manifest.passes) + 2:
            second_loop.set()

    runtime = BoothRuntime.from_config(
        config.from_mapping({}, environ={}),
        RuntimeOptions(demo=True, demo_speed=4.0, database=tmp_path / "ledger.sqlite3"),
        _callbacks(on_result),
    )
    runtime.start()
    try:
        assert second_loop.wait(timeout=60)
    finally:
        runtime.stop()
    first, again = results[: len(manifest.passes)], results[len(manifest.passes) :]
    assert [r.passage.pass_id for r in again] == [r.passage.pass_id for r in first][: len(again)]
    assert [r.passage.outcome for r in again] == [r.passage.outcome for r in first][: len(again)]


def test_the_demo_has_a_ledger_of_its_own_and_never_syncs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    real = tmp_path / "real.sqlite3"
    cfg = config.from_mapping({"store": {"database": str(real)}}, environ={})
    demo_ledger = cfg.demo_database_path()
    assert demo_ledger == tmp_path / "data" / "gatehouse" / "demo" / "demo.sqlite3"
    demo_ledger.parent.mkdir(parents=True)
    enrol_with_a_dead_hub(demo_ledger)  # even a demo ledger that was once enrolled
    runtime = BoothRuntime.from_config(cfg, RuntimeOptions(demo=True), _callbacks())
    try:
        assert runtime.ledger.path == demo_ledger
        assert runtime.sync is None
    finally:
        runtime.stop()
    assert not real.exists()  # the real ledger is untouched: leaving demo mode finds it clean


def _ignore(*_args: object) -> None:
    pass


def _callbacks(on_result: Callable[[ScanResult], None] = _ignore) -> BoothCallbacks:
    return BoothCallbacks(
        on_frame=_ignore,
        on_camera_state=_ignore,
        on_thermometer_state=_ignore,
        on_temperature=_ignore,
        on_result=on_result,
        on_repeat=_ignore,
    )
