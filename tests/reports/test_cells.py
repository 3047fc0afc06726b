"""Formula injection (OWASP) and ID-number masking, cell by cell."""

from __future__ import annotations

import pytest

from gatehouse.reports.cells import MAX_CELL_CHARS, IdNumbers, id_number_cell, safe_cell, safe_text


@pytest.mark.parametrize(
    "dangerous",
    [
        '=HYPERLINK("http://evil.example","点我")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
        "＝1+1",
    ],
)
def test_text_a_spreadsheet_would_evaluate_gets_a_leading_apostrophe(dangerous: str) -> None:
    assert safe_text(dangerous) == "'" + dangerous


def test_ordinary_text_and_numbers_are_untouched() -> None:
    assert safe_text("张三 = 员工") == "张三 = 员工"
    assert safe_cell(-1.5) == -1.5  # a number is never a formula
    assert safe_cell(None) is None


def test_control_characters_are_shown_not_written() -> None:
    assert safe_text("GS\x1dseparated\x00") == "GS\\x1dseparated\\x00"


def test_overlong_text_is_cut_to_what_excel_keeps() -> None:
    assert len(safe_text("字" * (MAX_CELL_CHARS + 10))) == MAX_CELL_CHARS


def test_id_numbers_are_masked_unless_full_is_chosen() -> None:
    full = "110105194912310021"
    assert id_number_cell(full, IdNumbers.MASKED) == "1101**********0021"
    assert id_number_cell(full, IdNumbers.FULL) == full
    already = "110105********0021"
    assert id_number_cell(already, IdNumbers.MASKED) == already
    assert id_number_cell(None, IdNumbers.MASKED) is None
