"""Dry run of changed checkpoint parameters over logged passages: whose checks would now flip.

Each passage is judged again, under the parameters of its checkpoint type before and after
the change, on what its uploaded record holds: the temperature reading, the test the verified
pass carried (its age at the passage's moment), its travel against the published risk list
(within each look-back), and declared travel where the checkpoint accepts it or not. These are
the comparisons the booth's rules make (gatehouse.core.rules.checks). A check that becomes
stricter refers or turns the person away; one that becomes looser no longer does (other
checks still decide). Whether an identity was required is not judged: the hub does not hold
the list matches.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from gatehouse.core.china_time import china_day
from gatehouse.core.code_kinds import CodeKind
from gatehouse.core.gatehouse_pass import CredentialError, logged_claims
from gatehouse.core.models import TestResult
from gatehouse.core.rules.pack import CheckpointPolicy
from gatehouse.core.rules.risk_areas import RiskAreaList
from gatehouse.core.rules.risk_dry_run import evidence_of, travel_of

CHECKS = ("temperature", "test_age", "look_back", "declared_travel")


class Effect(StrEnum):
    STRICTER = "stricter"
    LOOSER = "looser"
    UNCHANGED = "unchanged"
    NOT_CHECKABLE = "not_checkable"


@dataclass(frozen=True)
class PolicyRow:
    record: Mapping[str, Any]
    effect: Effect
    stricter: tuple[str, ...] = ()  # the checks that now fail (temperature, test_age, …)
    looser: tuple[str, ...] = ()


def policy_dry_run(
    records: Iterable[Mapping[str, Any]],
    before: Mapping[str, CheckpointPolicy],
    after: Mapping[str, CheckpointPolicy],
    risk_areas: RiskAreaList | None,
) -> list[PolicyRow]:
    """One row per record, judged with its checkpoint type's parameters ``before``/``after``."""
    return [_row(record, before, after, risk_areas) for record in records]


def _row(
    record: Mapping[str, Any],
    before: Mapping[str, CheckpointPolicy],
    after: Mapping[str, CheckpointPolicy],
    risk_areas: RiskAreaList | None,
) -> PolicyRow:
    checkpoint = str(record.get("checkpoint_type", ""))
    old, new = before.get(checkpoint), after.get(checkpoint)
    if old is None or new is None:
        return PolicyRow(record, Effect.NOT_CHECKABLE)
    failing = {name: (fails(old), fails(new)) for name, fails in _checks(record, risk_areas)}
    if not failing:
        return PolicyRow(record, Effect.NOT_CHECKABLE)
    stricter = tuple(name for name, (was, now) in failing.items() if now and not was)
    looser = tuple(name for name, (was, now) in failing.items() if was and not now)
    effect = Effect.STRICTER if stricter else Effect.LOOSER if looser else Effect.UNCHANGED
    return PolicyRow(record, effect, stricter, looser)


def _checks(record: Mapping[str, Any], risk_areas: RiskAreaList | None) -> list[tuple[str, Any]]:
    """Each check the record allows, as a function of the checkpoint's parameters that says
    whether the check fails (refers or turns away)."""
    moment = datetime.fromisoformat(str(record["decided_at"]))
    found: list[tuple[str, Any]] = []
    temperature = record.get("temperature_c")
    if isinstance(temperature, int | float):
        found.append(("temperature", lambda p: temperature >= p.temperature_threshold_c))
    test = _test_age(record, moment)
    if test is not None:
        found.append(("test_age", lambda p: test > p.test_max_age))
    try:
        travel = travel_of(record)
    except ValueError:
        return found
    day = china_day(moment)
    if risk_areas is not None:
        found.append(
            ("look_back", lambda p: bool(risk_areas.visits_at_risk(travel, day, p.lookback_days)))
        )
    if evidence_of(record).declared_travel is not None:
        found.append(("declared_travel", lambda p: not p.allow_declared_travel))
    return found


def _test_age(record: Mapping[str, Any], moment: datetime) -> Any:
    """How old the verified pass's negative test was at the passage; None when unknown."""
    scanned = record.get("scanned_text") or ""
    if record.get("code_kind") != CodeKind.GATEHOUSE_PASS or not scanned:
        return None
    try:
        if not evidence_of(record).code_verified:
            return None
    except ValueError:
        return None
    try:
        test = logged_claims(scanned).test
    except CredentialError:
        return None
    if test is None or test.result is not TestResult.NEGATIVE:
        return None
    return moment - test.sampled_at
