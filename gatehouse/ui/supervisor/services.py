"""What the supervisor's desk works on, handed in by whoever opens it (no globals)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path

from gatehouse.booth.policy_desk import PolicyDesk
from gatehouse.reports.export import AuditLog
from gatehouse.setup.configure import BoothSetup
from gatehouse.store.lists import ListStore
from gatehouse.store.pins import PinStore
from gatehouse.store.queries import PassageQueries


def wall_clock() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class DeskServices:
    queries: PassageQueries
    audit: AuditLog  # the booth's Ledger
    pins: PinStore
    booth_id: str
    mine_name: str
    zone: tzinfo  # the local time zone searches and reports use
    output_folder: Path  # where exports and reports are written
    lists: ListStore | None = None  # None: the booth has no list secret, so cannot store lists
    actor: str = "supervisor"
    policy: PolicyDesk | None = None  # the running booth's policy; None outside a booth
    setup: BoothSetup | None = None  # "Booth settings…" re-runs the setup; None outside a booth
    # The booth's clock (the demo clock in demo mode): the searches and the report start from
    # its today, so the default search shows the latest passages.
    clock: Callable[[], datetime] = wall_clock
    log_folder: Path | None = None  # the booth's log file: its latest problems; None: no tab
