from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from gatehouse.core import models
from gatehouse.core.decision import (
    Decision,
    Evidence,
    FollowUp,
    Policy,
    RefusedBundle,
    Verdict,
    admit_blockers,
    decide,
)
from gatehouse.core.models import (
    HealthCodeColour,
    NucleicAcidTest,
    Outcome,
    TemperatureReading,
    VerifiedPass,
)
from gatehouse.core.reasons import Reason, reason

from .factories import CLAIMS, ISSUER, NOW, claims
from .policies import DEFAULT_PACK, policy, risk_list, with_checkpoint

POLICY = policy()
LOCAL = (models.TravelVisit("150621", NOW.date() - timedelta(days=3)),)  # home area: no monitoring
FRESH = timedelta(seconds=5)


def _pass(**changes: Any) -> VerifiedPass:
    changes.setdefault("travel", LOCAL)
    return VerifiedPass(claims=claims(**changes), key_id=b"\x01" * 8, issuer=ISSUER)


def _reading(celsius: float = 36.5, age: timedelta = FRESH) -> TemperatureReading:
    return TemperatureReading(celsius=celsius, taken_at=NOW - age, source="sensor")


def _decide(
    credential: VerifiedPass | None = None,
    error: Reason | None = None,
    temperature: TemperatureReading | None = None,
    now: datetime = NOW,
    policy: Policy = POLICY,
) -> Decision:
    evidence = Evidence("GH1:...", credential, error, temperature)
    return decide(evidence, policy, now)


def _good(**changes: Any) -> Decision:
    """A decision where everything passes except what ``changes`` alters."""
    temperature = changes.pop("temperature", _reading())
    now = changes.pop("now", NOW)
    return _decide(_pass(**changes), temperature=temperature, now=now)


def _reason(decision: Decision, prefix: str) -> Reason:
    (found,) = [item for item in decision.reasons if item.code.startswith(prefix)]
    return found


def _params(item: Reason) -> dict[str, Any]:
    """A reason's message parameters, without the rule trace every decision adds."""
    return {k: v for k, v in item.params.items() if k not in ("rule_id", "pack_version")}


def _tested(age: timedelta, result: models.TestResult = models.TestResult.NEGATIVE) -> Decision:
    return _good(test=NucleicAcidTest(sampled_at=NOW - age, result=result))


# -- the whole decision --


def test_all_checks_passed_admits_and_explains_itself() -> None:
    decision = _good()
    assert decision.outcome is Outcome.ADMIT
    assert [item.en for item in decision.reasons] == [
        "Pass valid until 2024-05-08 16:00 UTC+08:00",
        "Health code green",
        "Test negative, sampled 12 h ago",
        "No medium/high-risk area in the last 14 days (list test-1)",
        "No travel outside the home area in the last 14 days",
        "No person list is in force at this booth",
        "36.5 °C normal",
        "Risk-area list test-1 is current (2 h old)",
    ]
    assert {item.outcome for item in decision.reasons} == {Outcome.ADMIT}


def test_every_reason_names_its_rule_and_pack() -> None:
    decision = _good(id_hash=None)
    assert [(item.code, item.rule_id) for item in decision.reasons][:3] == [
        ("validity.ok", "R01-pass"),
        ("health.green", "R02-health-code"),
        ("test.negative", "R03-test-48h"),
    ]
    assert {item.pack_version for item in decision.reasons} == {"default@2026.1"}


def test_decision_records_time_and_policy_version() -> None:
    decision = _good()
    assert (decision.decided_at, decision.policy_version) == (NOW, "default@2026.1")


def test_chinese_messages() -> None:
    assert [item.zh for item in _good().reasons] == [
        "通行证有效期至 2024-05-08 16:00 UTC+08:00",
        "健康码绿码",
        "核酸阴性,12小时前采样",
        "近14天未到访中高风险地区(名单 test-1)",
        "近14天未离开本地",
        "本岗亭无生效的人员名单",
        "体温 36.5 °C 正常",
        "风险地区名单 test-1 为最新(2小时前发布)",
    ]


def test_outcome_is_the_most_severe_reason() -> None:
    decision = _good(health_code=HealthCodeColour.YELLOW, temperature=_reading(38.0))
    assert {item.outcome for item in decision.reasons} >= {Outcome.TURN_AWAY, Outcome.REMEASURE}
    assert decision.outcome is Outcome.TURN_AWAY


def test_refer_outranks_remeasure() -> None:
    assert _decide(temperature=None).outcome is Outcome.REFER


def test_home_monitoring_admits_with_a_follow_up() -> None:
    decision = _good(travel=(models.TravelVisit("610100", NOW.date() - timedelta(days=3)),))
    assert decision.outcome is Outcome.ADMIT
    assert decision.verdict is Verdict.ADMIT_HOME_MONITORING
    assert decision.follow_ups == {FollowUp.HOME_MONITORING}
    monitored = _reason(decision, "travel.home")
    assert monitored.zh == "2024-04-28自陕西省西安市来矿:放行,落实居家健康监测"


def test_no_pack_in_force_refers() -> None:
    later = dataclasses.replace(DEFAULT_PACK, effective_from=NOW + timedelta(days=1))
    decision = _decide(_pass(), temperature=_reading(), policy=policy(packs=(later,)))
    assert (decision.outcome, decision.policy_version) == (Outcome.REFER, "none")
    assert decision.reasons[0].code == "pack.none"


def test_a_refused_office_document_refers_everyone_the_built_in_pack_would_admit() -> None:
    assert _decide(_pass(), temperature=_reading()).outcome is Outcome.ADMIT
    refused = (RefusedBundle("policy", 7, "rules must be a list"),)
    held = dataclasses.replace(POLICY, refused=refused)
    decision = _decide(_pass(), temperature=_reading(), policy=held)
    assert (decision.outcome, decision.policy_version) == (Outcome.REFER, "none")
    (said,) = decision.reasons
    assert said.code == "pack.refused" and said.deciding
    assert said.en.startswith("The office's rule pack (version 7) cannot be used by this release")
    assert "rules must be a list" in said.zh and "一律交主管处理" in said.zh
    assert admit_blockers(held, NOW) == (said,)
    assert admit_blockers(POLICY, NOW) == ()


def test_checkpoint_without_a_policy_refers() -> None:
    decision = _decide(_pass(), temperature=_reading(), policy=policy(checkpoint="helipad"))
    assert [item.code for item in decision.reasons] == ["pack.no_checkpoint"]


def test_reason_params_are_json_and_never_hold_the_name() -> None:
    decision = _good(temperature=_reading(37.5))
    dumped = json.dumps([item.params for item in decision.reasons], ensure_ascii=False)
    assert CLAIMS.holder_name not in dumped
    assert CLAIMS.holder_name not in repr(decision)


def test_now_must_be_timezone_aware() -> None:
    with pytest.raises(ValueError):
        _decide(_pass(), temperature=_reading(), now=datetime(2024, 5, 1, 8, 0))


def test_custom_policy_is_applied_and_recorded() -> None:
    winter = dataclasses.replace(
        with_checkpoint(DEFAULT_PACK, temperature_threshold_c=37.0), version="winter-3"
    )
    decision = _decide(_pass(), temperature=_reading(37.0), policy=policy(packs=(winter,)))
    assert (decision.outcome, decision.policy_version) == (Outcome.REMEASURE, "default@winter-3")


# -- the credential --


def test_credential_error_turns_away_with_its_reason() -> None:
    forged = reason("pass.signature_invalid", kid="0102030405060708")
    decision = _decide(error=forged, temperature=_reading())
    assert decision.outcome is Outcome.TURN_AWAY
    assert decision.reasons[0].code == forged.code
    assert decision.reasons[0].params["kid"] == "0102030405060708"
    assert decision.reasons[0].zh == "通行证签名无效(疑似伪造)"


def test_no_pass_and_no_error_refers() -> None:
    decision = _decide(temperature=_reading())
    assert decision.outcome is Outcome.REFER
    assert decision.reasons[0].code == "decision.no_pass"


def test_evidence_cannot_hold_pass_and_error() -> None:
    with pytest.raises(ValueError):
        Evidence("GH1:...", _pass(), reason("pass.signature_invalid", kid="01"), None)


def test_evidence_error_must_turn_away() -> None:
    with pytest.raises(ValueError):
        Evidence("GH1:...", None, reason("health.green"), None)


def test_only_a_remeasure_can_be_confirmed() -> None:
    with pytest.raises(ValueError):
        Evidence("GH1:...", None, None, _reading(), abnormal_confirmed=True)


@pytest.mark.parametrize(
    ("colour", "zh"),
    [(HealthCodeColour.YELLOW, "健康码黄码"), (HealthCodeColour.RED, "健康码红码")],
)
def test_health_code_not_green_turns_away(colour: HealthCodeColour, zh: str) -> None:
    decision = _good(health_code=colour)
    assert decision.outcome is Outcome.TURN_AWAY
    assert _reason(decision, "health.").zh == zh


def test_no_test_turns_away() -> None:
    decision = _good(test=None)
    assert (decision.outcome, _reason(decision, "test.").code) == (
        Outcome.TURN_AWAY,
        "test.missing",
    )


def test_positive_test_turns_away() -> None:
    decision = _tested(timedelta(hours=1), models.TestResult.POSITIVE)
    assert (decision.outcome, _reason(decision, "test.").code) == (
        Outcome.TURN_AWAY,
        "test.positive",
    )


@pytest.mark.parametrize(
    ("age", "outcome", "code"),
    [
        (timedelta(hours=47, minutes=59), Outcome.ADMIT, "test.negative"),
        (timedelta(hours=48), Outcome.ADMIT, "test.negative"),
        (timedelta(hours=48, seconds=1), Outcome.TURN_AWAY, "test.too_old"),
    ],
)
def test_test_age_limit_is_inclusive(age: timedelta, outcome: Outcome, code: str) -> None:
    decision = _tested(age)
    assert (decision.outcome, _reason(decision, "test.").code) == (outcome, code)


def test_too_old_test_message() -> None:
    too_old = _reason(_tested(timedelta(hours=50)), "test.")
    assert too_old.zh == "核酸检测已超过48小时(50小时前采样)"
    assert _params(too_old) == {"hours": 50, "max_hours": 48}


@pytest.mark.parametrize(
    ("ahead", "outcome", "code"),
    [
        (timedelta(minutes=5), Outcome.ADMIT, "test.negative"),
        (timedelta(minutes=5, seconds=1), Outcome.REFER, "test.in_future"),
    ],
)
def test_test_sampled_in_the_future_refers(ahead: timedelta, outcome: Outcome, code: str) -> None:
    decision = _tested(-ahead)
    assert (decision.outcome, _reason(decision, "test.").code) == (outcome, code)


def test_slightly_future_test_reads_as_zero_hours() -> None:
    assert _params(_reason(_tested(-timedelta(minutes=1)), "test.")) == {"hours": 0}


@pytest.mark.parametrize(
    ("now", "outcome", "code"),
    [
        (CLAIMS.valid_from - timedelta(seconds=1), Outcome.TURN_AWAY, "validity.not_yet"),
        (CLAIMS.valid_from, Outcome.ADMIT, "validity.ok"),
        (CLAIMS.valid_until - timedelta(seconds=1), Outcome.ADMIT, "validity.ok"),
        (CLAIMS.valid_until, Outcome.TURN_AWAY, "validity.expired"),
    ],
)
def test_pass_validity_window(now: datetime, outcome: Outcome, code: str) -> None:
    sampled_recently = NucleicAcidTest(now - timedelta(hours=1), models.TestResult.NEGATIVE)
    decision = _decide(
        _pass(test=sampled_recently, health_code_checked_at=now - timedelta(hours=1)),
        temperature=TemperatureReading(36.5, now, "sensor"),
        now=now,
        policy=policy(risk_areas=risk_list(published_at=now)),
    )
    assert (decision.outcome, _reason(decision, "validity.").code) == (outcome, code)


def test_expired_message() -> None:
    expired = _reason(_good(now=CLAIMS.valid_until + timedelta(hours=1)), "validity.")
    assert expired.en == "Pass expired at 2024-05-08 16:00 UTC+08:00"


# -- the temperature --


def test_missing_temperature_remeasures() -> None:
    decision = _good(temperature=None)
    assert decision.outcome is Outcome.REMEASURE
    assert _reason(decision, "temp.").en == "No temperature reading, please measure"


@pytest.mark.parametrize(
    ("age", "code"),
    [
        (timedelta(seconds=30), "temp.normal"),
        (timedelta(seconds=31), "temp.stale"),
        (-timedelta(minutes=5), "temp.normal"),
        (-timedelta(minutes=5, seconds=1), "temp.stale"),
    ],
)
def test_reading_must_be_current(age: timedelta, code: str) -> None:
    assert _reason(_good(temperature=_reading(age=age)), "temp.").code == code


def test_stale_reading_remeasures() -> None:
    decision = _good(temperature=_reading(age=timedelta(minutes=2)))
    assert decision.outcome is Outcome.REMEASURE
    assert _params(_reason(decision, "temp.")) == {"age_s": 120}


@pytest.mark.parametrize(
    ("celsius", "outcome", "code"),
    [
        (37.2, Outcome.ADMIT, "temp.normal"),
        (37.3, Outcome.REMEASURE, "temp.high"),
        (37.29999999999, Outcome.REMEASURE, "temp.high"),
        (37.24999, Outcome.ADMIT, "temp.normal"),
        (37.25, Outcome.REMEASURE, "temp.high"),
        (35.0, Outcome.ADMIT, "temp.normal"),
        (34.95, Outcome.ADMIT, "temp.normal"),
        (34.9, Outcome.REMEASURE, "temp.low"),
        (float("nan"), Outcome.REMEASURE, "temp.unreadable"),
        (float("inf"), Outcome.REMEASURE, "temp.unreadable"),
    ],
)
def test_temperature_thresholds_at_one_decimal(celsius: float, outcome: Outcome, code: str) -> None:
    decision = _good(temperature=_reading(celsius))
    assert (decision.outcome, _reason(decision, "temp.").code) == (outcome, code)


def test_float_noise_is_shown_as_the_rounded_value() -> None:
    high = _reason(_good(temperature=_reading(0.1 + 37.2)), "temp.")
    assert _params(high) == {"celsius": 37.3, "wait_min": 3}
    assert high.zh == "体温 37.3 °C 偏高,请复测"


def test_high_temperature_message() -> None:
    high = _reason(_good(temperature=_reading(37.5)), "temp.")
    assert (high.en, high.zh) == ("37.5 °C high, re-measure", "体温 37.5 °C 偏高,请复测")


def test_low_temperature_message() -> None:
    low = _reason(_good(temperature=_reading(33.0)), "temp.")
    assert low.en == "33.0 °C implausibly low, re-measure"


def test_now_in_another_timezone_decides_the_same() -> None:
    beijing_now = NOW.astimezone(timezone(timedelta(hours=8)))
    assert _good(now=beijing_now).reasons == _good().reasons
