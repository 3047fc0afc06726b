"""The ledger's schema, as an ordered list of migrations applied by the writer on open.

Migrations are APPEND-ONLY. A booth's file records by name which ones it has run, so a
released migration must never be edited, renamed, reordered or removed: change the schema
by adding a new migration at the end. Each one spells its columns out literally instead of
deriving them from ``Passage``, so that later changes to the dataclass cannot alter what an
old migration does.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("gatehouse")


@migrations(name="0001_create_passages")
def _create_passages(db: Database) -> None:
    """One row per passage. Times are ISO 8601 UTC text; ``reasons`` is a JSON list."""
    passages = db.table("passages")
    passages.create(
        {
            "passage_id": str,
            "booth_id": str,
            "checkpoint_type": str,
            "decided_at": str,
            "clock_source": str,
            "scanned_text": str,
            "code_kind": str,
            "pass_id": str,
            "holder_name": str,
            "id_masked": str,
            "role": str,
            "temperature_c": float,
            "temperature_source": str,
            "outcome": str,
            "reasons": str,
            "policy_version": str,
            "recorded_at": str,
        },
        pk="passage_id",
        not_null={
            "passage_id",
            "booth_id",
            "checkpoint_type",
            "decided_at",
            "clock_source",
            "scanned_text",
            "code_kind",
            "outcome",
            "reasons",
            "policy_version",
            "recorded_at",
        },
    )
    passages.create_index(["decided_at"], index_name="passages_decided_at")
    passages.create_index(["pass_id"], index_name="passages_pass_id")


def migrate(db: Database) -> None:
    """Bring ``db`` up to the latest schema; run it as a writer job so it is one transaction."""
    migrations.apply(db)
