"""Faults seen on real serial cables, injected by the device simulators: line noise, frames
split into pieces, corrupted bytes. Drawn from a seeded generator so a run can be repeated."""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass

from drivers.virtual_serial import VirtualPort

SPLIT_PAUSE_S = 0.002


@dataclass(frozen=True)
class Faults:
    """What goes wrong on the wire."""

    noise: float = 0.0  # chance of 1-8 random bytes before a frame
    corrupt: float = 0.0  # chance of one byte of a frame being changed
    split: bool = False  # frames written in random pieces with short pauses between
    seed: int = 0

    def __post_init__(self) -> None:
        for name, chance in (("noise", self.noise), ("corrupt", self.corrupt)):
            if not 0.0 <= chance <= 1.0:
                raise ValueError(f"{name} must be a probability between 0 and 1, got {chance}")


class FaultyWire:
    """Writes frames to a virtual port with ``faults`` applied."""

    def __init__(self, faults: Faults, stop: threading.Event) -> None:
        self.faults = faults
        self._random = random.Random(faults.seed)
        self._stop = stop

    def send(self, port: VirtualPort, frame: bytes) -> None:
        faults, chance = self.faults, self._random
        if chance.random() < faults.corrupt:
            at = chance.randrange(len(frame))
            frame = frame[:at] + bytes([frame[at] ^ chance.randrange(1, 256)]) + frame[at + 1 :]
        if chance.random() < faults.noise:
            frame = chance.randbytes(chance.randint(1, 8)) + frame
        if not faults.split:
            port.write(frame)
            return
        while frame:
            cut = chance.randint(1, 4)
            port.write(frame[:cut])
            frame = frame[cut:]
            if frame:
                self._stop.wait(SPLIT_PAUSE_S)
