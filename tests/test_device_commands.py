"""``gatehouse decode`` and ``gatehouse simulate thermometer`` as a user runs them."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from drivers.thermometer.port import ThermometerMonitor
from drivers.thermometer.protocols import ProtocolSettings
from drivers.thermometer.reading import RawReading

BLACKBOX = Path(__file__).resolve().parents[2] / "shared" / "testdata" / "zxing-blackbox"


def gatehouse(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gatehouse", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("backend", ["auto", "zxing", "pyzbar"])
def test_decode_prints_one_json_line_per_image(backend: str, tmp_path: Path) -> None:
    code = BLACKBOX / "qrcode-1" / "1.png"
    empty = BLACKBOX / "_negative" / "falsepositives" / "01.png"
    not_an_image = tmp_path / "notes.png"
    not_an_image.write_text("hello")
    done = gatehouse("decode", "--backend", backend, code, empty, not_an_image, tmp_path / "x.png")
    assert done.returncode == 1  # some files could not be read
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    expected = (BLACKBOX / "qrcode-1" / "1.txt").read_bytes().decode("utf-8")
    assert [line["file"] for line in lines] == [str(p) for p in (code, empty, not_an_image)] + [
        str(tmp_path / "x.png")
    ]
    assert lines[0]["texts"] == [expected]
    assert lines[1]["texts"] == []
    assert all(line["ms"] >= 0 for line in lines[:2])
    assert lines[2] == {"file": str(not_an_image), "error": "not an image OpenCV can read"}
    assert lines[3]["error"] == "not found"


def test_decode_refuses_an_unknown_backend() -> None:
    done = gatehouse("decode", "--backend", "quirc", "x.png")
    assert done.returncode == 2
    assert "invalid choice: 'quirc'" in done.stderr


@pytest.mark.skipif(os.name != "posix", reason="needs pseudo-terminals")
@pytest.mark.parametrize("protocol", ["ascii", "binary", "modbus"])
def test_simulate_thermometer_prints_a_port_that_serves_readings(protocol: str) -> None:
    command = [sys.executable, "-m", "gatehouse", "simulate", "thermometer"]
    options = [
        "--protocol",
        protocol,
        "--temperature",
        "36.8",
        "--ambient",
        "20",
        "--interval",
        "0.05",
        "--noise",
        "0.2",
        "--split",
        "--seconds",
        "60",
    ]
    with subprocess.Popen(command + options, stdout=subprocess.PIPE, text=True) as simulator:
        try:
            assert simulator.stdout is not None
            url = simulator.stdout.readline().strip()
            readings: queue.Queue[RawReading] = queue.Queue()
            monitor = ThermometerMonitor(
                url,
                ProtocolSettings(protocol).parser_factory(),
                readings.put,
                lambda state: None,
                poll_interval=0.05,
            )
            monitor.start()
            try:
                assert readings.get(timeout=10) == RawReading(36.8, 20.0)
            finally:
                monitor.stop()
        finally:
            simulator.terminate()


@pytest.mark.skipif(os.name != "posix", reason="needs pseudo-terminals")
def test_simulate_id_reader_taps_the_card_it_was_given() -> None:
    from drivers.id_card.card import IdCardText
    from drivers.id_card.reader import IdCardReaderMonitor
    from drivers.id_card.session import ReaderEvent

    command = [sys.executable, "-m", "gatehouse", "simulate", "id-reader", "--name", "王芳"]
    options = ["--valid-until", "expired", "--tap-every", "0", "--split", "--seconds", "60"]
    with subprocess.Popen(command + options, stdout=subprocess.PIPE, text=True) as simulator:
        try:
            assert simulator.stdout is not None
            url = simulator.stdout.readline().strip()
            events: queue.Queue[ReaderEvent] = queue.Queue()
            monitor = IdCardReaderMonitor(url, events.put, lambda state: None)
            monitor.start()
            try:
                card = events.get(timeout=10)
                assert isinstance(card, IdCardText) and card.name == "王芳"
                assert card.valid_until is not None and card.valid_until < date.today()
            finally:
                monitor.stop()
        finally:
            simulator.terminate()


def test_simulate_id_reader_refuses_a_bad_date() -> None:
    done = gatehouse("simulate", "id-reader", "--valid-until", "2030-13-01")
    assert done.returncode == 2
    assert "not a date (YYYY-MM-DD), 'long-term' or 'expired'" in done.stderr
