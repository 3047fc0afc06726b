"""Durable storage for the booth: the passage ledger in a WAL-mode SQLite file.

The names below load on first use (PEP 562), so importing a light module of this package
(``gatehouse.store.integrity`` for its errors) does not load sqlite-utils and the ledger:
commands that only parse their arguments start fast.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from gatehouse.store.integrity import LedgerCorruptError
    from gatehouse.store.ledger import Ledger
    from gatehouse.store.writer import SerialWriter, WriterClosedError

__all__ = ["Ledger", "LedgerCorruptError", "SerialWriter", "WriterClosedError"]
_HOMES = {
    "Ledger": "gatehouse.store.ledger",
    "LedgerCorruptError": "gatehouse.store.integrity",
    "SerialWriter": "gatehouse.store.writer",
    "WriterClosedError": "gatehouse.store.writer",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
