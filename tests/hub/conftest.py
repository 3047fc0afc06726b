from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.hub.live import DATABASES, fresh_database, hub, hub_url  # noqa: F401 (fixtures)


@pytest.fixture(params=DATABASES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """The same hub tests run on SQLite and on a real PostgreSQL server."""
    engine = fresh_database(request.param, tmp_path)
    yield engine
    engine.dispose()
