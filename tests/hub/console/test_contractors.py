"""The contractor ledger across booths, in a real browser against a real hub: the office's
published list against each mine's passages, on the page and as CSV/XLSX files."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import openpyxl
from playwright.sync_api import Page, expect

from gatehouse.core.models import Outcome, Role
from gatehouse.core.passage import Passage
from gatehouse.core.rules.persons import (
    ContractorEntry,
    PersonLists,
    check_character,
    id_hash,
    key_check,
)
from gatehouse.hub.console.accounts import Accounts
from gatehouse.hub.service import Hub
from gatehouse.reports.contractor_lines import NOT_REGISTERED, REGISTERED, SHEET_TITLE
from tests.factories import make_passage
from tests.hub.console.conftest import log_in, submit
from tests.hub.console.seed import enrolled_booth, upload

SECRET = b"hub-contractor-ledger-secret-32b"
NORTH, SOUTH = "北矿 North", "南矿 South"
MORNING = datetime(2024, 3, 4, 1, 0, tzinfo=UTC)  # 09:00 at the mines, Monday


def _number(first17: str) -> str:
    return first17 + check_character(first17)


WANG, ZHAO, LI = (
    _number("11010519800101001"),
    _number("11010519850202002"),
    _number("11010519870707003"),
)
SUN, WORKER = _number("11010519900303003"), _number("11010519990909009")


def _hash(number: str) -> str:
    return id_hash(SECRET, number)


def _publish_list(hub: Hub) -> None:
    entries = {
        _hash(WANG): ContractorEntry(
            _hash(WANG),
            "华建公司",
            "主井检修",
            ("太原", "大同"),
            date(2024, 3, 1),
            date(2024, 3, 31),
        ),
        _hash(ZHAO): ContractorEntry(_hash(ZHAO), "华建公司", "通风改造"),
        _hash(LI): ContractorEntry(_hash(LI), "晋北机电", "南井供电"),
    }
    lists = PersonLists("v1", MORNING, key_check(SECRET), contractors=entries)
    hub.publish("lists", json.loads(lists.to_json()))


def _pass(booth_id: str, hours: int, number: str, name: str, **fields: object) -> Passage:
    fields.setdefault("role", Role.CONTRACTOR.value)
    return make_passage(
        booth_id=booth_id,
        decided_at=MORNING + timedelta(hours=hours),
        id_hash=_hash(number),
        holder_name=name,
        id_masked=f"{number[:6]}********{number[-4:]}",
        **fields,
    )


def _seed(hub: Hub, hub_url: str, folder: Path) -> None:
    _publish_list(hub)
    north = [
        _pass("north-gate-1", 0, WANG, "王建国", temperature_c=36.4),
        _pass("north-gate-1", 24, WANG, "王建国", temperature_c=37.9, outcome=Outcome.TURN_AWAY),
        _pass("north-gate-1", 2, SUN, "孙悟"),  # a contractor by role, not on the list
        _pass("north-gate-1", 3, WORKER, "员工甲", role=Role.EMPLOYEE.value),
        _pass("north-gate-1", -24 * 10, WANG, "王建国"),  # before the period
    ]
    upload(enrolled_booth(hub, hub_url, "north-gate-1", NORTH), folder, north)
    south = [_pass("south-gate-1", 1, LI, "李工", role=Role.EMPLOYEE.value)]  # listed: counted
    upload(enrolled_booth(hub, hub_url, "south-gate-1", SOUTH), folder, south)


def _rows(page: Page) -> list[list[str]]:
    cells = page.locator("#contractors tbody tr")
    return [row.split("\t") for row in cells.evaluate_all(_TEXTS)]


_TEXTS = "rows => rows.map(r => [...r.cells].map(c => c.innerText).join('\\t'))"


def test_the_office_sees_a_mines_ledger_and_downloads_it(
    page: Page, hub_url: str, accounts: Accounts, hub: Hub, tmp_path: Path
) -> None:
    _seed(hub, hub_url, tmp_path)
    log_in(page, hub_url, "staff")
    page.click("#nav-reports")
    page.click("#contractor-ledger")
    page.select_option("#mine", NORTH)
    page.fill("#from", "2024-03-04")
    page.fill("#to", "2024-03-10")
    submit(page, "#show")
    expect(page.locator("#list-state")).to_contain_text("外委名单版本:1")
    rows = _rows(page)
    # the list by company, project, name; then the unlisted; the employee is not here
    assert [(r[0], r[1], r[2], r[7], r[11], r[14], r[15]) for r in rows] == [
        ("华建公司", "主井检修", "王建国", "2", "1", "2024-03-01 – 2024-03-31", REGISTERED),
        ("华建公司", "通风改造", "", "0", "0", "", REGISTERED),
        ("晋北机电", "南井供电", "", "0", "0", "", REGISTERED),  # came to the south mine only
        ("", "", "孙悟", "1", "0", "", NOT_REGISTERED),
    ]
    assert rows[0][4] == "太原;大同" and rows[0][5] == "2024-03-04 09:00"

    with page.expect_download() as download:
        page.click("#download-csv")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert download.value.suggested_filename == "contractors-20240304-20240310.csv"
    lines = list(csv.reader(io.StringIO(text)))
    assert NORTH in lines[0][0] and "2024-03-04 – 2024-03-10" in lines[0][0]
    assert [line[2] for line in lines[2:]] == ["王建国", "", "", "孙悟"]

    reply = page.request.get(
        f"{hub_url}/console/reports/contractors.xlsx?mine=&from=2024-03-04&to=2024-03-10"
    )
    assert reply.status == 200
    sheet = openpyxl.load_workbook(io.BytesIO(reply.body())).active
    assert sheet is not None and sheet.title == SHEET_TITLE
    group = {row[2]: row[7] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert group == {"王建国": 2, "李工": 1, None: 0, "孙悟": 1}  # Zhao never came


def test_a_supervisor_gets_their_mines_ledger_only(
    page: Page, hub_url: str, accounts: Accounts, hub: Hub, tmp_path: Path
) -> None:
    _seed(hub, hub_url, tmp_path)
    log_in(page, hub_url, "south")
    page.goto(f"{hub_url}/console/reports/contractors?from=2024-03-04&to=2024-03-10")
    expect(page.locator("#mine")).to_have_count(0)
    assert [r[2] for r in _rows(page)] == ["", "", "李工"]
    for mine in (NORTH, ""):
        for path in ("contractors", "contractors.csv"):
            query = f"mine={mine}&from=2024-03-04&to=2024-03-10"
            assert page.request.get(f"{hub_url}/console/reports/{path}?{query}").status == 404
    page.goto(f"{hub_url}/console/reports/contractors?from=2024-03-10&to=2024-03-04")
    expect(page.locator("#message")).to_have_text("开始日期晚于结束日期:2024-03-10 – 2024-03-04")


def test_without_a_published_list_only_contractors_by_role_are_shown_saying_so(
    page: Page, hub_url: str, accounts: Accounts, hub: Hub, tmp_path: Path
) -> None:
    north = [_pass("north-gate-1", 2, SUN, "孙悟")]
    upload(enrolled_booth(hub, hub_url, "north-gate-1", NORTH), tmp_path, north)
    log_in(page, hub_url, "admin")
    page.goto(f"{hub_url}/console/reports/contractors?mine=&from=2024-03-04&to=2024-03-04")
    expect(page.locator("#list-state")).to_have_text(
        "防疫办尚未发布外委人员名单,下表只有以外委身份通行的人员。"
    )
    assert [(r[2], r[15]) for r in _rows(page)] == [("孙悟", NOT_REGISTERED)]
