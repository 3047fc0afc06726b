"""What each exported column is called and how it is read from a stored passage row.

Rows are read with ``.get``: the passages table keeps gaining columns, and an export must work
on a ledger written before any of them existed. Headers carry both languages.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from gatehouse.core.models import Outcome
from gatehouse.reports.cells import Cell, IdNumbers, id_number_cell

Row = Mapping[str, Any]

OUTCOME_WORDS: dict[str, tuple[str, str]] = {
    Outcome.ADMIT.name: ("通行", "admit"),
    Outcome.REMEASURE.name: ("复测", "re-measure"),
    Outcome.REFER.name: ("转主管", "refer"),
    Outcome.TURN_AWAY.name: ("劝返", "turn away"),
}


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Row], Cell]


def reasons_of(row: Row) -> list[dict[str, Any]]:
    """The stored reasons (code, outcome, zh, en, params); an unreadable value gives none."""
    return list(parse_reasons(row.get("reasons") or "[]"))


@functools.lru_cache(maxsize=64)
def parse_reasons(text: str) -> tuple[dict[str, Any], ...]:
    """The reasons in ``text``, parsed once for the two columns that show them (and once per
    distinct text while a run of rows repeats it)."""
    if text == "[]":  # most passages: no reason to parse
        return ()
    try:
        reasons = json.loads(text)
    except ValueError:
        return ()
    return tuple(r for r in reasons if isinstance(r, dict)) if isinstance(reasons, list) else ()


def reason_codes_text(reasons: Sequence[Mapping[str, Any]]) -> str:
    return "; ".join(_codes(reasons))


def reason_words_text(reasons: Sequence[Mapping[str, Any]]) -> str:
    return ";".join(str(r.get("zh", "")) for r in reasons)


def _decided(item: Mapping[str, Any], row: Row, marked: bool) -> bool:
    """Whether a stored reason decided the row's outcome; rows written before reasons were
    marked count those with the row's outcome."""
    return bool(item.get("deciding")) if marked else item.get("outcome") == row.get("outcome")


def deciding_first(row: Row) -> list[dict[str, Any]]:
    """The stored reasons, those that decided the outcome first."""
    reasons = reasons_of(row)
    marked = any("deciding" in item for item in reasons)
    return sorted(reasons, key=lambda item: not _decided(item, row, marked))


def deciding_reasons(row: Row) -> list[dict[str, Any]]:
    """Only the reasons that decided the outcome."""
    reasons = reasons_of(row)
    marked = any("deciding" in item for item in reasons)
    return [item for item in reasons if _decided(item, row, marked)]


def last_override(row: Row) -> Mapping[str, Any] | None:
    """The latest supervisor's override of this passage (``overrides``, oldest first), if any."""
    overrides = row.get("overrides") or []
    return overrides[-1] if overrides else None


def final_outcome(row: Row) -> str:
    """The outcome's name after any override: what finally happened at the gate."""
    override = last_override(row)
    if override is not None and override.get("outcome"):
        return str(override["outcome"]).upper()
    return str(row.get("outcome") or "")


def evidence_of(row: Row) -> dict[str, Any]:
    try:
        evidence = json.loads(row.get("evidence") or "{}")
    except ValueError:
        return {}
    return evidence if isinstance(evidence, dict) else {}


def local_time(row: Row, zone: tzinfo) -> datetime | None:
    text = row.get("decided_at")
    return datetime.fromisoformat(text).astimezone(zone) if text else None


def outcome_text(row: Row) -> str:
    name = str(row.get("outcome") or "")
    zh, en = OUTCOME_WORDS.get(name, (name, name.lower()))
    return f"{zh} {en}"


def _text(key: str) -> Callable[[Row], Cell]:
    def read(row: Row) -> Cell:
        value = row.get(key)
        return None if value is None else str(value)

    return read


def _temperature(row: Row) -> Cell:
    value = row.get("temperature_c")
    return round(float(value), 1) if value is not None else None


def offset_label(zone: tzinfo, moment: datetime) -> str:
    offset = moment.astimezone(zone).strftime("%z")
    return f"UTC{offset[:3]}:{offset[3:]}"


def passage_columns(zone: tzinfo, id_numbers: IdNumbers, sample: datetime) -> list[Column]:
    """A passage export's columns; times in ``zone``, its offset at ``sample`` in the header."""

    def when(row: Row) -> Cell:
        moment = local_time(row, zone)
        return moment.replace(tzinfo=None) if moment else None  # the header names the offset

    last: list[Any] = [None, [], []]  # the row whose reasons were read, and them, ordered

    def reasons(row: Row) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The row's reasons deciding-first and the deciding ones, read once for the three
        columns that show them (a year's export reads a million rows)."""
        if last[0] is not row:
            last[:] = [row, deciding_first(row), deciding_reasons(row)]
        return last[1], last[2]

    def overridden(row: Row) -> Cell:
        override = last_override(row)
        return outcome_text({"outcome": final_outcome(row)}) if override else None

    def overridden_by(row: Row) -> Cell:
        override = last_override(row)
        return str(override.get("actor") or "") if override else None

    return [
        Column(f"时间 Time ({offset_label(zone, sample)})", when),
        Column("岗亭 Booth", _text("booth_id")),
        Column("卡口类型 Checkpoint", _text("checkpoint_type")),
        Column("结果 Outcome", outcome_text),
        Column("主管改判为 Overridden to", overridden),
        Column("改判人 Overridden by", overridden_by),
        Column("决定原因 Deciding reasons", lambda row: reason_words_text(reasons(row)[1])),
        Column("原因代码 Reason codes", lambda row: reason_codes_text(reasons(row)[0])),
        Column("全部原因 All reasons", lambda row: reason_words_text(reasons(row)[0])),
        Column("姓名 Name", _text("holder_name")),
        Column("证件号 ID number", lambda row: id_number_cell(row.get("id_masked"), id_numbers)),
        Column("身份 Role", _text("role")),
        Column("通行证编号 Pass ID", _text("pass_id")),
        Column("体温 Temperature °C", _temperature),
        Column("测温方式 Temperature source", _text("temperature_source")),
        Column("门卫 Guard", _text("guard_id")),
        Column("规则版本 Policy version", _text("policy_version")),
        Column("记录编号 Passage ID", _text("passage_id")),
    ]


def _codes(reasons: Sequence[Mapping[str, Any]]) -> list[str]:
    return [str(r.get("code", "")) for r in reasons]
