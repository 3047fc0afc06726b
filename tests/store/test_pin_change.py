"""A new supervisor PIN needs the old one or a one-time recovery code from the office; checks
run one at a time, so parallel guesses cannot outrun the lockout, and no change clears it but
the office's code."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Literal

import pytest
from argon2 import PasswordHasher

from gatehouse.core.recovery_codes import VALID_DAYS, issue_code
from gatehouse.store import Ledger
from gatehouse.store.pins import MAX_FAILED_ATTEMPTS, PinCheck, PinError, PinStore, pin_store_for

PIN, NEW = "246810", "135799"
BOOTH, TOKEN = "north-gate-2", "booth-token-of-north-gate-2"
TODAY = datetime(2024, 3, 1, 8, 0, tzinfo=UTC)


class CountingHasher(PasswordHasher):
    """argon2id with small costs that counts the PINs it evaluates (the lockout's budget)."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=1024, parallelism=1)
        self.wrong = 0
        self._count = threading.Lock()

    def verify(self, hash: str | bytes, password: str | bytes) -> Literal[True]:
        try:
            return super().verify(hash, password)
        except Exception:
            with self._count:
                self.wrong += 1
            raise


def _pins(ledger: Ledger, hasher: PasswordHasher | None = None) -> PinStore:
    pins = pin_store_for(ledger, now=lambda: TODAY, hasher=hasher or CountingHasher())
    if not pins.is_set():
        pins.set_pin(PIN)
    return pins


def _code(issued: date | None = None, booth: str = BOOTH, nonce: bytes = b"abc") -> str:
    """What ``gatehouse hub pin-recovery`` prints: keyed with the hash of the booth's token."""
    key = bytes.fromhex(hashlib.sha256(TOKEN.encode()).hexdigest())
    return issue_code(key, booth, issued or TODAY.date(), nonce)


def _enrolled(ledger: Ledger) -> Ledger:
    ledger.save_settings({"token": TOKEN, "booth_id": BOOTH}).result()
    return ledger


def _lock_out(pins: PinStore) -> None:
    for _ in range(MAX_FAILED_ATTEMPTS):
        pins.verify("000000")


def test_a_set_pin_is_not_replaced_without_the_current_one(ledger: Ledger) -> None:
    pins = _pins(ledger)

    with pytest.raises(PinError, match="current PIN or a recovery code"):
        pins.set_pin(NEW)
    with pytest.raises(PinError, match="wrong"):
        pins.set_pin(NEW, current="999999")

    assert pins.verify(PIN).check is PinCheck.ACCEPTED
    pins.set_pin(NEW, current=PIN)
    assert pins.verify(NEW).check is PinCheck.ACCEPTED


def test_a_wrong_current_pin_counts_and_a_lockout_holds_against_a_change(ledger: Ledger) -> None:
    pins = _pins(ledger)
    for _ in range(MAX_FAILED_ATTEMPTS - 1):
        with pytest.raises(PinError, match="wrong"):
            pins.set_pin(NEW, current="999999")
    assert pins.verify("000000").check is PinCheck.LOCKED

    with pytest.raises(PinError, match="locked until"):
        pins.set_pin(NEW, current=PIN)  # even the right PIN does not clear it

    assert pins.verify(PIN).check is PinCheck.LOCKED


def test_the_offices_recovery_code_sets_a_new_pin_once_and_ends_a_lockout(
    ledger: Ledger, ledger_path: Path
) -> None:
    pins = _pins(_enrolled(ledger))
    _lock_out(pins)
    code = _code()

    pins.set_pin(NEW, recovery_code=code.lower())  # typed in lower case: still the code

    assert pins.verify(NEW).check is PinCheck.ACCEPTED
    with pytest.raises(PinError, match="already been used"):
        pins.set_pin(PIN, recovery_code=code)
    with sqlite3.connect(ledger_path) as conn:
        rows = conn.execute(
            "SELECT actor, details FROM audit_events WHERE kind = 'pin_change'"
        ).fetchall()
    assert len(rows) == 1
    assert rows[0][0] == "office recovery code"
    assert json.loads(rows[0][1])["method"] == "recovery_code"


@pytest.mark.parametrize(
    ("code", "why"),
    [
        (_code(booth="south-gate"), "not issued for this booth"),
        (_code(issued=TODAY.date() - timedelta(days=VALID_DAYS + 1)), "no longer valid"),
        ("ABCD-EFGH", "not a recovery code"),
        ("!!!!-????-####-$$$$", "not a recovery code"),
    ],
)
def test_a_code_for_another_booth_an_old_or_a_mangled_one_is_refused(
    ledger: Ledger, code: str, why: str
) -> None:
    pins = _pins(_enrolled(ledger))

    with pytest.raises(PinError, match=why):
        pins.set_pin(NEW, recovery_code=code)

    assert pins.verify(PIN).check is PinCheck.ACCEPTED


def test_a_booth_without_a_hub_cannot_take_a_recovery_code(ledger: Ledger) -> None:
    with pytest.raises(PinError, match="not enrolled"):
        _pins(ledger).set_pin(NEW, recovery_code=_code())


def test_parallel_guesses_evaluate_no_more_wrong_pins_than_the_lockout_allows(
    ledger: Ledger,
) -> None:
    hasher = CountingHasher()
    pins = _pins(ledger, hasher)
    # Every check through its own store, as the desk and the setup each make one.
    stores = [pin_store_for(ledger, now=lambda: TODAY, hasher=hasher) for _ in range(16)]
    guesses = [f"{n:06d}" for n in range(15)] + [PIN]
    results: list[PinCheck] = []
    start = threading.Barrier(16)

    def guess(store: PinStore, pin: str) -> None:
        start.wait()
        results.append(store.verify(pin).check)

    threads = [
        threading.Thread(target=guess, args=pair) for pair in zip(stores, guesses, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert hasher.wrong <= MAX_FAILED_ATTEMPTS
    assert results.count(PinCheck.WRONG) <= MAX_FAILED_ATTEMPTS - 1
    assert len(results) == 16
    assert pins.verify("000000").check in (PinCheck.WRONG, PinCheck.LOCKED)
