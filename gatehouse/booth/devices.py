"""Turns the [camera], [thermometer] and [scanner] settings into the drivers that open them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from drivers.camera import FrameSource, OpenCVSource, open_source
from drivers.serial_scanner import MangledLine, ScannerLineParser
from drivers.thermometer.port import PortState, SerialDeviceMonitor
from drivers.thermometer.protocols import ProtocolSettings
from drivers.thermometer.registers import RegisterMap
from drivers.thermometer.stability import StableReadingDetector
from gatehouse.config import CameraSettings, ConfigError, ScannerSettings, ThermometerSettings
from gatehouse.supervision import SUPERVISOR, Supervisor

DeviceHooks = tuple[Callable[[PortState], None], Callable[[BaseException], float]]


def source_opener(
    camera: CameraSettings, demo_video: Path | None, demo_speed: float
) -> Callable[[], FrameSource]:
    """Opens the camera afresh at every (re)connection, so a replugged webcam comes back."""
    if demo_video is not None:
        return lambda: OpenCVSource(str(demo_video), realtime=True, loop=True, speed=demo_speed)
    spec = "0" if camera.source == "auto" else camera.source
    exposure = float(camera.exposure) if camera.exposure else None
    return lambda: open_source(spec, width=camera.width, height=camera.height, exposure=exposure)


def thermometer_protocol(settings: ThermometerSettings) -> ProtocolSettings:
    """The protocol the configured thermometer speaks; a bad option is a ConfigError."""
    name = settings.protocol
    try:
        if name == "ascii" and settings.ascii_pattern:
            return ProtocolSettings(name, ascii_pattern=settings.ascii_pattern)
        registers = RegisterMap(
            unit=settings.modbus_unit,
            register=settings.modbus_register,
            input_registers=settings.modbus_input_registers,
        )
        return ProtocolSettings(name, registers=registers)
    except (ValueError, OSError) as exc:  # re.error is a ValueError
        raise ConfigError(f"[thermometer] {exc}") from exc


def stability_detector(settings: ThermometerSettings) -> StableReadingDetector | None:
    """What makes a measurement of the thermometer's readings; None: every reading is one."""
    if settings.stable_readings == 1:
        return None
    return StableReadingDetector(window=settings.stable_readings)


def supervised(
    device: str, on_state: Callable[[PortState], None], supervisor: Supervisor = SUPERVISOR
) -> DeviceHooks:
    """``on_state`` and ``on_fault`` for a serial device monitor under the supervisor: an
    unexpected failure is logged and shown until the device is connected again."""

    def state(new: PortState) -> None:
        if new == "connected":
            supervisor.recovered(device)
        on_state(new)

    return state, lambda exc: supervisor.failed(device, exc)


def scanner_monitor(
    settings: ScannerSettings,
    on_line: Callable[[str | MangledLine], None],
    on_state: Callable[[PortState], None],
) -> SerialDeviceMonitor[str | MangledLine] | None:
    """Keeps the configured serial scanner connected; None when none is configured."""
    if not settings.port:
        return None
    state, fault = supervised("scanner", on_state)
    try:
        return SerialDeviceMonitor(
            settings.port,
            ScannerLineParser,
            on_reading=on_line,
            on_state=state,
            baudrate=settings.baudrate,
            device="scanner",
            on_fault=fault,
        )
    except ValueError as exc:
        raise ConfigError(f"[scanner] port {settings.port!r}: {exc}") from exc
