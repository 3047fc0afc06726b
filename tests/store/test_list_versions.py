"""List imports that say what they do: replace, add or remove, previewed, audited, restorable."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlite_utils import Database

from gatehouse.core.rules.persons import check_character
from gatehouse.store.ledger import Ledger
from gatehouse.store.list_changes import ListMode
from gatehouse.store.lists import Importer, ListImportError, ListStore
from gatehouse.store.schema import migrations

SECRET = bytes(range(16))
AT = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
WHO = Importer("王主任", "north-gate", "supervisor")


def _id(serial: int) -> str:
    body = f"11010519491231{serial:03d}"
    return body + check_character(body)


PEOPLE = [{"id_number": _id(n), "name": f"人{n}"} for n in range(18)]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ListStore]:
    with Ledger.open(tmp_path / "ledger.sqlite3") as ledger:
        yield ListStore(ledger, SECRET, clock=lambda: AT)


def _import(store: ListStore, rows: list[dict[str, str]], mode: ListMode) -> None:
    change = store.preview("isolation", rows, mode)
    store.apply(change, rows, WHO, file="list.xlsx").result()


def test_adding_three_people_keeps_everyone_else(store: ListStore) -> None:
    _import(store, PEOPLE[:15], ListMode.REPLACE)
    added = PEOPLE[15:]
    change = store.preview("isolation", added, ListMode.ADD)
    assert (len(change.added), len(change.removed), change.unchanged) == (3, 0, 15)
    assert change.people_after == 18
    store.apply(change, added, WHO, file="three.csv").result()
    assert store.counts()["isolation"] == 18


def test_a_replace_previews_the_people_it_removes(store: ListStore) -> None:
    _import(store, PEOPLE, ListMode.REPLACE)
    change = store.preview("isolation", PEOPLE[:12], ListMode.REPLACE)
    assert (len(change.added), len(change.removed), change.unchanged) == (0, 6, 12)
    assert change.removed[0].name == "人12" and change.removed[0].id_masked.endswith(_id(12)[-4:])
    assert store.counts()["isolation"] == 18  # a preview writes nothing


def test_a_removal_needs_only_the_id_number_and_names_who_was_not_listed(
    store: ListStore,
) -> None:
    _import(store, PEOPLE[:5], ListMode.REPLACE)
    leaving = [{"id_number": _id(0)}, {"id_number": _id(17)}]
    change = store.preview("isolation", leaving, ListMode.REMOVE)
    assert [p.name for p in change.removed] == ["人0"]
    assert [p.id_masked[-4:] for p in change.not_on_list] == [_id(17)[-4:]]
    store.apply(change, leaving, WHO, file="leaving.csv").result()
    assert store.counts()["isolation"] == 4


def test_every_version_is_kept_and_an_old_one_can_be_restored(store: ListStore) -> None:
    _import(store, PEOPLE, ListMode.REPLACE)
    _import(store, PEOPLE[:12], ListMode.REPLACE)
    assert [(v.version, v.people, v.removed) for v in store.versions("isolation")] == [
        (2, 12, 6),
        (1, 18, 0),
    ]
    change = store.preview_restore("isolation", 1)
    assert (len(change.added), len(change.removed)) == (6, 0)
    restored = store.restore(change, 1, WHO).result()
    assert (restored.version, restored.mode, restored.restored_from) == (3, ListMode.RESTORE, 1)
    assert store.counts()["isolation"] == 18
    in_force = store.in_force()["isolation"]
    assert in_force is not None and in_force.imported_by == "王主任" and in_force.people == 18
    assert store.in_force()["visitors"] is None


def test_a_change_worked_out_before_another_import_is_refused(store: ListStore) -> None:
    _import(store, PEOPLE[:5], ListMode.REPLACE)
    stale = store.preview("isolation", PEOPLE[5:8], ListMode.REPLACE)
    _import(store, PEOPLE[:10], ListMode.ADD)
    with pytest.raises(ListImportError, match="changed after it was checked"):
        store.apply(stale, PEOPLE[5:8], WHO, file="old.csv").result()
    assert store.counts()["isolation"] == 10


def test_each_change_is_audited_with_its_mode_and_counts(store: ListStore) -> None:
    _import(store, PEOPLE[:5], ListMode.REPLACE)
    _import(store, PEOPLE[5:8], ListMode.ADD)
    with sqlite3.connect(store._ledger.path) as conn:
        rows = conn.execute(
            "SELECT actor, details FROM audit_events WHERE kind = 'list_import' ORDER BY at, rowid"
        ).fetchall()
    details = [json.loads(d) for _, d in rows]
    assert [(d["mode"], d["added"], d["removed"], d["people"]) for d in details] == [
        ("replace", 5, 0, 5),
        ("add", 3, 0, 8),
    ]
    assert details[1]["imported_by"] == "王主任" and details[1]["file"] == "list.xlsx"
    assert {actor for actor, _ in rows} == {"supervisor"}


def test_lists_imported_before_versions_become_version_one(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    db = Database(path)
    migrations.apply(db, stop_before="lists_0002_list_versions")
    db.table("local_list_entries").insert_all(
        {
            "kind": "isolation",
            "id_hash": f"h{n}",
            "id_masked": f"m{n}",
            "name": None,
            "details": "{}",
            "imported_at": AT.isoformat(),
        }
        for n in range(3)
    )
    db.close()
    with Ledger.open(path) as ledger:
        store = ListStore(ledger, SECRET)
        (version,) = store.versions("isolation")
        assert (version.version, version.people, version.imported_at) == (1, 3, AT)
        assert len(store.preview_restore("isolation", 1).removed) == 0
