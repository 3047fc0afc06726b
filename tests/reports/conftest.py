from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gatehouse.store import Ledger
from gatehouse.store.queries import PassageQueries


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    with Ledger.open(tmp_path / "ledger.sqlite3") as opened:
        yield opened


@pytest.fixture
def queries(ledger: Ledger) -> PassageQueries:
    return PassageQueries(ledger.path)
