"""The resident ID card reader at the booth: its reports, turned into what the guard acts on.

A SAM reader (``[id_reader] port``) is polled by ``drivers.id_card``; a keyboard-wedge reader
types the 18-character number like a scanner types a code, and ``wedge_id_card`` tells that
burst from a pass. Either way the booth gets an ``IdCard``, and the guard's flows decide the
person on screen again with it (gatehouse.ui.guard.id_card_flow). The card's photo and its
other fields never leave the driver.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from drivers.id_card.card import IdCardText
from drivers.id_card.protocol import Trouble
from drivers.id_card.reader import IdCardReaderMonitor
from drivers.id_card.session import ReaderEvent, ReaderProblem
from drivers.serial_discovery import PortLister
from drivers.thermometer.port import PortState
from gatehouse.config import ConfigError, IdReaderSettings
from gatehouse.core.id_card import WEDGE_READER, IdCard
from gatehouse.core.rules.persons import IdNumberError

log = logging.getLogger(__name__)

ID_NUMBER_LENGTH = 18


@dataclass(frozen=True)
class ReaderState:
    state: PortState


IdReaderReport = IdCard | ReaderProblem | ReaderState
"""What the booth hears from the reader: a card, a problem, or the port's new state."""


def wedge_id_card(text: str) -> IdCard | None:
    """The card a keyboard-wedge reader typed (an ID number, nothing else); None for any other
    scanned text, which is a code to decide."""
    number = text.strip()
    if len(number) != ID_NUMBER_LENGTH:
        return None
    try:
        return IdCard(number, source=WEDGE_READER)
    except IdNumberError:
        return None


def card_report(event: ReaderEvent) -> IdCard | ReaderProblem:
    """A driver event as the booth reports it; a card whose number is not a valid ID number
    is a card problem (the guard places it again, or types the number)."""
    if not isinstance(event, IdCardText):
        return event
    try:
        return IdCard(event.id_number, name=event.name, valid_until=event.valid_until)
    except IdNumberError as exc:
        return ReaderProblem(Trouble.CARD, f"read card: {exc}")


def id_reader_monitor(
    settings: IdReaderSettings,
    report: Callable[[IdReaderReport], None],
    port_lister: PortLister | None = None,
) -> IdCardReaderMonitor | None:
    """Keeps the configured reader polled; None when none is configured. ``port_lister``
    resolves a ``usb:`` port (the system's serial ports by default)."""
    if not settings.port:
        return None

    def on_event(event: ReaderEvent) -> None:
        found = card_report(event)
        if isinstance(found, ReaderProblem):
            log.warning("ID card reader: %s", found.detail)
        report(found)

    try:
        return IdCardReaderMonitor(
            settings.port,
            on_event=on_event,
            on_state=lambda state: report(ReaderState(state)),
            baudrate=settings.baudrate,
            port_lister=port_lister,
        )
    except ValueError as exc:
        raise ConfigError(f"[id_reader] port {settings.port!r}: {exc}") from exc
