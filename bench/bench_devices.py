"""Cable pulls: how long after a replug the booth has a reading again, for every protocol.

Each protocol's simulated thermometer talks through a real pseudo-terminal to the monitor the
booth runs, with the booth's own reconnect and poll settings. One cycle: unplug, wait until the
monitor reports "lost", leave the cable out a while (0.2-1.5 s, seeded: the monitor is then
somewhere in its retry loop, as after a real replug), replug, and time from the replug to the
first reading the monitor delivers (target: 2 s); unplug to "lost" is measured alongside.
"""

from __future__ import annotations

import os
import queue
import random
import statistics
import time

from bench.report import Section, table
from drivers.thermometer.port import ThermometerMonitor
from drivers.thermometer.protocols import PROTOCOLS, ProtocolName, ProtocolSettings
from drivers.thermometer.reading import RawReading
from drivers.thermometer.simulator import SimulatedThermometer

TARGET_S = 2.0
INTERVAL_S = 0.1  # the simulated device measures at 10 Hz, as the demo thermometer does
WAIT_S = 30.0


class _Events:
    def __init__(self) -> None:
        self.queue: queue.Queue[tuple[float, object]] = queue.Queue()

    def put(self, event: object) -> None:
        self.queue.put((time.perf_counter(), event))

    def wait_for(self, wanted: str) -> float:
        """When the next state ``wanted`` (or, for "reading", a reading) was reported."""
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            try:
                at, event = self.queue.get(timeout=1)
            except queue.Empty:
                continue
            if event == wanted or (wanted == "reading" and isinstance(event, RawReading)):
                return at
        raise RuntimeError(f"no {wanted} within {WAIT_S} s")


def _cycles(protocol: ProtocolName, cycles: int) -> tuple[list[float], list[float]]:
    """(unplug to "lost", replug to first reading) in seconds, one sample per cycle."""
    device = SimulatedThermometer([36.5, 36.6], INTERVAL_S, protocol=protocol, transport="pty")
    events = _Events()
    monitor = ThermometerMonitor(
        device.start(), ProtocolSettings(protocol).parser_factory(), events.put, events.put
    )
    monitor.start()
    lost, back = [], []
    hold = random.Random(5)
    try:
        events.wait_for("reading")
        for _ in range(cycles):
            unplugged = time.perf_counter()
            device.unplug()
            lost.append(events.wait_for("lost") - unplugged)
            time.sleep(hold.uniform(0.2, 1.5))
            replugged = time.perf_counter()
            device.replug()
            back.append(events.wait_for("reading") - replugged)
    finally:
        monitor.stop()
        device.stop()
    return lost, back


def run(quick: bool) -> list[Section]:
    if os.name != "posix":
        return []  # the cable pull is simulated on a pseudo-terminal
    cycles = 3 if quick else 20
    rows = []
    for protocol in PROTOCOLS:
        lost, back = _cycles(protocol, cycles)
        rows.append(
            (
                protocol,
                cycles,
                f"{statistics.median(lost):.2f}",
                f"{max(lost):.2f}",
                f"{statistics.median(back):.2f}",
                f"{max(back):.2f}",
                "yes" if max(back) <= TARGET_S else "**no**",
            )
        )
    return [
        Section(
            title="Thermometer replug: time to the next reading",
            method=(
                "`bench/bench_devices.py`: for each protocol a simulated thermometer measuring at "
                f"{1 / INTERVAL_S:.0f} Hz on a real pseudo-terminal, read by the booth's "
                "`ThermometerMonitor` with its default settings (reopen every 0.5 s, Modbus "
                f"polled every 0.25 s); {cycles} unplug/replug cycles each, the cable left "
                'out 0.2-1.5 s (seeded). Seconds from unplug to "lost" reported, and from '
                "replug to the first reading delivered "
                f"(target: within {TARGET_S:.0f} s)."
            ),
            body=table(
                (
                    "protocol",
                    "cycles",
                    "unplug → lost median s",
                    "max s",
                    "replug → reading median s",
                    "max s",
                    f"within {TARGET_S:.0f} s",
                ),
                rows,
            ),
        )
    ]
