"""Finding the ID card reader among the serial ports, and trying it with a card: for the setup.

Blocking (each port is asked for the SAM's status, and the test waits for a card), so callers
run these off the GUI thread. A problem is returned, never raised.
"""

from __future__ import annotations

import queue
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import serial
from serial.tools import list_ports

from drivers.id_card.reader import DEFAULT_BAUDRATE, probe_reader
from drivers.id_card.session import ReaderProblem
from drivers.serial_discovery import PortLister, resolve_port
from gatehouse.booth.id_reader import IdReaderReport, ReaderState, id_reader_monitor
from gatehouse.config import ConfigError, IdReaderSettings
from gatehouse.core.id_card import IdCard
from gatehouse.setup.detect import Problem, SerialPortInfo

STATUS_TIMEOUT_S = 1.0
"""A reader answers its status command within milliseconds; a port silent this long has none."""

CARD_TIMEOUT_S = 20.0
"""Time for the person doing the setup to pick up a card and lay it on the reader."""


@dataclass(frozen=True)
class IdReaderCheck:
    """A reader tried with a card: the card read, or the problem (``detail``: the reader's
    words)."""

    port: str
    card: IdCard | None = None
    problem: Problem | None = None
    detail: str = ""


def find_id_readers(
    ports: list[SerialPortInfo],
    baudrate: int = DEFAULT_BAUDRATE,
    lister: PortLister = list_ports.comports,
    timeout_s: float = STATUS_TIMEOUT_S,
) -> list[SerialPortInfo]:
    """The ports where an ID card reader answers the SAM status command (asked in parallel,
    so the search costs one timeout, not one per port)."""

    def answers(port: SerialPortInfo) -> bool:
        try:
            return probe_reader(resolve_port(port.url, lister), baudrate, timeout_s)
        except (OSError, ValueError):
            return False

    if not ports:
        return []
    with ThreadPoolExecutor(max_workers=min(8, len(ports))) as pool:
        found = list(pool.map(answers, ports))
    return [port for port, is_reader in zip(ports, found, strict=True) if is_reader]


def check_id_reader(
    settings: IdReaderSettings,
    timeout_s: float = CARD_TIMEOUT_S,
    lister: PortLister = list_ports.comports,
) -> IdReaderCheck:
    """Poll the reader as the booth will and wait for a card laid on it."""
    reports: queue.Queue[IdReaderReport] = queue.Queue()
    try:  # opened once first, so a wrong name is told apart from a silent reader
        serial.serial_for_url(resolve_port(settings.port, lister), settings.baudrate).close()
        monitor = id_reader_monitor(settings, reports.put, lister)
    except (ConfigError, ValueError) as exc:
        return IdReaderCheck(settings.port, problem=Problem.BAD_SETTING, detail=str(exc))
    except OSError as exc:
        return IdReaderCheck(settings.port, problem=Problem.CANNOT_OPEN, detail=str(exc))
    if monitor is None:
        return IdReaderCheck(settings.port, problem=Problem.BAD_SETTING, detail="no port")
    monitor.start()
    try:
        return _first_card(settings.port, reports, timeout_s)
    finally:
        monitor.stop()


def _first_card(port: str, reports: queue.Queue[IdReaderReport], timeout_s: float) -> IdReaderCheck:
    state = "connecting"
    while True:
        try:
            report = reports.get(timeout=timeout_s)
        except queue.Empty:
            return IdReaderCheck(
                port, problem=Problem.NO_READING, detail=f"no card in {timeout_s:g} s ({state})"
            )
        if isinstance(report, ReaderState):
            state = report.state
        elif isinstance(report, ReaderProblem):
            return IdReaderCheck(port, problem=Problem.NO_READING, detail=report.detail)
        else:
            return IdReaderCheck(port, card=report)
