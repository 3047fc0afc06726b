from collections.abc import Iterator
from pathlib import Path

import pytest

from gatehouse.store import Ledger


@pytest.fixture
def ledger_path(tmp_path: Path) -> Path:
    """In a folder that does not exist yet, so every test also exercises its creation."""
    return tmp_path / "data" / "ledger.sqlite3"


@pytest.fixture
def ledger(ledger_path: Path) -> Iterator[Ledger]:
    with Ledger.open(ledger_path) as opened:
        yield opened
