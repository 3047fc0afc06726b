"""The supervisor PIN: an argon2id hash, and a lockout after repeated wrong entries that
survives a restart (it lives in the ledger file, not in memory).

Verifying takes a third of a second on purpose (argon2id's cost), so callers run it off the GUI
thread. Checks of one ledger's PIN run one at a time (parallel guesses cannot outrun the
lockout). Every write goes through the ledger's single writer. The lockout counts on the booth's
clock: someone who can set the clock forward can shorten it, which the sync clock check reports.

Once a PIN is set, a new one needs the current one (a wrong one counts, and a lockout holds), or
a one-time recovery code from the office (``core.recovery_codes``), spent and audited in the
same transaction that sets the PIN; only that clears a lockout.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol, TypeVar

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlite_utils import Database

from gatehouse.core.recovery_codes import RecoveryCodeError, read_code
from gatehouse.store.audit import AuditKind, insert_event
from gatehouse.store.ledger import Ledger
from gatehouse.store.rows import utc_text

T = TypeVar("T")

MAX_FAILED_ATTEMPTS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PIN_DIGITS = 6
_SLOT = 1
RECOVERY_ACTOR = "office recovery code"
_checks: dict[str, threading.Lock] = {}
_checks_guard = threading.Lock()


def _one_check_at_a_time(uri: str) -> threading.Lock:
    """The lock of one ledger's PIN, shared by every ``PinStore`` on that file."""
    with _checks_guard:
        return _checks.setdefault(uri, threading.Lock())


class SubmitsWrites(Protocol):
    """The ledger's writer (``SerialWriter``)."""

    def submit(self, fn: Callable[[Database], T], *, transaction: bool = True) -> Future[T]: ...


class PinError(ValueError):
    """A new PIN that is not acceptable; the message says why, in Chinese and English."""


class PinCheck(StrEnum):
    ACCEPTED = "accepted"
    WRONG = "wrong"
    LOCKED = "locked"
    NOT_SET = "not_set"


@dataclass(frozen=True)
class PinResult:
    check: PinCheck
    attempts_left: int = MAX_FAILED_ATTEMPTS
    locked_until: datetime | None = None


class PinStore:
    def __init__(
        self,
        path: Path,
        writer: SubmitsWrites,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        hasher: PasswordHasher | None = None,
    ) -> None:
        self._uri = f"{path.resolve().as_uri()}?mode=ro"
        self._writer = writer
        self._now = now
        self._hasher = hasher or PasswordHasher()  # argon2id, RFC 9106 low-memory profile
        self._lock = _one_check_at_a_time(self._uri)

    def is_set(self) -> bool:
        return self._state() is not None

    def set_pin(
        self, pin: str, *, current: str | None = None, recovery_code: str | None = None
    ) -> None:
        """Store a new PIN: the first one freely; then only with the ``current`` PIN (checked
        like any entry) or the office's ``recovery_code`` (which also ends a lockout).

        Raises ``PinError`` saying why, in Chinese and English.
        """
        if len(pin) < MIN_PIN_DIGITS or not pin.isdigit():
            raise PinError(
                f"PIN 须为至少{MIN_PIN_DIGITS}位数字 · The PIN must be at least "
                f"{MIN_PIN_DIGITS} digits"
            )
        hashed = self._hasher.hash(pin)
        with self._lock:
            if self._state() is None:
                self._store(hashed)
            elif recovery_code:
                self._recover(hashed, recovery_code)
            elif current is not None:
                self._change(hashed, current)
            else:
                raise PinError(
                    "已设置 PIN:需输入当前 PIN 或办公室的恢复码 · A PIN is set: type the "
                    "current PIN or a recovery code from the office"
                )

    def verify(self, pin: str) -> PinResult:
        """Check ``pin``; a wrong one counts, and the fifth in a row locks entry for a while."""
        with self._lock:
            return self._verify(pin)

    def _change(self, hashed: str, current: str) -> None:
        result = self._verify(current)
        if result.check is PinCheck.LOCKED and result.locked_until is not None:
            until = result.locked_until.strftime("%H:%M UTC")
            raise PinError(
                f"PIN 输入已锁定至 {until}(或使用办公室的恢复码)· PIN entry is locked until "
                f"{until} (or use a recovery code from the office)"
            )
        if result.check is not PinCheck.ACCEPTED:
            raise PinError(
                f"当前 PIN 不正确(还可尝试 {result.attempts_left} 次)· The current PIN is "
                f"wrong ({result.attempts_left} attempts left)"
            )
        self._store(hashed)

    def _recover(self, hashed: str, text: str) -> None:
        with closing(sqlite3.connect(self._uri, uri=True)) as conn:
            settings = dict(conn.execute("SELECT key, value FROM sync_settings").fetchall())
        token, booth_id = settings.get("token"), settings.get("booth_id")
        if not token or not booth_id:
            raise PinError(
                "本岗亭未在中心注册,无法使用恢复码 · This booth is not enrolled with a hub: "
                "recovery codes need one"
            )
        key = bytes.fromhex(hashlib.sha256(token.encode("utf-8")).hexdigest())
        now = self._now()
        try:
            code = read_code(text, key, booth_id, now.astimezone(UTC).date())
        except RecoveryCodeError as exc:
            raise PinError(f"恢复码无效 · The recovery code is refused: {exc}") from None
        at = utc_text(now)

        def job(db: Database) -> None:
            spent = db.execute(
                "SELECT 1 FROM audit_events WHERE kind = ? AND "
                "json_extract(details, '$.recovery_nonce') = ?",
                (AuditKind.PIN_CHANGE.value, code.nonce),
            ).fetchone()
            if spent is not None:
                raise PinError("该恢复码已使用过 · This recovery code has already been used")
            _replace_pin(db, hashed, at)
            insert_event(
                db,
                AuditKind.PIN_CHANGE,
                at=now,
                booth_id=booth_id,
                actor=RECOVERY_ACTOR,
                details={
                    "method": "recovery_code",
                    "recovery_nonce": code.nonce,
                    "issued": code.issued.isoformat(),
                },
            )

        self._writer.submit(job).result()

    def _store(self, hashed: str) -> None:
        at = utc_text(self._now())
        self._writer.submit(lambda db: _replace_pin(db, hashed, at)).result()

    def _verify(self, pin: str) -> PinResult:
        state = self._state()
        if state is None:
            return PinResult(PinCheck.NOT_SET)
        pin_hash, locked_until = state
        now = self._now()
        if locked_until is not None and now < locked_until:
            return PinResult(PinCheck.LOCKED, 0, locked_until)
        try:
            self._hasher.verify(pin_hash, pin)
        except (VerificationError, InvalidHashError):
            return self._count_failure(now)
        rehash = self._hasher.hash(pin) if self._hasher.check_needs_rehash(pin_hash) else pin_hash
        self._writer.submit(
            lambda db: db.execute(
                "UPDATE supervisor_pin SET failed_attempts = 0, locked_until = NULL, pin_hash = ?"
                " WHERE slot = ?",
                (rehash, _SLOT),
            )
        ).result()
        return PinResult(PinCheck.ACCEPTED)

    def _count_failure(self, now: datetime) -> PinResult:
        lock_at = utc_text(now + LOCKOUT)

        def job(db: Database) -> tuple[int, str | None]:
            # After a lockout has run out, the count starts again.
            db.execute(
                "UPDATE supervisor_pin SET failed_attempts = CASE WHEN locked_until IS NULL "
                "THEN failed_attempts + 1 ELSE 1 END, locked_until = NULL WHERE slot = ?",
                (_SLOT,),
            )
            db.execute(
                "UPDATE supervisor_pin SET locked_until = ? "
                "WHERE slot = ? AND failed_attempts >= ?",
                (lock_at, _SLOT, MAX_FAILED_ATTEMPTS),
            )
            row = db.execute(
                "SELECT failed_attempts, locked_until FROM supervisor_pin WHERE slot = ?", (_SLOT,)
            ).fetchone()
            return int(row[0]), row[1]

        failed, locked = self._writer.submit(job).result()
        if locked is not None:
            return PinResult(PinCheck.LOCKED, 0, datetime.fromisoformat(locked))
        return PinResult(PinCheck.WRONG, MAX_FAILED_ATTEMPTS - failed)

    def _state(self) -> tuple[str, datetime | None] | None:
        """The stored hash and until when entry is locked, or ``None`` when no PIN is set."""
        with closing(sqlite3.connect(self._uri, uri=True)) as conn:
            row = conn.execute(
                "SELECT pin_hash, locked_until FROM supervisor_pin WHERE slot = ?", (_SLOT,)
            ).fetchone()
        if row is None:
            return None
        return row[0], datetime.fromisoformat(row[1]) if row[1] else None


def _replace_pin(db: Database, hashed: str, at: str) -> None:
    """The new PIN, with no failed attempts and no lockout."""
    db.execute(
        "INSERT OR REPLACE INTO supervisor_pin "
        "(slot, pin_hash, failed_attempts, locked_until, set_at) VALUES (?, ?, 0, NULL, ?)",
        (_SLOT, hashed, at),
    )


def pin_store_for(ledger: Ledger, **options: Any) -> PinStore:
    """The PIN store of an open ledger, writing through its writer.

    ``Ledger`` has no public accessor for its writer yet; until it does, this is the one place
    that reaches for it.
    """
    return PinStore(ledger.path, ledger._writer, **options)
