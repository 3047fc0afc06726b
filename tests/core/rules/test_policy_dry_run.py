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
from gatehouse.core.rules.dry_run_rows import Change
from gatehouse.core.rules.pack import RulePack, RuleSpec
from gatehouse.core.rules.persons import EmployeeEntry, PersonLists
from gatehouse.core.rules.policy_dry_run import policy_dry_run
from tests.core.factories import ISSUER, NOW, claims
from tests.core.policies import DEFAULT_PACK, medium, risk_list, with_checkpoint

KEY = generate_issuer_key()
DAY = date(2024, 5, 1)
BASE = DEFAULT_PACK


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
    (row,) = policy_dry_run([record], BASE, with_checkpoint(BASE, **after), xian).rows
    return row


def test_unchanged_parameters_change_nothing() -> None:
    assert _row(_record()).change is Change.UNCHANGED


def test_a_lower_temperature_limit_catches_a_reading_the_old_one_let_through() -> None:
    row = _row(_record(), temperature_threshold_c=37.0)
    assert (row.change, row.stricter) == (Change.STRICTER, ("temperature",))
    assert _row(_record(temperature_c=37.5), temperature_threshold_c=37.6).looser == (
        "temperature",
    )


def test_a_shorter_test_age_refers_a_test_of_30_hours() -> None:
    row = _row(_record(), test_max_age=timedelta(hours=24))
    assert row.stricter == ("test_age",)


def test_a_longer_look_back_reaches_a_visit_ten_days_ago() -> None:
    short = with_checkpoint(BASE, lookback_days=7)
    xian = risk_list(medium("610100", DAY - timedelta(days=20)))
    (row,) = policy_dry_run([_record()], short, BASE, xian).rows
    assert row.stricter == ("look_back",)


def test_declared_travel_admits_only_where_the_checkpoint_accepts_it() -> None:
    declared = {
        "code_verified": False,
        "declared_travel": [{"region": "110105", "day": "2024-04-29"}],
    }
    record = _record(code_kind="provincial-health-code", scanned_text="x", evidence=declared)
    row = _row(record, allow_declared_travel=True)
    assert (row.change, row.looser) == (Change.LOOSER, ("declared_travel",))


def test_a_record_with_nothing_to_judge_or_of_an_unknown_checkpoint_is_not_checkable() -> None:
    bare = _record(scanned_text="", temperature_c=None)
    assert _row(bare, temperature_threshold_c=37.0).change is Change.NOT_CHECKABLE
    other = _record(checkpoint_type="helipad")  # in no pack
    assert _row(other, temperature_threshold_c=37.0).change is Change.NOT_CHECKABLE


def _id_waived(pack: RulePack) -> RulePack:
    """``pack`` with the mine gate's list rules waiving the ID, as the console's form makes it."""
    waived = {
        rule: RuleSpec(f"{rule}-no-id", pack.rules[rule].kind, params={"require_id": False})
        for rule in ("R06-isolation", "R09-roster")
    }
    gate = pack.checkpoints["mine_gate"]
    rules = tuple(waived[r].rule_id if r in waived else r for r in gate.rules)
    return dataclasses.replace(
        with_checkpoint(pack, rules=rules),
        rules={**pack.rules, **{spec.rule_id: spec for spec in waived.values()}},
    )


def _id_rows(record: dict[str, Any], lists: PersonLists | None = None) -> tuple[Any, Any]:
    """The record's row when ID becomes required, and when it stops being required."""
    waived = _id_waived(BASE)
    (on,) = policy_dry_run([record], waived, BASE, None, lists).rows
    (off,) = policy_dry_run([record], BASE, waived, None, lists).rows
    return on, off


def test_requiring_the_id_stops_a_person_nobody_identified_and_waiving_it_lets_them_by() -> None:
    on, off = _id_rows(_record())
    assert (on.change, on.stricter) == (Change.STRICTER, ("require_id",))
    assert (off.change, off.looser) == (Change.LOOSER, ("require_id",))


def test_an_id_read_at_the_booth_or_carried_by_the_pass_is_not_affected() -> None:
    typed = _record(evidence=json.dumps({"code_verified": True, "id_given": True}))
    hashed = _record(scanned_text=encode_pass(claims(id_hash="ab" * 32), KEY, ISSUER))
    for record in (typed, hashed):
        assert [row.change for row in _id_rows(record)] == [Change.UNCHANGED] * 2


def test_a_purged_pass_is_not_judged_on_the_id() -> None:
    purged = _record(scanned_text="")
    on, _ = _id_rows(purged)
    assert "require_id" not in on.stricter


def test_the_roster_the_office_published_is_the_booths_own_rule_for_employees() -> None:
    """With only the roster rule waived, an employee nobody identified flips only when a
    roster is published: the booth's roster rule checks no one without one."""
    roster = PersonLists("office-1", NOW, "", employees={"x" * 64: EmployeeEntry("x" * 64, "E1")})
    gate = BASE.checkpoints["mine_gate"]
    no_isolation = with_checkpoint(BASE, rules=tuple(r for r in gate.rules if r != "R06-isolation"))
    waived = _id_waived(no_isolation)
    assert (
        policy_dry_run([_record()], waived, no_isolation, None).rows[0].change is Change.UNCHANGED
    )
    (row,) = policy_dry_run([_record()], waived, no_isolation, None, roster).rows
    assert row.stricter == ("require_id",)


def test_while_booths_refer_everyone_for_a_refused_pack_the_new_one_is_compared_with_that() -> None:
    """No pack decides meanwhile: whoever the new pack's checks pass is no longer stopped
    (by the refusal); whoever they stop is stopped either way, naming what stops them."""
    strict = with_checkpoint(BASE, temperature_threshold_c=37.0)
    identified = json.dumps({"code_verified": True, "id_given": True})
    warm, cool = (
        _record(passage_id=f"p-{reading}", temperature_c=reading, evidence=identified)
        for reading in (37.1, 36.5)
    )
    stopped, passed = policy_dry_run([warm, cool], None, strict, None).rows
    assert (stopped.change, stopped.stricter) == (Change.UNCHANGED, ("temperature",))
    assert (passed.change, passed.looser) == (Change.LOOSER, ("refused_pack",))
