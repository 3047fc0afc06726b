"""The booth's contractor ledger (外委人员台账): its imported contractor list and its ledger's
passages in a range, as a CSV or XLSX file under a title row naming the mine and the period.

The rows and columns are ``contractor_lines`` (the hub's ledger across booths uses them too);
people seen with the contractor role who are not on the list follow, flagged: the office must
register them or find out why they were at the gate.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

from gatehouse.reports.contractor_lines import (
    SHEET_TITLE,
    contractor_columns,
    contractor_ledger,
    ledger_caption,
)
from gatehouse.reports.progress import CancelToken, ProgressCallback, no_progress
from gatehouse.reports.table import PROGRESS_EVERY, write_table
from gatehouse.store.queries import PassageQueries


@dataclass(frozen=True)
class ContractorLedgerRequest:
    """The contractor ledger for passages in [start, end), as a CSV or XLSX file."""

    start: datetime
    end: datetime
    path: Path
    format: str  # a key of sinks.WRITERS
    zone: tzinfo = UTC
    mine: str = ""  # named in the title row

    @property
    def full_id_numbers(self) -> bool:
        return False  # lists and passages hold masked numbers only

    def caption(self, now: datetime) -> str:
        """The title row: the report, the mine, the period (local days) and when it was made."""
        return ledger_caption(self.mine, self.start, self.end, self.zone, now)

    def audit_details(self) -> dict[str, Any]:
        return {
            "what": "contractor_ledger",
            "id_numbers": "masked",
            "format": self.format,
            "file": self.path.name,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
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
        """Progress counts the passages read; the file is written once they are tallied."""
        total = queries.count_contractor_passages(self.start, self.end)
        passages = _reported(
            queries.contractor_passages(self.start, self.end),
            total,
            progress,
            cancel,
            progress_every,
        )
        lines = contractor_ledger(queries.list_entries("contractors"), passages)
        written = write_table(
            (asdict(line) for line in lines),
            contractor_columns(self.zone, now),
            self.path,
            self.format,
            total=len(lines),
            cancel=cancel,
            progress_every=progress_every,
            title=SHEET_TITLE,
            caption=self.caption(now),
        )
        progress(total, total)
        return written


def _reported(
    rows: Iterable[Mapping[str, Any]],
    total: int,
    progress: ProgressCallback,
    cancel: CancelToken | None,
    every: int,
) -> Iterator[Mapping[str, Any]]:
    for done, row in enumerate(rows, 1):
        yield row
        if done % every == 0:
            if cancel is not None:
                cancel.check()
            progress(done, total)
