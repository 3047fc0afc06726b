import dataclasses
import sqlite3
from contextlib import closing
from pathlib import Path

from sqlite_utils import Database

from gatehouse.core.passage import Passage
from gatehouse.store import Ledger
from gatehouse.store.schema import migrations
from tests.factories import make_passage


def test_passages_table_has_a_column_per_field_plus_bookkeeping(ledger: Ledger) -> None:
    with closing(Database(ledger.path)) as db:
        table = db.table("passages")
        fields = {f.name for f in dataclasses.fields(Passage)}
        assert set(table.columns_dict) == fields | {"recorded_at", "purged_at"}
        assert table.pks == ["passage_id"]
        assert {tuple(index.columns) for index in table.indexes} >= {
            ("decided_at",),
            ("pass_id",),
        }


def test_recorded_at_is_utc_iso_text(ledger: Ledger) -> None:
    passage = make_passage()
    ledger.record(passage).result()
    with closing(sqlite3.connect(ledger.path)) as conn:
        (recorded_at,) = conn.execute("SELECT recorded_at FROM passages").fetchone()
    assert recorded_at.endswith("+00:00")


def test_reopening_applies_each_migration_once_and_keeps_data(ledger_path: Path) -> None:
    passage = make_passage()
    with Ledger.open(ledger_path) as ledger:
        ledger.record(passage).result()
    for _ in range(2):
        with Ledger.open(ledger_path) as ledger:
            assert ledger.get(passage.passage_id) == passage

    with closing(Database(ledger_path)) as db:
        assert migrations.pending(db) == []
        applied = [m.name for m in migrations.applied(db)]
    assert applied[:2] == ["0001_create_passages", "0002_evidence_chain_outbox_sync"]
    assert len(applied) == len(set(applied))
