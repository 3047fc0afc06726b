"""``store.affinity`` predicts what SQLite stores, so a passage's digests can be taken before its
write: checked here against what a real SQLite file hands back, value by value and type by type
(the chain digests JSON, where 7, 7.0 and "7" differ)."""

import math
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from gatehouse.store import Ledger
from gatehouse.store.affinity import Affinity, StoredShape, column_affinity
from gatehouse.store.records import BOOKKEEPING_COLUMNS

# One column per declared type, covering SQLite's five affinities and its rules' order.
_DECLARED = {
    "t": "TEXT",
    "vc": "VARCHAR(20)",
    "r": "REAL",
    "dbl": "DOUBLE PRECISION",
    "i": "INTEGER",
    "bi": "BIGINT",
    "n": "NUMERIC",
    "dec": "DECIMAL(10,5)",
    "b": "BLOB",
    "none": "",
    "flt": "FLOATING POINT",  # contains "INT": INTEGER, SQLite's own example
}

_VALUES = (
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**63 - 1)
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
    | st.from_regex(r"\A\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*\Z")  # numeric text
    | st.binary(max_size=8)
)


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(tmp_path_factory.mktemp("affinity") / "values.sqlite3")
    columns = ", ".join(f'"{name}" {declared}' for name, declared in _DECLARED.items())
    conn.execute(f"CREATE TABLE t ({columns})")
    yield conn
    conn.close()


def test_declared_types_get_sqlites_affinities() -> None:
    expected = {
        "t": Affinity.TEXT,
        "vc": Affinity.TEXT,
        "r": Affinity.REAL,
        "dbl": Affinity.REAL,
        "i": Affinity.INTEGER,
        "bi": Affinity.INTEGER,
        "n": Affinity.NUMERIC,
        "dec": Affinity.NUMERIC,
        "b": Affinity.BLOB,
        "none": Affinity.BLOB,
        "flt": Affinity.INTEGER,
    }
    assert {name: column_affinity(declared) for name, declared in _DECLARED.items()} == expected


def _same(predicted: Any, stored: Any) -> bool:
    """Equal and of the same type (NaN is stored as NULL, so it never reaches here)."""
    if type(predicted) is not type(stored):
        return False
    if isinstance(stored, float) and math.isnan(stored):
        return False
    return bool(predicted == stored) and (
        not isinstance(stored, float) or math.copysign(1, predicted) == math.copysign(1, stored)
    )


@settings(max_examples=400)
@given(value=_VALUES)
@example(value="7")
@example(value=7)
@example(value=-0.0)
@example(value=float("nan"))
@example(value=float("inf"))
@example(value=2**53 + 1)
@example(value=True)
@example(value="a\x00b")
def test_a_predicted_row_is_the_row_sqlite_stores(table: sqlite3.Connection, value: Any) -> None:
    shape = StoredShape.of(table, "t", ())
    row = dict.fromkeys(_DECLARED, value)
    try:
        table.execute("DELETE FROM t")
        table.execute(f"INSERT INTO t VALUES ({', '.join('?' * len(row))})", tuple(row.values()))
    except OverflowError:
        assume(False)  # sqlite3 refuses to bind it: no row, nothing to predict
    names = [column[0] for column in table.execute("SELECT * FROM t").description]
    stored = dict(zip(names, table.execute("SELECT * FROM t").fetchone(), strict=True))
    for name, affinity in shape.affinities.items():
        predicted = shape.predict({name: value} | {n: None for n in row if n != name})
        if predicted is not None:
            assert _same(predicted[name], stored[name]), (affinity, value, stored[name])


@settings(max_examples=200)
@given(
    text=st.text(),
    number=st.none() | st.integers(-(2**63), 2**63 - 1) | st.floats(),
)
def test_text_in_text_columns_and_numbers_in_real_ones_are_predicted(
    text: str, number: int | float | None
) -> None:
    """The passages table's own case (text columns and the REAL temperature) never needs the
    read-back."""
    shape = StoredShape("t", {"t": Affinity.TEXT, "r": Affinity.REAL})
    assert shape.predict({"t": text, "r": number}) is not None


def test_a_row_unlike_the_table_is_not_predicted() -> None:
    shape = StoredShape("t", {"t": Affinity.TEXT, "r": Affinity.REAL})
    assert shape.predict({"t": "x"}) is None  # r left to its default
    assert shape.predict({"t": "x", "r": 1.0, "extra": 1}) is None
    assert shape.predict({"t": 1.5, "r": 1.0}) is None  # SQLite's own float formatting
    assert shape.predict({"t": "x", "r": "36.5"}) is None  # numeric text becomes a REAL


def test_the_ledger_shape_leaves_bookkeeping_out(ledger_path: Path) -> None:
    with Ledger.open(ledger_path):
        pass
    with closing(sqlite3.connect(ledger_path)) as conn:
        shape = StoredShape.of(conn, "passages", BOOKKEEPING_COLUMNS)
    assert "purged_at" not in shape.affinities
    assert shape.affinities["temperature_c"] is Affinity.REAL
    assert shape.affinities["holder_name"] is Affinity.TEXT


def test_a_missing_table_is_named(tmp_path: Path) -> None:
    with (
        closing(sqlite3.connect(tmp_path / "empty.sqlite3")) as conn,
        pytest.raises(LookupError, match="no table 'passages'"),
    ):
        StoredShape.of(conn, "passages", ())
