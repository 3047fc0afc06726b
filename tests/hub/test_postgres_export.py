"""The hub's CSV on PostgreSQL (``hub.postgres_export``): the columns computed in SQL write the
same bytes as the records parsed in Python, over records only a hub may hold."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, timedelta, timezone
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from gatehouse.core.chain import canonical_json
from gatehouse.core.china_time import CHINA_TIME
from gatehouse.hub.exports import _python_cells, _records, all_passages, as_row, export_passages
from gatehouse.hub.postgres_export import postgres_cells
from gatehouse.hub.service import Hub, PassageQuery
from gatehouse.reports.cells import Cell, IdNumbers, safe_cell, safe_text
from gatehouse.reports.columns import passage_columns
from gatehouse.reports.table import write_cells, write_table
from tests.hub.live import fresh_database, make_hub
from tests.hub.test_api import START
from tests.hub.test_exports import stored_copies

NOW = START + timedelta(days=1)
MASKED = IdNumbers.MASKED
EVIL_NAME = '=HYPERLINK("http://attacker.invalid/","点我")'
# What each odd record changes in an uploaded one (stored as ingest stores it, so the plain
# ones take SQL's path).
CHANGES: list[dict[str, Any]] = [
    {},
    {"holder_name": "张三"},
    {"holder_name": EVIL_NAME},
    {"holder_name": "＝1+1"},
    {"role": "-1+1", "temperature_c": None},
    {"holder_name": "\t张三"},
    {"holder_name": "张\u0000三"},
    {"holder_name": "张\\u三"},
    {"holder_name": "张\x07三"},
    {"holder_name": "[临时] 张三"},
    {"holder_name": "{张三}"},
    {"holder_name": "NaN Li"},
    {"pass_id": 12345},
    {"role": ["visitor"]},
    {"id_masked": "110101199001011234"},
    {"guard_id": "g" * 40_000},
    {"temperature_c": 37},
    {"temperature_c": 36.55},
    {"temperature_c": 38.149999},
    {"temperature_c": 1e300},
    {"temperature_c": 1e-7},
    {"temperature_c": -0.0},
    {"temperature_c": 0.0},
    {"temperature_c": -1.5},
    {"temperature_c": float("nan")},
    {"temperature_c": float("inf")},
    {"temperature_c": float("-inf")},
    {"temperature_c": "36.5"},
    {"temperature_c": True},
    {"decided_at": "2024-02-29T01:00:00+00:00"},
    {"decided_at": "2026-03-01T02:03:04.5+00:00"},
    {"decided_at": "2026-03-01T02:03:04.999+00:00"},
    {"decided_at": "2026-12-31T23:59:59.999999+00:00"},
    {"decided_at": "2026-03-01T02:03:04+08:00"},
    {"decided_at": "2026-03-01T02:03:04Z"},
    {"decided_at": "2026-04-30T16:00:00+00:00"},
    {"reasons": ""},
    {"reasons": "[]"},
    {"reasons": None},
    {"reasons": [{"code": "pass.revoked", "outcome": "TURN_AWAY"}]},
    {"outcome": "TURN_AWAY"},
    {"decided_at": "2000-02-29T12:00:00+00:00"},
]


@pytest.fixture
def pg_hub(tmp_path: Path) -> Iterator[Hub]:
    engine: Engine = fresh_database("postgresql", tmp_path)
    try:
        yield make_hub(engine)
    finally:
        engine.dispose()


def _stored(hub: Hub, tmp_path: Path, changes: list[dict[str, Any]]) -> None:
    """One uploaded passage, then stored copies of it with ``changes``, as ingest stores them."""
    stored_copies(hub, tmp_path, lambda base: changes, canonical_json)


def _through_columns(record: Mapping[str, Any], zone: timezone = CHINA_TIME) -> list[Cell]:
    return [safe_cell(c.value(as_row(record))) for c in passage_columns(zone, MASKED, NOW)]


def _python_path(hub: Hub, path: Path, zone: timezone = CHINA_TIME) -> bytes:
    """The file as PostgreSQL's export wrote it before: each record parsed in Python."""
    records = _records(hub, PassageQuery(), 5000)
    header = [safe_text(c.header) for c in passage_columns(zone, MASKED, NOW)]
    cells = _python_cells(records, partial(_through_columns, zone=zone), zone)
    write_cells(cells, header, path, "csv")
    return path.read_bytes()


@pytest.mark.parametrize("zone", [CHINA_TIME, UTC, timezone(-timedelta(hours=9, minutes=30))])
def test_sql_path_writes_the_python_paths_bytes(
    pg_hub: Hub, tmp_path: Path, zone: timezone
) -> None:
    _stored(pg_hub, tmp_path, CHANGES)
    columns_path = tmp_path / "columns.csv"
    columns = passage_columns(zone, MASKED, NOW)
    write_table(all_passages(pg_hub, PassageQuery()), columns, columns_path, "csv")

    done = export_passages(pg_hub, PassageQuery(), "csv", zone, NOW)

    assert done.path.read_bytes() == _python_path(pg_hub, tmp_path / "python.csv", zone)
    assert done.path.read_bytes() == columns_path.read_bytes()


def test_plain_records_take_sqls_path(pg_hub: Hub, tmp_path: Path) -> None:
    """Only what SQL cannot vouch for goes to Python; the batches do not change the rows."""
    _stored(pg_hub, tmp_path, CHANGES)
    sent: list[str] = []

    def careful(record: Mapping[str, Any]) -> list[Cell]:
        sent.append(record["passage_id"])
        return _through_columns(record)

    def cells(batch: int) -> list[str]:  # as text: a NaN temperature equals no NaN
        found = postgres_cells(pg_hub.engine, PassageQuery(), CHINA_TIME, careful, batch)
        return [repr(list(row)) for row in found]

    assert cells(2) == cells(5000)
    plain = {f"odd-{n:02d}" for n in (0, 1, 9, 10, 16, 23, 29, 31, 32, 35, 36, 37, 38, 40, 41)}
    odd = {f"odd-{n:02d}" for n in range(len(CHANGES))}
    assert {p for p in sent if p.startswith("odd-")} == odd - plain
    assert len(cells(5000)) == len(CHANGES) + 1


def test_query_conditions_apply(pg_hub: Hub, tmp_path: Path) -> None:
    _stored(pg_hub, tmp_path, CHANGES)
    query = PassageQuery(
        since="2026-03-01T00:00:00+00:00",
        until="2026-04-01T00:00:00+00:00",
        booth_ids=("booth-01",),
        reason="pass.revoked",
    )
    header = [safe_text(c.header) for c in passage_columns(CHINA_TIME, MASKED, NOW)]
    python_path = tmp_path / "python.csv"
    write_cells(
        _python_cells(_records(pg_hub, query, 5000), _through_columns, CHINA_TIME),
        header,
        python_path,
        "csv",
    )

    done = export_passages(pg_hub, query, "csv", CHINA_TIME, NOW)

    assert done.rows == 4
    assert done.path.read_bytes() == python_path.read_bytes()


@pytest.mark.parametrize(
    "decided_at",
    [
        "2026-02-30T00:00:00+00:00",
        "2100-02-29T00:00:00+00:00",
        "2026-04-31T00:00:00+00:00",
        "2026-13-01T00:00:00+00:00",
        "2026-03-01T24:00:00+00:00",
        "2026-03-01T23:60:00+00:00",
    ],
)
def test_a_date_python_refuses_fails_in_python_not_in_sql(
    pg_hub: Hub, tmp_path: Path, decided_at: str
) -> None:
    """SQL flags the impossible date and never casts it: the export stops with the columns'
    own error, as the Python path always did, not a database error midway."""
    _stored(pg_hub, tmp_path, [{"decided_at": decided_at}])

    with pytest.raises(ValueError, match=r"must be in|out of range"):
        export_passages(pg_hub, PassageQuery(), "csv", CHINA_TIME, NOW)
