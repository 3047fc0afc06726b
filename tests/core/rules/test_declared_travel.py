"""Travel the person declares and the guard types, for a code that carries no signed travel:
judged like signed travel, said to be declared, admitted only where the checkpoint allows it."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gatehouse.core.china_time import china_day
from gatehouse.core.decision import Decision, Evidence, FollowUp, Policy, Verdict, decide
from gatehouse.core.models import (
    HealthCodeColour,
    Outcome,
    TemperatureReading,
    TravelVisit,
    VerifiedPass,
)
from gatehouse.core.rules.evidence import declared_travel_from_record, declared_travel_record
from gatehouse.core.rules.pack import PackError, pack_from_data
from gatehouse.core.rules.regions import RegionCodeError
from gatehouse.core.rules.risk_areas import RiskArea, RiskAreaList, RiskLevel
from tests.core.factories import CLAIMS, ISSUER, NOW
from tests.core.policies import DEFAULT_PACK, RESOURCES, medium, policy, risk_list, with_checkpoint

TODAY = china_day(NOW)
XIAN = "610100"  # a medium-risk city in these tests
YANTA = "610113"  # a district of Xi'an
ORDOS_HOME = "150621"  # inside the default pack's home region (150600)
TAIYUAN = "140100"  # outside the home region, not a risk area
RISKS = risk_list(medium(XIAN, TODAY - timedelta(days=20)))
NO_TEST = tuple(r for r in DEFAULT_PACK.checkpoints["mine_gate"].rules if not r.startswith("R03"))
ALL_KINDS = frozenset({"gatehouse-pass", "provincial-health-code"})


def _policy(allow_declared: bool = True, risk_areas: RiskAreaList = RISKS) -> Policy:
    """A mine gate that accepts attested provincial codes, which carry no test or travel; the
    test rule is left out so the travel rules alone decide between admit and refer."""
    pack = with_checkpoint(
        DEFAULT_PACK,
        rules=NO_TEST,
        accepted_code_kinds=ALL_KINDS,
        allow_attested=True,
        allow_declared_travel=allow_declared,
    )
    return policy(packs=(pack,), risk_areas=risk_areas)


def _provincial(declared: tuple[TravelVisit, ...] | None) -> Evidence:
    return Evidence(
        "https://hc.example.sn.gov.cn/v/8f3a9c",
        None,
        None,
        TemperatureReading(36.5, NOW, "sensor"),
        code_kind="provincial-health-code",
        attested=True,
        health_code=HealthCodeColour.GREEN,
        code_issuer="陕西一码通",
        declared_travel=declared,
    )


def _signed(travel: tuple[TravelVisit, ...]) -> Evidence:
    credential = VerifiedPass(dataclasses.replace(CLAIMS, travel=travel), b"\x01" * 8, ISSUER)
    return Evidence("GH1:...", credential, None, TemperatureReading(36.5, NOW, "sensor"))


def _travel_reasons(decision: Decision) -> dict[str, dict[str, Any]]:
    return {
        r.code: {k: v for k, v in r.params.items() if k not in ("rule_id", "pack_version")}
        for r in decision.reasons
        if r.code.startswith("travel.")
    }


def _visit(code: str, days_ago: int) -> TravelVisit:
    return TravelVisit(code, TODAY - timedelta(days=days_ago))


@pytest.mark.parametrize(
    ("visit", "signed_code"),
    [
        (_visit(XIAN, 3), "travel.risk_medium"),
        (_visit(YANTA, 3), "travel.risk_medium"),
        (_visit("610000", 3), "travel.starred_medium"),  # the province holds Xi'an
    ],
)
def test_a_declared_visit_to_a_risk_area_turns_away_as_a_signed_one(
    visit: TravelVisit, signed_code: str
) -> None:
    signed = decide(_signed((visit,)), _policy(), NOW)
    declared = decide(_provincial((visit,)), _policy(), NOW)
    assert signed.outcome is declared.outcome is Outcome.TURN_AWAY
    declared_code = signed_code.replace("travel.", "travel.declared_")
    assert _travel_reasons(declared)[declared_code] == _travel_reasons(signed)[signed_code]
    item = next(r for r in declared.reasons if r.code == declared_code)
    assert item.en.startswith("Declared a visit to") and item.zh.startswith("申报")


def test_a_declared_risk_visit_turns_away_even_where_declared_travel_is_not_accepted() -> None:
    decision = decide(_provincial((_visit(XIAN, 1),)), _policy(allow_declared=False), NOW)
    assert decision.outcome is Outcome.TURN_AWAY


def test_clear_declared_travel_admits_only_where_the_checkpoint_accepts_it() -> None:
    visits = (_visit(ORDOS_HOME, 2),)
    allowed = decide(_provincial(visits), _policy(allow_declared=True), NOW)
    assert allowed.outcome is Outcome.ADMIT, allowed.reasons
    assert {"travel.declared_clear", "travel.declared_local"} <= set(_travel_reasons(allowed))
    clear = next(r for r in allowed.reasons if r.code == "travel.declared_clear")
    assert "not signed" in clear.en and "非签名" in clear.zh

    refused = decide(_provincial(visits), _policy(allow_declared=False), NOW)
    assert refused.outcome is Outcome.REFER
    assert "policy.declared_travel_not_accepted" in {r.code for r in refused.reasons}


def test_the_default_checkpoint_does_not_accept_declared_travel() -> None:
    for checkpoint in DEFAULT_PACK.checkpoints.values():
        assert checkpoint.allow_declared_travel is False
        assert checkpoint.parameters()["allow_declared_travel"] is False


def test_declaring_no_travel_at_all_is_local() -> None:
    decision = decide(_provincial(()), _policy(), NOW)
    assert decision.outcome is Outcome.ADMIT
    assert set(_travel_reasons(decision)) == {"travel.declared_clear", "travel.declared_local"}


def test_a_declared_arrival_from_outside_the_home_area_means_home_monitoring() -> None:
    decision = decide(_provincial((_visit(TAIYUAN, 4),)), _policy(), NOW)
    assert decision.verdict is Verdict.ADMIT_HOME_MONITORING
    assert FollowUp.HOME_MONITORING in decision.follow_ups
    monitored = _travel_reasons(decision)["travel.declared_home_monitoring"]
    assert monitored["region_code"] == TAIYUAN and monitored["region"] == "山西省太原市"


def test_not_asked_is_still_travel_not_shown() -> None:
    decision = decide(_provincial(None), _policy(), NOW)
    assert decision.outcome is Outcome.REFER
    assert set(_travel_reasons(decision)) == {"travel.not_shown"}


def test_declared_travel_without_a_risk_list_refers() -> None:
    no_list = dataclasses.replace(_policy(), risk_areas=None)
    decision = decide(_provincial(()), no_list, NOW)
    assert decision.outcome is Outcome.REFER
    assert "data.no_risk_list" in {r.code for r in decision.reasons}


def test_a_pass_keeps_its_signed_travel_declared_travel_is_refused() -> None:
    with pytest.raises(ValueError, match="signed travel"):
        dataclasses.replace(
            _signed((_visit(ORDOS_HOME, 2),)), declared_travel=(_visit(TAIYUAN, 1),)
        )


def test_a_pass_without_travel_is_travel_not_shown_until_the_guard_enters_it() -> None:
    """An empty signed record is not "stayed home": F4 declares the cities, judged as declared."""
    bare = _signed(())
    assert set(_travel_reasons(decide(bare, _policy(), NOW))) == {"travel.not_shown"}
    assert decide(bare, _policy(), NOW).outcome is Outcome.REFER
    declared = dataclasses.replace(bare, declared_travel=(_visit(ORDOS_HOME, 1),))
    decision = decide(declared, _policy(), NOW)
    assert set(_travel_reasons(decision)) == {"travel.declared_clear", "travel.declared_local"}
    assert decide(declared, _policy(allow_declared=False), NOW).outcome is Outcome.REFER


def test_a_declared_visit_needs_a_region_code() -> None:
    with pytest.raises(RegionCodeError):
        _provincial((TravelVisit("Xi'an", TODAY),))


def test_the_ledger_record_of_declared_travel_round_trips_and_refuses_garbage() -> None:
    visits = (_visit(XIAN, 3), _visit(TAIYUAN, 0))
    record = declared_travel_record(visits)
    assert record == [
        {"region": XIAN, "day": (TODAY - timedelta(days=3)).isoformat()},
        {"region": TAIYUAN, "day": TODAY.isoformat()},
    ]
    assert declared_travel_from_record(json.loads(json.dumps(record))) == visits
    for garbage in ({"region": XIAN}, [{"region": XIAN}], [{"region": 610100, "day": "x"}]):
        with pytest.raises(ValueError):
            declared_travel_from_record(garbage)


def _pack_with(**params: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (RESOURCES / "policy" / "default_pack.json").read_text("utf-8")
    )
    data["checkpoints"]["mine_gate"]["params"].update(params)
    return data


def test_a_pack_sets_allow_declared_travel_per_checkpoint() -> None:
    pack = pack_from_data(_pack_with(allow_declared_travel=True))
    assert pack.checkpoints["mine_gate"].allow_declared_travel is True
    assert pack.checkpoints["canteen"].allow_declared_travel is False
    with pytest.raises(PackError, match="allow_declared_travel"):
        pack_from_data(_pack_with(allow_declared_travel="yes"))


# -- properties: declared travel is judged exactly as the same travel signed --

CODES = [XIAN, YANTA, "610400", "610000", "150600", ORDOS_HOME, TAIYUAN, "110000", "110105"]
visits = st.builds(
    TravelVisit, st.sampled_from(CODES), st.integers(-2, 30).map(lambda d: TODAY - timedelta(d))
)
areas = st.builds(
    RiskArea,
    st.sampled_from(CODES),
    st.sampled_from(list(RiskLevel)),
    st.integers(0, 40).map(lambda days: TODAY - timedelta(days=days)),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(visits, min_size=1, max_size=5), st.lists(areas, max_size=4), st.booleans())
def test_declared_travel_is_judged_as_the_same_travel_signed(
    travel: list[TravelVisit], risk_areas: list[RiskArea], allow: bool
) -> None:
    chosen = _policy(allow_declared=allow, risk_areas=risk_list(*risk_areas))
    signed = decide(_signed(tuple(travel)), chosen, NOW)
    declared = decide(_provincial(tuple(travel)), chosen, NOW)
    renamed = {
        code.replace("travel.", "travel.declared_"): params
        for code, params in _travel_reasons(signed).items()
    }
    assert _travel_reasons(declared) == renamed
    if signed.outcome is Outcome.TURN_AWAY:
        assert declared.outcome is Outcome.TURN_AWAY
    elif not allow:
        assert declared.outcome is not Outcome.ADMIT


@settings(max_examples=200, deadline=None)
@given(st.lists(visits, max_size=4), visits, st.lists(areas, max_size=4))
def test_declaring_one_more_city_never_makes_the_outcome_milder(
    travel: list[TravelVisit], extra: TravelVisit, risk_areas: list[RiskArea]
) -> None:
    chosen = _policy(risk_areas=risk_list(*risk_areas))
    before = decide(_provincial(tuple(travel)), chosen, NOW)
    after = decide(_provincial((*travel, extra)), chosen, NOW)
    assert after.outcome >= before.outcome
