"""The booth's setup without Qt: what the first-run wizard (and a supervisor later) changes.

It reads the configuration file as written (environment overrides are for one run, never
saved), enrols with the hub, sets the supervisor PIN and writes the file back, keeping every
setting it does not manage. Each call blocks; the wizard runs them off the GUI thread.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher

from gatehouse import config
from gatehouse.store.audit import AuditKind
from gatehouse.store.ledger import Ledger
from gatehouse.store.pins import PinStore, pin_store_for
from gatehouse.sync.client import HubRefusedError, HubUnavailableError
from gatehouse.sync.enrolment import enrol_booth, hub_address, load_settings

LedgerAccess = Callable[[], AbstractContextManager[Ledger]]
"""Gives the booth's ledger for one step: opened for it, or the running booth's own."""

MAX_BOOTH_ID = 64  # the hub's limit
_BOOTH_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
ACTOR = "setup"


def opening(path: Path, *, existing: bool = False) -> LedgerAccess:
    """Opens the ledger at ``path`` for each step and closes it after (nothing else runs).

    The wizard's steps run on worker threads and may overlap (looking for an enrolment while
    enrolling); one at a time keeps to the ledger's single writer. ``existing``: the booth
    already had this ledger, so a missing or empty one is refused (``Ledger.open``)."""
    one_at_a_time = threading.Lock()

    @contextmanager
    def opened() -> Iterator[Ledger]:
        with one_at_a_time, Ledger.open(path, existing=existing) as ledger:
            yield ledger

    return opened


def sharing(ledger: Ledger) -> LedgerAccess:
    """The running booth's ledger: a second writer on the same file is never opened."""
    return lambda: nullcontext(ledger)


def booth_id_problem(booth_id: str) -> str | None:
    """Why ``booth_id`` cannot be used (it names the booth at the hub and in every log line)."""
    if not booth_id:
        return "empty"
    if len(booth_id) > MAX_BOOTH_ID or _BOOTH_ID.fullmatch(booth_id) is None:
        return "format"
    return None


class EnrolmentProblem(StrEnum):
    BAD_ADDRESS = "bad_address"  # not an http(s) address
    REFUSED = "refused"  # the hub answered no: the code is wrong, used, or for another booth
    UNREACHABLE = "unreachable"  # nothing answered at that address


class EnrolmentError(Exception):
    def __init__(self, problem: EnrolmentProblem, detail: str) -> None:
        super().__init__(f"{problem.value}: {detail}")
        self.problem = problem
        self.detail = detail


@dataclass(frozen=True)
class Enrolment:
    hub_url: str
    booth_id: str


@dataclass(frozen=True)
class NewPin:
    """A new supervisor PIN and what authorises it once one is set: the current PIN or a
    one-time recovery code from the office (``PinStore.set_pin``)."""

    pin: str
    current: str | None = None
    recovery_code: str | None = None


@dataclass(frozen=True)
class SetupChoices:
    """What the setup sets; everything else in the file is kept as it is."""

    booth_id: str
    mine_name: str
    checkpoint_type: str
    camera_source: str
    thermometer_port: str
    thermometer_protocol: str
    thermometer_baudrate: int
    id_reader_port: str = ""  # empty: none
    id_reader_baudrate: int = 115200


class BoothSetup:
    def __init__(
        self,
        config_path: Path,
        ledger: LedgerAccess,
        *,
        hasher: PasswordHasher | None = None,
        running: bool = False,
    ) -> None:
        self.config_path = config_path
        self._ledger = ledger
        self._hasher = hasher
        self.running = running  # a running booth takes the changes at its next start

    def current(self) -> config.Config:
        """The file's own settings (no environment overrides); the defaults before the first."""
        if not self.config_path.exists():
            return config.Config(path=self.config_path)
        return config.load(self.config_path, environ={})

    def enrolment(self) -> Enrolment | None:
        with self._ledger() as ledger:
            settings = load_settings(ledger)
        return None if settings is None else Enrolment(settings.hub_url, settings.booth_id)

    def enrol(self, hub_url: str, booth_id: str, code: str) -> Enrolment:
        """Spend the office's code at the hub; the hub's answer as an ``EnrolmentError``."""
        try:
            hub_url = hub_address(hub_url)
        except ValueError:
            raise EnrolmentError(EnrolmentProblem.BAD_ADDRESS, hub_url.strip()) from None
        try:
            with self._ledger() as ledger:
                enrol_booth(ledger, hub_url, booth_id, code.strip())
        except HubRefusedError as exc:
            raise EnrolmentError(EnrolmentProblem.REFUSED, str(exc)) from exc
        except HubUnavailableError as exc:
            raise EnrolmentError(EnrolmentProblem.UNREACHABLE, str(exc)) from exc
        return Enrolment(hub_url, booth_id)

    def pin_is_set(self) -> bool:
        with self._ledger() as ledger:
            return self._pins(ledger).is_set()

    def save(self, choices: SetupChoices, pin: str | NewPin | None = None) -> config.Config:
        """Write the file (validated first, so a bad choice changes nothing) and the new PIN,
        each audited in the ledger. Raises ``ConfigError`` or ``PinError`` saying why (a PIN
        already set is changed only with the current one or an office recovery code; a
        lockout stays)."""
        before = self.current()
        after = _apply(before, choices)
        config.check_file_values(after)
        changes = _changes(config.to_mapping(before), config.to_mapping(after))
        # Opened below (created if new): from now on it must not vanish unnoticed.
        after = replace(after, store=replace(after.store, ledger_in_use=True))
        with self._ledger() as ledger:
            if pin is not None:
                new = NewPin(pin) if isinstance(pin, str) else pin
                self._pins(ledger).set_pin(
                    new.pin, current=new.current, recovery_code=new.recovery_code
                )
                how = "recovery_code" if new.recovery_code else "current_pin" if new.current else ""
                pin_set: dict[str, Any] = {"result": "pin_set"}
                if how:
                    pin_set["authorised_by"] = how
                self._audit(ledger, AuditKind.LOGIN, choices.booth_id, pin_set)
            if changes:
                details = {"settings": changes}
                self._audit(ledger, AuditKind.POLICY_CHANGE, choices.booth_id, details)
        config.save(after, self.config_path)
        return after

    def _pins(self, ledger: Ledger) -> PinStore:
        return pin_store_for(ledger, hasher=self._hasher)

    def _audit(
        self, ledger: Ledger, kind: AuditKind, booth_id: str, details: dict[str, Any]
    ) -> None:
        at = datetime.now(UTC)
        ledger.record_event(kind, at=at, booth_id=booth_id, actor=ACTOR, details=details).result()


def _apply(current: config.Config, choices: SetupChoices) -> config.Config:
    return replace(
        current,
        booth=replace(
            current.booth,
            booth_id=choices.booth_id,
            mine_name=choices.mine_name,
            checkpoint_type=choices.checkpoint_type,
        ),
        camera=replace(current.camera, source=choices.camera_source),
        thermometer=replace(
            current.thermometer,
            port=choices.thermometer_port,
            protocol=choices.thermometer_protocol,
            baudrate=choices.thermometer_baudrate,
        ),
        id_reader=replace(
            current.id_reader, port=choices.id_reader_port, baudrate=choices.id_reader_baudrate
        ),
    )


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """``section.key`` -> {from, to} for every setting that differs (what the audit keeps)."""
    return {
        f"{section}.{key}": {"from": before[section][key], "to": value}
        for section, values in after.items()
        if isinstance(values, dict)
        for key, value in values.items()
        if before[section][key] != value
    }
