"""The supervisor's passage search: filters, person lookup, paging, and old ledger files."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from gatehouse.core.models import Outcome
from gatehouse.core.reasons import reason
from gatehouse.core.rules.persons import IdNumberError, check_character
from gatehouse.store import Ledger
from gatehouse.store.queries import PassageFilter, PassageQueries
from tests.factories import make_passage

T0 = datetime(2024, 3, 1, 6, 0, tzinfo=UTC)
ID_NUMBER = "11010519491231002" + check_character("11010519491231002")


def _record(ledger: Ledger, **fields: object) -> str:
    passage = make_passage(**fields)
    ledger.record(passage).result()
    return passage.passage_id


def _ids(rows: list[dict[str, object]]) -> set[object]:
    return {row["passage_id"] for row in rows}


def test_date_range_includes_start_and_excludes_end(ledger: Ledger) -> None:
    before = _record(ledger, decided_at=T0 - timedelta(microseconds=1))
    at_start = _record(ledger, decided_at=T0)
    at_end = _record(ledger, decided_at=T0 + timedelta(hours=1))
    found = PassageQueries(ledger.path).search(PassageFilter(start=T0, end=T0 + timedelta(hours=1)))
    assert _ids(found) == {at_start}
    assert before not in _ids(found) and at_end not in _ids(found)


def test_filters_by_booth_outcome_reason_and_role(ledger: Ledger) -> None:
    revoked = reason("pass.revoked", pass_id="P-9")
    wanted = _record(
        ledger,
        booth_id="north",
        outcome=Outcome.TURN_AWAY,
        reasons=(revoked,),
        role="contractor",
    )
    _record(ledger, booth_id="north", outcome=Outcome.ADMIT, role="contractor")
    _record(ledger, booth_id="south", outcome=Outcome.TURN_AWAY, reasons=(revoked,))
    queries = PassageQueries(ledger.path)
    chosen = PassageFilter(
        booth_ids=("north",), outcomes=(Outcome.TURN_AWAY,), reason_code="pass.revoked"
    )
    assert _ids(queries.search(chosen)) == {wanted}
    assert queries.count(PassageFilter(role="contractor")) == 2
    assert queries.booth_ids() == ["north", "south"]
    assert queries.reason_codes() == ["pass.revoked"]


def test_person_by_full_id_number_matches_its_masked_form(ledger: Ledger) -> None:
    mine = _record(ledger, id_masked=ID_NUMBER[:4] + "*" * 10 + ID_NUMBER[-4:])
    six_kept = _record(ledger, id_masked=ID_NUMBER[:6] + "*" * 8 + ID_NUMBER[-4:])
    _record(ledger, id_masked="3201**********0011")
    queries = PassageQueries(ledger.path)
    assert _ids(queries.search(PassageFilter(person=ID_NUMBER))) == {mine, six_kept}
    spaced = f" {ID_NUMBER[:6]} {ID_NUMBER[6:]} ".lower()
    assert _ids(queries.search(PassageFilter(person=spaced))) == {mine, six_kept}
    masked = ID_NUMBER[:4] + "*" * 10 + ID_NUMBER[-4:]
    assert _ids(queries.search(PassageFilter(person=masked))) == {mine}


def test_person_by_id_hash_when_the_key_is_held(ledger: Ledger) -> None:
    hashed = _record(ledger, id_masked=None, id_hash="h-" + ID_NUMBER)
    queries = PassageQueries(ledger.path, id_hasher=lambda number: "h-" + number)
    assert _ids(queries.search(PassageFilter(person=ID_NUMBER))) == {hashed}


def test_a_mistyped_id_number_is_an_error_not_an_empty_result(ledger: Ledger) -> None:
    wrong_check = ID_NUMBER[:-1] + ("0" if ID_NUMBER[-1] != "0" else "1")
    with pytest.raises(IdNumberError, match="check digit"):
        PassageQueries(ledger.path).search(PassageFilter(person=wrong_check))


def test_person_by_part_of_a_name_treats_wildcards_literally(ledger: Ledger) -> None:
    zhang = _record(ledger, holder_name="张三丰")
    percent = _record(ledger, holder_name="100% Li")
    _record(ledger, holder_name="李四")
    queries = PassageQueries(ledger.path)
    assert _ids(queries.search(PassageFilter(person="三"))) == {zhang}
    assert _ids(queries.search(PassageFilter(person="%"))) == {percent}


def test_search_is_latest_first_and_limited(ledger: Ledger) -> None:
    ids = [_record(ledger, decided_at=T0 + timedelta(minutes=i)) for i in range(5)]
    found = PassageQueries(ledger.path).search(PassageFilter(), limit=3)
    assert [row["passage_id"] for row in found] == ids[::-1][:3]


def test_iter_rows_pages_through_everything_in_order_even_with_equal_times(
    ledger: Ledger,
) -> None:
    same_time = [_record(ledger, decided_at=T0) for _ in range(7)]
    later = _record(ledger, decided_at=T0 + timedelta(seconds=1))
    rows = list(PassageQueries(ledger.path).iter_rows(PassageFilter(), batch=3))
    assert [row["passage_id"] for row in rows] == [*same_time, later]


def test_queries_never_write(ledger: Ledger) -> None:
    _record(ledger)
    queries = PassageQueries(ledger.path)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        queries._rows("DELETE FROM passages", ())  # the connection itself refuses writes
    assert ledger.count() == 1


def test_a_ledger_from_before_later_columns_is_still_searchable(tmp_path: Path) -> None:
    """Only the first release's columns: nothing newer may be required to search it."""
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute(
            "CREATE TABLE passages (passage_id TEXT PRIMARY KEY, booth_id TEXT, decided_at TEXT,"
            " outcome TEXT, reasons TEXT, holder_name TEXT, id_masked TEXT, role TEXT)"
        )
        conn.execute(
            "INSERT INTO passages VALUES ('p1', 'b1', ?, 'ADMIT', '[]', '王五', NULL, NULL)",
            (T0.isoformat(timespec="microseconds"),),
        )
    queries = PassageQueries(path)
    assert [row["holder_name"] for row in queries.search(PassageFilter(person="王"))] == ["王五"]
    assert queries.count(PassageFilter(start=T0)) == 1


def test_the_last_four_characters_find_the_person(ledger: Ledger) -> None:
    """What a guard reads off a masked number or an ID card is enough."""
    wanted = _record(ledger, id_masked="110105**********123X")
    _record(ledger, id_masked="110105**********4567")
    queries = PassageQueries(ledger.path)
    assert _ids(queries.search(PassageFilter(person="123x"))) == {wanted}
    assert _ids(queries.search(PassageFilter(person=" 123X "))) == {wanted}


def test_the_guard_on_duty_filters(ledger: Ledger) -> None:
    seven = _record(ledger, guard_id="Guard 07")
    _record(ledger, guard_id="Guard 12")
    _record(ledger)
    queries = PassageQueries(ledger.path)
    assert _ids(queries.search(PassageFilter(guard="Guard 07"))) == {seven}
    assert queries.guard_ids() == ["Guard 07", "Guard 12"]
