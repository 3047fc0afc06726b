"""Risk areas as the epidemic office publishes them, and which travel visits they make risky.

An entry says: region R has been at level L since day F (designation day, inclusive) until day U
(lift day, exclusive; open while not lifted). A visit to region X on day d is a risk visit when
a medium or high entry covers X (R is X or contains it) or lies inside X (X is a city with a
risky district: the travel card stars it), d is inside the entry's window and inside the
look-back. Days are China Standard Time calendar days, as on the travel card.

The seed's "screen everyone arriving from Xi'an, Xianyang, Yan'an since 4 December" is three
entries: 610100, 610400 and 610600, level medium, designated 12-04, not lifted.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import IntEnum
from typing import Any

from gatehouse.core.models import TravelVisit
from gatehouse.core.rules.regions import ancestors, check_code

RISK_LIST_FORMAT = "gatehouse-risk-areas/1"


class RiskLevel(IntEnum):
    LOW = 1
    MEDIUM = 2
    HIGH = 3


@dataclass(frozen=True)
class RiskArea:
    region_code: str
    level: RiskLevel
    designated_from: date
    lifted_at: date | None = None  # first day it no longer counts; None while in force

    def in_force_on(self, day: date) -> bool:
        return self.designated_from <= day and (self.lifted_at is None or day < self.lifted_at)


@dataclass(frozen=True)
class RiskVisit:
    """Why one visit counts: the visit, the entry it met, and whether the entry lies inside it."""

    visit: TravelVisit
    area: RiskArea
    starred: bool  # the visited region only contains the risk area (a starred city)


class RiskAreaError(ValueError):
    """A risk-area list that cannot be read; the message names the entry."""


@dataclass(frozen=True)
class RiskAreaList:
    """One published version of the list, indexed for lookups in constant time per visit."""

    version: str
    published_at: datetime
    areas: tuple[RiskArea, ...]
    _covering: dict[str, list[RiskArea]] = field(init=False, repr=False, compare=False)
    _inside: dict[str, list[RiskArea]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        covering: dict[str, list[RiskArea]] = {}
        inside: dict[str, list[RiskArea]] = {}
        for area in self.areas:
            covering.setdefault(area.region_code, []).append(area)
            for outer in ancestors(area.region_code):
                inside.setdefault(outer, []).append(area)
        object.__setattr__(self, "_covering", covering)
        object.__setattr__(self, "_inside", inside)

    def visits_at_risk(
        self,
        travel: Iterable[TravelVisit],
        today: date,
        lookback_days: int,
        minimum: RiskLevel = RiskLevel.MEDIUM,
    ) -> list[RiskVisit]:
        """Every visit within the look-back that meets an entry of at least ``minimum`` level.

        The look-back counts today as day 0: with 14 days, a visit 14 days ago still counts and
        one 15 days ago does not. Visits dated after today are counted too (a wrong date on a
        travel record must not hide a risk).
        """
        earliest = today - timedelta(days=lookback_days)
        found: list[RiskVisit] = []
        for visit in travel:
            if visit.day < earliest:
                continue
            for area, starred in self._entries_for(visit.region_code):
                if area.level >= minimum and area.in_force_on(visit.day):
                    found.append(RiskVisit(visit, area, starred))
        return found

    def _entries_for(self, code: str) -> list[tuple[RiskArea, bool]]:
        entries = [
            (area, False) for c in (code, *ancestors(code)) for area in self._covering.get(c, ())
        ]
        entries += [(area, True) for area in self._inside.get(code, ())]
        return entries

    def with_areas(self, extra: Iterable[RiskArea], version: str) -> RiskAreaList:
        return RiskAreaList(version, self.published_at, (*self.areas, *extra))

    def to_json_data(self) -> dict[str, Any]:
        return {
            "format": RISK_LIST_FORMAT,
            "version": self.version,
            "published_at": self.published_at.isoformat(),
            "areas": [
                {
                    "region": area.region_code,
                    "level": area.level.name.lower(),
                    "from": area.designated_from.isoformat(),
                    "lifted": area.lifted_at.isoformat() if area.lifted_at else None,
                }
                for area in self.areas
            ],
        }

    @classmethod
    def from_json_data(cls, data: Any) -> RiskAreaList:
        if not isinstance(data, dict) or data.get("format") != RISK_LIST_FORMAT:
            raise RiskAreaError(f"not a {RISK_LIST_FORMAT} document")
        try:
            published_at = datetime.fromisoformat(data["published_at"])
            areas = tuple(_area(index, entry) for index, entry in enumerate(data["areas"]))
            version = str(data["version"])
        except (KeyError, TypeError, ValueError) as exc:
            raise RiskAreaError(f"risk-area list is malformed: {exc}") from exc
        if published_at.tzinfo is None:
            raise RiskAreaError("published_at needs a UTC offset")
        return cls(version, published_at, areas)

    @classmethod
    def from_json(cls, text: str) -> RiskAreaList:
        return cls.from_json_data(json.loads(text))


def _area(index: int, entry: Any) -> RiskArea:
    if not isinstance(entry, dict):
        raise RiskAreaError(f"areas[{index}] must be an object")
    try:
        level = RiskLevel[str(entry["level"]).upper()]
    except KeyError as exc:
        raise RiskAreaError(f"areas[{index}].level must be low, medium or high") from exc
    lifted = entry.get("lifted")
    area = RiskArea(
        region_code=check_code(str(entry["region"])),
        level=level,
        designated_from=date.fromisoformat(entry["from"]),
        lifted_at=date.fromisoformat(lifted) if lifted else None,
    )
    if area.lifted_at is not None and area.lifted_at <= area.designated_from:
        raise RiskAreaError(f"areas[{index}] is lifted before it was designated")
    return area
