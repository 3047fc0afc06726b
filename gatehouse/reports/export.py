"""Exports of a passage search to CSV or XLSX: recording the export, then writing its rows.

The two halves are separate because the desk runs them in different processes: the audit is
recorded in the desk's process through the ledger's single writer, the rows are written by a
child process (``export_process``) that only reads the ledger. ``export_passages`` does both in
the caller's thread. The file is written by ``table.write_table`` (complete or not at all).
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime, timezone, tzinfo
from pathlib import Path
from typing import Any, Protocol

from gatehouse.reports.cells import IdNumbers, id_number_cell
from gatehouse.reports.columns import passage_columns
from gatehouse.reports.passages_csv import write_passages_csv
from gatehouse.reports.progress import CancelToken, ProgressCallback, no_progress
from gatehouse.reports.sinks import writer_for
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


class TableExport(Protocol):
    """One spreadsheet a supervisor asked for; picklable, so a child process can write it."""

    @property
    def path(self) -> Path: ...

    @property
    def format(self) -> str: ...

    @property
    def full_id_numbers(self) -> bool: ...

    def audit_details(self) -> dict[str, Any]: ...

    def write(
        self,
        queries: PassageQueries,
        *,
        now: datetime,
        progress: ProgressCallback,
        cancel: CancelToken | None,
        progress_every: int,
    ) -> int:
        """Write the file (complete or not at all); the number of rows written."""
        ...


@dataclass(frozen=True)
class ExportRequest:
    """One passage export as the supervisor chose it."""

    search: PassageFilter
    path: Path
    format: str  # a key of sinks.WRITERS: "csv", "xlsx", "xlsx-openpyxl", "xlsx-rust"
    id_numbers: IdNumbers = IdNumbers.MASKED
    zone: tzinfo = UTC

    @property
    def full_id_numbers(self) -> bool:
        return self.id_numbers is IdNumbers.FULL

    def audit_details(self) -> dict[str, Any]:
        search = self.search
        return {
            "what": "passages",
            "id_numbers": self.id_numbers.value,
            "format": self.format,
            "file": self.path.name,
            "start": search.start.isoformat() if search.start else None,
            "end": search.end.isoformat() if search.end else None,
            "booth_ids": list(search.booth_ids),
            # never a full ID number in the audit trail, even one the supervisor searched for
            "person": id_number_cell(search.person, IdNumbers.MASKED) if search.person else "",
            "outcomes": [o.name for o in search.outcomes],
            "reason_code": search.reason_code,
            "role": search.role,
            "guard": search.guard,
        }

    def write(
        self,
        queries: PassageQueries,
        *,
        now: datetime,
        progress: ProgressCallback = no_progress,
        cancel: CancelToken | None = None,
        progress_every: int = PROGRESS_EVERY,
    ) -> int:
        total = queries.count(self.search)
        if self.format == "csv" and isinstance(self.zone, timezone):
            return write_passages_csv(
                queries,
                self.search,
                self.path,
                self.zone,
                self.id_numbers,
                now,
                total=total,
                progress=progress,
                cancel=cancel,
                progress_every=progress_every,
            )
        return write_table(
            queries.iter_rows(self.search),
            passage_columns(self.zone, self.id_numbers, now),
            self.path,
            writer_for(self.format, total),
            total=total,
            progress=progress,
            cancel=cancel,
            progress_every=progress_every,
        )


@dataclass(frozen=True)
class ExportDone:
    path: Path
    rows: int
    audit_event: str | None  # the audit event id, when the export was audited


def record_export(
    audit: AuditLog | None, export: TableExport, *, booth_id: str, actor: str, now: datetime
) -> str | None:
    """Record ``export`` in the audit chain (waiting for the commit); its event id.

    Full ID numbers are refused without an audit log, before anything is written.
    """
    if audit is None:
        if export.full_id_numbers:
            raise PermissionError("an export with full ID numbers must be audited")
        return None
    return audit.record_event(
        AuditKind.EXPORT, at=now, booth_id=booth_id, actor=actor, details=export.audit_details()
    ).result()


def export_passages(
    queries: PassageQueries,
    request: TableExport,
    *,
    audit: AuditLog | None,
    booth_id: str,
    actor: str,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    now: datetime | None = None,
) -> ExportDone:
    """Export in this thread: recorded first (an export whose audit fails does not happen)."""
    moment = now or datetime.now(UTC)
    event_id = record_export(audit, request, booth_id=booth_id, actor=actor, now=moment)
    rows = request.write(
        queries,
        now=moment,
        progress=progress,
        cancel=cancel,
        progress_every=PROGRESS_EVERY,  # read at call time: tests lower it
    )
    return ExportDone(request.path, rows, event_id)
