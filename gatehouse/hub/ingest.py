"""Batch upload from one booth: every item acknowledged or rejected on its own.

An item is acknowledged when the hub holds exactly that record at exactly that chain link —
whether it arrived now or in an earlier (retried, duplicated) request. A link whose predecessor
the hub does not hold is not stored (the chain the hub keeps has no holes): the answer is
"resend" from the first link the hub lacks. Anything else is rejected and quarantined, never
stored over what the hub already has: a different record under a known id, a link that
contradicts the booth's chain as the hub knows it (a rewritten history), a record whose digests
do not match its link, a time that is not ISO 8601 with an offset. A kept link (a record made
under an earlier booth id, ``protocol.KEPT``) comes without its record: its link is checked and
chained the same way, no record is stored, and ``kept_links`` notes the id it was recorded as; a
"kept" link claiming the enrolled booth's own id is rejected. The quarantine of a booth is
bounded (``MAX_QUARANTINE``): beyond it the hub keeps rejecting (the booth keeps the item in its
ledger) but stores no more, and logs an alarm.

A re-sent batch (a booth whose request timed out sends it again) is recognised first, in one
indexed query per record kind the batch's links name: an item whose link and record are
exactly what the hub holds at that link is acknowledged without parsing, digesting or checking
it again (it was all checked when it was stored); anything else, including a known id with
other content, takes the full path below.
The rest of a batch is checked in memory against what the hub holds (the links around it
with the booth's latest in one query, the record ids in one per kind), then
stored with one multi-row INSERT per table; only if the database refuses that (a value it
cannot hold) are the items stored one by one, each in its own savepoint, so one bad item
cannot sink the batch.

The statements an upload runs are built once, at import, with the booth and the links as bound
values: building them for every upload was about half the hub's work for a one-passage upload.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    Connection,
    Executable,
    Row,
    Table,
    and_,
    bindparam,
    func,
    select,
    union_all,
    update,
)
from sqlalchemy.exc import DataError, IntegrityError

from gatehouse.core.chain import (
    AUDIT_KIND,
    GENESIS_HASH,
    PASSAGE_KIND,
    ChainLink,
    RecordDigesters,
    canonical_json,
    link_is_sound,
)
from gatehouse.hub.tables import (
    MAX_LINK_SEQ,
    audit_events,
    booths,
    chain_links,
    iso,
    kept_links,
    passages,
    quarantine,
)
from gatehouse.hub.wire import INT_RANGE, json_problem, text_problem
from gatehouse.sync.protocol import (
    ACK,
    REJECTED,
    RESEND,
    KeptNote,
    kept_from_json,
    link_from_json,
    link_to_json,
)

log = logging.getLogger(__name__)

_KEYS = {PASSAGE_KIND: "passage_id", AUDIT_KIND: "event_id"}
_TABLES: dict[str, Table] = {PASSAGE_KIND: passages, AUDIT_KIND: audit_events}
MAX_QUARANTINE = 10_000  # items kept per booth; beyond, rejected but not stored (alarm logged)
MAX_TEMPERATURE_C = 1000.0  # any reading beyond is not a reading


@dataclass(frozen=True)
class ItemResult:
    seq: int | None
    record_id: str | None
    status: str  # ACK, REJECTED or RESEND
    reason: str | None = None
    resend_from: int | None = None  # with RESEND: the first link the hub lacks

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "record_id": self.record_id,
            "status": self.status,
            "reason": self.reason,
            "resend_from": self.resend_from,
        }


class _RejectedError(Exception):
    """One item cannot be accepted; the message says why (for the booth and the office)."""


class _GapError(Exception):
    """The hub lacks the link before this one: nothing stored, the booth sends from ``first``."""

    def __init__(self, first: int) -> None:
        super().__init__(
            f"the hub does not hold link {first} of this booth's chain yet: send from link {first}"
        )
        self.first = first


@dataclass(frozen=True)
class _Item:
    """A well-formed item: a link with its record, or a kept link with its note instead."""

    link: ChainLink
    record: dict[str, Any] | None
    kept: KeptNote | None


@dataclass
class _Accepted:
    index: int
    item: _Item
    row: dict[str, Any] | None  # for the passages or audit_events table; None when kept
    received_at: str


@dataclass
class _Batch:
    """What the hub holds that the batch touches, updated as items are accepted."""

    links: dict[int, str] = field(default_factory=dict)  # seq -> hash
    records: set[tuple[str, str]] = field(default_factory=set)  # (kind, record id)
    head: int = 0  # the highest link the hub holds, this batch's accepted ones included


def ingest_batch(
    conn: Connection, booth_id: str, items: Sequence[Any], received_at: str
) -> list[ItemResult]:
    """Store what can be stored of ``items`` in the caller's transaction, which holds the
    booth's row locked (``lines.ingest_upload``); one result per item."""
    known = _already_held(conn, booth_id, items)
    fresh = [i for i in range(len(items)) if i not in known]
    results = _ingest_fresh(conn, booth_id, [items[i] for i in fresh], received_at)
    done = [ItemResult(*_item_ids(item), ACK) for item in items]
    for index, result in zip(fresh, results, strict=True):
        done[index] = result
    _move_head(conn, booth_id, received_at)
    return done


def _ingest_fresh(
    conn: Connection, booth_id: str, items: Sequence[Any], received_at: str
) -> list[ItemResult]:
    """The full path: parse, digest and check each item, store the new ones, quarantine the rest."""
    if not items:
        return []
    parsed: list[_Item | _RejectedError] = []
    digests = RecordDigesters()
    for item in items:
        try:
            parsed.append(_parse(item, booth_id, digests))
        except _RejectedError as exc:
            parsed.append(exc)
    held = _held(conn, booth_id, [p for p in parsed if not isinstance(p, _RejectedError)])
    results: list[ItemResult | None] = [None] * len(items)
    accepted: list[_Accepted] = []
    for index in sorted(range(len(items)), key=lambda i: _order(parsed[i])):
        outcome = parsed[index]
        seq, record_id = _item_ids(items[index])
        try:
            if isinstance(outcome, _RejectedError):
                raise outcome
            row = None if outcome.record is None else _row(booth_id, outcome, received_at)
            if _check(held, outcome.link):
                accepted.append(_Accepted(index, outcome, row, received_at))
            results[index] = ItemResult(seq, record_id, ACK)
        except _RejectedError as exc:
            results[index] = ItemResult(seq, record_id, REJECTED, str(exc))
        except _GapError as gap:
            results[index] = ItemResult(seq, record_id, RESEND, str(gap), gap.first)
    done = [r for r in results if r is not None]
    for failed in _store(conn, booth_id, accepted):
        index, reason = failed
        done[index] = ItemResult(done[index].seq, done[index].record_id, REJECTED, reason)
    rejected = [(i, r) for i, r in zip(items, done, strict=True) if r.status == REJECTED]
    _quarantine(conn, booth_id, rejected, received_at)
    return done


_ITEM_KEYS = {"link", "record"}
_LINK_FIELDS = tuple(column.name for column in chain_links.columns if column.name != "booth_id")
_LINK_KEYS = set(_LINK_FIELDS)


def _already_held(conn: Connection, booth_id: str, items: Sequence[Any]) -> set[int]:
    """Indices of the items the hub holds exactly as sent: the same link at the same place in
    the chain and, byte for byte, the same canonical record under the same digests. One query
    per record kind the items' links name (a steady push: passages only) over the chain's
    primary key joined to the records' primary keys; a field of another type (``true`` for
    ``1``), an extra key or a changed record is not a match."""
    seqs: dict[int, int] = {}  # seq -> index of its first item
    kinds: set[str] = set()  # a link of another kind cannot match a stored one
    for index, item in enumerate(items):
        link = item.get("link") if isinstance(item, dict) and item.keys() == _ITEM_KEYS else None
        seq = link.get("seq") if isinstance(link, dict) else None
        if type(seq) is int and 1 <= seq <= MAX_LINK_SEQ and isinstance(item["record"], dict):
            seqs.setdefault(seq, index)
            kinds.add(str(item["link"].get("kind")))
    stored: dict[int, Row[Any]] = {}
    for kind in _TABLES.keys() & kinds:
        among = _among(seqs.keys())
        query = _STORED_AT[kind, "low" in among]
        stored |= {row.seq: row for row in conn.execute(query, {"booth_id": booth_id, **among})}
    held: set[int] = set()
    for seq, index in seqs.items():
        row, item = stored.get(seq), items[index]
        if row is not None and _same_link(item["link"], row) and _same_record(item, row.record):
            held.add(index)
    return held


def _stored_at(kind: str, ranged: bool) -> Executable:
    """The links of ``kind`` at the seqs ``_among`` binds, each with the record held at it
    under the same id, booth and digests (a link with no such record is not returned)."""
    table = _TABLES[kind]
    seq = chain_links.c.seq
    among = (
        seq.between(bindparam("low"), bindparam("high"))
        if ranged
        else seq.in_(bindparam("seqs", expanding=True))
    )
    return (
        select(chain_links, table.c.record)
        .join(
            table,
            and_(
                table.c[_KEYS[kind]] == chain_links.c.record_id,
                table.c.booth_id == bindparam("booth_id"),
                table.c.chain_seq == seq,
                table.c.public_digest == chain_links.c.public_digest,
                table.c.personal_digest == chain_links.c.personal_digest,
            ),
        )
        .where(chain_links.c.booth_id == bindparam("booth_id"), chain_links.c.kind == kind, among)
    )


_STORED_AT = {
    (kind, ranged): _stored_at(kind, ranged) for kind in _TABLES for ranged in (True, False)
}


def _among(seqs: Collection[int]) -> dict[str, Any]:
    """The bound values naming ``seqs``: a range when they are (nearly) consecutive, as a
    booth's batches are (two values instead of a thousand), else the list."""
    low, high = min(seqs), max(seqs)
    if high - low < 2 * len(seqs):
        return {"low": low, "high": high}
    return {"seqs": sorted(seqs)}


def _same_link(link: dict[str, Any], row: Row[Any]) -> bool:
    held = row._mapping
    return link.keys() == _LINK_KEYS and all(
        type(link[name]) is type(held[name]) and link[name] == held[name] for name in _LINK_FIELDS
    )


def _same_record(item: dict[str, Any], stored: str) -> bool:
    try:
        return canonical_json(item["record"]) == stored
    except (TypeError, ValueError, RecursionError):  # not JSON the hub could ever have stored
        return False


def _order(outcome: _Item | _RejectedError) -> int:
    """Items are checked in chain order, so a batch sent out of order still fits together."""
    return 0 if isinstance(outcome, _RejectedError) else outcome.link.seq


def _item_ids(item: Any) -> tuple[int | None, str | None]:
    link = item.get("link") if isinstance(item, Mapping) else None
    if not isinstance(link, Mapping):
        return None, None
    seq, record_id = link.get("seq"), link.get("record_id")
    return (
        seq if isinstance(seq, int) and INT_RANGE[0] <= seq <= INT_RANGE[1] else None,
        record_id if isinstance(record_id, str) and text_problem(record_id) is None else None,
    )


def _parse(item: Any, booth_id: str, digests: RecordDigesters) -> _Item:
    if not isinstance(item, Mapping):
        raise _RejectedError("item is not an object")
    problem = json_problem(item)
    if problem is not None:
        raise _RejectedError(f"malformed item: {problem}")
    try:
        link = link_from_json(item.get("link") or {})
        kept = kept_from_json(item)
    except ValueError as exc:
        raise _RejectedError(str(exc)) from None
    key = _KEYS.get(link.kind)
    if key is None:
        raise _RejectedError(f"unknown record kind {link.kind!r}")
    if kept is not None:
        return _Item(_sound(link), None, _kept(kept, booth_id))
    record = item.get("record")
    if not isinstance(record, dict):
        raise _RejectedError("item has no record object")
    if record.get(key) != link.record_id:
        raise _RejectedError(f"record {key} does not match its link")
    if record.get("booth_id") != booth_id:
        raise _RejectedError(
            f"record belongs to booth {record.get('booth_id')!r}, not {booth_id!r}"
        )
    if digests(link.kind, record) != (link.public_digest, link.personal_digest):
        raise _RejectedError("record content does not match the digests in its link")
    return _Item(_sound(link), record, None)


def _sound(link: ChainLink) -> ChainLink:
    if link.seq > MAX_LINK_SEQ:
        raise _RejectedError(f"link number {link.seq} is beyond the hub's largest ({MAX_LINK_SEQ})")
    if not link_is_sound(link):
        raise _RejectedError("link hash does not match the link")
    if link.seq == 1 and link.prev_hash != GENESIS_HASH:
        raise _RejectedError("the first link must follow the genesis hash")
    return link


def _kept(note: KeptNote, booth_id: str) -> KeptNote:
    """A record is kept back only under an id other than the enrolled one: this booth's own
    records are sent whole, so a link cannot hide one of them behind a "kept" note."""
    if note.booth_id == booth_id:
        raise _RejectedError(
            f"a record of booth {booth_id!r} must be sent with its record, not kept back"
        )
    return note


def _held(conn: Connection, booth_id: str, parsed: Sequence[_Item]) -> _Batch:
    held = _Batch()
    if not parsed:
        return held
    seqs = {p.link.seq for p in parsed} | {p.link.seq - 1 for p in parsed}
    rows = conn.execute(_AROUND, {"booth_id": booth_id, "seqs": sorted(seqs)})
    held.links = {row.seq: row.hash for row in rows}
    held.head = max(held.links, default=0)
    for kind, query in _HELD_IDS.items():
        ids = sorted({p.link.record_id for p in parsed if p.link.kind == kind})
        if ids:
            held.records |= {(kind, row[0]) for row in conn.execute(query, {"ids": ids})}
    return held


_LINKS = select(chain_links.c.seq, chain_links.c.hash).where(
    chain_links.c.booth_id == bindparam("booth_id")
)
_HEAD = select(func.max(chain_links.c.seq)).where(chain_links.c.booth_id == bindparam("booth_id"))
# the links around a batch's and the booth's latest (the head) in one query
_AROUND = union_all(
    _LINKS.where(chain_links.c.seq.in_(bindparam("seqs", expanding=True))),
    _LINKS.where(chain_links.c.seq == _HEAD.scalar_subquery()),
)
_KEY_COLUMNS = {kind: table.c[_KEYS[kind]] for kind, table in _TABLES.items()}
_HELD_IDS = {
    kind: select(key).where(key.in_(bindparam("ids", expanding=True)))
    for kind, key in _KEY_COLUMNS.items()
}


def _check(held: _Batch, link: ChainLink) -> bool:
    """True if ``link`` is new and must be stored, False if the hub already holds it."""
    known = held.links.get(link.seq)
    if known is not None:
        if known == link.hash:
            return False  # already held: a retry or a duplicated request
        raise _RejectedError(
            f"chain conflict: the hub already holds a different link {link.seq} from this "
            "booth (its history was rewritten)"
        )
    previous = held.links.get(link.seq - 1)
    if previous is None and link.seq > 1:
        raise _GapError(held.head + 1 if held.head < link.seq else link.seq - 1)
    if previous is not None and previous != link.prev_hash:
        raise _RejectedError(
            f"chain conflict: link {link.seq} does not follow link {link.seq - 1} as the hub "
            "holds it (the booth's history was rewritten)"
        )
    if (link.kind, link.record_id) in held.records:
        raise _RejectedError(
            f"{link.kind} {link.record_id} is already held with different content or link"
        )
    held.links[link.seq] = link.hash
    held.records.add((link.kind, link.record_id))
    held.head = max(held.head, link.seq)
    return True


def _row(booth_id: str, item: _Item, received_at: str) -> dict[str, Any]:
    link, record = item.link, item.record or {}
    common = {
        "booth_id": booth_id,
        "chain_seq": link.seq,
        "public_digest": link.public_digest,
        "personal_digest": link.personal_digest,
        "record": canonical_json(record),
        "received_at": received_at,
    }
    if link.kind == AUDIT_KIND:
        return {
            "event_id": link.record_id,
            "kind": _text(record, "kind"),
            "at": _moment(record, "at"),
            **common,
        }
    temperature = record.get("temperature_c")
    if temperature is not None and (
        not isinstance(temperature, int | float)
        or isinstance(temperature, bool)
        or not math.isfinite(temperature)
        or abs(temperature) > MAX_TEMPERATURE_C
    ):
        raise _RejectedError(f"temperature_c must be a number within ±{MAX_TEMPERATURE_C:g}")
    return {
        "passage_id": link.record_id,
        "decided_at": _moment(record, "decided_at"),
        "outcome": _text(record, "outcome"),
        "pass_id": _optional_text(record, "pass_id"),
        "holder_name": _optional_text(record, "holder_name"),
        "id_masked": _optional_text(record, "id_masked"),
        "temperature_c": temperature,
        "policy_version": _text(record, "policy_version"),
        **common,
    }


def _text(record: Mapping[str, Any], name: str) -> str:
    value = record.get(name)
    if not isinstance(value, str) or not value:
        raise _RejectedError(f"malformed record: {name} must be non-empty text")
    return value


def _moment(record: Mapping[str, Any], name: str) -> str:
    """An ISO 8601 time with its UTC offset, stored as UTC text (text order is time order)."""
    value = _text(record, name)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
    if moment is None or moment.utcoffset() is None:
        raise _RejectedError(
            f"malformed record: {name} must be an ISO 8601 time with its UTC offset, "
            f"not {value[:40]!r}"
        )
    return iso(moment)


def _optional_text(record: Mapping[str, Any], name: str) -> str | None:
    value = record.get(name)
    if value is not None and not isinstance(value, str):
        raise _RejectedError(f"malformed record: {name} must be text")
    return value


def _store(conn: Connection, booth_id: str, accepted: Sequence[_Accepted]) -> list[tuple[int, str]]:
    """Insert the accepted items; returns (index, reason) of any the database refused."""
    if not accepted:
        return []
    try:
        with conn.begin_nested():
            _insert(conn, booth_id, accepted)
        return []
    except (DataError, IntegrityError):
        pass
    refused = []
    for one in accepted:
        try:
            with conn.begin_nested():
                _insert(conn, booth_id, [one])
        except (DataError, IntegrityError) as exc:
            refused.append((one.index, f"cannot be stored: {exc.orig}"))
    return refused


def _insert(conn: Connection, booth_id: str, accepted: Sequence[_Accepted]) -> None:
    for kind, insert in _INSERTS.items():
        rows = [a.row for a in accepted if a.row is not None and a.item.link.kind == kind]
        if rows:
            conn.execute(insert, rows)
    conn.execute(
        _INSERT_LINKS,
        [{"booth_id": booth_id, **link_to_json(a.item.link)} for a in accepted],
    )
    notes = [
        {
            "booth_id": booth_id,
            "link_hash": a.item.link.hash,
            "seq": a.item.link.seq,
            "recorded_as": a.item.kept.booth_id,
            "reason": a.item.kept.reason,
            "received_at": a.received_at,
        }
        for a in accepted
        if a.item.kept is not None
    ]
    if notes:
        conn.execute(_INSERT_KEPT, notes)


_INSERTS = {kind: table.insert() for kind, table in _TABLES.items()}
_INSERT_LINKS = chain_links.insert()
_INSERT_KEPT = kept_links.insert()


def _quarantine(
    conn: Connection, booth_id: str, rejected: Sequence[tuple[Any, ItemResult]], received_at: str
) -> None:
    """Keep the rejected items for the office, up to ``MAX_QUARANTINE`` per booth."""
    if not rejected:
        return
    held = conn.execute(
        select(func.count()).select_from(quarantine).where(quarantine.c.booth_id == booth_id)
    ).scalar_one()
    room = max(0, MAX_QUARANTINE - held)
    if len(rejected) > room:
        log.error(
            "ALARM: the quarantine of booth %s is full (%d items): %d rejected item(s) not kept "
            "at the hub (the booth still holds them); look into this booth",
            booth_id,
            MAX_QUARANTINE,
            len(rejected) - room,
        )
    rows = [_quarantined(booth_id, item, result, received_at) for item, result in rejected[:room]]
    if rows:
        conn.execute(quarantine.insert(), rows)


def _quarantined(booth_id: str, item: Any, result: ItemResult, received_at: str) -> dict[str, Any]:
    link = item.get("link") if isinstance(item, Mapping) else None
    kind = link.get("kind") if isinstance(link, Mapping) else None
    return {
        "booth_id": booth_id,
        "kind": kind if isinstance(kind, str) else "?",
        "record_id": result.record_id or "?",
        "reason": result.reason or "",
        # ASCII escapes: a lone surrogate or NUL stays visible without breaking the database
        "item": json.dumps(item, default=str),
        "received_at": received_at,
    }


def _move_head(conn: Connection, booth_id: str, received_at: str) -> None:
    """The booth's latest link (none: NULL) read by the update itself: one round trip."""
    conn.execute(_MOVE_HEAD, {"booth": booth_id, "received_at": received_at})


# (a bound value in an UPDATE may not take a column's name: "booth", not "booth_id")
_LATEST = (
    select(chain_links.c.seq, chain_links.c.hash)
    .where(chain_links.c.booth_id == bindparam("booth"))
    .order_by(chain_links.c.seq.desc())
    .limit(1)
)
_MOVE_HEAD = (
    update(booths)
    .where(booths.c.booth_id == bindparam("booth"))
    .values(
        head_seq=_LATEST.with_only_columns(chain_links.c.seq).scalar_subquery(),
        head_hash=_LATEST.with_only_columns(chain_links.c.hash).scalar_subquery(),
        last_upload_at=bindparam("received_at"),
    )
)
