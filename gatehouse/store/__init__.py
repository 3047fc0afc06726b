"""Durable storage for the booth: the passage ledger in a WAL-mode SQLite file."""

from gatehouse.store.integrity import LedgerCorruptError
from gatehouse.store.ledger import Ledger
from gatehouse.store.writer import SerialWriter, WriterClosedError

__all__ = ["Ledger", "LedgerCorruptError", "SerialWriter", "WriterClosedError"]
