"""Batch upload from one booth: every item acknowledged or rejected on its own.

An item is acknowledged when the hub holds exactly that record at exactly that chain link —
whether it arrived now or in an earlier (retried, duplicated) request. Anything else is
rejected and quarantined, never stored over what the hub already has: a different record under
a known id, a link that contradicts the booth's chain as the hub knows it (a rewritten history),
a record whose digests do not match its link.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy.exc import DataError, IntegrityError

from gatehouse.core.chain import (
    AUDIT_KIND,
    GENESIS_HASH,
    PASSAGE_KIND,
    ChainLink,
    canonical_json,
    link_is_sound,
    record_digests,
)
from gatehouse.hub.tables import audit_events, booths, chain_links, passages, quarantine
from gatehouse.sync.protocol import ACK, REJECTED, link_from_json, link_to_json


@dataclass(frozen=True)
class ItemResult:
    seq: int | None
    record_id: str | None
    status: str  # ACK or REJECTED
    reason: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "record_id": self.record_id,
            "status": self.status,
            "reason": self.reason,
        }


class _RejectedError(Exception):
    """One item cannot be accepted; the message says why (for the booth and the office)."""


def ingest_batch(
    conn: Connection, booth_id: str, items: Sequence[Any], received_at: str
) -> list[ItemResult]:
    """Store what can be stored of ``items`` in the caller's transaction; one result per item."""
    # Uploads of one booth are serialised (duplicated requests arrive concurrently).
    conn.execute(select(booths.c.booth_id).where(booths.c.booth_id == booth_id).with_for_update())
    results = []
    for item in items:
        seq, record_id = _item_ids(item)
        try:
            with conn.begin_nested():  # a bad item is undone alone, the batch goes on
                _ingest_one(conn, booth_id, item, received_at)
        except (_RejectedError, DataError, IntegrityError) as exc:
            reason = (
                str(exc) if isinstance(exc, _RejectedError) else f"cannot be stored: {exc.orig}"
            )
            _quarantine(conn, booth_id, item, reason, received_at)
            results.append(ItemResult(seq, record_id, REJECTED, reason))
        else:
            results.append(ItemResult(seq, record_id, ACK))
    _move_head(conn, booth_id, received_at)
    return results


def _item_ids(item: Any) -> tuple[int | None, str | None]:
    link = item.get("link") if isinstance(item, Mapping) else None
    if not isinstance(link, Mapping):
        return None, None
    seq, record_id = link.get("seq"), link.get("record_id")
    return (
        seq if isinstance(seq, int) else None,
        record_id if isinstance(record_id, str) else None,
    )


def _ingest_one(conn: Connection, booth_id: str, item: Any, received_at: str) -> None:
    link, record = _parse(item, booth_id)
    known = conn.execute(
        select(chain_links).where(chain_links.c.booth_id == booth_id, chain_links.c.seq == link.seq)
    ).first()
    if known is not None:
        if known.hash == link.hash:
            return  # already held: a retry or a duplicated request
        raise _RejectedError(
            f"chain conflict: the hub already holds a different link {link.seq} from this "
            "booth (its history was rewritten)"
        )
    _check_follows(conn, booth_id, link)
    _check_new_record(conn, link)
    _insert_record(conn, booth_id, link, record, received_at)
    conn.execute(chain_links.insert().values(booth_id=booth_id, **_link_values(link)))


def _parse(item: Any, booth_id: str) -> tuple[ChainLink, dict[str, Any]]:
    if not isinstance(item, Mapping):
        raise _RejectedError("item is not an object")
    try:
        link = link_from_json(item.get("link") or {})
    except ValueError as exc:
        raise _RejectedError(str(exc)) from None
    record = item.get("record")
    if not isinstance(record, dict):
        raise _RejectedError("item has no record object")
    key = {PASSAGE_KIND: "passage_id", AUDIT_KIND: "event_id"}.get(link.kind)
    if key is None:
        raise _RejectedError(f"unknown record kind {link.kind!r}")
    if record.get(key) != link.record_id:
        raise _RejectedError(f"record {key} does not match its link")
    if record.get("booth_id") != booth_id:
        raise _RejectedError(
            f"record belongs to booth {record.get('booth_id')!r}, not {booth_id!r}"
        )
    if record_digests(link.kind, record) != (link.public_digest, link.personal_digest):
        raise _RejectedError("record content does not match the digests in its link")
    if not link_is_sound(link):
        raise _RejectedError("link hash does not match the link")
    if link.seq == 1 and link.prev_hash != GENESIS_HASH:
        raise _RejectedError("the first link must follow the genesis hash")
    return link, record


def _check_follows(conn: Connection, booth_id: str, link: ChainLink) -> None:
    previous = conn.execute(
        select(chain_links.c.hash).where(
            chain_links.c.booth_id == booth_id, chain_links.c.seq == link.seq - 1
        )
    ).first()
    if previous is not None and previous.hash != link.prev_hash:
        raise _RejectedError(
            f"chain conflict: link {link.seq} does not follow link {link.seq - 1} as the hub "
            "holds it (the booth's history was rewritten)"
        )


def _check_new_record(conn: Connection, link: ChainLink) -> None:
    _, key = _table(link.kind)
    if conn.execute(select(key).where(key == link.record_id)).first() is not None:
        raise _RejectedError(
            f"{link.kind} {link.record_id} is already held with different content or link"
        )


def _insert_record(
    conn: Connection,
    booth_id: str,
    link: ChainLink,
    record: dict[str, Any],
    received_at: str,
) -> None:
    common = {
        "booth_id": booth_id,
        "chain_seq": link.seq,
        "public_digest": link.public_digest,
        "personal_digest": link.personal_digest,
        "record": canonical_json(record),
        "received_at": received_at,
    }
    try:
        if link.kind == PASSAGE_KIND:
            values: dict[str, Any] = {
                "passage_id": link.record_id,
                "decided_at": _text(record, "decided_at"),
                "outcome": _text(record, "outcome"),
                "pass_id": record.get("pass_id"),
                "holder_name": record.get("holder_name"),
                "id_masked": record.get("id_masked"),
                "temperature_c": record.get("temperature_c"),
                "policy_version": _text(record, "policy_version"),
            }
            conn.execute(passages.insert().values(**values, **common))
        else:
            values = {
                "event_id": link.record_id,
                "kind": _text(record, "kind"),
                "at": _text(record, "at"),
            }
            conn.execute(audit_events.insert().values(**values, **common))
    except (TypeError, ValueError) as exc:
        raise _RejectedError(f"malformed record: {exc}") from None


def _text(record: Mapping[str, Any], name: str) -> str:
    value = record.get(name)
    if not isinstance(value, str) or not value:
        raise ValueError(f"{name} must be non-empty text")
    return value


def _table(kind: str) -> tuple[Any, Any]:
    if kind == PASSAGE_KIND:
        return passages, passages.c.passage_id
    return audit_events, audit_events.c.event_id


def _link_values(link: ChainLink) -> dict[str, Any]:
    return {k: v for k, v in link_to_json(link).items()}


def _quarantine(conn: Connection, booth_id: str, item: Any, reason: str, received_at: str) -> None:
    _, record_id = _item_ids(item)
    kind = item.get("link", {}).get("kind") if isinstance(item, Mapping) else None
    conn.execute(
        quarantine.insert().values(
            booth_id=booth_id,
            kind=kind if isinstance(kind, str) else "?",
            record_id=record_id or "?",
            reason=reason,
            item=json.dumps(item, ensure_ascii=False, default=str),
            received_at=received_at,
        )
    )


def _move_head(conn: Connection, booth_id: str, received_at: str) -> None:
    head = conn.execute(
        select(chain_links.c.seq, chain_links.c.hash)
        .where(chain_links.c.booth_id == booth_id)
        .order_by(chain_links.c.seq.desc())
        .limit(1)
    ).first()
    conn.execute(
        update(booths)
        .where(booths.c.booth_id == booth_id)
        .values(
            head_seq=head.seq if head else None,
            head_hash=head.hash if head else None,
            last_upload_at=received_at,
        )
    )
