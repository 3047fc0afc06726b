"""Generates resources/regions/regions.json: the GB/T 2260 administrative divisions in use today.

Run from the repository root: ``.venv/bin/python tools/make_regions.py`` (needs the ``tools``
extra: python-stdnum and pypinyin). The source is python-stdnum's ``stdnum/cn/loc.dat``, a
maintained copy of the GB/T 2260 code tables (taken by its authors from the Chinese Wikipedia
lists of 行政区划代码) that records, per code, the years each name was in use. We keep the codes
whose current name is still in use, drop the placeholder rows (市辖区, 县, 省直辖县级行政区划),
and precompute full pinyin and pinyin initials so a guard can type "xa" for 西安市.
The output records the package version and the data's own date, so a supervisor can tell how
current the table is.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from importlib import metadata, resources
from pathlib import Path

from pypinyin import Style, lazy_pinyin

OUT = Path(__file__).resolve().parent.parent / "resources" / "regions" / "regions.json"
PLACEHOLDERS = {"市辖区", "县", "市辖县", "省直辖县级行政单位", "自治区直辖县级行政单位"}
_SEGMENT = re.compile(r"^(?:\[(\d{4})?-(\d{4})?\])?(.+)$")
_LINE = re.compile(r'^(\s*)(\d+) (?:province|county)="([^"]*)"')
STDNUM_VERSION = "2.2"  # pinned in pyproject's ``tools`` extra; bump both together
STDNUM_RELEASED = "2026-01"  # PyPI release month of that version: the data's own date


def current_name(field: str) -> str | None:
    """The name in use today from a loc.dat field such as ``[1983-1999]城区,[2000-]王益区``."""
    for segment in reversed(field.split(",")):
        match = _SEGMENT.match(segment)
        if match and match.group(2) is None:  # no end year: still in use
            return match.group(3)
    return None


def pinyin(name: str) -> list[str]:
    """Tone-less syllables; pypinyin's phrase table reads 重庆 as chong qing, 长沙 as chang sha."""
    return lazy_pinyin(name, style=Style.NORMAL, errors="ignore")


def read_loc_dat(text: str) -> list[tuple[str, str]]:
    """(six-digit code, current name) for every region still in use."""
    regions: list[tuple[str, str]] = []
    province = ""
    for line in text.splitlines():
        match = _LINE.match(line)
        if match is None:
            continue
        indent, digits, field = match.groups()
        if not indent:
            province = digits
            continue
        name = current_name(field)
        if name and name not in PLACEHOLDERS:
            regions.append((province + digits, name))
    return regions


def build() -> dict[str, object]:
    data = resources.files("stdnum.cn").joinpath("loc.dat")
    text = data.read_text(encoding="utf-8")
    version = metadata.version("python-stdnum")
    if version != STDNUM_VERSION:
        raise SystemExit(f"python-stdnum {version} installed, {STDNUM_VERSION} expected")
    rows = []
    for code, name in read_loc_dat(text):
        syllables = pinyin(name)
        rows.append([code, name, "".join(syllables), "".join(s[0] for s in syllables if s)])
    return {
        "format": "gatehouse-regions/1",
        "standard": "GB/T 2260 (中华人民共和国行政区划代码)",
        "source": f"python-stdnum {version}, stdnum/cn/loc.dat",
        "source_origin": "zh.wikipedia.org 中华人民共和国行政区划代码 (1-8区), via python-stdnum",
        "source_date": STDNUM_RELEASED,
        "generated_at": datetime.now(UTC).date().isoformat(),
        "columns": ["code", "name", "pinyin", "initials"],
        "regions": rows,
    }


def main() -> None:
    document = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    rows = document.pop("regions")
    assert isinstance(rows, list)
    head = json.dumps(document, ensure_ascii=False, indent=1)[:-2]
    body = ",\n".join(json.dumps(row, ensure_ascii=False) for row in rows)
    OUT.write_text(f'{head},\n "regions": [\n{body}\n]}}\n', encoding="utf-8")  # a row a line
    print(f"wrote {len(rows)} regions to {OUT}")


if __name__ == "__main__":
    main()
