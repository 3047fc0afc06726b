"""Refuse to run on a damaged ledger, with a message the guard can pass on.

A booth that kept writing to a corrupt file could lose the passages it is trusted to log,
so an existing file is checked with ``PRAGMA quick_check`` before the writer opens it.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

# SQLite's primary result codes that mean "this file is damaged or not a database at all".
_CORRUPTION_CODES = frozenset({sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB})


class LedgerCorruptError(Exception):
    """The ledger file failed its integrity check; ``message`` is SQLite's own words.

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
            f"{text}. Keep the damaged file for IT and restore the newest backup, "
            f"{self.newest_backup}"
        )


def check_integrity(path: Path) -> None:
    """Raise ``LedgerCorruptError`` unless ``path`` is missing or passes ``quick_check``.

    Runs on its own short-lived connection, closed before the writer opens the file, so
    there is still never more than one connection writing. Errors that are not corruption
    (locked, unreadable) propagate unchanged: they must not be reported as damage.
    """
    if not path.exists():
        return
    try:
        with closing(sqlite3.connect(path)) as conn:
            problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
    except sqlite3.DatabaseError as exc:
        if exc.sqlite_errorcode & 0xFF not in _CORRUPTION_CODES:
            raise
        raise LedgerCorruptError(path, str(exc)) from exc
    if problems != ["ok"]:
        raise LedgerCorruptError(path, "; ".join(problems))
