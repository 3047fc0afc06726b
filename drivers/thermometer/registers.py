"""Where a Modbus transmitter keeps its temperatures: a plain value, apart from pymodbus, so the
protocol table and the configuration can name it without loading the Modbus stack."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RegisterMap:
    """Where a transmitter keeps its temperatures."""

    unit: int = 1
    register: int = 0
    count: int = 2  # 1: body only; 2: body then ambient
    input_registers: bool = False  # function 04 instead of 03 (holding registers)
    scale: float = 0.1

    def __post_init__(self) -> None:
        if not 1 <= self.unit <= 247:
            raise ValueError(f"Modbus unit must be 1..247, got {self.unit}")
        if self.count not in (1, 2):
            raise ValueError(
                f"register count must be 1 (body) or 2 (body, ambient), got {self.count}"
            )
        if not 0 <= self.register <= 0xFFFF - self.count + 1:
            raise ValueError(f"register address out of range: {self.register}")
        if not self.scale > 0:
            raise ValueError(f"scale must be positive, got {self.scale}")
