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


@migrations(name="0002_evidence_chain_outbox_sync")
def _evidence_chain_outbox_sync(db: Database) -> None:
    """Full evidence on passages; the audit log, hash chain and outbox; what sync keeps.

    ``chain`` holds one link per passage or audit event (see ``gatehouse.core.chain``);
    ``outbox`` one row per link still to reach the hub (``state``: pending, synced, rejected).
    ``purged_at`` marks a passage whose personal fields a retention purge erased.
    """
    passages = db.table("passages")
    passages.add_column("guard_id", str)
    passages.add_column("id_hash", str)
    passages.add_column("evidence", str, not_null_default="{}")
    passages.add_column("purged_at", str)
    db.table("audit_events").create(
        {
            "event_id": str,
            "kind": str,
            "at": str,
            "booth_id": str,
            "actor": str,
            "details": str,
            "recorded_at": str,
        },
        pk="event_id",
        not_null={"event_id", "kind", "at", "booth_id", "actor", "details", "recorded_at"},
    )
    db.table("chain").create(
        {
            "seq": int,
            "kind": str,
            "record_id": str,
            "public_digest": str,
            "personal_digest": str,
            "prev_hash": str,
            "hash": str,
        },
        pk="seq",
        not_null={"kind", "record_id", "public_digest", "personal_digest", "prev_hash", "hash"},
    )
    db.table("chain").create_index(["kind", "record_id"], index_name="chain_record", unique=True)
    db.table("outbox").create(
        {"seq": int, "state": str, "updated_at": str, "detail": str},
        pk="seq",
        foreign_keys=[("seq", "chain", "seq")],
        not_null={"state", "updated_at"},
    )
    db.execute("CREATE INDEX outbox_pending ON outbox(seq) WHERE state = 'pending'")
    db.table("bundles").create(
        {
            "name": str,
            "version": int,
            "content": str,
            "signed": bytes,
            "etag": str,
            "published_at": str,
            "received_at": str,
        },
        pk="name",
        not_null={"version", "content", "signed", "etag", "published_at", "received_at"},
    )
    db.table("sync_settings").create({"key": str, "value": str}, pk="key", not_null={"value"})


@migrations(name="supervisor_0001_search_indexes_and_pin")
def _supervisor_search_indexes_and_pin(db: Database) -> None:
    """Indexes for the supervisor's passage search; the supervisor PIN and its lockout.

    ``supervisor_pin`` has at most one row (``slot`` 1): the argon2id hash, the failed attempts
    since the last success, and until when entry is locked; kept here so a restart does not
    reset the lockout.
    """
    passages = db.table("passages")
    passages.create_index(["booth_id", "decided_at"], index_name="passages_booth_time")
    passages.create_index(["outcome", "decided_at"], index_name="passages_outcome_time")
    passages.create_index(["role", "decided_at"], index_name="passages_role_time")
    passages.create_index(["id_masked"], index_name="passages_id_masked")
    db.table("supervisor_pin").create(
        {"slot": int, "pin_hash": str, "failed_attempts": int, "locked_until": str, "set_at": str},
        pk="slot",
        not_null={"pin_hash", "failed_attempts", "set_at"},
    )


@migrations(name="lists_0001_local_person_lists")
def _local_person_lists(db: Database) -> None:
    """The mine's own person lists, imported by a supervisor (``gatehouse.store.lists``).

    One row per person and list kind: the keyed hash and masked ID number only, never the
    full number; ``details`` is the kind's other fields as JSON (window, host, company, …).
    """
    db.table("local_list_entries").create(
        {
            "kind": str,
            "id_hash": str,
            "id_masked": str,
            "name": str,
            "details": str,
            "imported_at": str,
        },
        pk=("kind", "id_hash"),
        not_null={"kind", "id_hash", "id_masked", "details", "imported_at"},
    )


@migrations(name="lists_0002_list_versions")
def _list_versions(db: Database) -> None:
    """Every version of each local list, so an import says what it changed and can be undone.

    One row per import, addition, removal or restore (``mode``): who did it, from which file,
    how many people were added and removed, and ``entries``, the whole list afterwards (the
    rows of ``local_list_entries`` as JSON), which a restore brings back. Lists imported before
    this migration become their version 1.
    """
    db.table("local_list_versions").create(
        {
            "kind": str,
            "version": int,
            "mode": str,
            "people": int,
            "added": int,
            "removed": int,
            "imported_at": str,
            "imported_by": str,
            "file": str,
            "restored_from": int,
            "entries": str,
        },
        pk=("kind", "version"),
        not_null={
            "kind",
            "version",
            "mode",
            "people",
            "added",
            "removed",
            "imported_at",
            "imported_by",
            "file",
            "entries",
        },
    )
    db.execute(
        "INSERT INTO local_list_versions (kind, version, mode, people, added, removed,"
        " imported_at, imported_by, file, entries)"
        " SELECT kind, 1, 'replace', count(*), count(*), 0, max(imported_at), '', '',"
        " json_group_array(json_object('id_hash', id_hash, 'id_masked', id_masked,"
        " 'name', name, 'details', details, 'imported_at', imported_at))"
        " FROM local_list_entries GROUP BY kind"
    )


@migrations(name="bundles_0001_kept_documents")
def _kept_documents(db: Database) -> None:
    """The last good copy of an office document the booth took, beside the bundle it holds
    now (the EU DCC value sets: a later document refused leaves the office's last good
    sets in force, never the looser ones shipped with the release)."""
    db.table("kept_documents").create(
        {"name": str, "content": str, "kept_at": str},
        pk="name",
        not_null={"content", "kept_at"},
    )
