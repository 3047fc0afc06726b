from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from gatehouse.hub.service import Hub
from tests.hub.live import DATABASES, fresh_database, make_hub, serving


@pytest.fixture(params=DATABASES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """The same hub tests run on SQLite and on a real PostgreSQL server."""
    engine = fresh_database(request.param, tmp_path)
    yield engine
    engine.dispose()


@pytest.fixture
def hub(engine: Engine) -> Hub:
    return make_hub(engine)


@pytest.fixture
def hub_url(hub: Hub) -> Iterator[str]:
    with serving(hub) as url:
        yield url
