"""The mine's own person lists, imported by a supervisor from Excel or CSV, kept in the ledger.

An import replaces, adds to or removes from one list (isolation, visitors or contractors) in
one writer transaction with its audit event: all rows or none. Every version is kept
(``local_list_versions``) and can be restored; ``list_changes`` previews what an import does.
ID numbers are kept only as the keyed hash the lists are matched by and the masked form a
supervisor recognises; the full number never reaches the file. The booth combines these
lists with the office's (``merge_lists`` says who wins).

Dates in a spreadsheet are China calendar days: an isolation ``until`` is the first day the
person may pass again; a visitor's ``valid_until`` is the last day of the visit (inclusive), and
so is a contractor's (its ``valid_from``/``valid_until`` are optional: without them, no limit of
the mine's own, but the office's days for the same person still apply).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future
from contextlib import closing
from dataclasses import asdict, dataclass
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
    mask_id_number,
    normalise_id_number,
)
from gatehouse.store.audit import AuditKind, insert_event
from gatehouse.store.bundles import read_bundle
from gatehouse.store.ledger import Ledger
from gatehouse.store.list_changes import ListChange, ListMode, apply_mode, describe
from gatehouse.store.records import dict_rows
from gatehouse.store.rows import utc_text

KINDS = ("isolation", "visitors", "contractors")
_ENTRY_COLUMNS = "id_hash, id_masked, name, details"
_VERSION_COLUMNS = (
    "kind, version, mode, people, added, removed, imported_at, imported_by, file, restored_from"
)


@dataclass(frozen=True)
class Importer:
    """Who changes a list: the name typed at the desk, and the audit's booth and actor."""

    name: str
    booth_id: str
    actor: str


@dataclass(frozen=True)
class OfficeList:
    """One of the office's lists (the hub's ``lists`` bundle), in force beside the mine's own."""

    kind: str  # isolation, visitors, contractors or employees
    version: int  # the bundle's version
    people: int
    published_at: datetime
    received_at: datetime


@dataclass(frozen=True)
class ListVersion:
    """One kept version of a list: how it came about and how many people it holds."""

    kind: str
    version: int
    mode: ListMode
    people: int
    added: int
    removed: int
    imported_at: datetime
    imported_by: str
    file: str
    restored_from: int | None


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
        """Replace list ``kind`` with ``entries`` without an audit event (tests, tools); the
        future gives the number of people on the list."""
        future = self._write(
            kind,
            self._incoming(kind, entries, ListMode.REPLACE),
            ListMode.REPLACE,
            None,
            file="",
            restored_from=None,
        )
        return _chained(future, lambda version: version.people)

    def preview(
        self, kind: str, entries: Sequence[Mapping[str, Any]], mode: ListMode
    ) -> ListChange:
        """What applying ``entries`` (as ``parse_list`` gives them) the way ``mode`` says would
        change; raises ``ListImportError`` when an entry is unusable."""
        incoming = self._incoming(kind, entries, mode)
        return describe(kind, mode, self.version_number(kind), self._current(kind), incoming)

    def preview_restore(self, kind: str, version: int) -> ListChange:
        """What restoring kept ``version`` of list ``kind`` would change."""
        return describe(
            kind,
            ListMode.RESTORE,
            self.version_number(kind),
            self._current(kind),
            self._snapshot(kind, version),
        )

    def apply(
        self,
        change: ListChange,
        entries: Sequence[Mapping[str, Any]],
        by: Importer,
        *,
        file: str,
    ) -> Future[ListVersion]:
        """Apply a previewed ``change`` with the same ``entries``, all or none, with its audit
        event in the same transaction. Refused when the list changed since the preview."""
        incoming = self._incoming(change.kind, entries, change.mode)
        return self._write(
            change.kind,
            incoming,
            change.mode,
            by,
            file=file,
            restored_from=None,
            expected=change.base_version,
        )

    def restore(self, change: ListChange, version: int, by: Importer) -> Future[ListVersion]:
        """Make kept ``version`` the list again (a new version), audited like an import."""
        incoming = self._snapshot(change.kind, version)
        return self._write(
            change.kind,
            incoming,
            ListMode.RESTORE,
            by,
            file="",
            restored_from=version,
            expected=change.base_version,
        )

    def versions(self, kind: str) -> list[ListVersion]:
        """Every kept version of list ``kind``, newest first."""
        rows = self._rows(
            f"SELECT {_VERSION_COLUMNS} FROM local_list_versions WHERE kind = ?"
            " ORDER BY version DESC",
            (kind,),
        )
        return [_version(row) for row in rows]

    def in_force(self) -> dict[str, ListVersion | None]:
        """The version of each list the booth decides by (None: never imported)."""
        rows = self._rows(
            f"SELECT {_VERSION_COLUMNS} FROM local_list_versions AS v WHERE version ="
            " (SELECT max(version) FROM local_list_versions WHERE kind = v.kind)"
        )
        found: dict[str, ListVersion | None] = dict.fromkeys(KINDS)
        for row in rows:
            found[row["kind"]] = _version(row)
        return found

    def office_lists(self) -> list[OfficeList]:
        """The office's lists as last received from the hub (none before the first)."""
        with closing(sqlite3.connect(self._uri, uri=True)) as conn:
            bundle = read_bundle(conn, "lists")
        if bundle is None or not isinstance(bundle.content, dict):
            return []
        return [
            OfficeList(kind, bundle.version, len(entries), bundle.published_at, bundle.received_at)
            for kind in (*KINDS, "employees")
            if isinstance(entries := bundle.content.get(kind), list)
        ]

    def version_number(self, kind: str) -> int:
        rows = self._rows(
            "SELECT coalesce(max(version), 0) AS v FROM local_list_versions WHERE kind = ?",
            (kind,),
        )
        return int(rows[0]["v"])

    def _write(
        self,
        kind: str,
        incoming: list[dict[str, Any]],
        mode: ListMode,
        by: Importer | None,
        *,
        file: str,
        restored_from: int | None,
        expected: int | None = None,
    ) -> Future[ListVersion]:
        now = self._clock()

        def job(db: Database) -> ListVersion:
            current = dict_rows(
                db.execute(
                    f"SELECT {_ENTRY_COLUMNS} FROM local_list_entries WHERE kind = ?", (kind,)
                )
            )
            (number,) = db.execute(
                "SELECT coalesce(max(version), 0) FROM local_list_versions WHERE kind = ?",
                (kind,),
            ).fetchone()
            if expected is not None and number != expected:
                raise ListImportError(
                    "名单在检查后已被更改,请重新检查 · The list changed after it was checked:"
                    " check the file again"
                )
            change = describe(kind, mode, number, current, incoming)
            after = [
                {**row, "imported_at": utc_text(now)} for row in apply_mode(mode, current, incoming)
            ]
            db.execute("DELETE FROM local_list_entries WHERE kind = ?", (kind,))
            if after:
                db.table("local_list_entries").insert_all([{"kind": kind, **row} for row in after])
            version = ListVersion(
                kind=kind,
                version=number + 1,
                mode=mode,
                people=len(after),
                added=len(change.added),
                removed=len(change.removed),
                imported_at=now,
                imported_by=by.name if by else "",
                file=file,
                restored_from=restored_from,
            )
            db.table("local_list_versions").insert(
                {
                    **_version_row(version),
                    "entries": json.dumps(after, ensure_ascii=False, sort_keys=True),
                }
            )
            if by is not None:
                insert_event(
                    db,
                    AuditKind.LIST_IMPORT,
                    at=now,
                    booth_id=by.booth_id,
                    actor=by.actor,
                    details={**_version_row(version), "changed": len(change.changed)},
                )
            return version

        future = self._ledger._writer.submit(job)  # the ledger's one writer, as pins do
        on_change = self.on_change
        if on_change is not None:
            future.add_done_callback(lambda done: None if done.exception() else on_change())
        return future

    def _incoming(
        self, kind: str, entries: Sequence[Mapping[str, Any]], mode: ListMode
    ) -> list[dict[str, Any]]:
        rows = [self._row(kind, index, entry, mode) for index, entry in enumerate(entries, 1)]
        if len({row["id_hash"] for row in rows}) != len(rows):
            raise ListImportError("同一身份证号出现多次 · The same ID number appears twice")
        return rows

    def _current(self, kind: str) -> list[dict[str, Any]]:
        return self._rows(
            f"SELECT {_ENTRY_COLUMNS} FROM local_list_entries WHERE kind = ?", (kind,)
        )

    def _snapshot(self, kind: str, version: int) -> list[dict[str, Any]]:
        rows = self._rows(
            "SELECT entries FROM local_list_versions WHERE kind = ? AND version = ?",
            (kind, version),
        )
        if not rows:
            raise ListImportError(f"没有第{version}版 · There is no version {version} of this list")
        kept: list[dict[str, Any]] = json.loads(rows[0]["entries"])
        return kept

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
                isolation[hashed] = IsolationEntry(hashed, _day_or_none(details.get("until")))
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
                    hashed,
                    details["company"],
                    details["project"],
                    tuple(details["itinerary"]),
                    _day_or_none(details.get("valid_from")),
                    _day_or_none(details.get("valid_until")),
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
        self, kind: str, index: int, entry: Mapping[str, Any], mode: ListMode
    ) -> dict[str, Any]:
        if kind not in KINDS:
            raise ListImportError(f"未知名单类型 · Unknown list kind: {kind!r}")
        try:
            number = normalise_id_number(str(entry["id_number"]))
            details = {} if mode is ListMode.REMOVE else _details(kind, entry)
        except (KeyError, TypeError, ValueError, IdNumberError) as exc:
            raise ListImportError(
                f"第{index}条无法保存 · Entry {index} cannot be stored: {exc}"
            ) from None
        return {
            "id_hash": id_hash(self._secret, number),
            "id_masked": mask_id_number(number),
            "name": entry.get("name") or None,
            "details": json.dumps(details, ensure_ascii=False, sort_keys=True),
        }

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[dict[str, Any]]:
        with closing(sqlite3.connect(self._uri, uri=True)) as conn:
            return dict_rows(conn.execute(sql, params))


def _version_row(version: ListVersion) -> dict[str, Any]:
    return {
        **asdict(version),
        "mode": version.mode.value,
        "imported_at": utc_text(version.imported_at),
    }


def _version(row: Mapping[str, Any]) -> ListVersion:
    return ListVersion(
        **{
            **row,
            "mode": ListMode(row["mode"]),
            "imported_at": datetime.fromisoformat(row["imported_at"]),
        }
    )


def _chained(future: Future[ListVersion], then: Callable[[ListVersion], int]) -> Future[int]:
    """A future for ``then`` of ``future``'s result (or its exception)."""
    result: Future[int] = Future()

    def done(finished: Future[ListVersion]) -> None:
        error = finished.exception()
        if error is not None:
            result.set_exception(error)
        else:
            result.set_result(then(finished.result()))

    future.add_done_callback(done)
    return result


def _details(kind: str, entry: Mapping[str, Any]) -> dict[str, Any]:
    """The kind's own fields, checked so that reading them back can never fail."""
    if kind == "isolation":
        return {"until": _optional_day(entry, "until")}
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
    first, last = _optional_day(entry, "valid_from"), _optional_day(entry, "valid_until")
    if first and last and last < first:
        raise ValueError("valid_until is before valid_from")
    days = {name: value for name, value in (("valid_from", first), ("valid_until", last)) if value}
    return {
        "company": company,
        "project": project,
        "itinerary": [str(p) for p in itinerary],
        **days,
    }


def _optional_day(entry: Mapping[str, Any], name: str) -> str | None:
    """An optional day, checked (an isolation without an end, a contractor without days)."""
    text = entry.get(name)
    return date.fromisoformat(text).isoformat() if text else None


def _day_or_none(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _day_start(text: str) -> datetime:
    return datetime.combine(date.fromisoformat(text), time(), CHINA_TIME)
