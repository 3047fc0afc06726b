"""Bundles pulled from the hub (rule pack, risk areas, lists, keys, privacy settings).

The signed bytes are kept beside the parsed content so a bundle can be re-verified later. A
bundle is only ever replaced by a newer version: an older or equal one is refused, so a
replayed or stale response can never roll the booth's rules back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gatehouse.store.audit import AuditKind, insert_event
from gatehouse.store.records import Executes, dict_rows
from gatehouse.store.rows import utc_text


@dataclass(frozen=True)
class StoredBundle:
    name: str
    version: int
    content: Any  # the bundle's JSON content, parsed
    signed: bytes  # COSE_Sign1 exactly as the hub sent it
    etag: str
    published_at: datetime
    received_at: datetime


def read_bundle(conn: Executes, name: str) -> StoredBundle | None:
    rows = dict_rows(conn.execute("SELECT * FROM bundles WHERE name = ?", (name,)))
    if not rows:
        return None
    row = rows[0]
    return StoredBundle(
        name=row["name"],
        version=row["version"],
        content=json.loads(row["content"]),
        signed=row["signed"],
        etag=row["etag"],
        published_at=datetime.fromisoformat(row["published_at"]),
        received_at=datetime.fromisoformat(row["received_at"]),
    )


def store_bundle(db: Executes, bundle: StoredBundle, booth_id: str) -> bool:
    """Keep ``bundle`` if it is newer than the one held; log the change. False if refused."""
    current = read_bundle(db, bundle.name)
    if current is not None and bundle.version <= current.version:
        return False
    db.execute(
        "INSERT OR REPLACE INTO bundles"
        " (name, version, content, signed, etag, published_at, received_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            bundle.name,
            bundle.version,
            json.dumps(bundle.content, ensure_ascii=False, sort_keys=True),
            bundle.signed,
            bundle.etag,
            utc_text(bundle.published_at),
            utc_text(bundle.received_at),
        ),
    )
    insert_event(
        db,
        AuditKind.POLICY_CHANGE,
        at=bundle.received_at,
        booth_id=booth_id,
        actor="hub",
        details={
            "bundle": bundle.name,
            "version": bundle.version,
            "previous_version": current.version if current else None,
        },
    )
    return True


def read_kept(conn: Executes, name: str) -> Any:
    """The last good copy of office document ``name`` the booth kept (JSON), or None."""
    rows = conn.execute("SELECT content FROM kept_documents WHERE name = ?", (name,)).fetchall()
    return json.loads(rows[0][0]) if rows else None


def keep_document(db: Executes, name: str, content: Any, at: datetime) -> None:
    """Keep ``content`` as the last good copy of office document ``name``."""
    db.execute(
        "INSERT OR REPLACE INTO kept_documents (name, content, kept_at) VALUES (?, ?, ?)",
        (name, json.dumps(content, ensure_ascii=False, sort_keys=True), utc_text(at)),
    )
