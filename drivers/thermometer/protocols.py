"""The thermometer wire protocols by name: the one table that configuration, the setup wizard,
the simulator, the booth and the benchmarks read (as pymodbus's framer table).

Adding a protocol: write its sans-IO host parser and device side in drivers/thermometer/, then
add one row to ``PROTOCOLS``; the wire tests run every row against its own simulator. Nothing
here imports pymodbus or serial: a protocol's module loads when it is used, so the commands'
help stays fast and a booth with a text-line thermometer never loads the Modbus stack.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from drivers.thermometer.ascii_protocol import DEFAULT_PATTERN, AsciiLineParser, format_line
from drivers.thermometer.reading import RawReading, ReadingParser
from drivers.thermometer.registers import RegisterMap

ProtocolName = str
"""A key of ``PROTOCOLS``."""


class DeviceSide(Protocol):
    """The device's end of the wire, for the simulator: what it sends when it has measured, and
    what it answers to the host's bytes (b"" for nothing)."""

    def measured(self, reading: RawReading) -> bytes: ...

    def requested(self, data: bytes, reading: RawReading) -> bytes: ...


@dataclass(frozen=True)
class ProtocolSettings:
    """Which protocol a thermometer speaks, with the options of that protocol."""

    name: ProtocolName = "ascii"
    ascii_pattern: str = DEFAULT_PATTERN
    registers: RegisterMap = field(default_factory=RegisterMap)

    def __post_init__(self) -> None:
        if self.name not in PROTOCOLS:
            raise ValueError(
                f"unknown thermometer protocol {self.name!r}; choose {', '.join(PROTOCOLS)}"
            )
        if self.name == "ascii":
            AsciiLineParser(self.ascii_pattern)  # a bad pattern fails here, not in the thread

    def parser_factory(self) -> Callable[[], ReadingParser]:
        """Makes a fresh parser per connection, as the monitor needs."""
        return PROTOCOLS[self.name].parser(self)


@dataclass(frozen=True)
class ThermometerProtocol:
    """One row of the table: how the host reads it, how a simulated device speaks it, and what
    the setup wizard calls it."""

    label: str
    label_zh: str
    parser: Callable[[ProtocolSettings], Callable[[], ReadingParser]]
    device: Callable[[RegisterMap], DeviceSide]
    polled: bool = False  # the host asks for every reading; the device never speaks first


@dataclass(frozen=True)
class Streaming:
    """A device that sends each reading unsolicited and ignores what the host sends."""

    encode: Callable[[RawReading], bytes]

    def measured(self, reading: RawReading) -> bytes:
        return self.encode(reading)

    def requested(self, data: bytes, reading: RawReading) -> bytes:
        return b""


def _ascii_parser(settings: ProtocolSettings) -> Callable[[], ReadingParser]:
    pattern = settings.ascii_pattern
    return lambda: AsciiLineParser(pattern)


def _binary_parser(settings: ProtocolSettings) -> Callable[[], ReadingParser]:
    from drivers.thermometer.binary_protocol import BinaryFrameParser

    return BinaryFrameParser


def _binary_device(registers: RegisterMap) -> DeviceSide:
    from drivers.thermometer.binary_protocol import encode_frame

    return Streaming(encode_frame)


def _modbus_parser(settings: ProtocolSettings) -> Callable[[], ReadingParser]:
    from drivers.thermometer.modbus_protocol import ModbusRtuParser

    registers = settings.registers
    return lambda: ModbusRtuParser(registers)


def _modbus_device(registers: RegisterMap) -> DeviceSide:
    from drivers.thermometer.modbus_protocol import ModbusTransmitter

    return ModbusTransmitter(registers)


PROTOCOLS: Mapping[ProtocolName, ThermometerProtocol] = {
    "ascii": ThermometerProtocol(
        "Text lines (T:36.5)", "文本行(T:36.5)", _ascii_parser, lambda _: Streaming(format_line)
    ),
    "binary": ThermometerProtocol(
        "Binary frames (infrared module)", "二进制帧(红外测温模块)", _binary_parser, _binary_device
    ),
    "modbus": ThermometerProtocol(
        "Modbus RTU", "Modbus RTU", _modbus_parser, _modbus_device, polled=True
    ),
}
