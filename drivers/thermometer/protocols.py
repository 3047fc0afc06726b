"""The thermometer wire protocols by name, for configuration, the monitor and the simulator."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal, get_args

from drivers.thermometer.ascii_protocol import DEFAULT_PATTERN, AsciiLineParser, format_line
from drivers.thermometer.binary_protocol import BinaryFrameParser, encode_frame
from drivers.thermometer.modbus_protocol import ModbusRtuParser, RegisterMap
from drivers.thermometer.reading import RawReading, ReadingParser

ProtocolName = Literal["ascii", "binary", "modbus"]
PROTOCOLS: tuple[ProtocolName, ...] = get_args(ProtocolName)


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
        if self.name == "ascii":
            pattern = self.ascii_pattern
            return lambda: AsciiLineParser(pattern)
        if self.name == "binary":
            return BinaryFrameParser
        registers = self.registers
        return lambda: ModbusRtuParser(registers)


def stream_encoder(name: ProtocolName) -> Callable[[RawReading], bytes] | None:
    """How a device that sends unsolicited encodes a reading; None for polled protocols."""
    return {"ascii": format_line, "binary": encode_frame}.get(name)
