"""The contractor ledger's (外委人员台账) rows and columns, needing no ledger: the booth's report
(``contractor_ledger``) and the hub's across booths (``hub.console.contractors``) are the same.

One row per person on the contractor list (company, project, itinerary, registered days),
whether they came or not, with their first and last passage, how many, how many admitted,
re-measured, referred and turned away, the last temperature and outcome. People seen with the
contractor role who are not on the list follow, flagged. Lists and passages are matched by the
keyed ID hash they share.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from gatehouse.core.models import Outcome
from gatehouse.reports.cells import Cell
from gatehouse.reports.columns import Column, Row, offset_label, outcome_text

SHEET_TITLE = "外委人员台账 Contractors"
REGISTERED = "是 yes"
NOT_REGISTERED = "否:未登记 NOT ON THE LIST"


@dataclass
class ContractorLine:
    """One contractor's row; passages are added oldest first."""

    registered: bool
    company: str = ""
    project: str = ""
    name: str = ""
    id_masked: str = ""
    itinerary: str = ""
    validity: str = ""  # the registered days, "2026-12-01 – 2026-12-31"; empty: no limit
    first_at: datetime | None = None
    last_at: datetime | None = None
    passages: int = 0
    admitted: int = 0
    remeasured: int = 0
    referred: int = 0
    turned_away: int = 0
    last_temperature_c: float | None = None
    last_outcome: str = ""

    def add(self, passage: Row) -> None:
        moment = datetime.fromisoformat(str(passage["decided_at"]))
        self.first_at = self.first_at or moment
        self.last_at = moment
        self.passages += 1
        outcome = str(passage.get("outcome") or "")
        self.admitted += outcome == Outcome.ADMIT.name
        self.remeasured += outcome == Outcome.REMEASURE.name
        self.referred += outcome == Outcome.REFER.name
        self.turned_away += outcome == Outcome.TURN_AWAY.name
        celsius = passage.get("temperature_c")
        if celsius is not None:
            self.last_temperature_c = round(float(celsius), 1)
        self.last_outcome = outcome_text(passage)
        self.name = self.name or str(passage.get("holder_name") or "")
        self.id_masked = self.id_masked or str(passage.get("id_masked") or "")


def contractor_ledger(entries: Iterable[Row], passages: Iterable[Row]) -> list[ContractorLine]:
    """The report's rows: the list (by company, project, name), then the unlisted by first
    passage. ``entries`` are ``PassageQueries.list_entries("contractors")`` rows; ``passages``
    come oldest first."""
    listed: dict[str, ContractorLine] = {}
    for entry in entries:
        details = json.loads(entry.get("details") or "{}")
        listed[str(entry["id_hash"])] = ContractorLine(
            registered=True,
            company=str(details.get("company", "")),
            project=str(details.get("project", "")),
            name=str(entry.get("name") or ""),
            id_masked=str(entry.get("id_masked") or ""),
            itinerary=";".join(str(place) for place in details.get("itinerary", [])),
            validity=_validity(details),
        )
    unlisted: dict[str, ContractorLine] = {}
    for passage in passages:
        hashed = passage.get("id_hash")
        if hashed in listed:
            listed[hashed].add(passage)
            continue
        key = (
            hashed
            or passage.get("pass_id")
            or (passage.get("id_masked"), passage.get("holder_name"))
        )
        unlisted.setdefault(str(key), ContractorLine(registered=False)).add(passage)
    ordered = sorted(listed.values(), key=lambda c: (c.company, c.project, c.name, c.id_masked))
    return ordered + list(unlisted.values())


def _validity(details: dict[str, object]) -> str:
    first, last = details.get("valid_from"), details.get("valid_until")
    return f"{first or ''} – {last or ''}".strip() if first or last else ""


def contractor_columns(zone: tzinfo, sample: datetime) -> list[Column]:
    """The report's columns over ``ContractorLine`` fields; times in ``zone``."""

    def when(key: str) -> Callable[[Row], Cell]:
        def read(row: Row) -> Cell:
            moment = row.get(key)
            return moment.astimezone(zone).replace(tzinfo=None) if moment else None

        return read

    def value(key: str) -> Callable[[Row], Cell]:
        return lambda row: row.get(key)

    offset = offset_label(zone, sample)
    return [
        Column("单位 Company", value("company")),
        Column("项目 Project", value("project")),
        Column("姓名 Name", value("name")),
        Column("证件号 ID number", value("id_masked")),
        Column("行程 Itinerary", value("itinerary")),
        Column(f"首次通行 First passage ({offset})", when("first_at")),
        Column(f"末次通行 Last passage ({offset})", when("last_at")),
        Column("通行次数 Passages", value("passages")),
        Column("通行 Admitted", value("admitted")),
        Column("复测 Re-measured", value("remeasured")),
        Column("转主管 Referred", value("referred")),
        Column("劝返 Turned away", value("turned_away")),
        Column("末次体温 Last temperature °C", value("last_temperature_c")),
        Column("末次结果 Last outcome", value("last_outcome")),
        Column("登记有效期 Registered for (days)", value("validity")),
        Column(
            "已登记 On the contractor list",
            lambda row: REGISTERED if row.get("registered") else NOT_REGISTERED,
        ),
    ]


def ledger_caption(mine: str, start: datetime, end: datetime, zone: tzinfo, now: datetime) -> str:
    """The title row: the report, the mine, the period [start, end) in local days, when made."""
    first = start.astimezone(zone).date()
    last = (end - timedelta(microseconds=1)).astimezone(zone).date()
    made = now.astimezone(zone).strftime("%Y-%m-%d %H:%M")
    parts = [
        SHEET_TITLE.replace(" ", " · "),
        mine,
        f"{first} – {last}",
        f"制表 Made {made} ({offset_label(zone, now)})",
    ]
    return "   ".join(part for part in parts if part)
