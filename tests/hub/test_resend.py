"""A batch re-sent after a client timeout is recognised in one query and answered the same,
while anything that differs from what the hub holds still takes the full, checking path."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from gatehouse.core.models import Outcome
from gatehouse.hub.ingest import _already_held
from gatehouse.hub.service import Hub
from gatehouse.store import Ledger
from gatehouse.store.audit import AuditKind
from gatehouse.sync import protocol
from tests.factories import make_passage
from tests.hub.live import statements

BOOTH = "booth-01"
START = datetime(2024, 3, 1, 6, 0, tzinfo=UTC)


def _enrolled(hub: Hub) -> None:
    hub.enrol(BOOTH, hub.create_enrolment_code(BOOTH))


def _items(path: Path, passages: int) -> list[dict[str, Any]]:
    """``passages`` passages with an audit event among them, as the booth sends them."""
    with Ledger.open(path) as ledger:
        for n in range(passages):
            ledger.record(make_passage(booth_id=BOOTH, decided_at=START + timedelta(minutes=n)))
            if n == 1:
                ledger.record_event(
                    AuditKind.LOGIN, at=START, booth_id=BOOTH, actor="guard", details={}
                ).result()
        ledger.record(make_passage(booth_id=BOOTH, decided_at=START)).result()
        return [
            {"link": protocol.link_to_json(i.link), "record": i.record}
            for i in ledger.pending(limit=10_000)
        ]


def _held(hub: Hub, items: Sequence[object]) -> set[int]:
    with hub.engine.connect() as conn:
        return _already_held(conn, BOOTH, items)


def test_a_resent_batch_is_answered_the_same_without_the_per_item_checks(
    hub: Hub, tmp_path: Path
) -> None:
    _enrolled(hub)
    items = _items(tmp_path / "booth.sqlite3", 30)
    first = hub.upload(BOOTH, items)
    with statements(hub) as resend:
        again = hub.upload(BOOTH, items)

    assert {r.status for r in first} == {protocol.ACK}
    assert again == first
    assert _held(hub, items) == set(range(len(items)))
    # the booth lock, the held items (passages, audit events) and the head's update, which
    # reads it: none of the full path's queries (links, head, record ids, quarantine)
    queries = [sql for sql in resend if not sql.startswith("BEGIN")]  # SQLite's BEGIN IMMEDIATE
    assert len(queries) == 4
    assert not any("quarantine" in sql or "max(" in sql for sql in queries)


def test_a_partly_held_batch_acknowledges_the_held_part_and_stores_the_rest(
    hub: Hub, tmp_path: Path
) -> None:
    _enrolled(hub)
    items = _items(tmp_path / "booth.sqlite3", 20)
    hub.upload(BOOTH, items[:12])

    results = hub.upload(BOOTH, list(reversed(items)))  # out of order: the chain still fits

    assert [r.status for r in results] == [protocol.ACK] * len(items)
    assert [r.seq for r in results] == [i["link"]["seq"] for i in reversed(items)]
    assert hub.booths()[0]["head_seq"] == len(items)
    assert _held(hub, items) == set(range(len(items)))


def test_held_links_far_apart_are_recognised_as_held_too(hub: Hub, tmp_path: Path) -> None:
    """Links far apart are looked up by a list of link numbers, not a range (a booth's own
    batches are consecutive): both ways find what is held, and only that."""
    _enrolled(hub)
    items = _items(tmp_path / "booth.sqlite3", 30)
    hub.upload(BOOTH, items[:-1])

    assert _held(hub, [items[0], items[-2]]) == {0, 1}  # a list: 1 and 30
    assert _held(hub, [items[0], items[-1]]) == {0}  # the last link not held yet
    assert _held(hub, items[3:6]) == {0, 1, 2}  # a range


def test_anything_other_than_what_the_hub_holds_takes_the_full_path(
    hub: Hub, tmp_path: Path
) -> None:
    _enrolled(hub)
    items = _items(tmp_path / "booth.sqlite3", 3)
    hub.upload(BOOTH, items)
    other_content = copy.deepcopy(items[0])
    other_content["record"]["outcome"] = Outcome.TURN_AWAY.name
    other_type = copy.deepcopy(items[0])
    other_type["link"]["seq"] = float(other_type["link"]["seq"])  # 1.0 == 1, yet not the link
    extra_key = {**copy.deepcopy(items[0]), "kept": None}
    other_link = copy.deepcopy(items[1])
    other_link["link"]["hash"] = "f" * 64
    swapped = {"link": items[0]["link"], "record": items[1]["record"]}
    beyond = copy.deepcopy(items[2])
    beyond["link"]["seq"] = 2**70  # no database column holds it: refused, never queried
    changed = [other_content, other_type, extra_key, other_link, swapped, "nonsense", beyond]

    assert _held(hub, changed) == set()
    results = hub.upload(BOOTH, changed)
    # the full path decides: only the item with an extra, empty key is what the hub holds
    statuses = [r.status for r in results]
    assert statuses == [protocol.REJECTED] * 2 + [protocol.ACK] + [protocol.REJECTED] * 4
    assert "digests" in (results[0].reason or "")
    assert hub.booths()[0]["quarantined"] == len(changed) - 1
