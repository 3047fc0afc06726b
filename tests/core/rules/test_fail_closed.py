"""Fail closed: evidence that is missing, aged or cannot be matched never admits.

"Milder" follows ``Outcome``'s order, ADMIT < REMEASURE < REFER < TURN_AWAY; an admit under home
monitoring is an ADMIT. Re-measure and refer both stop the person until the guard acts, so
"never milder than refer" means: never admitted, in any form.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gatehouse.core import models
from gatehouse.core.china_time import CHINA_TIME, china_day
from gatehouse.core.decision import Decision, Evidence, Policy, decide
from gatehouse.core.models import (
    NucleicAcidTest,
    Outcome,
    PassClaims,
    Role,
    TemperatureReading,
    TravelVisit,
)
from gatehouse.core.reasons import CATALOGUE, OPEN_CHECKS, CheckResult, GuardAction, reason
from gatehouse.core.rules.pack import RuleSpec
from gatehouse.core.rules.persons import (
    ContractorEntry,
    EmployeeEntry,
    PersonLists,
    VisitorApproval,
    check_character,
    id_hash,
)
from gatehouse.core.rules.persons import key_check as list_key_check
from tests.core.factories import CLAIMS, scanned
from tests.core.policies import DEFAULT_PACK, SECRET, policy, risk_list

WORKER = "15062719800808005"
WORKER += check_character(WORKER)
CHECKPOINTS = ("mine_gate", "office_area", "canteen", "dormitory")
_CST = CHINA_TIME


def _lists(published_at: datetime) -> PersonLists:
    hashed = id_hash(SECRET, WORKER)
    return PersonLists(
        version="lists-1",
        published_at=published_at,
        key_check=list_key_check(SECRET),
        employees={hashed: EmployeeEntry(hashed, "E-1001")},
        visitors={
            hashed: VisitorApproval(
                hashed, published_at, published_at + timedelta(hours=12), "王科长", "FY-7"
            )
        },
        contractors={hashed: ContractorEntry(hashed, "建安公司", "检修")},
    )


def _admitted(
    now: datetime, checkpoint: str, checked_h: float, test_h: float, role: Role = Role.EMPLOYEE
) -> tuple[Evidence, Policy]:
    """A healthy person (an employee unless ``role`` says otherwise) from the mine's own area,
    identified by the pass's keyed hash, on every list that admits."""
    today = china_day(now)
    claims = dataclasses.replace(
        CLAIMS,
        role=role,
        health_code_checked_at=max(now - timedelta(hours=checked_h), _day_start(now)),
        test=NucleicAcidTest(now - timedelta(hours=test_h), models.TestResult.NEGATIVE),
        travel=(TravelVisit("150621", today - timedelta(days=2)),),
        valid_from=now - timedelta(days=3),
        valid_until=now + timedelta(days=3),
        id_hash=id_hash(SECRET, WORKER),
        id_key_check=list_key_check(SECRET),
    )
    evidence = scanned(claims, now)
    chosen = policy(
        checkpoint=checkpoint,
        risk_areas=risk_list(published_at=now - timedelta(hours=1)),
        lists=_lists(now - timedelta(hours=1)),
    )
    return evidence, chosen


def _day_start(now: datetime) -> datetime:
    return datetime.combine(china_day(now), datetime.min.time(), CHINA_TIME)


def _claims_change(**changes: object) -> Callable[[Evidence], Evidence]:
    def apply(evidence: Evidence) -> Evidence:
        assert evidence.credential is not None
        # each case changes fields to values of their own types (or None: missing)
        claims: PassClaims = dataclasses.replace(evidence.credential.claims, **changes)  # type: ignore[arg-type]
        return dataclasses.replace(
            evidence, credential=dataclasses.replace(evidence.credential, claims=claims)
        )

    return apply


def _aged(evidence: Evidence) -> Evidence:
    assert evidence.credential is not None
    checked = evidence.credential.claims.health_code_checked_at
    return _claims_change(health_code_checked_at=checked - timedelta(days=1))(evidence)


def _taken_at(evidence: Evidence) -> datetime:
    """When the evidence's temperature was read (the evidence these cases start from has one)."""
    assert evidence.temperature is not None
    return evidence.temperature.taken_at


# One piece of evidence replaced by "missing" (or its aged, unmatched equivalent).
MISSING: dict[str, Callable[[Evidence], Evidence]] = {
    "no pass": lambda e: dataclasses.replace(e, credential=None),
    "no temperature": lambda e: dataclasses.replace(e, temperature=None),
    "no test": _claims_change(test=None),
    "no travel": _claims_change(travel=()),
    "no ID hash": _claims_change(id_hash=None, id_key_check=None),
    "ID hash without its key": _claims_change(id_key_check=None),
    "ID hash under another key": _claims_change(id_key_check="00" * 8),
    "aged colour": _aged,
    "unreadable temperature": lambda e: dataclasses.replace(
        e,
        temperature=TemperatureReading(float("nan"), _taken_at(e), "sensor"),
    ),
    "stale temperature": lambda e: dataclasses.replace(
        e,
        temperature=TemperatureReading(36.5, _taken_at(e) - timedelta(hours=1), "sensor"),
    ),
}


def _decide(evidence: Evidence, chosen: Policy, now: datetime) -> Decision:
    return decide(evidence, chosen, now)


def _required(missing: str, checkpoint: str) -> bool:
    """Canteens and dormitories ask for no test: a missing test is not missing evidence there."""
    rules = DEFAULT_PACK.checkpoints[checkpoint].rules
    return missing != "no test" or any(rule.startswith("R03") for rule in rules)


@settings(max_examples=150, deadline=None)
@given(  # any moment from 06:00 to 23:00 China time on a day in May 2024
    now=st.builds(
        lambda day, minutes: datetime(2024, 5, day, 6, 0, tzinfo=_CST) + timedelta(minutes=minutes),
        st.integers(1, 27),
        st.integers(0, 17 * 60),
    ),
    checkpoint=st.sampled_from(CHECKPOINTS),
    checked_h=st.floats(0, 16),
    test_h=st.floats(0, 47),
    missing=st.sampled_from(sorted(MISSING)),
)
def test_any_one_piece_missing_never_admits(
    now: datetime, checkpoint: str, checked_h: float, test_h: float, missing: str
) -> None:
    assume(_required(missing, checkpoint))
    evidence, chosen = _admitted(now, checkpoint, checked_h, test_h)
    assert _decide(evidence, chosen, now).outcome is Outcome.ADMIT  # the baseline admits
    decision = _decide(MISSING[missing](evidence), chosen, now)
    assert decision.outcome > Outcome.ADMIT, (missing, [r.code for r in decision.reasons])
    refusing = [r for r in decision.reasons if r.outcome is decision.outcome]
    assert all(r.result is not CheckResult.PASSED for r in refusing)


@settings(max_examples=100, deadline=None)
@given(
    checkpoint=st.sampled_from(CHECKPOINTS),
    missing=st.sampled_from(sorted(MISSING)),
)
def test_a_typed_id_number_stands_in_only_for_the_identity(checkpoint: str, missing: str) -> None:
    """F7 resolves the unmatched hash, and nothing else."""
    assume(_required(missing, checkpoint))
    now = datetime(2024, 5, 2, 9, 0, tzinfo=_CST)
    evidence, chosen = _admitted(now, checkpoint, 1, 12)
    typed = dataclasses.replace(MISSING[missing](evidence), id_number=WORKER)
    decision = _decide(typed, chosen, now)
    resolved_by_id = missing.startswith(("no ID", "ID hash"))
    assert (decision.outcome is Outcome.ADMIT) is resolved_by_id, [r.code for r in decision.reasons]


def test_every_open_check_refers_and_names_what_resolves_it() -> None:
    keys = {GuardAction.LIVE_CODE: "F1", GuardAction.TRAVEL: "F4", GuardAction.ID_NUMBER: "F7"}
    for code, action in OPEN_CHECKS.items():
        outcome, en, zh = CATALOGUE[code]
        assert outcome > Outcome.ADMIT, code
        if action in keys:
            assert keys[action] in en and keys[action] in zh, code


def test_each_reason_says_passed_failed_or_open() -> None:
    assert reason("health.green").result is CheckResult.PASSED
    assert reason("health.yellow").result is CheckResult.FAILED
    assert reason("travel.not_shown").result is CheckResult.OPEN
    assert reason("travel.not_shown").action is GuardAction.TRAVEL
    assert reason("health.green").action is None


def _expression(expression: object) -> Policy:
    spec = RuleSpec(
        "R99-expr",
        "expression",
        params={"expression": expression, "outcome": "REFER", "en": "no", "zh": "否"},
    )
    gate = DEFAULT_PACK.checkpoints["mine_gate"]
    pack = dataclasses.replace(
        DEFAULT_PACK,
        rules={**DEFAULT_PACK.rules, spec.rule_id: spec},
        checkpoints={
            **DEFAULT_PACK.checkpoints,
            "mine_gate": dataclasses.replace(gate, rules=(*gate.rules, spec.rule_id)),
        },
    )
    now = datetime(2024, 5, 2, 9, 0, tzinfo=_CST)
    return dataclasses.replace(
        policy(risk_areas=risk_list(published_at=now), lists=_lists(now)), packs=(pack,)
    )


@pytest.mark.parametrize(
    "expression",
    [
        {"!": [{"var": "lists.isolation"}]},  # "not on the list", with nobody identified
        {"!": [{"var": "pass.test"}]},
    ],
)
def test_an_expression_that_passes_only_on_missing_facts_is_open(expression: object) -> None:
    now = datetime(2024, 5, 2, 9, 0, tzinfo=_CST)
    evidence, _ = _admitted(now, "mine_gate", 1, 12)
    unidentified = _claims_change(id_hash=None, id_key_check=None, test=None)(evidence)
    decision = _decide(unidentified, _expression(expression), now)
    (opened,) = [r for r in decision.reasons if r.rule_id == "R99-expr"]
    assert opened.code == "rule.open" and "missing" in opened.en
    assert decision.outcome is not Outcome.ADMIT


def test_an_expression_may_not_admit_on_failure() -> None:
    spec_policy = _expression({"var": "attested"})
    pack = spec_policy.packs[0]
    rule = dataclasses.replace(
        pack.rules["R99-expr"], params={**pack.rules["R99-expr"].params, "outcome": "ADMIT"}
    )
    admitting = dataclasses.replace(
        spec_policy, packs=(dataclasses.replace(pack, rules={**pack.rules, "R99-expr": rule}),)
    )
    now = datetime(2024, 5, 2, 9, 0, tzinfo=_CST)
    evidence, _ = _admitted(now, "mine_gate", 1, 12)
    decision = _decide(evidence, admitting, now)
    assert decision.outcome is Outcome.REFER
    assert "rule.open" in {r.code for r in decision.reasons}


def test_health_code_checked_in_the_future_is_open() -> None:
    now = datetime(2024, 5, 2, 9, 0, tzinfo=_CST)
    evidence, chosen = _admitted(now, "mine_gate", 1, 12)
    future = _claims_change(health_code_checked_at=now + timedelta(hours=1))(evidence)
    decision = _decide(future, chosen, now)
    assert decision.outcome is Outcome.REFER
    assert "rule.open" in {r.code for r in decision.reasons}


def test_a_pack_with_a_bad_colour_age_refers() -> None:
    rule = dataclasses.replace(DEFAULT_PACK.rules["R02-health-code"], params={"max_age_hours": -1})
    pack = dataclasses.replace(DEFAULT_PACK, rules={**DEFAULT_PACK.rules, rule.rule_id: rule})
    now = datetime(2024, 5, 2, 9, 0, tzinfo=_CST)
    evidence, chosen = _admitted(now, "mine_gate", 1, 12)
    decision = _decide(evidence, dataclasses.replace(chosen, packs=(pack,)), now)
    (opened,) = [r for r in decision.reasons if r.rule_id == "R02-health-code"]
    assert opened.code == "rule.open" and "max_age_hours" in opened.en


# What each rule of the default pack reads: alone at a checkpoint, that rule must not admit
# when any of these is missing.
READS: dict[str, tuple[str, ...]] = {
    "R01-pass": ("no pass",),
    "R02-health-code": ("no pass", "aged colour"),
    "R03-test-48h": ("no pass", "no test"),
    "R04-risk-areas": ("no pass", "no travel"),
    "R05-home-monitoring": ("no pass", "no travel"),
    "R06-isolation": (
        "no pass",
        "no ID hash",
        "ID hash without its key",
        "ID hash under another key",
    ),
    "R09-roster": ("no pass", "no ID hash", "ID hash without its key", "ID hash under another key"),
    "R07-visitors": ("no ID hash", "ID hash without its key", "ID hash under another key"),
    "R08-contractors": ("no ID hash", "ID hash without its key", "ID hash under another key"),
    "R10-temperature": ("no temperature", "unreadable temperature", "stale temperature"),
    "R11-outsiders-barred": ("no pass",),
}


def _only(rule_id: str, chosen: Policy) -> Policy:
    gate = DEFAULT_PACK.checkpoints["mine_gate"]
    alone = dataclasses.replace(gate, rules=(rule_id,))
    pack = dataclasses.replace(DEFAULT_PACK, checkpoints={"mine_gate": alone})
    return dataclasses.replace(chosen, packs=(pack,), checkpoint_type="mine_gate")


@settings(max_examples=120, deadline=None)
@given(st.sampled_from([(rule, piece) for rule, pieces in READS.items() for piece in pieces]))
def test_each_rule_alone_never_admits_on_what_it_reads_being_missing(
    case: tuple[str, str],
) -> None:
    rule_id, missing = case
    now = datetime(2024, 5, 2, 9, 0, tzinfo=_CST)
    role = {"R07-visitors": Role.VISITOR, "R08-contractors": Role.CONTRACTOR}.get(rule_id)
    evidence, chosen = _admitted(now, "mine_gate", 1, 12, role or Role.EMPLOYEE)
    alone = _only(rule_id, chosen)
    assert decide(evidence, alone, now).outcome is Outcome.ADMIT, rule_id  # it passes
    decision = decide(MISSING[missing](evidence), alone, now)
    assert decision.outcome > Outcome.ADMIT, (rule_id, missing, [r.code for r in decision.reasons])


def test_every_rule_of_the_default_pack_is_covered() -> None:
    elsewhere = {"R12-data-fresh", "R13-vehicles"}  # office data and vehicles: own test modules
    assert set(DEFAULT_PACK.rules) == set(READS) | elsewhere
