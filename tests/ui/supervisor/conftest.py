from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from gatehouse.store import Ledger
from gatehouse.store.pins import pin_store_for
from gatehouse.store.queries import PassageQueries
from gatehouse.ui.supervisor.services import DeskServices

CST = timezone(timedelta(hours=8))
# The desk's clock in tests: 09:00 on a fixed China day. The desk's default range is "today" by
# its clock; a moment read from the wall clock at import went to yesterday when a run crossed
# China's midnight, and the passages recorded "now" fell outside the range.
DESK_NOW = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
# argon2id with small costs: the same algorithm and code path, fast enough for tests.
FAST_ARGON2 = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    with Ledger.open(tmp_path / "ledger.sqlite3") as opened:
        yield opened


@pytest.fixture
def services(ledger: Ledger, tmp_path: Path) -> DeskServices:
    return DeskServices(
        queries=PassageQueries(ledger.path),
        audit=ledger,
        pins=pin_store_for(ledger, hasher=FAST_ARGON2),
        booth_id="north-gate",
        mine_name="王庄煤矿",
        zone=CST,
        output_folder=tmp_path / "out",
        clock=lambda: DESK_NOW,
    )
