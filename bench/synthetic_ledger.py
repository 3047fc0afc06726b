"""A ledger of synthetic passages for the export benchmarks: a year of shifts at a busy gate."""

from __future__ import annotations

import itertools
import random
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from gatehouse.core.models import Outcome
from gatehouse.core.passage import Passage
from gatehouse.core.reasons import reason
from gatehouse.store.ledger import Ledger
from gatehouse.store.rows import passage_to_row, utc_text


def synthetic_passages(count: int) -> Iterator[dict[str, object]]:
    """Rows as the booth stores them: a year of shifts, mostly admits, some turn-aways;
    generated one at a time, so a million never sit in memory at once."""
    rng = random.Random(7)
    start = datetime(2023, 1, 1, tzinfo=UTC)
    step = timedelta(days=365) / count
    revoked = reason("pass.revoked", pass_id="P-1")
    for index in range(count):
        outcome = rng.choices(list(Outcome), weights=(90, 4, 2, 4))[0]
        passage = Passage(
            passage_id=uuid.UUID(int=rng.getrandbits(128)).hex,
            booth_id="north-gate",
            checkpoint_type="mine_gate",
            decided_at=start + step * index,
            clock_source="system",
            scanned_text="GH1:" + "X" * 300,
            code_kind="gatehouse-pass",
            pass_id=f"P-{rng.randrange(4000):06d}",
            holder_name=rng.choice(("张伟", "王芳", "李娜", "刘洋", "陈静")),
            id_masked=f"1101**********{rng.randrange(10000):04d}",
            role="employee",
            temperature_c=round(rng.gauss(36.5, 0.3), 1),
            temperature_source="sensor",
            outcome=outcome,
            reasons=(revoked,) if outcome is Outcome.TURN_AWAY else (),
            policy_version="2024.1",
        )
        yield {**passage_to_row(passage), "recorded_at": utc_text(passage.decided_at)}


def build_ledger(path: Path, count: int) -> None:
    """Migrated by the ledger, then filled in bulk (no writer is running: the bench owns it)."""
    Ledger.open(path).close()
    rows = synthetic_passages(count)
    first = next(rows)
    columns = list(first)
    sql = f"INSERT INTO passages ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
    with sqlite3.connect(path) as conn:
        conn.executemany(sql, ([row[c] for c in columns] for row in itertools.chain([first], rows)))
