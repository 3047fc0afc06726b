"""What the booth's status bar shows, gathered on a worker thread every few seconds.

Reading the sync status counts the outbox in the ledger, and the booth's service holds the disk
and data problems; none of that may run on the GUI thread, so ``StatusMonitor`` collects a
``BoothStatus`` on its own thread and hands it to a callback (the GUI's bridge queues it).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from gatehouse.booth.clock import Clock
from gatehouse.booth.service import BoothService
from gatehouse.core.decision import REFUSED_DOCUMENT_CODES
from gatehouse.core.reasons import Reason
from gatehouse.store.problems import StorageProblem
from gatehouse.supervision import SUPERVISOR, Supervisor, WorkerFault
from gatehouse.sync.worker import SyncStatus, SyncWorker

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_S = 2.0


@dataclass(frozen=True)
class BoothStatus:
    """One snapshot for the status bar; ``sync`` is None when the booth has no hub yet."""

    at: datetime  # on the booth clock
    sync: SyncStatus | None
    storage_problem: StorageProblem | None
    unsaved: int  # passages kept in memory because the disk refused them
    admit_blockers: tuple[Reason, ...]  # why automatic admits are stopped, empty if they are not
    worker_faults: tuple[WorkerFault, ...] = ()  # background workers that failed unexpectedly

    @property
    def hub_unreachable(self) -> bool:
        """The last sync attempt failed (the offline banner); never for a booth without a hub."""
        sync = self.sync
        if sync is None or sync.last_error is None or sync.last_attempt is None:
            return False
        return sync.last_success is None or sync.last_attempt >= sync.last_success

    @property
    def refused_documents(self) -> tuple[Reason, ...]:
        """Office documents held but refused by this release: while there is one, the booth
        refers everyone (``Policy.refused``)."""
        return tuple(r for r in self.admit_blockers if r.code in REFUSED_DOCUMENT_CODES)


def collect_status(
    service: BoothService,
    sync: SyncWorker | None,
    clock: Clock,
    supervisor: Supervisor = SUPERVISOR,
    ledger_problem: StorageProblem | None = None,
) -> BoothStatus:
    """Reads everything once (the sync part from the ledger): call it off the GUI thread.

    ``ledger_problem``: damage the background chain check found, shown until restored.
    """
    return BoothStatus(
        at=clock.now(),
        sync=sync.status() if sync is not None else None,
        storage_problem=service.storage_problem or ledger_problem,
        unsaved=service.unsaved_count,
        admit_blockers=service.admit_blockers(),
        worker_faults=supervisor.faults(),
    )


class StatusMonitor:
    """Calls ``on_status`` with a fresh ``BoothStatus`` at start and every ``interval_s``."""

    def __init__(
        self,
        collect: Callable[[], BoothStatus],
        on_status: Callable[[BoothStatus], None],
        interval_s: float = DEFAULT_INTERVAL_S,
    ) -> None:
        self._collect = collect
        self._on_status = on_status
        self._interval_s = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="gatehouse-status", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.ident is not None:
            self._thread.join()

    def _run(self) -> None:
        while True:
            try:
                self._on_status(self._collect())
            except Exception:  # a failed read must not end the status bar's updates
                log.exception("collecting the booth status failed")
            if self._stop.wait(self._interval_s):
                return
