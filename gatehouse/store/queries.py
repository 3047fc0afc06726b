"""Read-only passage search for the supervisor's desk and the exports.

Every query runs on this module's own read-only connection, never through the ledger's writer,
so a long search or export never delays a passage being logged. Rows come back as plain
mappings read with ``.get``: the passages table keeps gaining columns, and a search must keep
working on a file written before (or after) any of them existed.

Long reads are paged by key (``decided_at``, ``rowid``) in short statements, so an export of a
year holds no read snapshot open for minutes (which would stop WAL checkpoints meanwhile).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from gatehouse.core.models import Outcome
from gatehouse.core.rules.persons import IdNumberError, normalise_id_number
from gatehouse.store.audit import AuditKind
from gatehouse.store.records import dict_rows
from gatehouse.store.rows import utc_text

Row = Mapping[str, Any]
# A keyed hash of a full ID number (HMAC under the mine's secret), when the caller holds the key.
IdHasher = Callable[[str], str]

SEARCH_LIMIT = 1000


@dataclass(frozen=True)
class PassageFilter:
    """What the supervisor searches for. Empty fields do not filter.

    ``start`` is inclusive and ``end`` exclusive, both timezone-aware. ``person`` is a full ID
    number, a masked one (with ``*``), its last four characters, or part of a name. ``guard``
    is the guard on duty as signed on at the booth.
    """

    start: datetime | None = None
    end: datetime | None = None
    booth_ids: tuple[str, ...] = ()
    person: str = ""
    outcomes: tuple[Outcome, ...] = ()
    reason_code: str = ""
    role: str = ""
    guard: str = ""


class PassageQueries:
    """Searches one ledger file; safe to use from any thread (each call opens its connection)."""

    def __init__(self, path: Path, id_hasher: IdHasher | None = None) -> None:
        self.path = path
        self._uri = f"{path.resolve().as_uri()}?mode=ro"
        self._id_hasher = id_hasher

    def search(self, chosen: PassageFilter, limit: int = SEARCH_LIMIT) -> list[dict[str, Any]]:
        """Up to ``limit`` matching passages, latest first, each with its ``overrides``."""
        where, params = self._where(chosen)
        sql = f"SELECT * FROM passages WHERE {where} ORDER BY decided_at DESC, rowid DESC LIMIT ?"
        return self._with_later_events(self._rows(sql, (*params, limit)))

    def count(self, chosen: PassageFilter) -> int:
        where, params = self._where(chosen)
        rows = self._rows(f"SELECT count(*) AS n FROM passages WHERE {where}", params)
        return int(rows[0]["n"])

    def iter_rows(self, chosen: PassageFilter, batch: int = 5000) -> Iterator[dict[str, Any]]:
        """Every matching passage, oldest first, fetched ``batch`` rows per statement, each
        with its ``overrides`` (an export shows what finally happened)."""
        return self._paged(*self._where(chosen), batch, later_events=True)

    def iter_selected(
        self, chosen: PassageFilter, select: str, batch: int = 5000
    ) -> Iterator[tuple[Any, ...]]:
        """``SELECT select`` over every matching passage, oldest first, as plain tuples (no
        dict per row: the exports' fast path). Each tuple ends with ``decided_at, rowid``,
        which page the reads like ``iter_rows``."""
        where, params = self._where(chosen)
        sql = (
            f"SELECT {select}, decided_at, rowid FROM passages WHERE ({where}) AND {{after}} "
            "ORDER BY decided_at, rowid LIMIT ?"
        )
        after_clause, after_params = "1", ()
        with closing(self._connect()) as conn:
            while True:
                rows = conn.execute(sql.format(after=after_clause), (*params, *after_params, batch))
                page = rows.fetchall()
                yield from page
                if len(page) < batch:
                    return
                after_clause, after_params = "(decided_at, rowid) > (?, ?)", page[-1][-2:]

    def stored_columns(self) -> frozenset[str]:
        """The columns the passages table has in this file (older ledgers lack some)."""
        return frozenset(r["name"] for r in self._rows("PRAGMA table_info(passages)", ()))

    def row_at(self, rowid: int) -> dict[str, Any]:
        """One stored passage by ``rowid``, as ``iter_rows`` gives it (overrides included)."""
        rows = self._rows("SELECT rowid AS _rowid, * FROM passages WHERE rowid = ?", (rowid,))
        return self._with_later_events(rows)[0]

    def overridden_ids(self) -> frozenset[str]:
        """The passages a supervisor has overridden (few): the exports' fast path reads these
        rows whole, like ``iter_rows``."""
        if not self._rows(_TABLE_EXISTS, ("audit_events",)):
            return frozenset()
        rows = self._rows(
            "SELECT DISTINCT json_extract(details, '$.passage_id') AS pid FROM audit_events "
            "WHERE kind = ?",
            (AuditKind.OVERRIDE.value,),
        )
        return frozenset(str(r["pid"]) for r in rows if r["pid"] is not None)

    def contractor_passages(
        self, start: datetime, end: datetime, batch: int = 5000
    ) -> Iterator[dict[str, Any]]:
        """Passages in [start, end) of people on the contractor list or with the contractor
        role, oldest first (the contractor ledger report)."""
        return self._paged(*self._contractor_where(start, end), batch)

    def count_contractor_passages(self, start: datetime, end: datetime) -> int:
        where, params = self._contractor_where(start, end)
        return int(self._rows(f"SELECT count(*) AS n FROM passages WHERE {where}", params)[0]["n"])

    def list_entries(self, kind: str) -> list[dict[str, Any]]:
        """One imported person list (``store.lists``): id_hash, id_masked, name, details."""
        return self._rows(
            "SELECT id_hash, id_masked, name, details FROM local_list_entries WHERE kind = ?"
            " ORDER BY id_masked",
            (kind,),
        )

    def _contractor_where(self, start: datetime, end: datetime) -> tuple[str, tuple[Any, ...]]:
        where = (
            "decided_at >= ? AND decided_at < ? AND (role = 'contractor' OR id_hash IN "
            "(SELECT id_hash FROM local_list_entries WHERE kind = 'contractors'))"
        )
        return where, (utc_text(start), utc_text(end))

    def _paged(
        self, where: str, params: tuple[Any, ...], batch: int, *, later_events: bool = False
    ) -> Iterator[dict[str, Any]]:
        """Rows matching ``where``, oldest first, one short statement per ``batch`` (with
        their overrides and re-verifications when ``later_events``)."""
        sql = (
            "SELECT rowid AS _rowid, * FROM passages WHERE ({where}) AND {after} "
            "ORDER BY decided_at, rowid LIMIT ?"
        )
        after_clause: str = "1"
        after_params: tuple[Any, ...] = ()
        with closing(self._connect()) as conn:
            while True:
                text = sql.format(where=where, after=after_clause)
                rows = dict_rows(conn.execute(text, (*params, *after_params, batch)))
                yield from self._with_later_events(rows) if later_events else rows
                if len(rows) < batch:
                    return
                last = rows[-1]
                after_clause = "(decided_at, rowid) > (?, ?)"
                after_params = (last["decided_at"], last["_rowid"])

    def get(self, passage_id: str) -> dict[str, Any] | None:
        """One passage with its ``overrides``, or None."""
        rows = self._rows("SELECT * FROM passages WHERE passage_id = ?", (passage_id,))
        return self._with_later_events(rows)[0] if rows else None

    def _with_later_events(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Adds to each passage what happened to it later, as audit events oldest first:
        ``overrides`` (a supervisor's) and ``reverifications`` (the issuer's answer to an
        attested code). The passage row itself is never rewritten, so the desk shows these
        beside it."""
        events = self.passage_events(
            (AuditKind.OVERRIDE, AuditKind.REVERIFICATION), [row["passage_id"] for row in rows]
        )
        for row in rows:  # fresh rows of this read: filled in place, not copied
            row["overrides"] = events[AuditKind.OVERRIDE].get(row["passage_id"], [])
            row["reverifications"] = events[AuditKind.REVERIFICATION].get(row["passage_id"], [])
        return rows

    def passage_events(
        self, kinds: Sequence[AuditKind], passage_ids: Sequence[str]
    ) -> dict[AuditKind, dict[str, list[dict[str, Any]]]]:
        """Audit events of ``kinds`` naming these passages (``details.passage_id``): kind ->
        passage id -> events, oldest first, each its details plus event_id, at and actor."""
        found: dict[AuditKind, dict[str, list[dict[str, Any]]]] = {kind: {} for kind in kinds}
        if not passage_ids or not kinds or not self._rows(_TABLE_EXISTS, ("audit_events",)):
            return found
        events = self._rows(
            "SELECT event_id, kind, at, actor, details, "
            "json_extract(details, '$.passage_id') AS pid FROM audit_events "
            f"WHERE kind IN ({_marks(kinds)}) AND json_extract(details, '$.passage_id') "
            f"IN ({_marks(passage_ids)}) ORDER BY at, rowid",
            (*(kind.value for kind in kinds), *passage_ids),
        )
        for event in events:
            details = json.loads(event["details"])
            stamp = {"event_id": event["event_id"], "at": event["at"], "actor": event["actor"]}
            by_passage = found[AuditKind(event["kind"])]
            by_passage.setdefault(event["pid"], []).append({**details, **stamp})
        return found

    def booth_ids(self) -> list[str]:
        return [r["booth_id"] for r in self._rows(_DISTINCT.format(column="booth_id"), ())]

    def guard_ids(self) -> list[str]:
        """Every guard recorded on a passage, for the search's guard filter."""
        rows = self._rows(_DISTINCT.format(column="guard_id"), ())
        return [r["guard_id"] for r in rows if r["guard_id"]]

    def reason_codes(self) -> list[str]:
        """Every reason code that occurs in the ledger, for the search's reason filter."""
        sql = (
            "SELECT DISTINCT json_extract(value, '$.code') AS code "
            "FROM passages, json_each(passages.reasons) ORDER BY code"
        )
        return [r["code"] for r in self._rows(sql, ()) if r["code"]]

    def _where(self, chosen: PassageFilter) -> tuple[str, tuple[Any, ...]]:
        clauses: list[str] = []
        params: list[Any] = []
        if chosen.start is not None:
            clauses.append("decided_at >= ?")
            params.append(utc_text(chosen.start))
        if chosen.end is not None:
            clauses.append("decided_at < ?")
            params.append(utc_text(chosen.end))
        if chosen.booth_ids:
            clauses.append(f"booth_id IN ({_marks(chosen.booth_ids)})")
            params.extend(chosen.booth_ids)
        if chosen.outcomes:
            clauses.append(f"outcome IN ({_marks(chosen.outcomes)})")
            params.extend(o.name for o in chosen.outcomes)
        if chosen.reason_code:
            clauses.append(
                "EXISTS (SELECT 1 FROM json_each(passages.reasons) "
                "WHERE json_extract(value, '$.code') = ?)"
            )
            params.append(chosen.reason_code)
        if chosen.role:
            clauses.append("role = ?")
            params.append(chosen.role)
        if chosen.guard:
            clauses.append("guard_id = ?")
            params.append(chosen.guard)
        if chosen.person.strip():
            clause, person_params = self._person_clause(chosen.person)
            clauses.append(clause)
            params.extend(person_params)
        return (" AND ".join(clauses) or "1"), tuple(params)

    def _person_clause(self, text: str) -> tuple[str, Sequence[Any]]:
        """A full ID number matches its masked form (and its keyed hash when we hold the key).

        Passes carry only the masked number, so the masked form is matched by its visible
        first and last four characters, whatever the width of the masked middle.
        """
        entry = "".join(text.split())
        if "*" in entry:
            return "id_masked = ?", (entry,)
        if _looks_like_last_four(entry):  # what a guard reads off a masked number or a card
            return "substr(id_masked, -4) = ?", (entry.upper(),)
        if _looks_like_id_number(entry):
            number = normalise_id_number(entry)  # IdNumberError says what is wrong with it
            clause = "(substr(id_masked, 1, 4) = ? AND substr(id_masked, -4) = ?)"
            params: list[Any] = [number[:4], number[-4:]]
            if self._id_hasher is not None:
                clause = f"({clause} OR id_hash = ?)"
                params.append(self._id_hasher(number))
            return clause, params
        return "holder_name LIKE ? ESCAPE '\\'", (f"%{_escape_like(text.strip())}%",)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self._uri, uri=True)

    def _rows(self, sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
        with closing(self._connect()) as conn:
            return dict_rows(conn.execute(sql, tuple(params)))


_DISTINCT = "SELECT DISTINCT {column} FROM passages ORDER BY {column}"

_TABLE_EXISTS = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?"


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" for _ in values)


def _looks_like_last_four(entry: str) -> bool:
    return len(entry) == 4 and entry[:3].isdigit() and (entry[3].isdigit() or entry[3] in "xX")


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _looks_like_id_number(entry: str) -> bool:
    """Digits (and perhaps a final X) long enough to be meant as an ID number, not a name."""
    return len(entry) >= 15 and entry[:-1].isdigit() and (entry[-1].isdigit() or entry[-1] in "xX")


__all__ = ["IdNumberError", "PassageFilter", "PassageQueries", "Row"]
