"""Exports of a passage search to CSV or XLSX, in the caller's (worker) thread.

The file is written by ``table.write_table`` (complete or not at all). Choosing full ID numbers
is recorded in the ledger's audit chain before a row is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any, Protocol

from gatehouse.reports.cells import IdNumbers, id_number_cell
from gatehouse.reports.columns import passage_columns
from gatehouse.reports.progress import CancelToken, ProgressCallback, no_progress
from gatehouse.reports.table import PROGRESS_EVERY, write_table
from gatehouse.store.audit import AuditKind
from gatehouse.store.queries import PassageFilter, PassageQueries


class AuditLog(Protocol):
    """What exports need of the ledger (``Ledger.record_event``)."""

    def record_event(
        self,
        kind: AuditKind,
        *,
        at: datetime,
        booth_id: str,
        actor: str,
        details: Mapping[str, Any],
    ) -> Future[str]: ...


@dataclass(frozen=True)
class ExportRequest:
    """One export as the supervisor chose it."""

    search: PassageFilter
    path: Path
    format: str  # a key of sinks.WRITERS: "csv", "xlsx", "xlsx-openpyxl"
    id_numbers: IdNumbers = IdNumbers.MASKED
    zone: tzinfo = UTC


@dataclass(frozen=True)
class ExportDone:
    path: Path
    rows: int
    audit_event: str | None  # the audit event id, when the export was audited


def export_passages(
    queries: PassageQueries,
    request: ExportRequest,
    *,
    audit: AuditLog | None,
    booth_id: str,
    actor: str,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    now: datetime | None = None,
) -> ExportDone:
    """Export every passage matching ``request.search``.

    With an audit log, the export is recorded before any row is written and an export whose
    audit fails does not happen; full ID numbers are refused without one.
    """
    moment = now or datetime.now(UTC)
    event_id = None
    if audit is None and request.id_numbers is IdNumbers.FULL:
        raise PermissionError("an export with full ID numbers must be audited")
    if audit is not None:
        event_id = audit.record_event(
            AuditKind.EXPORT,
            at=moment,
            booth_id=booth_id,
            actor=actor,
            details=_audit_details(request),
        ).result()
    total = queries.count(request.search)
    rows = write_table(
        queries.iter_rows(request.search),
        passage_columns(request.zone, request.id_numbers, moment),
        request.path,
        request.format,
        total=total,
        progress=progress,
        cancel=cancel,
        progress_every=PROGRESS_EVERY,  # read at call time: tests lower it
    )
    return ExportDone(request.path, rows, event_id)


def _audit_details(request: ExportRequest) -> dict[str, Any]:
    search = request.search
    return {
        "what": "passages",
        "id_numbers": request.id_numbers.value,
        "format": request.format,
        "file": request.path.name,
        "start": search.start.isoformat() if search.start else None,
        "end": search.end.isoformat() if search.end else None,
        "booth_ids": list(search.booth_ids),
        # never a full ID number in the audit trail, even one the supervisor searched for
        "person": id_number_cell(search.person, IdNumbers.MASKED) if search.person else "",
        "outcomes": [o.name for o in search.outcomes],
        "reason_code": search.reason_code,
        "role": search.role,
    }
