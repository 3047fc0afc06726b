"""Cell values made safe to open in a spreadsheet, and ID numbers masked for export.

OWASP "CSV injection": a cell starting with ``=``, ``+``, ``-``, ``@``, tab or carriage return
is read as a formula by Excel, LibreOffice and WPS (and openpyxl writes any string starting with
``=`` as a live formula). Such text gets a leading apostrophe, so it is shown, never evaluated.
The full-width forms are included because some spreadsheet input paths fold them to ASCII.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum

from gatehouse.core.rules.persons import mask_id_number

# A datetime is a local wall-clock time (naive: the header names its offset); spreadsheets get
# a real date-time with a format, CSV its ISO-like text.
Cell = str | int | float | datetime | None
DATETIME_TEXT = "%Y-%m-%d %H:%M:%S"

FORMULA_TRIGGERS = frozenset("=+-@\t\r\n＝＋－＠")
# Excel keeps at most this many characters in a cell.
MAX_CELL_CHARS = 32_767
# Control characters are not allowed in XLSX XML: shown as \xNN instead of breaking the file.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class IdNumbers(StrEnum):
    """How ID numbers appear in an export; FULL is the supervisor's audited choice."""

    MASKED = "masked"
    FULL = "full"


def safe_text(text: str) -> str:
    """``text`` as a spreadsheet shows it literally: no formula, no control characters."""
    if not can_change(text):  # most cells: printable, no trigger first, short
        return text
    cleaned = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    if cleaned and cleaned[0] in FORMULA_TRIGGERS:
        cleaned = "'" + cleaned
    if len(cleaned) > MAX_CELL_CHARS:
        cleaned = cleaned[: MAX_CELL_CHARS - 1] + "…"
    return cleaned


def can_change(text: str) -> bool:
    """Whether ``safe_text`` may change ``text``: a C-speed test, as ``_CONTROL`` characters are
    all unprintable (a printable text can only need an apostrophe or a cut)."""
    return (
        not text.isprintable()
        or (text != "" and text[0] in FORMULA_TRIGGERS)
        or (len(text) > MAX_CELL_CHARS)
    )


def safe_cell(value: Cell) -> Cell:
    """Numbers and times stay as they are (never a formula); text goes through ``safe_text``."""
    if isinstance(value, str):
        return safe_text(value)
    return value


def id_number_cell(stored: str | None, choice: IdNumbers) -> str | None:
    """A stored ID number as exported: masked (first and last four kept) unless FULL is chosen.

    Passes carry only masked numbers, so a value that is already masked stays as it is.
    """
    if stored is None or choice is IdNumbers.FULL or "*" in stored or len(stored) < 9:
        return stored
    return mask_id_number(stored)
