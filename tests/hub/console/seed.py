"""Booths added through the console's service, enrolled and uploading over real HTTP."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gatehouse.core.passage import Passage
from gatehouse.hub.console.booths import add_booth
from gatehouse.hub.service import Hub
from gatehouse.store import Ledger
from gatehouse.store.audit import AuditKind
from gatehouse.sync import protocol
from gatehouse.sync.client import HubClient


def enrolled_booth(hub: Hub, hub_url: str, booth_id: str, mine: str) -> HubClient:
    code = add_booth(hub, booth_id, mine, "mine_gate", "admin")
    token, _ = HubClient(hub_url).enrol(booth_id, code)
    return HubClient(hub_url, token)


def upload(
    client: HubClient,
    folder: Path,
    passages: Sequence[Passage],
    events: Sequence[tuple[AuditKind, dict[str, Any]]] = (),
    tamper: bool = False,
) -> None:
    """Record ``passages`` (then ``events``: kind and details) in a booth's real ledger and
    upload them all; every item must be acknowledged. ``tamper``: the last item's record is
    changed on the way, so the hub must quarantine it (and only it)."""
    booth_id = passages[0].booth_id
    ledger = Ledger.open(folder / f"{booth_id}.sqlite3")
    try:
        for passage in passages:
            ledger.record(passage).result()
        for kind, details in events:
            ledger.record_event(
                kind,
                at=passages[-1].decided_at,
                booth_id=booth_id,
                actor="supervisor-wang",
                details=details,
            ).result()
        items = [
            {"link": protocol.link_to_json(i.link), "record": i.record}
            for i in ledger.pending(limit=10_000)
        ]
        if tamper:
            items[-1]["record"] = {**items[-1]["record"], "holder_name": "someone else"}
        results, _ = client.upload(items)
    finally:
        ledger.close()
    expected = [protocol.ACK] * len(items)
    if tamper:
        expected[-1] = protocol.REJECTED
    assert [r["status"] for r in results] == expected
