"""Serial scanners: the line parser at the byte level and fuzzed, and a scanner on a real pty."""

from __future__ import annotations

import os
import queue

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.serial_scanner import MAX_SCAN_BYTES, MangledLine, ScannerLineParser
from drivers.thermometer.port import SerialDeviceMonitor
from drivers.virtual_serial import open_virtual_port
from tests.drivers.drivers_testkit import split


def test_each_line_is_a_scan_whatever_the_line_end() -> None:
    parser = ScannerLineParser()
    assert parser.feed("GH1:通行证\r\nHC1:ABC\rshc:/56\n".encode()) == [
        "GH1:通行证",
        "HC1:ABC",
        "shc:/56",
    ]


def test_mangled_lines_are_reported_as_scanner_faults_not_guessed() -> None:
    parser = ScannerLineParser()
    assert parser.feed(b"GH1:\xff\xfe\r\nGH1:\x1b[A\r\n" + b"x" * 5000 + b"\r\nOK-1\r\n") == [
        MangledLine("not UTF-8"),
        MangledLine("control characters"),
        MangledLine("longer than 4096 bytes"),
        "OK-1",
    ]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=10_000), st.lists(st.integers(0, 10_000)))
def test_random_bytes_never_raise_and_do_not_depend_on_splitting(
    data: bytes, cuts: list[int]
) -> None:
    whole = ScannerLineParser()
    expected = whole.feed(data)
    pieces = ScannerLineParser()
    found = []
    for chunk in split(data, cuts):
        found += pieces.feed(chunk)
        assert pieces.pending_bytes <= MAX_SCAN_BYTES
    assert found == expected
    assert all(isinstance(item, MangledLine) or item.isprintable() for item in found)


@pytest.mark.skipif(os.name != "posix", reason="needs pseudo-terminals")
def test_a_scanner_on_a_pty_survives_a_cable_pull() -> None:
    port = open_virtual_port("pty")
    events: queue.Queue[str] = queue.Queue()
    monitor = SerialDeviceMonitor(
        port.url,
        ScannerLineParser,
        lambda text: events.put(f"scan {text}"),
        lambda state: events.put(state),
        reconnect_interval=0.1,
        device="scanner",
    )
    monitor.start()
    try:
        assert events.get(timeout=10) == "connecting"
        assert events.get(timeout=10) == "connected"
        for half in (b"GH1:PASS-", b"0001\r"):
            port.write(half)
        assert events.get(timeout=10) == "scan GH1:PASS-0001"
        port.unplug()
        assert events.get(timeout=10) == "lost"
        port.replug()
        assert events.get(timeout=10) == "connected"
        port.write(b"GH1:PASS-0002\r")
        assert events.get(timeout=10) == "scan GH1:PASS-0002"
    finally:
        monitor.stop()
        port.close()
