"""Keeping and reading what the booths report about themselves (``protocol.BoothReport``)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, select

from gatehouse.hub.tables import booth_reports, iso
from gatehouse.sync.protocol import BoothReport


@dataclass(frozen=True)
class ReportedState:
    """A booth's latest report as the hub keeps it; ``clock_skew_s`` is hub minus booth."""

    reported_at: str
    clock_skew_s: float
    backlog: int
    app_version: str
    bundle_versions: dict[str, int]
    checkpoint_type: str | None


def keep_report(conn: Connection, booth_id: str, report: BoothReport, now: datetime) -> None:
    """Replace the booth's report with ``report``, measuring its clock against ``now``. The
    caller holds the booth's row locked, so two uploads never race for the insert."""
    values = {
        "reported_at": iso(now),
        "clock_skew_s": (now - report.booth_time).total_seconds(),
        "backlog": report.backlog,
        "app_version": report.app_version,
        "bundle_versions": json.dumps(dict(report.bundle_versions), sort_keys=True),
        "checkpoint_type": report.checkpoint_type,
    }
    if conn.execute(_UPDATE, {"booth": booth_id, **values}).rowcount == 0:
        conn.execute(_INSERT, {"booth_id": booth_id, **values})


# Built once, the values bound at every upload (see ``gatehouse.hub.ingest``); the update
# sets the columns its values name.
_UPDATE = booth_reports.update().where(booth_reports.c.booth_id == bindparam("booth"))
_INSERT = booth_reports.insert()


def reported_states(conn: Connection) -> dict[str, ReportedState]:
    """Every booth's latest report, by booth id."""
    return {
        row.booth_id: ReportedState(
            reported_at=row.reported_at,
            clock_skew_s=row.clock_skew_s,
            backlog=row.backlog,
            app_version=row.app_version,
            bundle_versions=json.loads(row.bundle_versions),
            checkpoint_type=row.checkpoint_type,
        )
        for row in conn.execute(select(booth_reports))
    }
