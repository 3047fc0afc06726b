"""Person lists from the supervisor's spreadsheets (Excel or CSV), checked row by row.

A file is taken whole or not at all: every row is validated first, and any error stops the
import with the row, the column and what is wrong, so the supervisor fixes the file and tries
again. Storing the accepted rows (keyed hashes, one transaction) is the list store's job; this
module hands it entries. A file of people to remove from a list needs only their ID numbers
(``removal``).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from gatehouse.core.rules.persons import IdNumberError, normalise_id_number


class ListKind(StrEnum):
    ISOLATION = "isolation"
    VISITORS = "visitors"
    CONTRACTORS = "contractors"


@dataclass(frozen=True)
class RowError:
    row: int  # as the spreadsheet numbers it: the header is row 1
    column: str
    message: str


@dataclass(frozen=True)
class ParsedList:
    kind: ListKind
    entries: tuple[dict[str, Any], ...]
    errors: tuple[RowError, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


# field -> header names accepted for it (Chinese and English, case-insensitive)
ALIASES: dict[str, tuple[str, ...]] = {
    "id_number": ("身份证号", "身份证号码", "证件号", "id number", "id_number"),
    "name": ("姓名", "name"),
    "until": ("解除日期", "隔离至", "until"),
    "valid_from": ("开始", "起始日期", "valid from", "valid_from"),
    "valid_until": ("结束", "截止日期", "valid until", "valid_until"),
    "host": ("接待人", "host"),
    "approval_id": ("审批号", "approval id", "approval_id"),
    "company": ("单位", "公司", "company"),
    "project": ("项目", "project"),
    "itinerary": ("行程", "itinerary"),
}
REQUIRED: dict[ListKind, tuple[str, ...]] = {
    ListKind.ISOLATION: ("id_number",),
    ListKind.VISITORS: ("id_number", "valid_from", "valid_until", "host", "approval_id"),
    ListKind.CONTRACTORS: ("id_number", "company", "project"),
}
OPTIONAL: dict[ListKind, tuple[str, ...]] = {
    ListKind.ISOLATION: ("name", "until"),
    ListKind.VISITORS: ("name",),
    ListKind.CONTRACTORS: ("name", "itinerary", "valid_from", "valid_until"),
}
_DATES = frozenset({"until", "valid_from", "valid_until"})


def read_rows(path: Path) -> list[list[Any]]:
    """The cells of the first sheet (XLSX) or of a CSV in UTF-8 (with or without BOM) or GB18030."""
    return rows_of(path.name, path.read_bytes())


def rows_of(name: str, data: bytes) -> list[list[Any]]:
    """``read_rows`` for a file's bytes (an upload), ``name`` telling XLSX from CSV; ValueError
    saying why when the bytes are neither."""
    if name.lower().endswith((".xlsx", ".xlsm")):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except (OSError, ValueError, KeyError, zipfile.BadZipFile):
            raise ValueError(
                f"{name}: 不是可读的 Excel 文件 · not a readable Excel workbook"
            ) from None
        try:
            return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]
        finally:
            book.close()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValueError(f"{name}: 不是 UTF-8 或 GB18030 文本 · not UTF-8 or GB18030 text")
    return [list(row) for row in csv.reader(text.splitlines())]


def parse_list(
    kind: ListKind, rows: Sequence[Sequence[Any]], *, removal: bool = False
) -> ParsedList:
    if not rows:
        return ParsedList(kind, (), (RowError(1, "", "文件为空 · The file is empty"),))
    columns = _columns(rows[0])
    required = ("id_number",) if removal else REQUIRED[kind]
    optional = ("name",) if removal else OPTIONAL[kind]
    missing = [f for f in required if f not in columns]
    if missing:
        names = ", ".join(f"{ALIASES[f][0]} ({ALIASES[f][-1]})" for f in missing)
        return ParsedList(kind, (), (RowError(1, names, f"缺少列 · Missing column: {names}"),))
    numbered: list[tuple[int, dict[str, Any]]] = []
    errors: list[RowError] = []
    seen: dict[str, int] = {}
    wanted = (*required, *(f for f in optional if f in columns))
    for number, cells in enumerate(rows[1:], start=2):
        if all(_blank(cell) for cell in cells):
            continue
        entry: dict[str, Any] = {}
        for field in wanted:
            index = columns[field]
            cell = cells[index] if index < len(cells) else None
            try:
                entry[field] = _value(field, cell, required=field in required)
            except ValueError as exc:
                errors.append(RowError(number, ALIASES[field][0], str(exc)))
        number_seen = entry.get("id_number")
        if number_seen in seen:
            errors.append(
                RowError(
                    number,
                    ALIASES["id_number"][0],
                    f"与第{seen[number_seen]}行重复 · Same ID number as row {seen[number_seen]}",
                )
            )
        elif number_seen:
            seen[number_seen] = number
        numbered.append((number, entry))
    if kind in (ListKind.VISITORS, ListKind.CONTRACTORS):
        errors.extend(_window_errors(numbered))
    entries = () if errors else tuple(entry for _, entry in numbered)
    return ParsedList(kind, entries, tuple(errors))


def _columns(header: Iterable[Any]) -> dict[str, int]:
    lookup = {alias.casefold(): field for field, names in ALIASES.items() for alias in names}
    found: dict[str, int] = {}
    for index, cell in enumerate(header):
        field = lookup.get(str(cell or "").strip().casefold())
        if field is not None and field not in found:
            found[field] = index
    return found


def _blank(cell: Any) -> bool:
    return cell is None or str(cell).strip() == ""


def _value(field: str, cell: Any, *, required: bool) -> Any:
    if _blank(cell):
        if required:
            raise ValueError("必填项为空 · Required value is empty")
        return None
    if field == "id_number":
        if isinstance(cell, int | float):
            raise ValueError(
                "身份证号被 Excel 存成了数字,末几位已丢失;请将该列设为文本 · The ID number was "
                "stored by Excel as a number and has lost digits: format the column as text"
            )
        try:
            return normalise_id_number(str(cell))
        except IdNumberError as exc:
            raise ValueError(f"身份证号无效 · Invalid ID number: {exc}") from None
    if field in _DATES:
        return _date(cell)
    if field == "itinerary":
        return [p.strip() for p in str(cell).replace("、", ";").split(";") if p.strip()]
    return str(cell).strip()


def _date(cell: Any) -> str:
    if isinstance(cell, datetime):
        return cell.date().isoformat()
    if isinstance(cell, date):
        return cell.isoformat()
    text = str(cell).strip().replace("/", "-").replace(".", "-")
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValueError(
            f"日期无法识别:{text}(应为 2024-03-01)· Not a date: {text} (expected 2024-03-01)"
        ) from None


def _window_errors(numbered: list[tuple[int, dict[str, Any]]]) -> list[RowError]:
    errors = []
    for number, entry in numbered:
        start, end = entry.get("valid_from"), entry.get("valid_until")
        if start and end and end < start:
            errors.append(
                RowError(number, ALIASES["valid_until"][0], "结束早于开始 · Ends before it starts")
            )
    return errors
