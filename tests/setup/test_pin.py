"""The setup's save path changes a PIN only with the current one or the office's recovery code
(issued by the real ``gatehouse hub pin-recovery`` against a real hub), and never clears a
lockout on its own."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from gatehouse.hub.service import Hub
from gatehouse.setup.configure import BoothSetup, NewPin, opening
from gatehouse.store import Ledger
from gatehouse.store.pins import MAX_FAILED_ATTEMPTS, PinCheck, PinError, pin_store_for
from tests.setup.test_configure import CHOICES
from tests.setup.testkit import live_hub
from tests.ui.supervisor.conftest import FAST_ARGON2

PIN, NEW = "246802", "975310"


@pytest.fixture
def setup(tmp_path: Path) -> BoothSetup:
    setup = BoothSetup(
        tmp_path / "gatehouse.toml", opening(tmp_path / "ledger.sqlite3"), hasher=FAST_ARGON2
    )
    setup.save(CHOICES, pin=PIN)
    return setup


@pytest.fixture
def hub_and_url(tmp_path: Path) -> Iterator[tuple[Hub, str]]:
    with live_hub(tmp_path) as served:
        yield served


def _office(tmp_path: Path, hub: Hub, booth_id: str) -> subprocess.CompletedProcess[str]:
    """The real ``gatehouse hub pin-recovery`` against the hub's own database."""
    command = [sys.executable, "-m", "gatehouse", "hub", "pin-recovery", booth_id]
    command += ["--state", str(tmp_path / "office"), "--database", str(hub.engine.url)]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def _check(tmp_path: Path, pin: str) -> PinCheck:
    with Ledger.open(tmp_path / "ledger.sqlite3") as ledger:
        return pin_store_for(ledger, hasher=FAST_ARGON2).verify(pin).check


def _pin_audit(tmp_path: Path) -> list[str]:
    with sqlite3.connect(tmp_path / "ledger.sqlite3") as conn:
        rows = conn.execute("SELECT details FROM audit_events WHERE kind = 'login'").fetchall()
    return [row[0] for row in rows]


def test_the_setup_does_not_replace_a_pin_without_the_current_one(
    setup: BoothSetup, tmp_path: Path
) -> None:
    written = (tmp_path / "gatehouse.toml").read_text()

    with pytest.raises(PinError, match="current PIN"):
        setup.save(CHOICES, pin=NEW)

    assert (tmp_path / "gatehouse.toml").read_text() == written
    assert _check(tmp_path, PIN) is PinCheck.ACCEPTED
    setup.save(CHOICES, pin=NewPin(NEW, current=PIN))
    assert _check(tmp_path, NEW) is PinCheck.ACCEPTED
    assert '"authorised_by": "current_pin"' in _pin_audit(tmp_path)[-1]


def test_the_setup_cannot_clear_a_lockout(setup: BoothSetup, tmp_path: Path) -> None:
    for _ in range(MAX_FAILED_ATTEMPTS):
        _check(tmp_path, "000000")

    with pytest.raises(PinError, match="locked"):
        setup.save(CHOICES, pin=NewPin(NEW, current=PIN))

    assert _check(tmp_path, PIN) is PinCheck.LOCKED


def test_a_recovery_code_from_the_office_sets_a_new_pin_through_the_setup(
    setup: BoothSetup, tmp_path: Path, hub_and_url: tuple[Hub, str]
) -> None:
    hub, url = hub_and_url
    setup.enrol(url, CHOICES.booth_id, hub.create_enrolment_code(CHOICES.booth_id))
    for _ in range(MAX_FAILED_ATTEMPTS):
        _check(tmp_path, "000000")
    issued = _office(tmp_path, hub, CHOICES.booth_id)
    assert issued.returncode == 0, issued.stderr
    found = re.search(r"[A-Z2-7]{4}(-[A-Z2-7]{4}){3}", issued.stdout)
    assert found is not None, issued.stdout

    setup.save(CHOICES, pin=NewPin(NEW, recovery_code=found.group(0)))

    assert _check(tmp_path, NEW) is PinCheck.ACCEPTED
    with pytest.raises(PinError, match="already been used"):
        setup.save(CHOICES, pin=NewPin(PIN, recovery_code=found.group(0)))
    assert '"authorised_by": "recovery_code"' in _pin_audit(tmp_path)[-1]


def test_the_office_cannot_issue_a_code_for_a_booth_it_never_enrolled(
    tmp_path: Path, hub_and_url: tuple[Hub, str]
) -> None:
    hub, _ = hub_and_url
    done = _office(tmp_path, hub, "nobody")
    assert done.returncode == 1
    assert "not enrolled" in done.stderr
    assert "Traceback" not in done.stderr
