"""Uploads sent one item per line (``protocol.BATCH_HEADER``): a re-send skips the parse.

A booth whose request timed out after the hub stored it sends the same items again, often
with more behind them. The hub splits the body at its line ends without parsing it, takes the
SHA-256 of each item's bytes and looks up, in one indexed query over the booth's chain, which
of them it already holds as exactly those bytes at exactly that link (``item_digests``, kept
when an item sent this way was acknowledged). Those are acknowledged as they are; only the
others are parsed and take the full path (``gatehouse.hub.ingest``), whose checks they pass or
fail as if the body had been parsed whole. Same bytes are the same content: a batch naming the
same links with any other content does not match and gets the full path's answer (a chain
conflict, a digest that does not match its link).

Whatever does not fit the line layout — a header naming other links than the lines hold, a
line that is not one JSON value — is left to the whole-body parse, as for a booth that
predates the layout, so a malformed body gets the same answer it always got.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from gatehouse.hub.ingest import ItemResult, ingest_batch
from gatehouse.hub.restored_chains import set_aside_for_restores
from gatehouse.hub.tables import MAX_LINK_SEQ, booths, chain_links, item_digests
from gatehouse.hub.wire import WireError, parse_json
from gatehouse.sync.protocol import ACK, LINE_END, LINES_PREFIX

# Digests kept per booth behind its latest acknowledged lines, twice the largest upload
# (``app.MAX_BATCH_ITEMS``): a booth re-sends its unacknowledged tail, a batch or two; an older
# re-send takes the full path, as every re-send did before. Bounds the table at group scale.
KEEP_DIGESTS = 10_000
_HEADER = re.compile(r"lines; seqs=([0-9]{1,19})-([0-9]{1,19})")


class NotLinesError(Exception):
    """A line the hub must read is not one JSON value: the body is to be parsed whole."""


@dataclass(frozen=True)
class Lines:
    """An upload's items as the bytes of each line, the first one's link number, and the
    upload's other keys (the booth's status), parsed."""

    first: int
    pieces: list[bytes]
    rest: dict[str, Any]

    def digest(self, index: int) -> str:
        return hashlib.sha256(self.pieces[index]).hexdigest()


def split_lines(header: str | None, body: bytes, max_items: int) -> Lines | None:
    """The body's lines when it is laid out as ``header`` says, else None (parse it whole)."""
    named = _HEADER.fullmatch(header.strip()) if header else None
    if named is None or not body.startswith(LINES_PREFIX):
        return None
    first, last = int(named[1]), int(named[2])
    count = last - first + 1
    if not (first >= 1 and last <= MAX_LINK_SEQ and 1 <= count <= max_items):
        return None
    *lines, end = body[len(LINES_PREFIX) :].split(b"\n", count)
    if len(lines) != count or not end.startswith(b"]"):
        return None
    separator = LINE_END[:-1]  # the comma before each line end but the last
    if not all(line.endswith(separator) for line in lines[:-1]):
        return None
    pieces = [line[: -len(separator)] for line in lines[:-1]] + lines[-1:]
    rest = _rest(end[1:])
    return None if rest is None else Lines(first, pieces, rest)


def _rest(tail: bytes) -> dict[str, Any] | None:
    """The upload's keys after ``items``: none, or a JSON object's members that do not name
    ``items`` again (a second one would be the items a whole-body parse reads)."""
    if tail == b"}":
        return {}
    if not tail.startswith(b","):
        return None
    try:
        rest = parse_json(b"{" + tail[1:], check_text=False)
    except WireError:
        return None
    return rest if isinstance(rest, dict) and "items" not in rest else None


def ingest_upload(
    conn: Connection, booth_id: str, items: Sequence[Any] | Lines, received_at: str
) -> list[ItemResult]:
    """Store what can be stored of an upload, laid out in lines or parsed whole."""
    # Uploads of one booth are serialised (duplicated requests arrive concurrently): what is
    # held cannot change under the lookups, and a restore's set-aside is not raced.
    conn.execute(_LOCK, {"booth_id": booth_id})
    if not isinstance(items, Lines):
        return _ingest(conn, booth_id, items, received_at)
    held = _held(conn, booth_id, items)
    fresh = [i for i in range(len(items.pieces)) if i not in held]
    parsed = [_parsed(items.pieces[i]) for i in fresh]
    results = _ingest(conn, booth_id, parsed, received_at)
    acknowledged = [
        {
            "booth_id": booth_id,
            "seq": r.seq,
            "link_hash": p["link"]["hash"],
            "sha256": items.digest(i),
        }
        for i, p, r in zip(fresh, parsed, results, strict=True)
        if r.status == ACK
    ]
    _remember(conn, booth_id, acknowledged)
    done = dict(zip(fresh, results, strict=True)) | held
    return [done[i] for i in range(len(items.pieces))]


def _ingest(
    conn: Connection, booth_id: str, items: Sequence[Any], received_at: str
) -> list[ItemResult]:
    set_aside_for_restores(conn, booth_id, items, received_at)
    return ingest_batch(conn, booth_id, items, received_at)


def _held(conn: Connection, booth_id: str, lines: Lines) -> dict[int, ItemResult]:
    """The lines the hub holds byte for byte at the link it holds there, by index."""
    last = lines.first + len(lines.pieces) - 1
    rows = conn.execute(_DIGESTS, {"booth_id": booth_id, "first": lines.first, "last": last})
    return {
        row.seq - lines.first: ItemResult(row.seq, row.record_id, ACK)
        for row in rows
        if row.sha256 == lines.digest(row.seq - lines.first)
    }


def _parsed(piece: bytes) -> Any:
    try:
        return parse_json(piece, check_text=False)
    except WireError:
        raise NotLinesError("an item line is not one JSON value") from None


def _remember(conn: Connection, booth_id: str, rows: list[dict[str, Any]]) -> None:
    """Keep the digests of the lines just acknowledged, each with the link it holds (an
    acknowledged item is well formed: its link was read, or matched what the hub holds), and
    forget this booth's digests more than ``KEEP_DIGESTS`` links behind them."""
    if not rows:
        return
    oldest = min(row["seq"] for row in rows) - KEEP_DIGESTS
    if oldest > 1:  # links start at 1: a younger chain has nothing to forget
        conn.execute(_FORGET, {"booth": booth_id, "oldest": oldest})
    conn.execute(_KEEP[conn.dialect.name], rows)


# Built once (values bound per upload), as ``gatehouse.hub.ingest``'s statements are.
_LOCK = (
    select(booths.c.booth_id).where(booths.c.booth_id == bindparam("booth_id")).with_for_update()
)
_DIGESTS = (
    select(chain_links.c.seq, chain_links.c.record_id, item_digests.c.sha256)
    .join(
        item_digests,
        and_(
            item_digests.c.booth_id == chain_links.c.booth_id,
            item_digests.c.seq == chain_links.c.seq,
            item_digests.c.link_hash == chain_links.c.hash,
        ),
    )
    .where(
        chain_links.c.booth_id == bindparam("booth_id"),
        chain_links.c.seq.between(bindparam("first"), bindparam("last")),
    )
)
_FORGET = delete(item_digests).where(
    item_digests.c.booth_id == bindparam("booth"), item_digests.c.seq < bindparam("oldest")
)


def _upsert(dialect: ModuleType) -> postgresql.Insert | sqlite.Insert:
    """Keep the digests, replacing any held at the same link number: ``dialect``'s INSERT,
    which has ON CONFLICT."""
    upsert: postgresql.Insert | sqlite.Insert = dialect.insert(item_digests)
    changed = {"link_hash": upsert.excluded.link_hash, "sha256": upsert.excluded.sha256}
    return upsert.on_conflict_do_update(index_elements=["booth_id", "seq"], set_=changed)


_KEEP = {"postgresql": _upsert(postgresql), "sqlite": _upsert(sqlite)}
