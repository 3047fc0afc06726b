"""What SQLite will store for a row, worked out in Python before it is written.

A record's chain digests must be of the row as SQLite stored it, not as it was handed over: a
column's type affinity converts some values (an INTEGER column given '7' stores 7, a REAL
column given 36 stores 36.0, a TEXT column given 7 stores '7'). Reading the row back after the
INSERT is always right but costs the commit a guard waits for a query; ``StoredShape.predict``
applies the same conversions in Python for the values whose stored form is certain, and
answers ``None`` (read it back) for any other. tests/store/test_affinity.py checks it against
what SQLite really stores.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Collection, Mapping
from enum import Enum
from typing import Any


class Affinity(Enum):
    TEXT = "TEXT"
    NUMERIC = "NUMERIC"
    INTEGER = "INTEGER"
    REAL = "REAL"
    BLOB = "BLOB"


def column_affinity(declared: str) -> Affinity:
    """The affinity SQLite gives a column of this declared type (its rules 1-5, in order)."""
    upper = declared.upper()
    if "INT" in upper:
        return Affinity.INTEGER
    if "CHAR" in upper or "CLOB" in upper or "TEXT" in upper:
        return Affinity.TEXT
    if "BLOB" in upper or not upper:
        return Affinity.BLOB
    if "REAL" in upper or "FLOA" in upper or "DOUB" in upper:
        return Affinity.REAL
    return Affinity.NUMERIC


_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


class _UnpredictableError(Exception):
    """A value whose stored form this module does not work out (SQLite's own formatting of a
    float as text, numeric text in a numeric column, any type but None/int/float/str)."""


def stored_value(value: object, affinity: Affinity) -> Any:
    """The value SQLite hands back for ``value`` bound to a column of ``affinity``.

    Exact types only: a subclass (an enum, a bool) binds by its own rules, so it is read back.
    """
    if value is None:
        return None
    if type(value) is str:
        if affinity is Affinity.TEXT or affinity is Affinity.BLOB:
            return value
    elif type(value) is int:
        if _INT64_MIN <= value <= _INT64_MAX:  # else sqlite3 refuses it: the INSERT says so
            if affinity is Affinity.TEXT:
                return str(value)
            return float(value) if affinity is Affinity.REAL else value
    elif type(value) is float:
        if math.isnan(value):
            return None  # SQLite stores NaN as NULL
        if affinity is Affinity.REAL:
            return value + 0.0  # kept as an integer when integral, so -0.0 comes back 0.0
        if affinity is Affinity.BLOB:
            return value
    raise _UnpredictableError


class StoredShape:
    """A table's columns and their affinities, read once from the schema."""

    def __init__(self, table: str, affinities: Mapping[str, Affinity]) -> None:
        self.table = table
        self.affinities = dict(affinities)
        # Text and NULL pass through TEXT columns unchanged: checked in one sweep, so the
        # commit pays a conversion only for the others (the REAL temperature).
        self._text_columns = tuple(n for n, kind in affinities.items() if kind is Affinity.TEXT)
        self._others = tuple(
            (n, kind) for n, kind in affinities.items() if kind is not Affinity.TEXT
        )

    @classmethod
    def of(cls, conn: sqlite3.Connection, table: str, leave_out: Collection[str]) -> StoredShape:
        """The shape of ``table`` on ``conn``, without the ``leave_out`` columns (bookkeeping
        that is not part of a record's digests)."""
        info = conn.execute(f"SELECT name, type FROM pragma_table_info('{table}')").fetchall()
        if not info:
            raise LookupError(f"no table {table!r} in the ledger")
        return cls(
            table,
            {name: column_affinity(declared) for name, declared in info if name not in leave_out},
        )

    def predict(self, row: Mapping[str, Any]) -> dict[str, Any] | None:
        """The record SQLite will store for ``row`` (an INSERT naming these columns), or
        ``None`` if any value's stored form is not certain or a column is left to its
        default."""
        if row.keys() != self.affinities.keys():
            return None
        try:
            if _KEPT_AS_TEXT.issuperset(map(type, map(row.__getitem__, self._text_columns))):
                return {
                    **row,
                    **{name: stored_value(row[name], kind) for name, kind in self._others},
                }
            return {name: stored_value(row[name], kind) for name, kind in self.affinities.items()}
        except _UnpredictableError:
            return None


_KEPT_AS_TEXT = frozenset({str, type(None)})
