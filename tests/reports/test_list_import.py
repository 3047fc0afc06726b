"""List files from supervisors: every row checked, and any error means nothing is taken."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl

from gatehouse.core.rules.persons import check_character
from gatehouse.reports.list_rows import ListKind, parse_list, read_rows


def _id(first17: str) -> str:
    return first17 + check_character(first17)


GOOD = _id("11010519491231002")
OTHER = _id("32010219800101123")


def test_a_clean_contractor_sheet_is_read_in_full(tmp_path: Path) -> None:
    path = tmp_path / "contractors.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["姓名", "身份证号", "单位", "项目", "行程"])
    sheet.append(["张三", GOOD.lower(), "华建公司", "主井检修", "太原、大同"])
    sheet.append([None, None, None, None, None])  # blank rows are skipped
    sheet.append(["李四", OTHER, "华建公司", "主井检修", None])
    book.save(path)
    parsed = parse_list(ListKind.CONTRACTORS, read_rows(path))
    assert parsed.ok
    first, second = parsed.entries
    assert first == {
        "id_number": GOOD,
        "company": "华建公司",
        "project": "主井检修",
        "name": "张三",
        "itinerary": ["太原", "大同"],
    }
    assert second["itinerary"] is None


def test_every_bad_row_is_reported_and_nothing_is_taken(tmp_path: Path) -> None:
    path = tmp_path / "visitors.csv"
    path.write_text(
        "身份证号,开始,结束,接待人,审批号\n"
        f"{GOOD},2024-03-01,2024-03-03,王主任,A-1\n"
        f"{GOOD[:-1]}0,2024-03-01,2024-03-03,王主任,A-2\n"
        f"{OTHER},2024/03/05,2024-03-04,王主任,A-3\n"
        f"{GOOD},2024-03-01,sometime,,A-4\n",
        encoding="gb18030",
    )
    parsed = parse_list(ListKind.VISITORS, read_rows(path))
    assert not parsed.ok and parsed.entries == ()
    found = {(e.row, e.column) for e in parsed.errors}
    assert found == {(3, "身份证号"), (4, "结束"), (5, "结束"), (5, "接待人"), (5, "身份证号")}
    messages = " ".join(e.message for e in parsed.errors)
    assert "check digit" in messages and "Same ID number as row 2" in messages


def test_an_id_number_excel_turned_into_a_number_is_caught(tmp_path: Path) -> None:
    path = tmp_path / "isolation.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["身份证号", "解除日期"])
    book.active.append([110105194912310020, datetime(2024, 3, 15)])
    book.save(path)
    (error,) = parse_list(ListKind.ISOLATION, read_rows(path)).errors
    assert error.row == 2 and "format the column as text" in error.message


def test_a_missing_column_is_named() -> None:
    parsed = parse_list(ListKind.CONTRACTORS, [["身份证号", "单位"], [GOOD, "华建"]])
    (error,) = parsed.errors
    assert error.row == 1 and "项目 (project)" in error.message


def test_a_contractor_file_may_give_each_person_their_own_days() -> None:
    rows: list[list[str | None]] = [
        ["身份证号", "单位", "项目", "开始", "结束"],
        [GOOD, "华建公司", "主井检修", "2026/12/01", "2026-12-31"],
        [OTHER, "华建公司", "主井检修", None, None],  # no days: the form's, or no limit
    ]
    parsed = parse_list(ListKind.CONTRACTORS, rows)
    assert parsed.ok
    first, second = parsed.entries
    assert (first["valid_from"], first["valid_until"]) == ("2026-12-01", "2026-12-31")
    assert second["valid_from"] is None and second["valid_until"] is None


def test_a_contractor_row_ending_before_it_starts_is_refused() -> None:
    rows = [
        ["身份证号", "单位", "项目", "开始", "结束"],
        [GOOD, "华建公司", "主井检修", "2026-12-31", "2026-12-01"],
        [OTHER, "华建公司", "主井检修", "2026-12-01", "soon"],
    ]
    parsed = parse_list(ListKind.CONTRACTORS, rows)
    assert parsed.entries == ()
    assert {(e.row, e.column) for e in parsed.errors} == {(2, "结束"), (3, "结束")}
