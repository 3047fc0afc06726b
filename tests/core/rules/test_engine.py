"""Packs as data: effective dates, app versions, OPEN rules, signatures; temperature practice;
stale data and clocks; vehicles."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime, timedelta
from typing import Any

import pytest

from gatehouse.core import models
from gatehouse.core.decision import Decision, Evidence, FollowUp, Policy, admit_blockers, decide
from gatehouse.core.keys import TrustStore, generate_issuer_key
from gatehouse.core.models import Outcome, TemperatureReading, TravelVisit
from gatehouse.core.rules.pack import PackError, RuleSpec, pack_from_data, select_pack
from gatehouse.core.rules.signed import SignedDocumentError, open_document, sign_document
from gatehouse.core.rules.vehicles import VehicleEvidence, decide_vehicle
from tests.core.factories import CLAIMS, ISSUER, NOW, trust_for
from tests.core.policies import DEFAULT_PACK, RESOURCES, medium, policy, risk_list

HOME = (TravelVisit("150621", date(2024, 4, 29)),)


def _person(celsius: float = 36.5, at: datetime = NOW, **changes: Any) -> Evidence:
    claims = dataclasses.replace(CLAIMS, travel=HOME)
    credential = models.VerifiedPass(claims, b"\x01" * 8, ISSUER)
    return Evidence(
        "GH1:...", credential, None, TemperatureReading(celsius, at, "sensor"), **changes
    )


def _codes(decision: Decision) -> list[str]:
    return [item.code for item in decision.reasons]


def _pack_data(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (RESOURCES / "policy" / "default_pack.json").read_text("utf-8")
    )
    data.update(changes)
    return data


# -- packs --


def test_a_pack_for_next_monday_switches_itself_on() -> None:
    monday = NOW + timedelta(days=3)
    winter = dataclasses.replace(DEFAULT_PACK, version="winter", effective_from=monday)
    packs = (DEFAULT_PACK, winter)
    assert select_pack(packs, monday - timedelta(seconds=1), "0.1.0") is DEFAULT_PACK
    assert select_pack(packs, monday, "0.1.0") is winter


def test_an_expired_pack_is_no_longer_used() -> None:
    ended = dataclasses.replace(DEFAULT_PACK, effective_until=NOW)
    assert select_pack((ended,), NOW, "0.1.0") is None
    assert select_pack((ended,), NOW - timedelta(seconds=1), "0.1.0") is ended


def test_a_pack_needing_a_newer_gatehouse_is_never_chosen() -> None:
    newer = dataclasses.replace(
        DEFAULT_PACK,
        version="next",
        min_app_version="9.0",
        published_at=DEFAULT_PACK.published_at + timedelta(days=1),
    )
    assert select_pack((DEFAULT_PACK, newer), NOW, "0.1.0") is DEFAULT_PACK
    assert select_pack((DEFAULT_PACK, newer), NOW, "9.0.1") is newer


def _gate_accepting(kinds: object) -> dict[str, Any]:
    return {"checkpoints": {"mine_gate": {"rules": [], "params": {"accepted_code_kinds": kinds}}}}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"format": "other"}, "gatehouse-rule-pack/1"),
        ({"effective_from": "2026-01-01"}, "UTC offset"),
        ({"min_app_version": "one"}, "dotted numbers"),
        ({"checkpoints": {"mine_gate": {"rules": ["R99"]}}}, "R99"),
        (
            {"checkpoints": {"mine_gate": {"rules": [], "params": {"lookback_days": -1}}}},
            "lookback",
        ),
        ({"checkpoints": {"mine_gate": {"rules": [], "params": {"threshold": 37}}}}, "threshold"),
        (
            {"rules": [{"id": "R02", "kind": "health_code", "params": {"max_age_hours": 0}}]},
            r"R02\): max_age_hours must be a number of hours above 0",
        ),
        (
            {"rules": [{"id": "R02", "kind": "health_code", "params": {"max_age_hours": "24"}}]},
            "max_age_hours",
        ),
        (
            {"rules": [{"id": "R06", "kind": "isolation_list", "params": {"require_id": "no"}}]},
            r"R06\): require_id must be true or false",
        ),
        (
            {"rules": [{"id": "R09", "kind": "employee_roster", "params": {"require_id": 0}}]},
            "require_id",
        ),
        (  # a typo would refer every health code: refused, naming it and the kinds there are
            _gate_accepting(["gatehouse-pass", "heath_code"]),
            r"checkpoints\.mine_gate\.params\.accepted_code_kinds: unknown code kind "
            r"'heath_code'; the kinds: gatehouse-pass, eu-dcc, shc, provincial-health-code$",
        ),
        (_gate_accepting(["unknown"]), "unknown code kind 'unknown'"),  # never evidence
        (_gate_accepting([]), "accepted_code_kinds must be a non-empty list of code kinds"),
        (_gate_accepting("gatehouse-pass"), "non-empty list of code kinds from: gatehouse-pass"),
    ],
)
def test_unusable_packs_are_refused_by_name(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(PackError, match=message):
        pack_from_data(_pack_data(**changes))


def _with_rule(spec: RuleSpec) -> Policy:
    rules = {**DEFAULT_PACK.rules, spec.rule_id: spec}
    gate = DEFAULT_PACK.checkpoints["mine_gate"]
    gate = dataclasses.replace(gate, rules=(*gate.rules, spec.rule_id))
    pack = dataclasses.replace(DEFAULT_PACK, rules=rules, checkpoints={"mine_gate": gate})
    return policy(packs=(pack,))


@pytest.mark.parametrize(
    "spec",
    [
        RuleSpec("X1", "teleport_check"),
        RuleSpec("X2", "temperature", engine=2),
        RuleSpec("X3", "expression", params={"expression": {"eval": ["1"]}, "outcome": "REFER"}),
        RuleSpec("X4", "expression", params={"expression": {"+": ["a", 1]}, "outcome": "REFER"}),
        RuleSpec("X5", "travel_monitoring", params={"home_regions": "150600"}),
    ],
    ids=["unknown kind", "newer engine", "unknown operator", "type error", "bad parameter"],
)
def test_a_rule_that_cannot_be_evaluated_refers_never_admits(spec: RuleSpec) -> None:
    decision = decide(_person(), _with_rule(spec), NOW)
    assert decision.outcome is Outcome.REFER
    (opened,) = [item for item in decision.reasons if item.code == "rule.open"]
    assert opened.rule_id == spec.rule_id
    assert "无法执行" in opened.zh


def test_expression_rule_gives_the_packs_own_messages() -> None:
    spec = RuleSpec(
        "X6",
        "expression",
        params={
            "expression": {"<": [{"var": "temperature.tenths_c"}, 370]},
            "outcome": "REMEASURE",
            "en": "Winter rule: 37.0 °C or more",
            "zh": "冬季规则:体温37.0 °C及以上",
        },
    )
    warm = decide(_person(37.0), _with_rule(spec), NOW)
    assert (warm.outcome, warm.reasons[-1].zh) == (Outcome.REMEASURE, "冬季规则:体温37.0 °C及以上")
    assert "rule.passed" in _codes(decide(_person(36.9), _with_rule(spec), NOW))


def test_signed_pack_verifies_and_refuses_tampering() -> None:
    key = generate_issuer_key()
    signers = trust_for(key, issuer="Group epidemic office")
    signed = sign_document(_pack_data(), key)
    document, signer = open_document(signed, signers)
    assert pack_from_data(document) == DEFAULT_PACK
    assert signer.issuer == "Group epidemic office"
    tampered = signed.replace(b"37.3", b"39.9")
    with pytest.raises(SignedDocumentError):
        open_document(tampered, signers)
    with pytest.raises(SignedDocumentError):
        open_document(signed, trust_for(generate_issuer_key()))


def test_shipped_signed_pack_is_its_json_source() -> None:
    folder = RESOURCES / "policy"
    signers = TrustStore.from_json((folder / "builtin_signers.json").read_text("utf-8"))
    for name in ("default_pack", "risk_areas_seed", "risk_areas_demo"):
        document, _ = open_document((folder / f"{name}.cose").read_bytes(), signers)
        assert document == json.loads((folder / f"{name}.json").read_text("utf-8")), name


# -- temperature practice --


def test_first_abnormal_reading_asks_for_a_re_measure_after_the_wait() -> None:
    first = decide(_person(37.6), policy(), NOW)
    assert (first.outcome, _codes(first)[-2]) == (Outcome.REMEASURE, "temp.high")
    reading = first.reasons[-2]
    assert reading.params["wait_min"] == 3


def test_re_measuring_too_soon_says_how_long_to_wait() -> None:
    earlier = TemperatureReading(37.6, NOW - timedelta(minutes=1), "sensor")
    decision = decide(_person(37.8, first_abnormal=earlier), policy(), NOW)
    assert "temp.wait" in _codes(decision)
    assert "请2分钟后复测" in next(r.zh for r in decision.reasons if r.code == "temp.wait")


def test_second_abnormal_reading_needs_the_guards_confirmation() -> None:
    earlier = TemperatureReading(37.6, NOW - timedelta(minutes=3), "sensor")
    unconfirmed = decide(_person(37.5, first_abnormal=earlier), policy(), NOW)
    assert unconfirmed.outcome is Outcome.REMEASURE
    assert "temp.confirm" in _codes(unconfirmed)
    confirmed = decide(
        _person(37.5, first_abnormal=earlier, abnormal_confirmed=True), policy(), NOW
    )
    assert confirmed.outcome is Outcome.TURN_AWAY
    assert confirmed.follow_ups == {FollowUp.FLAG_CASE}


def test_normal_second_reading_admits() -> None:
    earlier = TemperatureReading(34.2, NOW - timedelta(minutes=4), "sensor")
    assert decide(_person(36.4, first_abnormal=earlier), policy(), NOW).outcome is Outcome.ADMIT


def test_ambient_and_compensation_are_recorded_with_the_reading() -> None:
    reading = TemperatureReading(
        36.5, NOW, "sensor", ambient_celsius=-12.5, compensation_celsius=0.4
    )
    person = dataclasses.replace(_person(), temperature=reading)
    (normal,) = [r for r in decide(person, policy(), NOW).reasons if r.code == "temp.normal"]
    assert (normal.params["ambient_c"], normal.params["compensation_c"]) == (-12.5, 0.4)


# -- stale data and clocks --


@pytest.mark.parametrize(
    ("age", "outcome"),
    [
        (timedelta(hours=47, minutes=59), Outcome.ADMIT),
        (timedelta(hours=48, minutes=1), Outcome.REFER),
    ],
)
def test_a_stale_risk_list_stops_automatic_admits(age: timedelta, outcome: Outcome) -> None:
    chosen = policy(risk_areas=risk_list(published_at=NOW - age))
    assert decide(_person(), chosen, NOW).outcome is outcome
    assert bool(admit_blockers(chosen, NOW)) is (outcome is Outcome.REFER)


def test_a_stale_list_never_softens_a_turn_away() -> None:
    chosen = policy(risk_areas=risk_list(published_at=NOW - timedelta(days=9)))
    assert decide(_person(), chosen, NOW).outcome is Outcome.REFER
    red = dataclasses.replace(
        _person(),
        credential=models.VerifiedPass(
            dataclasses.replace(CLAIMS, health_code=models.HealthCodeColour.RED), b"1", "x"
        ),
    )
    assert decide(red, chosen, NOW).outcome is Outcome.TURN_AWAY


def test_a_booth_clock_the_hub_disputes_stops_automatic_admits() -> None:
    fine = decide(_person(), policy(hub_clock_offset=timedelta(minutes=4)), NOW)
    skewed = decide(_person(), policy(hub_clock_offset=timedelta(minutes=-6)), NOW)
    assert fine.outcome is Outcome.ADMIT
    assert skewed.outcome is Outcome.REFER
    assert "岗亭时钟与中心相差6分钟" in next(r.zh for r in skewed.reasons if r.code == "clock.skew")


def test_no_risk_list_refers() -> None:
    decision = decide(_person(), dataclasses.replace(policy(), risk_areas=None), NOW)
    assert decision.outcome is Outcome.REFER
    assert "data.no_risk_list" in _codes(decision)


# -- vehicles --


def _truck(origin: str, purpose: str = "supply", **changes: Any) -> VehicleEvidence:
    return VehicleEvidence("蒙K·A1234", origin, purpose, _person(), **changes)


def test_supply_truck_from_a_low_risk_area_with_a_good_driver_is_admitted() -> None:
    decision = decide_vehicle(_truck("150602"), policy(checkpoint="vehicle_gate"), NOW)
    assert decision.outcome is Outcome.ADMIT
    assert [r.code for r in decision.reasons] == ["vehicle.purpose_ok", "vehicle.origin_ok"]
    assert decision.reasons[0].rule_id == "R13-vehicles"


def test_vehicle_from_a_risk_area_is_turned_away() -> None:
    risky = policy(
        checkpoint="vehicle_gate", risk_areas=risk_list(medium("610400", date(2024, 4, 20)))
    )
    decision = decide_vehicle(_truck("610402"), risky, NOW)
    assert decision.outcome is Outcome.TURN_AWAY
    assert "vehicle.origin_medium" in [r.code for r in decision.reasons]


def test_one_feverish_passenger_keeps_the_vehicle_out() -> None:
    truck = _truck("150602", passengers=(_person(), _person(38.2)))
    decision = decide_vehicle(truck, policy(checkpoint="vehicle_gate"), NOW)
    assert decision.outcome is Outcome.REMEASURE
    assert [r.code for r in decision.reasons][-1] == "vehicle.passenger_not_admitted"
    assert decision.passengers[1].outcome is Outcome.REMEASURE


@pytest.mark.parametrize(
    ("truck", "code"),
    [
        (VehicleEvidence("ABC", "150602", "supply", _person()), "vehicle.plate_invalid"),
        (
            VehicleEvidence("蒙K12345", "150602", "sightseeing", _person()),
            "vehicle.purpose_not_allowed",
        ),
        (VehicleEvidence("蒙K12345", "150602", "supply", None), "vehicle.no_driver"),
    ],
)
def test_vehicle_problems_refer(truck: VehicleEvidence, code: str) -> None:
    decision = decide_vehicle(truck, policy(checkpoint="vehicle_gate"), NOW)
    assert decision.outcome is Outcome.REFER
    assert code in [r.code for r in decision.reasons]
