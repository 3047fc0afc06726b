"""The guard on duty: a quick sign-on, audited, recorded on every passage, kept over a restart."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from gatehouse.booth.duty import GuardNameError, GuardOnDuty, last_guard
from gatehouse.store import Ledger

AT = datetime(2024, 3, 1, 7, 0, tzinfo=UTC)


def _events(path: Path) -> list[tuple[str, dict[str, object]]]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(
            "SELECT actor, details FROM audit_events WHERE kind = 'shift_change' ORDER BY rowid"
        ).fetchall()
    return [(actor, json.loads(details)) for actor, details in rows]


def test_each_shift_change_is_audited_with_the_guard_before(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    with Ledger.open(path) as ledger:
        duty = GuardOnDuty(ledger, "north-gate", lambda: AT)
        assert duty.current() is None
        duty.sign_on("  张三 ").result()
        duty.sign_on("0715").result()
        assert duty.current() == "0715"
    assert _events(path) == [
        ("张三", {"guard": "张三", "previous": None}),
        ("0715", {"guard": "0715", "previous": "张三"}),
    ]
    assert last_guard(path) == "0715"  # what a restarted booth starts with


@pytest.mark.parametrize("name", ["", "   ", "x" * 41])
def test_a_sign_on_without_a_usable_name_changes_nothing(tmp_path: Path, name: str) -> None:
    path = tmp_path / "ledger.sqlite3"
    with Ledger.open(path) as ledger:
        duty = GuardOnDuty(ledger, "north-gate", lambda: AT, current="张三")
        with pytest.raises(GuardNameError):
            duty.sign_on(name)
        assert duty.current() == "张三"
    assert _events(path) == [] and last_guard(path) is None
