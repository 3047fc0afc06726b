"""Who is on duty at the booth: a guard signs on at the start of a shift, every passage says so.

Signing on is quick and needs no PIN (a name or a number): the ledger must say who checked,
and a PIN at every shift change at a busy gate would be shared or skipped. Each sign-on is an
audit event (the previous guard and the new one), and the guard on duty is read back from the
last one when the booth starts again, so a restart mid-shift does not lose who is checking.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future
from contextlib import closing
from datetime import datetime
from pathlib import Path

from gatehouse.store.audit import AuditKind
from gatehouse.store.ledger import Ledger

MAX_GUARD_CHARS = 40


class GuardNameError(ValueError):
    """A sign-on without a usable name or number; the message is in Chinese and English."""


class GuardOnDuty:
    """The guard on duty, safe to read from the scan thread while the window signs one on."""

    def __init__(
        self,
        audit: Ledger,
        booth_id: str,
        clock: Callable[[], datetime],
        current: str | None = None,
    ) -> None:
        self._audit = audit
        self._booth_id = booth_id
        self._clock = clock
        self._lock = threading.Lock()
        self._current = current

    def current(self) -> str | None:
        with self._lock:
            return self._current

    def sign_on(self, name: str) -> Future[str]:
        """``name`` is on duty from now on; the future gives the audit event's id."""
        guard = " ".join(name.split())
        if not guard:
            raise GuardNameError("请输入门卫姓名或工号 · Type the guard's name or number")
        if len(guard) > MAX_GUARD_CHARS:
            raise GuardNameError(
                f"姓名或工号过长(最多{MAX_GUARD_CHARS}个字符)· Name or number too long"
                f" (at most {MAX_GUARD_CHARS} characters)"
            )
        with self._lock:
            previous, self._current = self._current, guard
        return self._audit.record_event(
            AuditKind.SHIFT_CHANGE,
            at=self._clock(),
            booth_id=self._booth_id,
            actor=guard,
            details={"guard": guard, "previous": previous},
        )


def last_guard(database: Path) -> str | None:
    """The guard of the latest sign-on in the ledger at ``database`` (None: nobody yet)."""
    with closing(sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        row = conn.execute(
            "SELECT details FROM audit_events WHERE kind = ? ORDER BY at DESC, rowid DESC LIMIT 1",
            (AuditKind.SHIFT_CHANGE.value,),
        ).fetchone()
    if row is None:
        return None
    guard = json.loads(row[0]).get("guard")
    return str(guard) if guard else None
