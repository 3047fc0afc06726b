"""The mine's own person lists in the ledger: all-or-nothing imports, no full ID numbers."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from gatehouse.core.rules.persons import check_character, id_hash
from gatehouse.store.ledger import Ledger
from gatehouse.store.lists import ListImportError, ListStore

SECRET = bytes(range(16))
FIRST = "11010519491231002"
ID_1 = FIRST + check_character(FIRST)
SECOND = "32010219800101123"
ID_2 = SECOND + check_character(SECOND)
AT = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ListStore]:
    with Ledger.open(tmp_path / "ledger.sqlite3") as ledger:
        yield ListStore(ledger, SECRET, clock=lambda: AT)


def test_an_import_stores_hashes_and_masked_numbers_only(store: ListStore) -> None:
    rows = [{"id_number": ID_1, "name": "张伟", "until": "2024-05-10"}, {"id_number": ID_2}]
    assert store.replace_list("isolation", rows).result() == 2
    assert store.counts() == {"isolation": 2, "visitors": 0, "contractors": 0}
    assert [e["id_masked"] for e in store.entries("isolation")] == [
        ID_1[:4] + "*" * 10 + ID_1[-4:],
        ID_2[:4] + "*" * 10 + ID_2[-4:],
    ]
    raw = store._ledger.path.read_bytes()
    assert ID_1.encode() not in raw and ID_2.encode() not in raw
    lists = store.person_lists()
    assert lists is not None and lists.hashed_with(SECRET)
    assert lists.published_at == AT
    assert lists.isolation[id_hash(SECRET, ID_1)].until == date(2024, 5, 10)
    assert lists.isolation[id_hash(SECRET, ID_2)].until is None


def test_visitor_days_are_china_days_and_the_last_one_counts(store: ListStore) -> None:
    row = {
        "id_number": ID_1,
        "valid_from": "2024-05-01",
        "valid_until": "2024-05-02",
        "host": "李主任",
        "approval_id": "FY-7",
    }
    store.replace_list("visitors", [row]).result()
    lists = store.person_lists()
    assert lists is not None
    approval = lists.visitors[id_hash(SECRET, ID_1)]
    assert approval.valid_at(datetime(2024, 4, 30, 16, 0, tzinfo=UTC))  # 05-01 00:00 in China
    assert approval.valid_at(datetime(2024, 5, 2, 15, 59, tzinfo=UTC))  # 05-02 23:59 in China
    assert not approval.valid_at(datetime(2024, 5, 2, 16, 0, tzinfo=UTC))


def test_a_contractors_days_reach_the_decision_and_none_means_no_limit(store: ListStore) -> None:
    dated = {"id_number": ID_1, "company": "A", "project": "P"}
    days = {"valid_from": "2024-05-01", "valid_until": "2024-05-31"}
    undated = {"id_number": ID_2, "company": "B", "project": "Q"}
    store.replace_list("contractors", [{**dated, **days}, undated]).result()
    lists = store.person_lists()
    assert lists is not None
    entry = lists.contractors[id_hash(SECRET, ID_1)]
    assert (entry.valid_from, entry.valid_until) == (date(2024, 5, 1), date(2024, 5, 31))
    open_ended = lists.contractors[id_hash(SECRET, ID_2)]
    assert open_ended.valid_from is None and open_ended.valid_until is None
    with pytest.raises(ListImportError, match=r"Entry 1.*before"):
        store.replace_list("contractors", [{**dated, **days, "valid_from": "2024-06-01"}])
    with pytest.raises(ListImportError, match="Entry 1"):
        store.replace_list("contractors", [{**dated, "valid_until": "2024-13-01"}])


def test_a_bad_entry_changes_nothing(store: ListStore) -> None:
    store.replace_list(
        "contractors", [{"id_number": ID_1, "company": "A", "project": "P"}]
    ).result()
    bad = [
        {"id_number": ID_2, "company": "B", "project": "Q"},
        {"id_number": ID_1[:-1] + "0", "company": "C", "project": "R"},
    ]
    with pytest.raises(ListImportError, match="Entry 2"):
        store.replace_list("contractors", bad)
    with pytest.raises(ListImportError, match="twice"):
        store.replace_list("contractors", [bad[0], bad[0]])
    assert [e["company"] for e in store.entries("contractors")] == ["A"]


def test_a_failing_write_rolls_the_whole_import_back(store: ListStore) -> None:
    store.replace_list("isolation", [{"id_number": ID_1}]).result()
    store._ledger._writer.submit(
        lambda db: db.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON local_list_entries"
            " WHEN NEW.id_masked LIKE '3201%' BEGIN SELECT RAISE(ABORT, 'disk says no'); END"
        )
    ).result()
    with pytest.raises(sqlite3.IntegrityError):
        store.replace_list("isolation", [{"id_number": ID_1}, {"id_number": ID_2}]).result()
    assert store.counts()["isolation"] == 1


def test_a_booth_without_a_list_secret_cannot_store_lists(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "ledger.sqlite3") as ledger, pytest.raises(ListImportError):
        ListStore(ledger, b"")
