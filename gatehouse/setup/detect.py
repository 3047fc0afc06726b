"""What devices the booth PC has, and whether a chosen one works: for the first-run setup.

Every function here blocks (opening a webcam can take seconds), so callers run them off the GUI
thread. A problem is returned, never raised: the setup shows it in plain words and lets the
person choose again. ``problem`` is a short code the screen translates; ``detail`` is the
driver's own words, shown beneath it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt
import serial
from serial.tools import list_ports

from drivers.camera import CameraError, open_source
from drivers.serial_discovery import PortLister, UsbId, resolve_port
from drivers.thermometer.port import ThermometerMonitor
from drivers.thermometer.protocols import ProtocolSettings
from drivers.thermometer.reading import RawReading

WEBCAM_INDICES = ("0", "1", "2", "3")
"""Webcam indices probed; booth PCs have one or two cameras, USB hubs rarely more."""

CAMERA_TIMEOUT_S = 5.0
"""A cold webcam may take a few seconds to deliver its first frame; longer means it will not."""

THERMOMETER_TIMEOUT_S = 5.0
"""Thermometers send a reading every second or so, polled ones answer at once."""


class Problem(StrEnum):
    CANNOT_OPEN = "cannot_open"  # the device or file could not be opened at all
    NO_FRAME = "no_frame"  # the camera opened but gave no picture in time
    NO_READING = "no_reading"  # the port opened but nothing readable arrived in time
    BAD_SETTING = "bad_setting"  # the port name or protocol option is malformed


@dataclass(frozen=True)
class CameraCheck:
    """A camera tried: its size and one frame (BGR) when it works, else the problem."""

    source: str
    width: int = 0
    height: int = 0
    frame: npt.NDArray[np.uint8] | None = None
    problem: Problem | None = None
    detail: str = ""

    @property
    def works(self) -> bool:
        return self.problem is None


@dataclass(frozen=True)
class SerialPortInfo:
    """A serial port the system lists; ``url`` is what the configuration should keep."""

    device: str
    description: str
    usb: UsbId | None

    @property
    def url(self) -> str:
        """A USB adapter by its ids (its device name changes on replug), others by name."""
        return str(self.usb) if self.usb is not None else self.device


@dataclass(frozen=True)
class ThermometerCheck:
    port: str
    reading: RawReading | None = None
    problem: Problem | None = None
    detail: str = ""

    @property
    def works(self) -> bool:
        return self.problem is None


def check_camera(source: str, timeout_s: float = CAMERA_TIMEOUT_S) -> CameraCheck:
    """Open ``source`` (a webcam index, a video file, a folder of images, a URL) and grab a frame.

    The grab runs on its own daemon thread: a camera that hangs inside OpenCV costs the caller
    ``timeout_s``, not forever (that thread finishes or dies with the process).
    """
    outcome: list[CameraCheck] = []
    thread = threading.Thread(
        target=lambda: outcome.append(_grab(source)), name=f"camera check {source}", daemon=True
    )
    thread.start()
    thread.join(timeout_s)
    if outcome:
        return outcome[0]
    return CameraCheck(source, problem=Problem.NO_FRAME, detail=f"no picture in {timeout_s:g} s")


def _grab(source: str) -> CameraCheck:
    try:
        camera = open_source(source, realtime=False)
    except (CameraError, OSError, ValueError) as exc:
        return CameraCheck(source, problem=Problem.CANNOT_OPEN, detail=str(exc))
    try:
        frame = camera.read()
    finally:
        camera.close()
    if frame is None:
        return CameraCheck(source, problem=Problem.NO_FRAME, detail=camera.description)
    height, width = frame.shape[:2]
    return CameraCheck(source, width=width, height=height, frame=frame.copy())


def detect_cameras(
    candidates: Sequence[str] = WEBCAM_INDICES,
    timeout_s: float = CAMERA_TIMEOUT_S,
) -> list[CameraCheck]:
    """The candidates that deliver a picture, each with its resolution (in parallel, so a
    dead index costs one timeout in all, not one each)."""
    checks: dict[str, CameraCheck] = {}

    def probe(source: str) -> None:
        checks[source] = check_camera(source, timeout_s)

    threads = [
        threading.Thread(target=probe, args=(c,), name=f"probe {c}", daemon=True)
        for c in candidates
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()  # each probe bounds itself by timeout_s
    return [checks[c] for c in candidates if checks[c].works]


def detect_serial_ports(lister: PortLister = list_ports.comports) -> list[SerialPortInfo]:
    """The serial ports the system lists, USB adapters with their vendor and product ids."""
    found = []
    for port in sorted(lister(), key=lambda p: p.device):
        usb = None
        if port.vid is not None and port.pid is not None:
            usb = UsbId(port.vid, port.pid, port.serial_number or None)
        description = port.description if port.description not in ("", "n/a") else port.device
        found.append(SerialPortInfo(str(port.device), str(description), usb))
    return found


def check_thermometer(
    port: str,
    protocol: ProtocolSettings,
    baudrate: int = 9600,
    timeout_s: float = THERMOMETER_TIMEOUT_S,
    lister: PortLister = list_ports.comports,
) -> ThermometerCheck:
    """Open ``port`` and wait up to ``timeout_s`` for the first reading in ``protocol``.

    Opens the port once first, so a wrong name is told apart from a silent device; then the
    booth's own monitor reads it, so the test exercises what the booth will run.
    """
    try:
        serial.serial_for_url(resolve_port(port, lister), baudrate=baudrate).close()
    except ValueError as exc:
        return ThermometerCheck(port, problem=Problem.BAD_SETTING, detail=str(exc))
    except OSError as exc:  # SerialException and PortNotFoundError are OSErrors
        return ThermometerCheck(port, problem=Problem.CANNOT_OPEN, detail=str(exc))
    readings: list[RawReading] = []
    arrived = threading.Event()
    monitor = ThermometerMonitor(
        port,
        protocol.parser_factory(),
        on_reading=_first_into(readings, arrived),
        on_state=_ignore_state,
        baudrate=baudrate,
        port_lister=lister,
    )
    monitor.start()
    try:
        arrived.wait(timeout_s)
    finally:
        monitor.stop()
    if not readings:
        detail = f"{protocol.name}, {baudrate} baud, {timeout_s:g} s"
        return ThermometerCheck(port, problem=Problem.NO_READING, detail=detail)
    return ThermometerCheck(port, reading=readings[0])


def _first_into(
    readings: list[RawReading], arrived: threading.Event
) -> Callable[[RawReading], None]:
    def keep(reading: RawReading) -> None:
        if not readings:
            readings.append(reading)
        arrived.set()

    return keep


def _ignore_state(_state: str) -> None:
    """The live test reports its outcome, not the port's passing states."""


@dataclass(frozen=True)
class DeviceProbe:
    """Where the setup looks for devices: the machine's own by default; tests name real video
    files and describe real ptys as the system's ports."""

    camera_candidates: Sequence[str] = WEBCAM_INDICES
    port_lister: PortLister = list_ports.comports
    camera_timeout_s: float = CAMERA_TIMEOUT_S
    thermometer_timeout_s: float = THERMOMETER_TIMEOUT_S

    def cameras(self) -> list[CameraCheck]:
        return detect_cameras(self.camera_candidates, self.camera_timeout_s)

    def serial_ports(self) -> list[SerialPortInfo]:
        return detect_serial_ports(self.port_lister)

    def camera(self, source: str) -> CameraCheck:
        return check_camera(source, self.camera_timeout_s)

    def thermometer(self, port: str, protocol: ProtocolSettings, baudrate: int) -> ThermometerCheck:
        return check_thermometer(
            port, protocol, baudrate, self.thermometer_timeout_s, self.port_lister
        )
