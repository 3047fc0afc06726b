"""China's administrative divisions (GB/T 2260): province, city and county codes and names.

A code is six digits: two for the province, two for the city (prefecture), two for the county.
So containment is a prefix test and needs no table: 610113 (雁塔区) lies in 610100 (西安市),
which lies in 610000 (陕西省). The table adds names and pinyin for lookups by a guard who types
"xa" for 西安市; it is parsed from ``resources/regions/regions.json`` (made by
``tools/make_regions.py``) by the caller, so this module stays free of I/O.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum


class RegionLevel(StrEnum):
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"


class RegionCodeError(ValueError):
    """Not a six-digit GB/T 2260 code."""


def check_code(code: str) -> str:
    if len(code) != 6 or not code.isascii() or not code.isdigit() or code[:2] == "00":
        raise RegionCodeError(f"region code must be six digits (GB/T 2260), got {code!r}")
    return code


def level_of(code: str) -> RegionLevel:
    if code.endswith("0000"):
        return RegionLevel.PROVINCE
    if code.endswith("00"):
        return RegionLevel.CITY
    return RegionLevel.COUNTY


def ancestors(code: str) -> tuple[str, ...]:
    """The codes that contain ``code``, nearest first (city, then province); not ``code`` itself."""
    level = level_of(code)
    if level is RegionLevel.COUNTY:
        return (code[:4] + "00", code[:2] + "0000")
    if level is RegionLevel.CITY:
        return (code[:2] + "0000",)
    return ()


def contains(outer: str, inner: str) -> bool:
    """Whether region ``outer`` is ``inner`` or contains it."""
    return outer == inner or outer in ancestors(inner)


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    pinyin: str
    initials: str

    @property
    def level(self) -> RegionLevel:
        return level_of(self.code)


class RegionTable:
    """Lookups by code, by exact name and by pinyin (initials or full syllables, as typed)."""

    def __init__(self, regions: Iterable[Region], source: str = "", source_date: str = "") -> None:
        self._by_code = {region.code: region for region in regions}
        self._by_name: dict[str, list[Region]] = {}
        # by the first character of name, initials or pinyin: a keystroke scans one bucket
        self._by_first: dict[str, list[Region]] = {}
        for region in self._by_code.values():
            self._by_name.setdefault(region.name, []).append(region)
            for first in {region.name[:1], region.initials[:1], region.pinyin[:1]}:
                self._by_first.setdefault(first, []).append(region)
        self.source = source
        self.source_date = source_date

    @classmethod
    def from_json(cls, text: str) -> RegionTable:
        document = json.loads(text)
        if document.get("format") != "gatehouse-regions/1":
            raise ValueError("not a gatehouse-regions/1 table")
        regions = (
            Region(check_code(code), name, py, ini) for code, name, py, ini in document["regions"]
        )
        return cls(regions, document.get("source", ""), document.get("source_date", ""))

    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[Region]:
        return iter(self._by_code.values())

    def get(self, code: str) -> Region | None:
        return self._by_code.get(code)

    def by_name(self, name: str) -> tuple[Region, ...]:
        """Every region with exactly this name (there are several 新城区, for instance)."""
        return tuple(self._by_name.get(name.strip(), ()))

    def search(self, typed: str, limit: int = 10) -> list[Region]:
        """Regions whose name, pinyin or initials start with ``typed``, best guess first."""
        query = typed.strip().lower().replace(" ", "")
        if not query:
            return []
        found = [
            region
            for region in self._by_first.get(query[0], ())
            if region.name.startswith(query)
            or region.initials.startswith(query)
            or region.pinyin.startswith(query)
        ]
        found.sort(key=lambda region: _rank(region, query))
        return found[:limit]

    def display(self, code: str) -> str:
        """Province, city and county names, e.g. 陕西省西安市雁塔区; the code if unknown."""
        chain = [*reversed(ancestors(code)), code]
        names = [region.name for c in chain if (region := self._by_code.get(c)) is not None]
        return "".join(names) or code


_LEVEL_RANK = {RegionLevel.CITY: 0, RegionLevel.PROVINCE: 1, RegionLevel.COUNTY: 2}


def _rank(region: Region, query: str) -> tuple[int, int, int, str]:
    """Whole-name matches first ("xa" is 西安 without its 市), then cities (what a travel card
    lists; 北京市, 上海市, … are cities though province-level), then names ending in 市 over
    盟/州/地区, then by code."""
    whole = query in (region.initials, region.initials[:-1], region.name, region.name[:-1])
    city = region.name.endswith("市")
    level = RegionLevel.CITY if region.level is RegionLevel.PROVINCE and city else region.level
    return (not whole, _LEVEL_RANK[level], not city, region.code)
