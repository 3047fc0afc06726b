"""Refuse to run on a damaged ledger, with a message the guard can pass on.

A booth that kept writing to a corrupt file could lose the passages it is trusted to log,
so an existing file is checked with ``PRAGMA quick_check`` before the writer opens it.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from contextlib import closing
from pathlib import Path

# SQLite's primary result codes that mean "this file is damaged or not a database at all".
_CORRUPTION_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})


RESTORE_COMMAND = "gatehouse restore"


class LedgerCorruptError(Exception):
    """The ledger file failed its integrity check; ``message`` is SQLite's own words (or the
    first broken link of its hash chain).

    ``newest_backup`` (set by ``Ledger.open``) is the copy to restore, when there is one.
    """

    def __init__(self, path: Path, message: str) -> None:
        super().__init__(f"ledger {path} is damaged: {message}")
        self.path = path
        self.message = message
        self.newest_backup: Path | None = None

    def __str__(self) -> str:
        text = f"ledger {self.path} is damaged: {self.message}"
        if self.newest_backup is None:
            return f"{text}. No backup exists: keep the file for IT, do not delete it"
        return (
            f"{text}. Keep the damaged file for IT; `{RESTORE_COMMAND}` restores the newest "
            f"backup ({self.newest_backup}) and recovers later passages from the hub"
        )


class LedgerMissingError(Exception):
    """The configuration says this booth has a ledger, but the file is gone or empty.

    Creating a new one would silently drop the booth's history and its enrolment, so it is
    refused; ``problem`` is "missing" or "empty".
    """

    def __init__(self, path: Path, problem: str) -> None:
        super().__init__(path, problem)
        self.path = path
        self.problem = problem
        self.newest_backup: Path | None = None

    def __str__(self) -> str:
        return (
            f"ledger {self.path} is {self.problem}, but this booth already had one: not "
            f"creating a new one. `{RESTORE_COMMAND}` restores the newest backup"
        )


def check_present(path: Path) -> None:
    """Raise ``LedgerMissingError`` unless ``path`` holds a ledger (or its write-ahead log)."""
    if not path.exists():
        raise LedgerMissingError(path, "missing")
    wal = path.with_name(path.name + "-wal")
    if path.stat().st_size == 0 and not (wal.exists() and wal.stat().st_size > 0):
        raise LedgerMissingError(path, "empty")


def check_writable(path: Path) -> None:
    """Raise ``PermissionError`` if the ledger or its folder cannot be written.

    SQLite opens a file it may not write read-only without a word, and a booth would then
    decide people it cannot log; this asks the system first (``access`` also sees immutable
    files and read-only mounts, which permission bits alone do not show to root).
    """
    for target in (path, path.parent):
        if target.exists() and not os.access(target, os.W_OK):
            raise PermissionError(errno.EACCES, "the ledger cannot be written", str(target))


def is_corruption(error: sqlite3.DatabaseError) -> bool:
    """Whether SQLite says the file is damaged (not merely locked or unwritable)."""
    code = getattr(error, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in _CORRUPTION_CODES


def check_integrity(path: Path, *, thorough: bool = False) -> None:
    """Raise ``LedgerCorruptError`` unless ``path`` is missing or passes ``quick_check``
    (``thorough``: ``integrity_check``, which also compares every index with its table).

    Runs on its own short-lived connection, closed before the writer opens the file, so
    there is still never more than one connection writing. Errors that are not corruption
    (locked, unreadable) propagate unchanged: they must not be reported as damage.
    """
    if not path.exists():
        return
    try:
        with closing(sqlite3.connect(path)) as conn:
            check = "integrity_check" if thorough else "quick_check"
            problems = [row[0] for row in conn.execute(f"PRAGMA {check}")]
    except sqlite3.DatabaseError as exc:
        if not is_corruption(exc):
            raise
        raise LedgerCorruptError(path, str(exc)) from exc
    if problems != ["ok"]:
        raise LedgerCorruptError(path, "; ".join(problems))
