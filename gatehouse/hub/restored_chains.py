"""A booth restored from a backup rejoins its chain: it reads back its own links and records
past the backup, or, when it could not reach the hub, declares a new chain segment.

Reading back: ``GET /v1/chain?after=N`` (the booth's own token) pages through the links the hub
holds for that booth past link N with each record exactly as received, so the booth can check
every digest and continue the same chain. A kept link (``protocol.KEPT``) comes back as it was
sent: its link and note, without a record, which the hub never held.

A declared segment: the restored ledger's first new link is a ``restore`` audit event that
follows the backup's last link and says so (``core.chain.declared_restore``). When the hub
holds other links from that place on, it sets them aside in ``superseded_links`` (the records
stay, nothing is deleted) before the upload is checked, so the declared segment is accepted as
what it is and never taken for a silently rewritten history.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, delete, insert, select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from gatehouse.core.chain import (
    AUDIT_KIND,
    PASSAGE_KIND,
    RESTORE_EVENT,
    declared_restore,
    link_is_sound,
    record_digests,
)
from gatehouse.hub.tables import (
    MAX_LINK_SEQ,
    audit_events,
    booths,
    chain_links,
    kept_links,
    passages,
    superseded_links,
)
from gatehouse.sync.protocol import KeptNote, kept_item, link_from_json, link_to_json

if TYPE_CHECKING:
    from gatehouse.hub.service import Hub

PAGE_LINKS = 500
_RECORDS = {PASSAGE_KIND: (passages, "passage_id"), AUDIT_KIND: (audit_events, "event_id")}


def chain_page(conn: Connection, booth_id: str, after: int, limit: int = PAGE_LINKS) -> list[Any]:
    """Up to ``limit`` of the booth's links past ``after``, each with its record as received
    (a kept link, whose record never left its booth, as ``protocol.kept_item``)."""
    rows = list(
        conn.execute(
            select(chain_links)
            .where(chain_links.c.booth_id == booth_id, chain_links.c.seq > after)
            .order_by(chain_links.c.seq)
            .limit(limit)
        ).mappings()
    )
    notes = _kept_notes(conn, booth_id, [row["hash"] for row in rows])
    items = []
    for row in rows:
        if row["hash"] in notes:
            items.append(kept_item(link_from_json(dict(row)), notes[row["hash"]]))
            continue
        table, key = _RECORDS[row["kind"]]
        text = conn.execute(
            select(table.c.record).where(table.c[key] == row["record_id"])
        ).scalar_one()
        items.append({"link": link_to_json(link_from_json(dict(row))), "record": json.loads(text)})
    return items


def _kept_notes(conn: Connection, booth_id: str, hashes: Sequence[str]) -> dict[str, KeptNote]:
    if not hashes:
        return {}
    rows = conn.execute(
        select(kept_links).where(
            kept_links.c.booth_id == booth_id, kept_links.c.link_hash.in_(hashes)
        )
    )
    return {row.link_hash: KeptNote(row.recorded_as, row.reason) for row in rows}


def set_aside_for_restores(
    conn: Connection, booth_id: str, items: Sequence[Any], received_at: str
) -> int:
    """Set aside the links a declared restore in ``items`` supersedes; how many were."""
    moved = 0
    for item in items:
        declared = _declaration(item)
        if declared is None:
            continue
        link, event_id = declared
        conn.execute(
            select(booths.c.booth_id).where(booths.c.booth_id == booth_id).with_for_update()
        )
        held = _held_hash(conn, booth_id, link.seq)
        if (
            held is None
            or held == link.hash
            or _held_hash(conn, booth_id, link.seq - 1) != link.prev_hash
        ):
            continue  # nothing to set aside, already accepted, or not following what the hub holds
        later = chain_links.c.booth_id == booth_id, chain_links.c.seq >= link.seq
        rows = [dict(row) for row in conn.execute(select(chain_links).where(*later)).mappings()]
        conn.execute(
            insert(superseded_links),
            [
                {
                    "booth_id": booth_id,
                    "seq": row["seq"],
                    "link": json.dumps(link_to_json(link_from_json(row))),
                    "restore_event_id": event_id,
                    "superseded_at": received_at,
                }
                for row in rows
            ],
        )
        conn.execute(delete(chain_links).where(*later))
        moved += len(rows)
    return moved


def _declaration(item: Any) -> tuple[Any, str] | None:
    """(link, event id) of a well-formed restore declaration, else ``None``."""
    if not isinstance(item, Mapping):
        return None
    record = item.get("record")
    if not isinstance(record, dict) or record.get("kind") != RESTORE_EVENT:
        return None  # most items: a passage, another event (no link parsed for them)
    try:
        link = link_from_json(item.get("link") or {})
    except ValueError:
        return None
    if declared_restore(link, record) is None:
        return None
    if not link_is_sound(link) or not 2 <= link.seq <= MAX_LINK_SEQ:
        return None
    if record_digests(link.kind, record) != (link.public_digest, link.personal_digest):
        return None
    return link, link.record_id


def _held_hash(conn: Connection, booth_id: str, seq: int) -> str | None:
    return conn.execute(
        select(chain_links.c.hash).where(
            chain_links.c.booth_id == booth_id, chain_links.c.seq == seq
        )
    ).scalar_one_or_none()


def chain_endpoint(
    hub: Hub, booth_of: Callable[[Request], str], refuse: Callable[[int, str], Exception]
) -> Callable[[Request], Any]:
    """``GET /v1/chain?after=N``: the calling booth's own links past N (a page at a time)."""

    async def booth_chain(request: Request) -> Response:
        booth_id = await run_in_threadpool(booth_of, request)
        after = request.query_params.get("after", "0")
        if not after.isdigit() or len(after) > 18:
            raise refuse(400, "after must be a link number")

        def read() -> list[Any]:
            with hub.engine.connect() as conn:
                return chain_page(conn, booth_id, int(after))

        return JSONResponse({"items": await run_in_threadpool(read)})

    return booth_chain
