"""What every thermometer protocol parser produces, so the port monitor works with any of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable


@dataclass(frozen=True)
class RawReading:
    """One measurement exactly as the device reported it; plausibility is judged upstream."""

    celsius: float
    ambient_celsius: float | None = None


class ReadingParser(Protocol):
    """Sans-IO decoder of one wire protocol: bytes in, readings out.

    The monitor makes a fresh parser per connection, so a half line from before an unplug is
    never glued to data after it. Must never raise on malformed input: devices send noise.
    """

    def feed(self, data: bytes) -> list[RawReading]: ...


@runtime_checkable
class PolledParser(ReadingParser, Protocol):
    """A protocol where the host asks (Modbus): the monitor sends `request()` every poll."""

    def request(self) -> bytes:
        """The bytes that ask the device for a reading; forgets any unanswered reply bytes."""
        ...
