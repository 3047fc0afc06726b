"""Dry run of changed checkpoint parameters: each check flips, or not, as the booth's rule does."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta
from typing import Any

from gatehouse.core.gatehouse_pass import encode_pass
from gatehouse.core.keys import generate_issuer_key
from gatehouse.core.models import NucleicAcidTest, TravelVisit
from gatehouse.core.models import TestResult as PcrResult
from gatehouse.core.rules.pack import CheckpointPolicy
from gatehouse.core.rules.policy_dry_run import Effect, policy_dry_run
from tests.core.factories import ISSUER, NOW, claims
from tests.core.policies import medium, risk_list

KEY = generate_issuer_key()
DAY = date(2024, 5, 1)
BASE = CheckpointPolicy("mine_gate", "矿门", "Mine gate", ())


def _record(**changes: Any) -> dict[str, Any]:
    holder = claims(
        travel=(TravelVisit("610113", DAY - timedelta(days=10)),),
        test=NucleicAcidTest(NOW - timedelta(hours=30), PcrResult.NEGATIVE),
    )
    record = {
        "passage_id": "p1",
        "checkpoint_type": "mine_gate",
        "decided_at": NOW.isoformat(),
        "outcome": "ADMIT",
        "code_kind": "gatehouse-pass",
        "scanned_text": encode_pass(holder, KEY, ISSUER),
        "temperature_c": 37.1,
        "evidence": json.dumps({"code_verified": True}),
    }
    return {**record, **changes}


def _row(record: dict[str, Any], **after: Any) -> Any:
    xian = risk_list(medium("610100", DAY - timedelta(days=20)))
    changed = {"mine_gate": dataclasses.replace(BASE, **after)}
    (row,) = policy_dry_run([record], {"mine_gate": BASE}, changed, xian)
    return row


def test_unchanged_parameters_change_nothing() -> None:
    assert _row(_record()).effect is Effect.UNCHANGED


def test_a_lower_temperature_limit_catches_a_reading_the_old_one_let_through() -> None:
    row = _row(_record(), temperature_threshold_c=37.0)
    assert (row.effect, row.stricter) == (Effect.STRICTER, ("temperature",))
    assert _row(_record(temperature_c=37.5), temperature_threshold_c=37.6).looser == (
        "temperature",
    )


def test_a_shorter_test_age_refers_a_test_of_30_hours() -> None:
    row = _row(_record(), test_max_age=timedelta(hours=24))
    assert row.stricter == ("test_age",)


def test_a_longer_look_back_reaches_a_visit_ten_days_ago() -> None:
    short = dataclasses.replace(BASE, lookback_days=7)
    xian = risk_list(medium("610100", DAY - timedelta(days=20)))
    (row,) = policy_dry_run([_record()], {"mine_gate": short}, {"mine_gate": BASE}, xian)
    assert row.stricter == ("look_back",)


def test_declared_travel_admits_only_where_the_checkpoint_accepts_it() -> None:
    declared = {
        "code_verified": False,
        "declared_travel": [{"region": "110105", "day": "2024-04-29"}],
    }
    record = _record(code_kind="provincial-health-code", scanned_text="x", evidence=declared)
    row = _row(record, allow_declared_travel=True)
    assert (row.effect, row.looser) == (Effect.LOOSER, ("declared_travel",))


def test_a_record_with_nothing_to_judge_or_of_an_unknown_checkpoint_is_not_checkable() -> None:
    bare = _record(scanned_text="", temperature_c=None)
    assert _row(bare, temperature_threshold_c=37.0).effect is Effect.NOT_CHECKABLE
    other = _record(checkpoint_type="canteen")
    assert _row(other, temperature_threshold_c=37.0).effect is Effect.NOT_CHECKABLE
