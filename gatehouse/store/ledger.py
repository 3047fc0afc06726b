"""The booth's passage store: durable writes through the single writer, reads from any thread."""

from __future__ import annotations

import sqlite3
from concurrent.futures import Future
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlite_utils import Database

from gatehouse.core.passage import Passage
from gatehouse.store.integrity import check_integrity
from gatehouse.store.rows import passage_to_row, row_to_passage, utc_text
from gatehouse.store.schema import migrate
from gatehouse.store.writer import SerialWriter, writer_pragmas


class Ledger:
    """Every passage at this booth, kept through power cuts. Create it with ``Ledger.open``.

    Writes are queued to one ``SerialWriter``. Reads open their own short-lived read-only
    connection, so any thread can read while the writer writes (WAL allows it) and a read
    never waits behind queued writes.
    """

    def __init__(self, path: Path, writer: SerialWriter) -> None:
        self.path = path
        self._writer = writer
        self._read_uri = f"{path.as_uri()}?mode=ro"

    @classmethod
    def open(cls, path: Path) -> Ledger:
        """Check, open and migrate the ledger at ``path``, creating it and its folders if new.

        Raises ``LedgerCorruptError`` if an existing file is damaged or not a database.
        """
        path = path.resolve()
        path.parent.mkdir(parents=True, exist_ok=True)
        check_integrity(path)
        writer = SerialWriter(path)
        try:
            writer.submit(migrate).result()
        except BaseException:
            writer.close()
            raise
        return cls(path, writer)

    def record(self, passage: Passage) -> Future[None]:
        """Queue ``passage`` for writing; the future resolves once it is committed to disk.

        A duplicate ``passage_id`` rejects the future with ``sqlite3.IntegrityError``.
        Raises ``WriterClosedError`` after ``close``.
        """
        row = passage_to_row(passage)

        def insert(db: Database) -> None:
            db.table("passages").insert({**row, "recorded_at": utc_text(datetime.now(UTC))})

        return self._writer.submit(insert)

    def get(self, passage_id: str) -> Passage | None:
        """The passage with this id, or ``None`` if it was never recorded."""
        rows = self._read("SELECT * FROM passages WHERE passage_id = ?", (passage_id,))
        return row_to_passage(rows[0]) if rows else None

    def recent(self, limit: int = 50) -> list[Passage]:
        """Up to ``limit`` passages, latest ``decided_at`` first (ties: latest written first)."""
        rows = self._read(
            "SELECT * FROM passages ORDER BY decided_at DESC, rowid DESC LIMIT ?", (limit,)
        )
        return [row_to_passage(row) for row in rows]

    def count(self) -> int:
        """How many passages are recorded."""
        return int(self._read("SELECT count(*) AS n FROM passages", ())[0]["n"])

    def pragmas(self) -> dict[str, Any]:
        """The writer connection's own settings (journal_mode, synchronous, ...), for checks."""
        return self._writer.submit(writer_pragmas).result()

    def close(self) -> None:
        """Finish writing everything already recorded, then release the file."""
        self._writer.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _read(self, sql: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
        with closing(sqlite3.connect(self._read_uri, uri=True)) as conn:
            conn.row_factory = sqlite3.Row
            return [dict(row) for row in conn.execute(sql, params)]
