"""The demo booth keeps deciding as its video loops: every person gets a fresh measurement."""

from __future__ import annotations

import threading
from pathlib import Path

from drivers.thermometer.reading import RawReading
from drivers.thermometer.stability import StableReadingDetector
from gatehouse import config
from gatehouse.booth.demo import DemoManifest
from gatehouse.booth.runtime import BoothCallbacks, BoothRuntime, RuntimeOptions, simulated_people
from gatehouse.booth.service import ScanResult


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

    def ignore(*_args: object) -> None:
        pass

    callbacks = BoothCallbacks(
        on_frame=ignore,
        on_camera_state=ignore,
        on_thermometer_state=ignore,
        on_temperature=ignore,
        on_result=on_result,
        on_repeat=ignore,
    )
    runtime = BoothRuntime(
        config.from_mapping({}, environ={}),
        RuntimeOptions(demo=True, demo_speed=4.0, database=tmp_path / "ledger.sqlite3"),
        callbacks,
    )
    runtime.start()
    try:
        assert second_loop.wait(timeout=60)
    finally:
        runtime.stop()
    first, again = results[: len(manifest.passes)], results[len(manifest.passes) :]
    assert [r.passage.pass_id for r in again] == [r.passage.pass_id for r in first][: len(again)]
    assert [r.passage.outcome for r in again] == [r.passage.outcome for r in first][: len(again)]
