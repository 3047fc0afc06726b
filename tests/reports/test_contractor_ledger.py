"""The contractor ledger from a real ledger and a contractor list imported from a real CSV file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from gatehouse.core.models import Outcome, Role
from gatehouse.core.passage import Passage
from gatehouse.core.rules.persons import check_character, id_hash
from gatehouse.reports.contractor_ledger import ContractorLedgerRequest
from gatehouse.reports.contractor_lines import NOT_REGISTERED, REGISTERED, SHEET_TITLE
from gatehouse.reports.export_process import run_export
from gatehouse.reports.list_rows import ListKind, parse_list, read_rows
from gatehouse.store import Ledger
from gatehouse.store.lists import ListStore
from gatehouse.store.queries import PassageQueries
from tests.factories import make_passage
from tests.reports.test_export import CST, _audit_events, _read

SECRET = b"contractor-ledger-test-secret-32"
START = datetime(2024, 3, 1, tzinfo=CST)
END = START + timedelta(days=7)


def _number(first17: str) -> str:
    return first17 + check_character(first17)


WANG = _number("11010519800101001")  # on the list, came twice in the week
ZHAO = _number("11010519850202002")  # on the list, did not come
SUN = _number("11010519900303003")  # not on the list, came as a contractor


def _import_list(ledger: Ledger, tmp_path: Path) -> None:
    sheet = tmp_path / "外委人员台账.csv"
    sheet.write_text(
        "身份证号,姓名,单位,项目,行程,开始,结束\n"
        f'{WANG},王建国,=HYPERLINK("http://x"),主井检修,太原、大同,2024-03-01,2024-03-31\n'
        f"{ZHAO},赵铁柱,华建公司,通风改造,,,\n",
        encoding="utf-8",
    )
    parsed = parse_list(ListKind.CONTRACTORS, read_rows(sheet))
    assert parsed.ok, parsed.errors
    ListStore(ledger, SECRET).replace_list(ListKind.CONTRACTORS, parsed.entries).result()


def _pass(at: datetime, number: str | None, **fields: object) -> Passage:
    hashed = id_hash(SECRET, number) if number else None
    fields.setdefault("role", Role.CONTRACTOR.value)
    return make_passage(decided_at=at.astimezone(UTC), id_hash=hashed, **fields)


@pytest.fixture
def filled(ledger: Ledger, tmp_path: Path) -> Ledger:
    _import_list(ledger, tmp_path)
    nine = START.replace(hour=9)
    passages = [
        _pass(nine - timedelta(days=3), WANG),  # before the range
        _pass(nine, WANG, holder_name="王建国", temperature_c=36.4),
        _pass(
            nine + timedelta(days=1),
            WANG,
            holder_name="王建国",
            temperature_c=37.9,
            outcome=Outcome.TURN_AWAY,
        ),
        _pass(nine + timedelta(hours=2), SUN, holder_name="孙悟", id_masked="110105**********0033"),
        _pass(nine + timedelta(days=2), SUN, holder_name="孙悟", outcome=Outcome.REMEASURE),
        _pass(
            nine + timedelta(hours=3),
            None,
            holder_name="无证者",
            pass_id="P-NOHASH",
            outcome=Outcome.REFER,
        ),
        _pass(nine, _number("11010519700404004"), role=Role.EMPLOYEE.value),  # not a contractor
    ]
    for passage in passages:
        ledger.record(passage).result()
    return ledger


def test_the_ledger_lists_every_registered_contractor_then_the_unlisted_flagged(
    filled: Ledger, tmp_path: Path
) -> None:
    path = tmp_path / "contractors.csv"
    rows = ContractorLedgerRequest(START, END, path, "csv", CST, mine="王庄煤矿").write(
        PassageQueries(filled.path), now=START
    )
    assert rows == 4
    (caption,), header, *lines = _read(path)
    assert isinstance(caption, str)
    assert caption.startswith("外委人员台账 · Contractors   王庄煤矿   2024-03-01 – 2024-03-07")
    assert header[5] == "首次通行 First passage (UTC+08:00)"
    by_name = {
        line[header.index("姓名 Name")]: dict(zip(header, line, strict=True)) for line in lines
    }
    assert [line[2] for line in lines] == ["王建国", "赵铁柱", "孙悟", "无证者"]  # by company

    wang = by_name["王建国"]
    assert wang["单位 Company"] == '\'=HYPERLINK("http://x")'  # shown, never evaluated
    assert wang["项目 Project"] == "主井检修" and wang["行程 Itinerary"] == "太原;大同"
    assert wang["登记有效期 Registered for (days)"] == "2024-03-01 – 2024-03-31"
    assert by_name["赵铁柱"]["登记有效期 Registered for (days)"] == ""  # no limit
    assert wang["证件号 ID number"] == WANG[:4] + "*" * 10 + WANG[-4:]
    assert wang["首次通行 First passage (UTC+08:00)"] == "2024-03-01 09:00:00"
    assert wang["末次通行 Last passage (UTC+08:00)"] == "2024-03-02 09:00:00"
    assert (wang["通行次数 Passages"], wang["通行 Admitted"], wang["劝返 Turned away"]) == (
        "2",
        "1",
        "1",
    )
    assert wang["末次体温 Last temperature °C"] == "37.9"
    assert wang["末次结果 Last outcome"] == "劝返 turn away"
    assert wang["已登记 On the contractor list"] == REGISTERED

    zhao = by_name["赵铁柱"]
    assert zhao["通行次数 Passages"] == "0" and zhao["首次通行 First passage (UTC+08:00)"] == ""

    sun = by_name["孙悟"]
    assert sun["已登记 On the contractor list"] == NOT_REGISTERED
    assert sun["通行次数 Passages"] == "2" and sun["末次结果 Last outcome"] == "复测 re-measure"
    assert sun["证件号 ID number"] == "110105**********0033"
    nobody = by_name["无证者"]
    assert nobody["已登记 On the contractor list"] == NOT_REGISTERED
    assert (nobody["通行次数 Passages"], nobody["转主管 Referred"]) == ("1", "1")  # referred
    assert (sun["通行 Admitted"], sun["复测 Re-measured"]) == ("1", "1")  # the outcomes add up


def test_the_ledger_as_excel_is_written_by_the_child_process_and_audited(
    filled: Ledger, tmp_path: Path
) -> None:
    path = tmp_path / "contractors.xlsx"
    seen: list[tuple[int, int]] = []
    done = run_export(
        filled.path,
        ContractorLedgerRequest(START, END, path, "xlsx", CST),
        audit=filled,
        booth_id="north-gate",
        actor="supervisor",
        now=START,
        progress=lambda done, total: seen.append((done, total)),
        progress_every=2,
    )
    assert done.rows == 4
    assert seen == [(2, 5), (4, 5), (5, 5)]  # the contractors' passages in the range
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    assert sheet.title == SHEET_TITLE
    assert str(sheet.cell(row=1, column=1).value).startswith("外委人员台账")  # the title row
    assert sheet.cell(row=2, column=1).font.b  # the bold header under it, kept in view
    assert sheet.freeze_panes == "A3" and sheet.auto_filter.ref == "A2:P6"
    company = sheet.cell(row=3, column=1)
    assert company.value == '\'=HYPERLINK("http://x")' and company.data_type == "s"
    assert sheet.cell(row=3, column=8).value == 2  # passages stay a number
    first = sheet.cell(row=3, column=6)
    assert first.value == datetime(2024, 3, 1, 9, 0)
    assert first.number_format == "yyyy-mm-dd hh:mm:ss"
    (event,) = _audit_events(filled)
    assert event["kind"] == "export"
    assert event["details"] == {
        "what": "contractor_ledger",
        "id_numbers": "masked",
        "format": "xlsx",
        "file": "contractors.xlsx",
        "start": START.isoformat(),
        "end": END.isoformat(),
    }


def test_without_a_list_every_contractor_seen_is_flagged(ledger: Ledger, tmp_path: Path) -> None:
    ledger.record(_pass(START.replace(hour=8), SUN, holder_name="孙悟")).result()
    path = tmp_path / "none.csv"
    ContractorLedgerRequest(START, END, path, "csv", CST).write(
        PassageQueries(ledger.path), now=START
    )
    _, _, line = _read(path)
    assert line[2] == "孙悟" and line[-1] == NOT_REGISTERED
