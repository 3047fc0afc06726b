from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from gatehouse.hub.service import Hub
from gatehouse.store import Ledger
from tests.hub.live import ADMIN_TOKEN, fresh_database, make_hub, serving


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = fresh_database("sqlite", tmp_path)
    yield engine
    engine.dispose()


@pytest.fixture
def hub(engine: Engine) -> Hub:
    return make_hub(engine)


@pytest.fixture
def hub_url(hub: Hub) -> Iterator[str]:
    with serving(hub) as url:
        yield url


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[Ledger]:
    with Ledger.open(tmp_path / "booth" / "ledger.sqlite3") as opened:
        yield opened


__all__ = ["ADMIN_TOKEN"]
