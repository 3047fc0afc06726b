"""Console accounts: argon2id passwords, lockout, server-side sessions and the action audit.

No HTTP here: the web layer parses and calls. Sessions live in the hub's database, so a
logout or a locked account ends them at once; the browser holds only a random token.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Engine, delete, select, update

from gatehouse.hub.tables import console_audit, console_sessions, console_users

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=10)  # one office shift; then log in again
MIN_PASSWORD_LENGTH = 10
_HASHER = PasswordHasher()  # argon2id with the library's recommended costs
# Verified when the user is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _HASHER.hash(secrets.token_hex(16))


class Role(StrEnum):
    ADMIN = "admin"  # the office's administrator: accounts, audit, everything staff do
    STAFF = "staff"  # the office's staff: booths, passages, exports across every mine
    SUPERVISOR = "supervisor"  # a mine's supervisor: reads their own mine's booths only


class AccountError(ValueError):
    """A user cannot be created as asked; the message says why."""


class LoginRefusedError(Exception):
    """Wrong name or password, or a locked account (``locked_until`` says until when)."""

    def __init__(self, locked_until: datetime | None = None) -> None:
        super().__init__("locked" if locked_until else "wrong name or password")
        self.locked_until = locked_until


@dataclass(frozen=True)
class User:
    username: str
    role: Role
    mine: str | None

    @property
    def sees_every_mine(self) -> bool:
        return self.role is not Role.SUPERVISOR

    @property
    def may_change(self) -> bool:
        """Whether the user may add booths and export (a supervisor only reads)."""
        return self.role is not Role.SUPERVISOR


@dataclass(frozen=True)
class Session:
    user: User
    csrf_token: str


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Accounts:
    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self.engine = engine
        self.clock = clock

    def add_user(self, username: str, password: str, role: Role, mine: str | None) -> User:
        """Create an account; a supervisor must name their mine, the office's staff must not."""
        username = username.strip()
        if not username or len(username) > 64 or any(c.isspace() for c in username):
            raise AccountError("the user name must be 1 to 64 characters without spaces")
        if len(password) < MIN_PASSWORD_LENGTH:
            raise AccountError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
        mine = (mine or "").strip() or None
        if (role is Role.SUPERVISOR) != (mine is not None):
            raise AccountError("a mine supervisor needs a mine; the office's accounts have none")
        with self.engine.begin() as conn:
            if conn.execute(
                select(console_users.c.username).where(console_users.c.username == username)
            ).first():
                raise AccountError(f"the user {username!r} exists already")
            conn.execute(
                console_users.insert().values(
                    username=username,
                    password_hash=_HASHER.hash(password),
                    role=role.value,
                    mine=mine,
                    failed_logins=0,
                    created_at=self.clock().isoformat(),
                )
            )
        return User(username, role, mine)

    def users(self) -> list[dict[str, Any]]:
        columns = (console_users.c[name] for name in ("username", "role", "mine", "locked_until"))
        with self.engine.connect() as conn:
            rows = conn.execute(select(*columns).order_by(console_users.c.username))
            return [dict(row._mapping) for row in rows]

    def log_in(self, username: str, password: str) -> tuple[str, Session]:
        """A new session's token and the session; ``LoginRefusedError`` after a failure.

        ``MAX_FAILURES`` wrong passwords in a row lock the account for ``LOCKOUT``; while
        locked, even the right password is refused.
        """
        now = self.clock()
        with self.engine.begin() as conn:  # a refusal is raised after the count is committed
            row = conn.execute(
                select(console_users).where(console_users.c.username == username).with_for_update()
            ).first()
            if row is None:
                _verify(_DUMMY_HASH, password)
                refusal: LoginRefusedError | None = LoginRefusedError()
            elif row.locked_until and datetime.fromisoformat(row.locked_until) > now:
                refusal = LoginRefusedError(datetime.fromisoformat(row.locked_until))
            elif not _verify(row.password_hash, password):
                refusal = self._count_failure(conn, username, row.failed_logins + 1, now)
            else:
                refusal = None
                session = self._open_session(conn, row, now)
        if refusal is not None:
            raise refusal
        return session

    @staticmethod
    def _count_failure(
        conn: Connection, username: str, failures: int, now: datetime
    ) -> LoginRefusedError:
        """Count a wrong password; the ``MAX_FAILURES``th locks the account and ends its
        sessions."""
        locked = now + LOCKOUT if failures >= MAX_FAILURES else None
        conn.execute(
            update(console_users)
            .where(console_users.c.username == username)
            .values(
                failed_logins=0 if locked else failures,
                locked_until=locked.isoformat() if locked else None,
            )
        )
        if locked:
            conn.execute(delete(console_sessions).where(console_sessions.c.username == username))
        return LoginRefusedError(locked)

    @staticmethod
    def _open_session(conn: Connection, row: Any, now: datetime) -> tuple[str, Session]:
        conn.execute(
            update(console_users)
            .where(console_users.c.username == row.username)
            .values(failed_logins=0, locked_until=None)
        )
        conn.execute(  # sessions that ran out are of no use to anyone
            delete(console_sessions).where(console_sessions.c.expires_at <= now.isoformat())
        )
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        conn.execute(
            console_sessions.insert().values(
                session_hash=_token_hash(token),
                username=row.username,
                csrf_token=csrf,
                expires_at=(now + SESSION_LIFETIME).isoformat(),
            )
        )
        return token, Session(User(row.username, Role(row.role), row.mine), csrf)

    def session(self, token: str) -> Session | None:
        """The live session ``token`` opens, or ``None`` (unknown, expired, or logged out)."""
        if not token:
            return None
        statement = (
            select(console_sessions.c.csrf_token, console_sessions.c.expires_at, console_users)
            .join(console_users, console_users.c.username == console_sessions.c.username)
            .where(console_sessions.c.session_hash == _token_hash(token))
        )
        with self.engine.connect() as conn:
            row = conn.execute(statement).first()
        if row is None or datetime.fromisoformat(row.expires_at) <= self.clock():
            return None
        return Session(User(row.username, Role(row.role), row.mine), row.csrf_token)

    def log_out(self, token: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                delete(console_sessions).where(
                    console_sessions.c.session_hash == _token_hash(token)
                )
            )

    def audit(self, username: str, action: str, detail: str, address: str | None) -> None:
        """Record who did what, when, from where (every console action calls this)."""
        with self.engine.begin() as conn:
            conn.execute(
                console_audit.insert().values(
                    at=self.clock().isoformat(),
                    username=username,
                    action=action,
                    detail=detail,
                    address=address,
                )
            )

    def audit_log(self, limit: int = 200) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(console_audit).order_by(console_audit.c.id.desc()).limit(limit)
            )
            return [dict(row._mapping) for row in rows]


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
