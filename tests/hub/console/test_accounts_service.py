"""Console accounts without a browser: the clock moves on, so lockouts and sessions end."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from gatehouse.hub.console.accounts import (
    LOCKOUT,
    MAX_FAILURES,
    SESSION_LIFETIME,
    AccountError,
    Accounts,
    LoginRefusedError,
    Role,
)
from gatehouse.hub.tables import console_sessions, console_users

PASSWORD = "correct-horse-battery"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def accounts(engine: Engine, clock: Clock) -> Accounts:
    made = Accounts(engine, clock)
    made.add_user("staff", PASSWORD, Role.STAFF, None)
    return made


def test_a_lockout_ends_after_its_time_and_a_right_password_resets_the_count(
    accounts: Accounts, clock: Clock
) -> None:
    for _ in range(MAX_FAILURES - 1):
        with pytest.raises(LoginRefusedError):
            accounts.log_in("staff", "wrong-password")
    accounts.log_in("staff", PASSWORD)  # the count starts again
    for _ in range(MAX_FAILURES):
        with pytest.raises(LoginRefusedError) as refused:
            accounts.log_in("staff", "wrong-password")
    assert refused.value.locked_until == clock.now + LOCKOUT
    clock.now += LOCKOUT - timedelta(seconds=1)
    with pytest.raises(LoginRefusedError):
        accounts.log_in("staff", PASSWORD)
    clock.now += timedelta(seconds=2)
    _, session = accounts.log_in("staff", PASSWORD)
    assert session.user.role is Role.STAFF


def test_a_lockout_ends_the_accounts_open_sessions(accounts: Accounts) -> None:
    token, _ = accounts.log_in("staff", PASSWORD)
    for _ in range(MAX_FAILURES):
        with pytest.raises(LoginRefusedError):
            accounts.log_in("staff", "wrong-password")
    assert accounts.session(token) is None


def test_a_session_ends_at_logout_or_after_its_lifetime(
    accounts: Accounts, clock: Clock, engine: Engine
) -> None:
    first, _ = accounts.log_in("staff", PASSWORD)
    second, _ = accounts.log_in("staff", PASSWORD)
    accounts.log_out(first)
    assert accounts.session(first) is None
    assert accounts.session(second) is not None
    clock.now += SESSION_LIFETIME
    assert accounts.session(second) is None
    accounts.log_in("staff", PASSWORD)  # clears the sessions that ran out
    with engine.connect() as conn:
        assert len(conn.execute(select(console_sessions)).all()) == 1


def test_passwords_are_stored_as_argon2id_hashes(accounts: Accounts, engine: Engine) -> None:
    with engine.connect() as conn:
        stored = conn.execute(select(console_users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


@pytest.mark.parametrize(
    ("username", "password", "role", "mine", "message"),
    [
        ("staff", PASSWORD, Role.STAFF, None, "exists already"),
        ("two words", PASSWORD, Role.STAFF, None, "without spaces"),
        ("north", "short", Role.SUPERVISOR, "北矿", "at least 10"),
        ("north", PASSWORD, Role.SUPERVISOR, None, "needs a mine"),
        ("office", PASSWORD, Role.ADMIN, "北矿", "needs a mine"),
    ],
)
def test_an_account_that_cannot_be_made_is_refused_saying_why(
    accounts: Accounts, username: str, password: str, role: Role, mine: str | None, message: str
) -> None:
    with pytest.raises(AccountError, match=message):
        accounts.add_user(username, password, role, mine)
