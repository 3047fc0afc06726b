"""Reading an epidemic office's announcement into risk-area entries, for the office to confirm.

The office pastes text such as "西安市、咸阳市、延安市 自12月4日起为中风险地区". Each sentence
names places, a level and the day it counts from; each place is matched to a region of the
GB/T 2260 table by its full name, its name without 市/区/县, or a qualified name such as
"陕西省西安市雁塔区". A name that matches no region, or several (there are many 新城区), is
never guessed: it is returned unmatched, with its candidates, for a person to decide.

Announcements also end designations: "咸阳市秦都区调整为低风险地区", "延安市宝塔区由中风险
降为低风险", "自12月18日起解除延安市中风险". A sentence whose places become low risk, or
whose risk is lifted (解除), gives lifts from its date instead of additions; a sentence that
raises a place ("由低风险调整为中风险") is an addition at the level it is raised to. A sentence
that moves a place from one designated level to another ("由高风险调整为中风险", "由中风险
升为高风险") gives both, from the same day: a lift of the entry at the old level and an
addition at the new one, since a place has one open entry at a time and the new level only
counts from that day (visits while it was high still count as high).
Pure: the region table and today's date are passed in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from gatehouse.core.rules.regions import Region, RegionTable, contains
from gatehouse.core.rules.risk_areas import RiskLevel

_LEVELS = {"高": RiskLevel.HIGH, "中": RiskLevel.MEDIUM, "低": RiskLevel.LOW}
_DATE = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_LEVEL = re.compile(r"(中高|高|中|低)风险")
_TO_LEVEL = re.compile(
    r"(?:调整|降|降级|下调|恢复|升级|升|上调|列|划定|认定|确定|改)[为至]\s*(?:国内)?(中高|高|中|低)风险"
)
_FROM_LEVEL = re.compile(r"由\s*(中高|高|中)风险")  # a designated level the place leaves
_LIFTING = re.compile(r"解除|撤销|摘除")
_SENTENCE = re.compile(r"[。\n;；!！]+")
_VERBS = r"(?:被|均|将|调整|降|降级|下调|恢复|升级|升|上调|列|划定|认定|确定|改|解除|撤销|摘除)"
# Words around the places that are not places: dates, levels and the verbs that join them.
_NOISE = re.compile(
    r"(?:自|从|于)?\s*(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*[日号]\s*(?:\d{1,2}\s*[时点])?"
    r"\s*(?:起|以来|开始)?"
    rf"|由\s*(?:中高|高|中|低)风险(?:地区|区域|区)?|{_VERBS}*[为至]?\s*(?:国内)?(?:中高|高|中|低)风险"
    r"(?:地区|区域|区|等级)?"
    r"|(?:的)?风险等级|(?:以来|起|的)\s*$"
)
_LEADING = re.compile(rf"^(?:{_VERBS}|把|对)+")  # "将咸阳市…调整为…": 将 is no part of the name
_TRAILING = re.compile(r"(?:等地|等|全域|全境)$")
_SEPARATORS = re.compile(r"[、,，\s/和及与]+")
_SUFFIXES = ("市", "区", "县", "省", "自治州", "地区", "盟", "旗")
_FUTURE_SLACK = timedelta(days=31)  # a date without its year lies at most a month ahead


@dataclass(frozen=True)
class MatchedPlace:
    name: str  # as written in the announcement
    region: Region
    level: RiskLevel
    since: date


@dataclass(frozen=True)
class LiftedPlace:
    name: str  # as written in the announcement
    region: Region
    on: date  # the first day its visits no longer count


@dataclass(frozen=True)
class UnmatchedPlace:
    name: str
    candidates: tuple[Region, ...]  # the regions the name may mean; empty: none at all
    level: RiskLevel | None
    since: date | None
    lifting: bool = False  # the sentence lifts the place (``since`` is then the lift's day)


@dataclass(frozen=True)
class ReadAnnouncement:
    matched: tuple[MatchedPlace, ...]
    unmatched: tuple[UnmatchedPlace, ...]
    lifted: tuple[LiftedPlace, ...] = ()


@dataclass(frozen=True)
class _Sentence:
    """What a sentence says of its places: designated at ``level``, or lifted; from ``day``.
    ``moved``: designated at ``level`` after another level, whose entry is lifted that day."""

    level: RiskLevel | None
    lifting: bool
    day: date | None
    moved: bool = False


def read_announcement(text: str, table: RegionTable, today: date) -> ReadAnnouncement:
    """Every place the announcement names, matched or not; a sentence without its own level
    or date takes the one before it ("中高" reads as medium: the stricter reading is the
    office's to choose). A place without any level or date is unmatched: it needs a decision."""
    matched: list[MatchedPlace] = []
    lifted: list[LiftedPlace] = []
    unmatched: list[UnmatchedPlace] = []
    said = _Sentence(None, False, None)
    seen: set[tuple[str, bool]] = set()
    for sentence in _SENTENCE.split(text):
        said = _said(sentence, today, said)
        for written in _places_in(sentence):
            name, found = _resolved(written, table)
            region = found[0] if len(found) == 1 else None
            known = said.day is not None and (said.lifting or said.level is not None)
            if region is None or said.day is None or not known:
                unmatched.append(UnmatchedPlace(name, found, said.level, said.day, said.lifting))
            else:
                if (said.lifting or said.moved) and (region.code, True) not in seen:
                    seen.add((region.code, True))
                    lifted.append(LiftedPlace(name, region, said.day))
                if said.level is not None and (region.code, False) not in seen:
                    seen.add((region.code, False))
                    matched.append(MatchedPlace(name, region, said.level, said.day))
    return ReadAnnouncement(tuple(matched), tuple(unmatched), tuple(lifted))


def _said(sentence: str, today: date, before: _Sentence) -> _Sentence:
    """The sentence's level or lift and its day, each taken from ``before`` when it has none."""
    day = _date_in(sentence, today) or before.day
    target = _TO_LEVEL.search(sentence) or _LEVEL.search(sentence)
    if _LIFTING.search(sentence) or (target is not None and target.group(1) == "低"):
        return _Sentence(None, True, day)
    if target is None:
        return _Sentence(before.level, before.lifting, day, before.moved)
    level = _LEVELS[target.group(1)[0]]
    source = _FROM_LEVEL.search(sentence)
    return _Sentence(level, False, day, source is not None and _LEVELS[source.group(1)[0]] != level)


def resolve(name: str, table: RegionTable) -> tuple[Region, ...]:
    """The regions ``name`` may mean: exactly named, named without its suffix, or qualified by
    the province and city it lies in; several when the name alone is ambiguous."""
    exact = table.by_name(name) or _with_suffix(name, table)
    if exact:
        return exact
    return _qualified(name, table)


def _resolved(name: str, table: RegionTable) -> tuple[str, tuple[Region, ...]]:
    """``name`` and its regions; a name found only without a leading verb ("将咸阳市") is
    given without it (a region may begin with one: 将乐县 is found as written)."""
    found = resolve(name, table)
    bare = _LEADING.sub("", name)
    if not found and bare and bare != name:
        return bare, resolve(bare, table)
    return name, found


def _with_suffix(name: str, table: RegionTable) -> tuple[Region, ...]:
    for suffix in _SUFFIXES:
        found = table.by_name(name + suffix)
        if found:
            return found
    return ()


def _qualified(name: str, table: RegionTable) -> tuple[Region, ...]:
    """ "陕西省西安市雁塔区": each leading name narrows the next to the regions inside it."""
    outer: tuple[Region, ...] = ()
    rest = name
    while rest:
        for end in range(len(rest), 1, -1):
            inside = [
                region
                for region in table.by_name(rest[:end])
                if not outer or any(contains(o.code, region.code) for o in outer)
            ]
            if inside:
                outer, rest = tuple(inside), rest[end:]
                break
        else:
            return ()
    return outer if outer and len(name) > len(outer[0].name) else ()


def _places_in(sentence: str) -> list[str]:
    cleaned = _NOISE.sub(" ", sentence)
    names = (_TRAILING.sub("", part.strip(" :：()（）")) for part in _SEPARATORS.split(cleaned))
    return [name for name in names if name]


def _date_in(sentence: str, today: date) -> date | None:
    found = _DATE.search(sentence)
    if found is None:
        return None
    year, month, day = found.groups()
    try:
        if year:
            return date(int(year), int(month), int(day))
        guesses = [date(y, int(month), int(day)) for y in range(today.year - 1, today.year + 2)]
    except ValueError:
        return None
    return max(guess for guess in guesses if guess <= today + _FUTURE_SLACK)
