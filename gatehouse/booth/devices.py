"""Turns the [camera] and [thermometer] settings into the drivers that open those devices."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from drivers.camera import FrameSource, OpenCVSource, open_source
from drivers.thermometer.modbus_protocol import RegisterMap
from drivers.thermometer.protocols import ProtocolName, ProtocolSettings
from gatehouse.config import CameraSettings, ConfigError, ThermometerSettings


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
    name: ProtocolName = settings.protocol  # type: ignore[assignment]  # checked by config
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
