"""The office's person lists, without HTTP: home isolation and contractors, edited entry by
entry or imported whole, and published as the signed ``lists`` bundle booths sync.

An ID number is checked (GB 11643 check digit and birth date) and then kept only as its keyed
hash under the list secret and its masked form: the hub's database never holds the number.
An import is taken whole or not at all (``gatehouse.reports.list_rows`` checks each row, as
the booth's desk does); a person already on the list is a row error too, to be edited instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Connection, Engine, select

from gatehouse.core.rules.persons import (
    LISTS_FORMAT,
    IdNumberError,
    id_hash,
    key_check,
    mask_id_number,
    normalise_id_number,
)
from gatehouse.hub.service import Hub, iso, retried_on_stale
from gatehouse.hub.tables import bundles, list_publications, person_entries, visits
from gatehouse.reports.list_rows import ListKind, RowError, parse_list
from gatehouse.sync.protocol import open_bundle

KINDS = (ListKind.ISOLATION.value, ListKind.CONTRACTORS.value)


class EntryError(ValueError):
    """A form the list cannot take; the message says why in Chinese and English."""


@dataclass(frozen=True)
class Entry:
    entry_id: int
    kind: str
    id_masked: str
    name: str
    until: str | None
    company: str | None
    project: str | None
    valid_from: str | None
    valid_until: str | None
    changed_by: str
    changed_at: str


def hashed_id(secret: bytes, text: str) -> tuple[str, str]:
    """The keyed hash and masked form of the ID number ``text``; EntryError when invalid."""
    try:
        number = normalise_id_number(text)
    except IdNumberError as exc:
        raise EntryError(f"身份证号无效 · Invalid ID number: {exc}") from None
    return id_hash(secret, number), mask_id_number(number)


def day(text: str, what: str) -> str:
    """A date typed as 2026-12-06; EntryError naming the field ``what`` otherwise."""
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError:
        raise EntryError(f"{what}:日期无效 · {what}: not a date (2026-12-06)") from None


def entries(engine: Engine, kind: str) -> list[Entry]:
    """The list's people in force (not ended), by name."""
    columns = [person_entries.c[name] for name in Entry.__dataclass_fields__]
    statement = (
        select(*columns)
        .where(person_entries.c.kind == kind, person_entries.c.ended_at.is_(None))
        .order_by(person_entries.c.name, person_entries.c.entry_id)
    )
    with engine.connect() as conn:
        return [Entry(**row._mapping) for row in conn.execute(statement)]


def entry(engine: Engine, kind: str, entry_id: int) -> Entry | None:
    return next((e for e in entries(engine, kind) if e.entry_id == entry_id), None)


def details(kind: str, form: Mapping[str, str]) -> dict[str, Any]:
    """The columns a form (or an imported row) sets besides the person, checked."""
    if kind == ListKind.ISOLATION:
        until = (form.get("until") or "").strip()
        return {"until": day(until, "解除日期 until") if until else None}
    values = {name: (form.get(name) or "").strip() for name in ("company", "project")}
    for name, value in values.items():
        if not value:
            raise EntryError(f"请填写{_WORDS[name]} · {name} is required")
    return {**values, **validity(form)}


def validity(form: Mapping[str, str]) -> dict[str, str]:
    """A contractor's days, from ``valid_from`` to ``valid_until`` (inclusive)."""
    first = day(form.get("valid_from") or "", "开始 valid from")
    last = day(form.get("valid_until") or "", "结束 valid until")
    if last < first:
        raise EntryError("结束早于开始 · The validity ends before it starts")
    return {"valid_from": first, "valid_until": last}


def _row_validity(row: Mapping[str, Any], form: Mapping[str, str]) -> dict[str, str]:
    """An imported contractor's days: the row's where given, the import form's otherwise."""
    return validity({name: row.get(name) or form.get(name) or "" for name in _DAYS})


_DAYS = ("valid_from", "valid_until")
_WORDS = {"company": "单位", "project": "项目"}
# What booths get of a contractor: the days go too, so a booth judges them on the passage's day
# and a contract that ends needs no new publish (``check_contractor``).
_CONTRACTOR_FIELDS = ("id_hash", "company", "project", "valid_from", "valid_until")


def add_entry(
    engine: Engine, secret: bytes, kind: str, form: Mapping[str, str], by: str, now: datetime
) -> None:
    """Put a person on the list; EntryError when the form is unusable or they are on it."""
    hashed, masked = hashed_id(secret, form.get("id_number", ""))
    values = details(kind, form)
    with engine.begin() as conn:
        if _on_list(conn, kind, (hashed,)):
            raise EntryError("此人已在名单上,请修改其条目 · Already on the list: edit the entry")
        row = {"id_hash": hashed, "id_masked": masked, "name": form.get("name", "").strip()}
        _insert(conn, kind, [{**row, **values}], by, now)


def edit_entry(
    engine: Engine, kind: str, entry_id: int, form: Mapping[str, str], by: str, now: datetime
) -> None:
    """Change a person's name and dates (or company); the ID number stays: end and add anew."""
    values = {**details(kind, form), "name": form.get("name", "").strip()}
    with engine.begin() as conn:
        _change(conn, kind, entry_id, {**values, "changed_by": by, "changed_at": iso(now)})


def end_entry(engine: Engine, kind: str, entry_id: int, by: str, now: datetime) -> None:
    """Take a person off the list (from its next published version on)."""
    with engine.begin() as conn:
        _change(conn, kind, entry_id, {"ended_at": iso(now), "changed_by": by})


def import_rows(
    engine: Engine,
    secret: bytes,
    kind: str,
    rows: Sequence[Sequence[Any]],
    form: Mapping[str, str],
    by: str,
    now: datetime,
) -> tuple[int, tuple[RowError, ...]]:
    """Add every row of a spreadsheet, or none: (how many added, the row errors). A contractor's
    validity is the row's own (its 开始/结束 columns) where the file gives it, else the form's."""
    parsed = parse_list(ListKind(kind), rows)
    if not parsed.ok:
        return 0, parsed.errors
    made: list[dict[str, Any]] = []
    refused: list[RowError] = []
    for number, entry_row in enumerate(parsed.entries, start=2):
        try:
            days = _row_validity(entry_row, form) if kind == ListKind.CONTRACTORS else {}
        except EntryError as exc:
            refused.append(RowError(number, "有效期 validity", str(exc)))
            continue
        hashed = id_hash(secret, entry_row["id_number"])
        fields = {name: entry_row.get(name) for name in ("company", "project", "until")}
        made.append(
            {
                **days,
                **{k: v for k, v in fields.items() if v is not None},
                "id_hash": hashed,
                "id_masked": mask_id_number(entry_row["id_number"]),
                "name": entry_row.get("name") or "",
            }
        )
    if refused:
        return 0, tuple(refused)
    with engine.begin() as conn:
        held = _on_list(conn, kind, tuple(row["id_hash"] for row in made))
        errors = tuple(
            RowError(number, "身份证号", "此人已在名单上 · Already on the list")
            for number, row in enumerate(made, start=2)
            if row["id_hash"] in held
        )
        if errors:
            return 0, errors
        _insert(conn, kind, made, by, now)
    return len(made), ()


def _on_list(conn: Connection, kind: str, hashes: Sequence[str]) -> set[str]:
    found = conn.execute(
        select(person_entries.c.id_hash).where(
            person_entries.c.kind == kind,
            person_entries.c.ended_at.is_(None),
            person_entries.c.id_hash.in_(hashes),
        )
    )
    return {row.id_hash for row in found}


def _insert(
    conn: Connection, kind: str, rows: Sequence[dict[str, Any]], by: str, now: datetime
) -> None:
    stamp = {"kind": kind, "changed_by": by, "changed_at": iso(now)}
    conn.execute(person_entries.insert(), [{**row, **stamp} for row in rows])


def _change(conn: Connection, kind: str, entry_id: int, values: dict[str, Any]) -> None:
    done = conn.execute(
        person_entries.update()
        .where(
            person_entries.c.entry_id == entry_id,
            person_entries.c.kind == kind,
            person_entries.c.ended_at.is_(None),
        )
        .values(**values)
    )
    if done.rowcount != 1:
        raise EntryError("条目不存在或已结束 · No such entry in force")


def publish(hub: Hub, secret: bytes, by: str, why: str, zone: tzinfo) -> int:
    """Sign the lists as the next ``lists`` bundle; its version. Everyone whose dates have not
    passed goes, with the dates (isolation until, contractor and visit days, future ones too):
    booths judge the dates on the day of each passage. A contractor whose days have passed goes
    too, until staff take the entry off: the booth refers them as ended, and a mine's own row
    for them without days cannot re-admit them (``merge_lists`` keeps the office's days), as it
    could if the office's row vanished at its end. The roster of employees a hub published
    before (from the command line) is carried over unchanged.

    The lists are rebuilt from the entries each time, so when another publish came in between
    (StalePublishError) they are simply rebuilt and signed again: the version is read before
    the entries, so a publish never signs entries older than the one before it."""
    return retried_on_stale(lambda: _publish_once(hub, secret, by, why, zone))


def _publish_once(hub: Hub, secret: bytes, by: str, why: str, zone: tzinfo) -> int:
    based_on = hub.latest_version("lists")
    now = hub.clock()
    today = now.astimezone(zone).date()
    content = _content(hub.engine, hub.bundle_key, secret, now, today, zone, based_on)
    published = hub.publish("lists", content, based_on=based_on)
    with hub.engine.begin() as conn:
        conn.execute(
            list_publications.insert().values(
                version=published.version,
                published_at=iso(now),
                published_by=by,
                why=why,
                **{name: len(content[name]) for name in ("isolation", "contractors", "visitors")},
            )
        )
    return published.version


def _content(
    engine: Engine,
    hub_key: Ed25519PrivateKey,
    secret: bytes,
    now: datetime,
    today: date,
    zone: tzinfo,
    based_on: int,
) -> dict[str, Any]:
    isolation = [
        {"id_hash": e["id_hash"], "until": e["until"]}
        for e in _rows_in_force(engine, ListKind.ISOLATION)
        if e["until"] is None or e["until"] > today.isoformat()
    ]
    contractors = [
        {name: e[name] for name in _CONTRACTOR_FIELDS}
        for e in _rows_in_force(engine, ListKind.CONTRACTORS)
    ]
    with engine.connect() as conn:
        approved = conn.execute(
            select(visits).where(
                visits.c.status == "approved", visits.c.last_day >= today.isoformat()
            )
        ).all()
    return {
        "format": LISTS_FORMAT,
        "version": f"office-{based_on + 1}",
        "published_at": now.isoformat(),
        "key_check": key_check(secret),
        "isolation": isolation,
        "contractors": contractors,
        "visitors": [
            {
                "id_hash": v.id_hash,
                "valid_from": visit_start(v.first_day, zone).isoformat(),
                "valid_until": visit_end(v.last_day, zone).isoformat(),
                "host": v.host,
                "approval_id": v.visit_id,
            }
            for v in approved
        ],
        "employees": _roster(engine, hub_key, secret),
    }


def _roster(engine: Engine, key: Ed25519PrivateKey, secret: bytes) -> list[Any]:
    """The employees of the latest lists bundle, when it was hashed with this secret."""
    with engine.connect() as conn:
        signed = conn.execute(
            select(bundles.c.signed)
            .where(bundles.c.name == "lists")
            .order_by(bundles.c.version.desc())
            .limit(1)
        ).scalar()
    if signed is None:
        return []
    held = open_bundle(signed, key.public_key(), "lists").content
    same_key = isinstance(held, dict) and held.get("key_check") == key_check(secret)
    roster = held.get("employees") if same_key else None
    return list(roster) if isinstance(roster, list) else []


def visit_start(first_day: str, zone: tzinfo) -> datetime:
    """A visit counts from the start of its first day, the mines' time."""
    return datetime.combine(date.fromisoformat(first_day), time(), zone)


def visit_end(last_day: str, zone: tzinfo) -> datetime:
    """...to the end of its last day."""
    return datetime.combine(date.fromisoformat(last_day) + timedelta(days=1), time(), zone)


def _rows_in_force(engine: Engine, kind: str) -> list[dict[str, Any]]:
    statement = select(person_entries).where(
        person_entries.c.kind == kind, person_entries.c.ended_at.is_(None)
    )
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(statement)]


def publications(engine: Engine) -> list[dict[str, Any]]:
    """The versions the console published, newest first."""
    statement = select(list_publications).order_by(list_publications.c.version.desc())
    with engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(statement)]
