"""A download in a named zone (the console's ``Asia/Shanghai``, the API's ``tz``) takes the
CSV's fast paths where the zone's offset is fixed over the exported times, and writes the
general path's file byte for byte (SQLite and PostgreSQL, the hub's process, its child, the API).
"""

from __future__ import annotations

import asyncio
import json
import shutil
from dataclasses import replace
from datetime import timedelta, timezone, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from gatehouse.hub import export_process, exports
from gatehouse.hub.export_process import ExportProcesses
from gatehouse.hub.export_zone import export_offset
from gatehouse.hub.exports import ExportFile, all_passages, export_passages
from gatehouse.hub.service import Hub, PassageQuery
from gatehouse.hub.tables import passages
from gatehouse.reports.cells import IdNumbers
from gatehouse.reports.columns import passage_columns
from gatehouse.reports.table import write_table
from tests.hub.test_api import START
from tests.hub.test_export_process import _killed
from tests.hub.test_exports import _download, _odd_records

SHANGHAI, BERLIN, UTC_ZONE = ZoneInfo("Asia/Shanghai"), ZoneInfo("Europe/Berlin"), ZoneInfo("UTC")
NOW = START + timedelta(days=1)
# The odd records' times, 2026-02-28 to 2026-03-01: Berlin is at +01:00 all through.
ODD_DAYS = PassageQuery(since="2026-02-27", until="2026-03-03")


def _general(hub: Hub, query: PassageQuery, zone: tzinfo, tmp_path: Path) -> tuple[str, bytes]:
    """The general path's file: every record through the named zone's columns."""
    path = tmp_path / "general.csv"
    write_table(all_passages(hub, query), passage_columns(zone, IdNumbers.MASKED, NOW), path, "csv")
    return f"passages-{NOW.astimezone(zone):%Y%m%d-%H%M%S}.csv", path.read_bytes()


def _moved(hub: Hub, passage_id: str, moment: str) -> None:
    """The stored passage ``passage_id`` as if decided at ``moment`` (its record and key), in
    JSON the fast paths read (no escapes)."""
    with hub.engine.begin() as conn:
        found = conn.execute(select(passages.c.record).where(passages.c.passage_id == passage_id))
        record = {**json.loads(found.scalar_one()), "decided_at": moment}
        conn.execute(
            update(passages)
            .where(passages.c.passage_id == passage_id)
            .values(decided_at=moment, record=json.dumps(record, ensure_ascii=False))
        )


def _taken(done: ExportFile) -> tuple[str, bytes]:
    try:
        return done.filename, done.path.read_bytes()
    finally:
        shutil.rmtree(done.folder)


def _no_general_path(*_: object) -> Any:
    raise AssertionError("the general path ran")


@pytest.mark.parametrize(
    ("zone", "query"),
    [
        (SHANGHAI, PassageQuery()),
        (SHANGHAI, PassageQuery(booth_ids=("booth-01", "booth-03"))),
        (UTC_ZONE, PassageQuery()),
        (BERLIN, ODD_DAYS),
        (SHANGHAI, PassageQuery(since="2030-01-01")),  # nothing: the offset at NOW
    ],
)
def test_a_zone_fixed_over_the_passages_takes_the_fast_path_alike(
    hub: Hub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, zone: tzinfo, query: PassageQuery
) -> None:
    _odd_records(hub, tmp_path)  # sixteen of booth-01's, most of them careful
    general = _general(hub, query, zone, tmp_path)
    monkeypatch.setattr(exports, "write_table", _no_general_path)

    fixed = export_offset(hub.engine, query, zone, NOW)

    assert fixed is not None and fixed.zone.utcoffset(None) == NOW.astimezone(zone).utcoffset()
    for server_cells in (True, False):  # PostgreSQL's SQL cells, or the child's own
        done = export_passages(hub, query, "csv", zone, NOW, server_cells=server_cells)
        assert _taken(done) == general


@pytest.mark.parametrize(
    ("zone", "moment", "cell"),
    [
        (SHANGHAI, "1988-06-01T02:03:04+00:00", "1988-06-01 11:03:04"),  # summer time, +09:00
        (BERLIN, "2026-07-01T02:03:04+00:00", "2026-07-01 04:03:04"),  # summer time, +02:00
    ],
)
def test_a_span_crossing_an_offset_change_writes_the_general_paths_bytes(
    hub: Hub, tmp_path: Path, zone: tzinfo, moment: str, cell: str
) -> None:
    """A passage in the zone's summer time among others in its standard time: the offset
    is not fixed, so every row goes the general way (each at its own offset)."""
    _odd_records(hub, tmp_path)
    _moved(hub, "odd-00", moment)

    filename, written = _taken(export_passages(hub, PassageQuery(), "csv", zone, NOW))

    assert (filename, written) == _general(hub, PassageQuery(), zone, tmp_path)
    assert f"\r\n{cell},".encode() in written
    assert export_offset(hub.engine, PassageQuery(), zone, NOW) is None


def test_a_stored_time_that_is_not_a_time_takes_the_general_path(hub: Hub, tmp_path: Path) -> None:
    """A bound of the span that does not read as a time (a row stored by other means than
    ingest): the span is unknown, so no offset is assumed."""
    _odd_records(hub, tmp_path)
    with hub.engine.begin() as conn:
        conn.execute(
            update(passages)
            .where(passages.c.passage_id == "odd-00")
            .values(decided_at="unknown")  # sorts after every year
        )

    done = export_passages(hub, PassageQuery(), "csv", SHANGHAI, NOW)
    assert _taken(done) == _general(hub, PassageQuery(), SHANGHAI, tmp_path)
    assert export_offset(hub.engine, PassageQuery(), SHANGHAI, NOW) is None


def test_the_childs_download_in_shanghai_time_is_the_general_paths(
    hub: Hub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The console's zone through the export child: on SQLite it reads with ``sqlite3`` alone
    (the engine's way is made to die), on PostgreSQL its fast path computes the cells."""
    _odd_records(hub, tmp_path)
    if hub.engine.dialect.name == "sqlite":
        monkeypatch.setattr(export_process, "_export", _killed)
    processes = ExportProcesses(hub.engine.url.render_as_string(hide_password=False))
    try:
        for query in (PassageQuery(), PassageQuery(booth_ids=("booth-01",))):
            child = asyncio.run(processes.export(query, "csv", SHANGHAI, NOW))
            assert child.rows == 16
            assert _taken(child) == _general(hub, query, SHANGHAI, tmp_path)
    finally:
        processes.close()


@pytest.mark.parametrize("zone", [SHANGHAI, BERLIN])
def test_the_apis_download_is_the_general_paths(
    hub: Hub, hub_url: str, tmp_path: Path, zone: ZoneInfo
) -> None:
    """The API's export on a real hub: Shanghai fixed over every passage, Berlin not (one
    passage in its summer time)."""
    _odd_records(hub, tmp_path)
    _moved(hub, "odd-00", "2026-07-01T02:03:04+00:00")
    hub.clock = lambda: NOW

    body, headers = _download(hub_url, "csv", tz=zone.key)

    filename, general = _general(hub, PassageQuery(), zone, tmp_path)
    assert body == general
    assert headers["Content-Disposition"].endswith(f'filename="{filename}"')


def test_a_fixed_offset_passes_through(hub: Hub) -> None:
    fixed = timezone(timedelta(hours=8), "CST")
    assert export_offset(hub.engine, PassageQuery(), fixed, NOW) == (fixed, PassageQuery())


def test_the_fast_path_exports_only_within_a_day_of_the_span_checked(
    hub: Hub, tmp_path: Path
) -> None:
    """A passage stored while the export runs, outside the span whose offset was checked,
    is left out rather than written at an offset it may not have."""
    _odd_records(hub, tmp_path)  # START (2024-03-01 06:00) to 2026-03-01 23:59:59.999999

    fixed = export_offset(hub.engine, PassageQuery(), SHANGHAI, NOW)
    narrowed = export_offset(hub.engine, ODD_DAYS, SHANGHAI, NOW)

    assert fixed is not None and narrowed is not None
    assert fixed.query == PassageQuery(
        since="2024-02-29T06:00:00.000000+00:00", until="2026-03-02T23:59:59.999999+00:00"
    )
    assert narrowed.query == replace(
        ODD_DAYS,  # 2026-02-27 to 2026-03-03, narrowed at both ends
        since="2026-02-27T20:00:00.500000+00:00",
        until="2026-03-02T23:59:59.999999+00:00",
    )
