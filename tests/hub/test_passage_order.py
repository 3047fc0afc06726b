"""Every page of passages, the console's and an export's, is read off an index in its (time,
id) order, never sorted, on SQLite and on PostgreSQL (the indexes of hub schema step 2).

Plans, not times: a page that sorts is slow only on a big table (a mine's page of 50 sorted
all of the mine's passages), so the test reads the plan each database chose for the very
statements the hub ran.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from gatehouse.hub.service import Hub, PassageQuery, iso
from gatehouse.hub.tables import passages

BOOTHS = ("gate-1", "gate-2", "gate-3")
START = datetime(2024, 3, 1, 8, tzinfo=UTC)
NEWEST = ("9999", "")  # the console's first page
KEY = (iso(START + timedelta(seconds=10)), "p030")  # a page's last key: the next starts after


def _row(n: int) -> dict[str, object]:
    at = iso(START + timedelta(seconds=n // 3))  # three passages share each time
    passage_id = f"p{n:03d}"
    return {
        "passage_id": passage_id,
        "booth_id": BOOTHS[n % len(BOOTHS)],
        "decided_at": at,
        "outcome": "ADMIT",
        "policy_version": "1",
        "chain_seq": n // len(BOOTHS) + 1,
        "public_digest": "0" * 64,
        "personal_digest": "0" * 64,
        "record": json.dumps({"decided_at": at, "passage_id": passage_id}),
        "received_at": at,
    }


@pytest.fixture
def filled(hub: Hub) -> Hub:
    for booth in BOOTHS:
        hub.enrol(booth, hub.create_enrolment_code(booth))
    with hub.engine.begin() as conn:
        conn.execute(passages.insert(), [_row(n) for n in range(300)])
        conn.exec_driver_sql("ANALYZE")
    return hub


def _plans(hub: Hub, read: Callable[[Hub], object]) -> list[str]:
    """The plan of each statement ``read`` ran, with the values it ran with."""
    ran: list[tuple[str, Any]] = []

    def note(*args: Any) -> None:
        if args[2].startswith("SELECT"):  # not SQLite's BEGIN
            ran.append((args[2], args[3]))

    event.listen(hub.engine, "before_cursor_execute", note)
    try:
        read(hub)
    finally:
        event.remove(hub.engine, "before_cursor_execute", note)
    sqlite = hub.engine.dialect.name == "sqlite"
    explain, column = ("EXPLAIN QUERY PLAN", -1) if sqlite else ("EXPLAIN", 0)
    with hub.engine.connect() as conn:
        if not sqlite:  # a table this small would be scanned whole (or by bitmap) and sorted
            conn.exec_driver_sql("SET enable_seqscan = off")
            conn.exec_driver_sql("SET enable_bitmapscan = off")
        return [
            " ".join(str(row[column]) for row in conn.exec_driver_sql(f"{explain} {s}", p))
            for s, p in ran
        ]


PAGES: dict[str, Callable[[Hub], object]] = {
    "export page": lambda hub: hub.passage_page(PassageQuery(limit=10), KEY),
    "one booth's export page": lambda hub: hub.passage_page(
        PassageQuery(booth_id="gate-2", limit=10), KEY
    ),
    "console page": lambda hub: hub.passages(PassageQuery(before=NEWEST, limit=10)),
    "a mine's console page": lambda hub: hub.passages(
        PassageQuery(booth_ids=("gate-1", "gate-2"), before=NEWEST, limit=10)
    ),
    "one booth's console page": lambda hub: hub.passages(
        PassageQuery(booth_id="gate-3", before=KEY, limit=10)
    ),
}


@pytest.mark.parametrize("page", PAGES)
def test_a_page_is_read_in_index_order_without_a_sort(filled: Hub, page: str) -> None:
    plans = _plans(filled, PAGES[page])
    assert len(plans) == 1
    assert "hub_passages_" in plans[0]  # an index, in order
    assert "TEMP B-TREE" not in plans[0]  # SQLite's sort
    assert "Sort" not in plans[0]  # PostgreSQL's (Incremental Sort too)


def test_pages_keep_the_time_then_id_order(filled: Hub) -> None:
    newest = filled.passages(PassageQuery(booth_ids=BOOTHS[:2], before=KEY, limit=7))
    keys = [(r["decided_at"], r["passage_id"]) for r in newest]
    assert keys == sorted(keys, reverse=True) and keys[0] < KEY
    after = filled.passage_page(PassageQuery(limit=7), KEY)
    assert [key for key, _ in after] == sorted(key for key, _ in after)
    assert after[0][0] == (KEY[0], "p031")  # the rest of the key's time first
