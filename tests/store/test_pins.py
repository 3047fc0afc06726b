"""The supervisor PIN: argon2id, wrong entries counted, a lockout that survives a restart."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from gatehouse.store import Ledger
from gatehouse.store.pins import (
    LOCKOUT,
    MAX_FAILED_ATTEMPTS,
    PinCheck,
    PinError,
    PinStore,
    pin_store_for,
)

# argon2id with small costs: the same algorithm and code path, fast enough for tests.
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
PIN = "246810"


class Clock:
    def __init__(self) -> None:
        self.moment = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.moment


def _store(ledger: Ledger, clock: Clock) -> PinStore:
    return pin_store_for(ledger, now=clock, hasher=FAST)


def test_no_pin_until_one_is_set_and_it_is_stored_as_argon2id(
    ledger: Ledger, ledger_path: Path
) -> None:
    pins = _store(ledger, Clock())
    assert not pins.is_set()
    assert pins.verify(PIN).check is PinCheck.NOT_SET
    pins.set_pin(PIN)
    assert pins.is_set()
    with sqlite3.connect(ledger_path) as conn:
        (stored,) = conn.execute("SELECT pin_hash FROM supervisor_pin").fetchone()
    assert stored.startswith("$argon2id$") and PIN not in stored
    assert pins.verify(PIN).check is PinCheck.ACCEPTED


@pytest.mark.parametrize("bad", ["12345", "abcdef", "12 3456", ""])
def test_a_short_or_non_digit_pin_is_refused(ledger: Ledger, bad: str) -> None:
    with pytest.raises(PinError, match="at least 6 digits"):
        _store(ledger, Clock()).set_pin(bad)


def test_wrong_entries_count_down_then_lock_even_the_right_pin(ledger: Ledger) -> None:
    clock = Clock()
    pins = _store(ledger, clock)
    pins.set_pin(PIN)
    left = [pins.verify("000000").attempts_left for _ in range(MAX_FAILED_ATTEMPTS - 1)]
    assert left == list(range(MAX_FAILED_ATTEMPTS - 1, 0, -1))
    locked = pins.verify("000000")
    assert locked.check is PinCheck.LOCKED
    assert locked.locked_until == clock.moment + LOCKOUT
    assert pins.verify(PIN).check is PinCheck.LOCKED


def test_the_lockout_survives_closing_and_reopening_the_ledger(ledger_path: Path) -> None:
    clock = Clock()
    with Ledger.open(ledger_path) as ledger:
        pins = _store(ledger, clock)
        pins.set_pin(PIN)
        for _ in range(MAX_FAILED_ATTEMPTS):
            pins.verify("000000")
    with Ledger.open(ledger_path) as reopened:
        pins = _store(reopened, clock)
        assert pins.verify(PIN).check is PinCheck.LOCKED
        clock.moment += LOCKOUT
        assert pins.verify(PIN).check is PinCheck.ACCEPTED


def test_after_a_lockout_runs_out_the_count_starts_again(ledger: Ledger) -> None:
    clock = Clock()
    pins = _store(ledger, clock)
    pins.set_pin(PIN)
    for _ in range(MAX_FAILED_ATTEMPTS):
        pins.verify("000000")
    clock.moment += LOCKOUT + timedelta(seconds=1)
    assert pins.verify("000000").attempts_left == MAX_FAILED_ATTEMPTS - 1


def test_the_right_pin_clears_earlier_wrong_entries(ledger: Ledger) -> None:
    pins = _store(ledger, Clock())
    pins.set_pin(PIN)
    for _ in range(MAX_FAILED_ATTEMPTS - 1):
        pins.verify("000000")
    assert pins.verify(PIN).check is PinCheck.ACCEPTED
    assert pins.verify("000000").attempts_left == MAX_FAILED_ATTEMPTS - 1
