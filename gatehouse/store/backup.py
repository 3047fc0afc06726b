"""Online backups of the ledger with SQLite's backup API, checked, then rotated.

The copy is read through its own read-only connection (WAL lets it run beside the writer and
gives it one consistent snapshot), written under a temporary name, integrity-checked, its whole
hash chain re-walked, and only then renamed into place, so a backup folder never holds a
half-written or damaged copy under a real name, and older good copies are rotated out only by a
good one.
"""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from gatehouse.store.integrity import LedgerCorruptError, check_integrity
from gatehouse.store.verify import verify_ledger


def backup_ledger(source: Path, folder: Path, *, keep: int, now: datetime) -> Path:
    """Copy ``source`` to ``folder``/``<stem>-<UTC time>.sqlite3``; keep the newest ``keep``."""
    if keep < 1:
        raise ValueError("keep at least one backup")
    folder.mkdir(parents=True, exist_ok=True)
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{source.stem}-{stamp}.sqlite3"
    partial = target.with_suffix(".partial")
    with (
        closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as src,
        closing(sqlite3.connect(partial)) as dst,
    ):
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    check_integrity(partial)
    _check_chain(source, partial)
    with partial.open("rb") as written:
        os.fsync(written.fileno())
    partial.replace(target)
    _fsync_folder(folder)
    for old in backups(source, folder)[:-keep]:
        old.unlink()
    return target


def _check_chain(source: Path, partial: Path) -> None:
    """Only a copy whose whole chain holds joins the rotation: a damaged ledger copied for a
    week would otherwise push the last good backup out (``gatehouse restore`` needs one)."""
    problem = verify_ledger(partial).problem()
    if problem is not None:
        partial.unlink()
        raise LedgerCorruptError(source, f"not backed up, the hash chain is broken: {problem}")


def default_backup_folder(source: Path) -> Path:
    """``backups/`` beside the ledger: guards against a damaged file, not a dead disk."""
    return source.parent / "backups"


def backups(source: Path, folder: Path) -> list[Path]:
    """The backups of ``source`` in ``folder``, oldest first (names sort by time)."""
    return sorted(folder.glob(f"{source.stem}-*.sqlite3"))


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
