from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from gatehouse.store import Ledger
from tests.hub.live import ADMIN_TOKEN, fresh_database, hub, hub_url  # noqa: F401 (fixtures)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = fresh_database("sqlite", tmp_path)
    yield engine
    engine.dispose()


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    with Ledger.open(tmp_path / "booth" / "ledger.sqlite3") as opened:
        yield opened


__all__ = ["ADMIN_TOKEN"]
