"""Modbus RTU register reads, as industrial temperature transmitters on RS-485 answer them.

The host (client) asks for `count` registers from `register` of device `unit`; register 0 of the
block is the body temperature and, when count is 2, register 1 the ambient, each a signed 16-bit
value in units of `scale` °C (0.1 on most transmitters). Framing, CRC and PDUs are pymodbus's
(`FramerRTU`), driven without I/O here, so the port monitor and the simulator own the bytes.
"""

from __future__ import annotations

from pymodbus.exceptions import ModbusException
from pymodbus.framer import FramerRTU
from pymodbus.pdu import DecodePDU, ExceptionResponse, ModbusPDU
from pymodbus.pdu.register_message import (
    ReadHoldingRegistersRequest,
    ReadHoldingRegistersResponse,
    ReadInputRegistersRequest,
    ReadInputRegistersResponse,
)

from drivers.thermometer.reading import RawReading
from drivers.thermometer.registers import RegisterMap

MAX_PENDING_BYTES = 2 * FramerRTU.MAX_SIZE
"""More unanswered bytes than two full frames are noise; older ones are dropped."""

_ILLEGAL_DATA_ADDRESS = 2


class ModbusRtuParser:
    """Host side: `request()` asks, `feed()` turns the answer into a reading.

    Bytes before a reply (line noise) are skipped by trying each start offset until a frame with
    a good CRC from the right unit appears. Exception replies, replies of the wrong shape and
    bad CRCs give no reading and are counted in `rejected_frames`.
    """

    def __init__(self, registers: RegisterMap | None = None) -> None:
        self.registers = registers or RegisterMap()
        self._framer = FramerRTU(DecodePDU(is_server=False))
        self._buffer = b""
        self.rejected_frames = 0

    def request(self) -> bytes:
        self._buffer = b""
        kind = (
            ReadInputRegistersRequest
            if self.registers.input_registers
            else ReadHoldingRegistersRequest
        )
        pdu = kind(
            address=self.registers.register, count=self.registers.count, dev_id=self.registers.unit
        )
        return self._framer.buildFrame(pdu)

    @property
    def pending_bytes(self) -> int:
        return len(self._buffer)

    def feed(self, data: bytes) -> list[RawReading]:
        self._buffer = (self._buffer + data)[-MAX_PENDING_BYTES:]
        readings = []
        while (found := self._next_frame()) is not None:
            reading = self._to_reading(found)
            if reading is None:
                self.rejected_frames += 1
            else:
                readings.append(reading)
        return readings

    def _next_frame(self) -> ModbusPDU | None:
        for start in range(len(self._buffer)):
            try:
                used, pdu = self._framer.handleFrame(self._buffer[start:], self.registers.unit, 0)
            except ModbusException:  # a good CRC around a PDU pymodbus cannot decode
                continue
            if pdu is not None:
                self._buffer = self._buffer[start + used :]
                return pdu
        return None

    def _to_reading(self, pdu: ModbusPDU) -> RawReading | None:
        expected = (
            ReadInputRegistersResponse
            if self.registers.input_registers
            else ReadHoldingRegistersResponse
        )
        if not isinstance(pdu, expected) or len(pdu.registers) != self.registers.count:
            return None
        values = [_signed(r) * self.registers.scale for r in pdu.registers]
        return RawReading(round(values[0], 6), round(values[1], 6) if len(values) > 1 else None)


class ModbusTransmitter:
    """Device side, for the simulator: answers register reads with the current reading.

    Holds two registers (body, ambient) at `registers.register`; a read outside them gets the
    Modbus "illegal data address" exception, a request for another unit gets silence.
    """

    def __init__(self, registers: RegisterMap | None = None) -> None:
        self.registers = registers or RegisterMap()
        self._framer = FramerRTU(DecodePDU(is_server=True))
        self._buffer = b""

    def measured(self, reading: RawReading) -> bytes:
        """A transmitter never speaks first: the new reading waits in its registers."""
        return b""

    def requested(self, data: bytes, reading: RawReading) -> bytes:
        """Consume request bytes; return the reply frames to send (b"" when none is due)."""
        self._buffer = (self._buffer + data)[-MAX_PENDING_BYTES:]
        replies = b""
        while self._buffer:
            try:
                used, pdu = self._framer.handleFrame(self._buffer, 0, 0)
            except ModbusException:
                used, pdu = len(self._buffer), None
            if used == 0:
                break
            self._buffer = self._buffer[used:]
            if pdu is not None and pdu.dev_id == self.registers.unit:
                replies += self._framer.buildFrame(self._answer(pdu, reading))
        return replies

    def _answer(self, pdu: ModbusPDU, reading: RawReading) -> ModbusPDU:
        kinds: dict[type[ModbusPDU], type[ModbusPDU]] = {
            ReadHoldingRegistersRequest: ReadHoldingRegistersResponse,
            ReadInputRegistersRequest: ReadInputRegistersResponse,
        }
        start, block = self.registers.register, self._block(reading)
        reply = kinds.get(type(pdu))
        offset = pdu.address - start
        if reply is None or offset < 0 or offset + pdu.count > len(block) or pdu.count < 1:
            code = _ILLEGAL_DATA_ADDRESS if reply is not None else 1  # 1: illegal function
            return ExceptionResponse(pdu.function_code, code, device_id=pdu.dev_id)
        return reply(registers=block[offset : offset + pdu.count], dev_id=pdu.dev_id)

    def _block(self, reading: RawReading) -> list[int]:
        ambient = reading.ambient_celsius if reading.ambient_celsius is not None else 0.0
        return [
            _register(reading.celsius, self.registers.scale),
            _register(ambient, self.registers.scale),
        ]


def _signed(register: int) -> int:
    return register - 0x10000 if register & 0x8000 else register


def _register(celsius: float, scale: float) -> int:
    value = round(celsius / scale)
    if not -32768 <= value <= 32767:
        raise ValueError(f"{celsius} °C does not fit a 16-bit register at scale {scale}")
    return value & 0xFFFF
