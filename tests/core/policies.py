"""Policies for tests: the shipped default pack (read from its JSON source) and made-up data."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from gatehouse.core.decision import Policy
from gatehouse.core.rules.pack import RulePack, pack_from_json
from gatehouse.core.rules.persons import PersonLists
from gatehouse.core.rules.regions import RegionTable
from gatehouse.core.rules.risk_areas import RiskArea, RiskAreaList, RiskLevel

from .factories import NOW

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
DEFAULT_PACK = pack_from_json((RESOURCES / "policy" / "default_pack.json").read_text("utf-8"))
REGIONS = RegionTable.from_json((RESOURCES / "regions" / "regions.json").read_text("utf-8"))
SECRET = b"mine-3 person list secret, test only"


def risk_list(*areas: RiskArea, published_at: datetime = NOW - timedelta(hours=2)) -> RiskAreaList:
    return RiskAreaList("test-1", published_at, tuple(areas))


def medium(code: str, since: date, lifted: date | None = None) -> RiskArea:
    return RiskArea(code, RiskLevel.MEDIUM, since, lifted)


def with_checkpoint(pack: RulePack, checkpoint: str = "mine_gate", **changes: Any) -> RulePack:
    """``pack`` with one checkpoint's parameters changed."""
    changed = dataclasses.replace(pack.checkpoints[checkpoint], **changes)
    return dataclasses.replace(pack, checkpoints={**pack.checkpoints, checkpoint: changed})


def policy(
    *,
    checkpoint: str = "mine_gate",
    risk_areas: RiskAreaList | None = None,
    lists: PersonLists | None = None,
    packs: tuple[RulePack, ...] = (DEFAULT_PACK,),
    **changes: Any,
) -> Policy:
    return Policy(
        packs=packs,
        checkpoint_type=checkpoint,
        risk_areas=risk_list() if risk_areas is None else risk_areas,
        lists=lists,
        regions=REGIONS,
        list_secret=SECRET,
        **changes,
    )
