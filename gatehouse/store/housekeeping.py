"""The ledger's routine care on a background thread: daily backup and retention purge, and a
frequent tick (the booth uses it to retry passages a failing disk left in memory).

The retention period is the office's: ``retention_days`` in the hub's ``privacy`` bundle. Until
the office has set one, nothing is purged.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from gatehouse.store.backup import default_backup_folder
from gatehouse.store.integrity import LedgerCorruptError
from gatehouse.store.ledger import Ledger
from gatehouse.store.privacy import privacy_settings
from gatehouse.supervision import SUPERVISOR, Supervisor

log = logging.getLogger(__name__)
DAY_S = 24 * 3600.0
TICK_S = 60.0
KEEP_BACKUPS = 7


@dataclass(frozen=True)
class HousekeepingReport:
    backup: Path | None
    purged: int


def utc_now() -> datetime:
    return datetime.now(UTC)


class Housekeeper:
    def __init__(
        self,
        ledger: Ledger,
        *,
        booth_id: str,
        backup_folder: Path | None = None,
        keep: int = KEEP_BACKUPS,
        every_s: float = DAY_S,
        tick_s: float = TICK_S,
        on_tick: Callable[[], None] | None = None,
        supervisor: Supervisor = SUPERVISOR,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._ledger = ledger
        self._booth_id = booth_id
        self._backup_folder = backup_folder or default_backup_folder(ledger.path)
        self._keep = keep
        self._every_s = every_s
        self._tick_s = tick_s
        self._on_tick = on_tick
        self._clock = clock
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._supervisor = supervisor

    def daily(self) -> HousekeepingReport:
        """Back up (checked, rotated), then purge what the retention period has expired."""
        backup = self._ledger.backup(self._backup_folder, keep=self._keep)
        days = privacy_settings(self._ledger).retention_days
        purged = 0
        if days is not None:
            cutoff = self._clock() - timedelta(days=days)
            purged = self._ledger.purge(cutoff, self._booth_id).result()
        return HousekeepingReport(backup, purged)

    def start(self) -> None:
        self._thread = self._supervisor.thread(
            "housekeeping", self._run, self._stop, "gatehouse-housekeeping"
        )
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        since_daily = self._every_s  # the first tick also backs up
        while not self._stop.wait(self._tick_s):
            since_daily += self._tick_s
            if self._on_tick is not None:
                self._on_tick()
            if since_daily < self._every_s:
                continue
            try:
                report = self.daily()
            except (sqlite3.Error, OSError, LedgerCorruptError) as exc:
                log.error("daily backup or purge failed (will retry in an hour): %s", exc)
                since_daily = self._every_s - 3600.0
            else:
                since_daily = 0.0
                log.info("backed up to %s; purged %d passages", report.backup, report.purged)
                self._supervisor.recovered("housekeeping")
