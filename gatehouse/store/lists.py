"""The mine's own person lists, imported by a supervisor from Excel or CSV, kept in the ledger.

An import replaces one whole list (isolation, visitors or contractors) in one writer
transaction: all rows or none. ID numbers are kept only as the keyed hash the lists are
matched by and the masked form a supervisor recognises; the full number never reaches the
file. The booth combines these lists with the office's (``merge_lists`` says who wins).

Dates in a spreadsheet are China calendar days: an isolation ``until`` is the first day the
person may pass again; a visitor's ``valid_until`` is the last day of the visit (inclusive).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from contextlib import closing
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlite_utils import Database

from gatehouse.core.china_time import CHINA_TIME
from gatehouse.core.rules.persons import (
    ContractorEntry,
    IdNumberError,
    IsolationEntry,
    PersonLists,
    VisitorApproval,
    id_hash,
    key_check,
    normalise_id_number,
)
from gatehouse.issuing import mask_id_number
from gatehouse.store.ledger import Ledger
from gatehouse.store.records import dict_rows
from gatehouse.store.rows import utc_text

KINDS = ("isolation", "visitors", "contractors")


class ListImportError(ValueError):
    """Entries that cannot be stored; nothing was changed. The message is in Chinese and English."""


class ListStore:
    """Writes through the ledger's single writer; reads on short read-only connections.

    ``on_change`` runs (on the writer's caller side, after commit) when a list was replaced, so
    the booth decides by the new list from the next scan on.
    """

    def __init__(
        self,
        ledger: Ledger,
        secret: bytes,
        *,
        on_change: Callable[[], None] | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        if len(secret) < 16:
            raise ListImportError(
                "本岗亭未配置名单密钥,无法保存名单 · No list secret is configured at this booth:"
                " lists cannot be stored ([policy] list_secret_file)"
            )
        self._ledger = ledger
        self._secret = secret
        self.on_change = on_change
        self._clock = clock
        self._uri = f"{ledger.path.as_uri()}?mode=ro"

    def replace_list(self, kind: str, entries: Sequence[Mapping[str, Any]]) -> Future[int]:
        """Replace list ``kind`` with ``entries`` (as ``parse_list`` gives them), all or none.

        Raises ``ListImportError`` before anything is written when an entry is unusable; the
        future gives the number of rows stored.
        """
        now = self._clock()
        rows = [self._row(kind, index, entry, now) for index, entry in enumerate(entries, 1)]
        if len({row["id_hash"] for row in rows}) != len(rows):
            raise ListImportError("同一身份证号出现多次 · The same ID number appears twice")

        def job(db: Database) -> int:
            db.execute("DELETE FROM local_list_entries WHERE kind = ?", (kind,))
            if rows:
                db.table("local_list_entries").insert_all(rows)
            return len(rows)

        future = self._ledger._writer.submit(job)  # the ledger's one writer, as pins do
        on_change = self.on_change
        if on_change is not None:
            future.add_done_callback(lambda done: None if done.exception() else on_change())
        return future

    def counts(self) -> dict[str, int]:
        """How many people each local list holds."""
        found = dict.fromkeys(KINDS, 0)
        for row in self._rows("SELECT kind, count(*) AS n FROM local_list_entries GROUP BY kind"):
            found[row["kind"]] = row["n"]
        return found

    def entries(self, kind: str) -> list[dict[str, Any]]:
        """One list as the supervisor sees it: masked ID number, name and the list's fields."""
        rows = self._rows(
            "SELECT id_masked, name, details, imported_at FROM local_list_entries"
            " WHERE kind = ? ORDER BY id_masked",
            (kind,),
        )
        return [
            {
                "id_masked": row["id_masked"],
                "name": row["name"],
                **json.loads(row["details"]),
                "imported_at": row["imported_at"],
            }
            for row in rows
        ]

    def person_lists(self) -> PersonLists | None:
        """The local lists as the decision matches them; None when nothing was imported."""
        rows = self._rows("SELECT kind, id_hash, details, imported_at FROM local_list_entries")
        if not rows:
            return None
        isolation: dict[str, IsolationEntry] = {}
        visitors: dict[str, VisitorApproval] = {}
        contractors: dict[str, ContractorEntry] = {}
        for row in rows:
            hashed, details = row["id_hash"], json.loads(row["details"])
            if row["kind"] == "isolation":
                until = details.get("until")
                isolation[hashed] = IsolationEntry(
                    hashed, date.fromisoformat(until) if until else None
                )
            elif row["kind"] == "visitors":
                visitors[hashed] = VisitorApproval(
                    hashed,
                    _day_start(details["valid_from"]),
                    _day_start(details["valid_until"]) + timedelta(days=1),
                    details["host"],
                    details["approval_id"],
                )
            elif row["kind"] == "contractors":
                contractors[hashed] = ContractorEntry(
                    hashed, details["company"], details["project"], tuple(details["itinerary"])
                )
        latest = max(datetime.fromisoformat(row["imported_at"]) for row in rows)
        return PersonLists(
            version=latest.strftime("%Y%m%dT%H%M%SZ"),
            published_at=latest,
            key_check=key_check(self._secret),
            isolation=isolation,
            visitors=visitors,
            contractors=contractors,
        )

    def _row(
        self, kind: str, index: int, entry: Mapping[str, Any], now: datetime
    ) -> dict[str, Any]:
        if kind not in KINDS:
            raise ListImportError(f"未知名单类型 · Unknown list kind: {kind!r}")
        try:
            number = normalise_id_number(str(entry["id_number"]))
            details = _details(kind, entry)
        except (KeyError, TypeError, ValueError, IdNumberError) as exc:
            raise ListImportError(
                f"第{index}条无法保存 · Entry {index} cannot be stored: {exc}"
            ) from None
        return {
            "kind": kind,
            "id_hash": id_hash(self._secret, number),
            "id_masked": mask_id_number(number),
            "name": entry.get("name") or None,
            "details": json.dumps(details, ensure_ascii=False, sort_keys=True),
            "imported_at": utc_text(now),
        }

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        with closing(sqlite3.connect(self._uri, uri=True)) as conn:
            return dict_rows(conn.execute(sql, params))


def _details(kind: str, entry: Mapping[str, Any]) -> dict[str, Any]:
    """The kind's own fields, checked so that reading them back can never fail."""
    if kind == "isolation":
        until = entry.get("until")
        return {"until": date.fromisoformat(until).isoformat() if until else None}
    if kind == "visitors":
        start = date.fromisoformat(entry["valid_from"])
        end = date.fromisoformat(entry["valid_until"])
        if end < start:
            raise ValueError("valid_until is before valid_from")
        host, approval = str(entry["host"]).strip(), str(entry["approval_id"]).strip()
        if not host or not approval:
            raise ValueError("host and approval_id are required")
        return {
            "valid_from": start.isoformat(),
            "valid_until": end.isoformat(),
            "host": host,
            "approval_id": approval,
        }
    company, project = str(entry["company"]).strip(), str(entry["project"]).strip()
    if not company or not project:
        raise ValueError("company and project are required")
    itinerary = entry.get("itinerary") or []
    if not isinstance(itinerary, list):
        raise ValueError("itinerary must be a list")
    return {"company": company, "project": project, "itinerary": [str(p) for p in itinerary]}


def _day_start(text: str) -> datetime:
    return datetime.combine(date.fromisoformat(text), time(), CHINA_TIME)
