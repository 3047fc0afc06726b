"""Cable pulls: how long after a replug the booth has a reading again, for every protocol; and
the ID card tap: from a card on the reader to the new verdict on the booth window.

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

from bench import id_card_tap
from bench.report import Section, table
from drivers.id_card.session import POLL_INTERVAL_S
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


def _id_card_section(taps: int) -> Section:
    default_poll = POLL_INTERVAL_S
    shortest, longest = id_card_tap.BETWEEN_TAPS_S
    measured = [
        (f"driver: find every {default_poll:.2f} s (booth default)", default_poll, False),
        ("driver: find every 0.10 s", 0.1, False),
        (f"booth window: find every {default_poll:.2f} s", default_poll, True),
    ]
    rows = []
    for label, poll, window in measured:
        samples = id_card_tap.window_taps(taps) if window else id_card_tap.driver_taps(taps, poll)
        rows.append(
            (
                label,
                taps,
                f"{statistics.median(samples) * 1000:.0f}",
                f"{max(samples) * 1000:.0f}",
            )
        )
    return Section(
        title="ID card tap: card on the reader to the new verdict shown",
        method=(
            "`bench/bench_devices.py` (`bench/id_card_tap.py`): the simulated SAM reader on a "
            f"real pseudo-terminal; a card laid on it after a pause of {shortest:.1f}-"
            f"{longest:.1f} s (seeded) and taken away once read. Driver rows: from "
            "laying the card to `IdCardReaderMonitor` delivering it (find, select, read), at "
            "two polling rates. Booth window row: the real window offscreen built from its "
            "configuration (`[id_reader] port`), a code already on screen; from laying the "
            "card to the bridge showing the new verdict (the card through the guard's flow, "
            "decided again, committed to the ledger). The simulator answers at once: a real "
            "reader adds its RF read and SAM checks, and the 1295-byte answer takes about "
            "0.11 s at 115200 baud."
        ),
        body=table(("path", "taps", "median ms", "max ms"), rows),
    )


def run(quick: bool) -> list[Section]:
    if os.name != "posix":
        return []  # the cable pull and the reader are simulated on pseudo-terminals
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
        ),
        _id_card_section(5 if quick else 40),
    ]
