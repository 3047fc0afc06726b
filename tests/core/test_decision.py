from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from gatehouse.core import models
from gatehouse.core.decision import Decision, Evidence, Policy, decide
from gatehouse.core.models import (
    HealthCodeColour,
    NucleicAcidTest,
    Outcome,
    TemperatureReading,
    VerifiedPass,
)
from gatehouse.core.reasons import Reason, reason

from .factories import CLAIMS, ISSUER, NOW, claims

POLICY = Policy()
FRESH = timedelta(seconds=5)


def _pass(**changes: Any) -> VerifiedPass:
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


def _tested(age: timedelta, result: models.TestResult = models.TestResult.NEGATIVE) -> Decision:
    return _good(test=NucleicAcidTest(sampled_at=NOW - age, result=result))


# -- the whole decision --


def test_all_checks_passed_admits_and_explains_itself() -> None:
    decision = _good()
    assert decision.outcome is Outcome.ADMIT
    assert [item.en for item in decision.reasons] == [
        "Health code green",
        "Test negative, sampled 12 h ago",
        "Pass valid until 2024-05-08 08:00 UTC",
        "36.5 °C normal",
    ]
    assert {item.outcome for item in decision.reasons} == {Outcome.ADMIT}


def test_decision_records_time_and_policy_version() -> None:
    decision = _good()
    assert (decision.decided_at, decision.policy_version) == (NOW, "builtin-1")


def test_chinese_messages() -> None:
    assert [item.zh for item in _good().reasons] == [
        "健康码绿码",
        "核酸阴性,12小时前采样",
        "通行证有效期至 2024-05-08 08:00 UTC",
        "体温 36.5 °C 正常",
    ]


def test_outcome_is_the_most_severe_reason() -> None:
    decision = _good(health_code=HealthCodeColour.YELLOW, temperature=_reading(38.0))
    assert {item.outcome for item in decision.reasons} >= {Outcome.TURN_AWAY, Outcome.REMEASURE}
    assert decision.outcome is Outcome.TURN_AWAY


def test_refer_outranks_remeasure() -> None:
    assert _decide(temperature=None).outcome is Outcome.REFER


def test_reason_params_are_json_and_never_hold_the_name() -> None:
    decision = _good(temperature=_reading(37.5))
    dumped = json.dumps([item.params for item in decision.reasons], ensure_ascii=False)
    assert CLAIMS.holder_name not in dumped
    assert CLAIMS.holder_name not in repr(decision)


def test_now_must_be_timezone_aware() -> None:
    with pytest.raises(ValueError):
        _decide(_pass(), temperature=_reading(), now=datetime(2024, 5, 1, 8, 0))


def test_custom_policy_is_applied_and_recorded() -> None:
    strict = Policy(policy_version="mine-3-winter", temperature_threshold_c=37.0)
    decision = _decide(_pass(), temperature=_reading(37.0), policy=strict)
    assert (decision.outcome, decision.policy_version) == (Outcome.REMEASURE, "mine-3-winter")


# -- the credential --


def test_credential_error_turns_away_with_its_reason() -> None:
    forged = reason("pass.signature_invalid", kid="0102030405060708")
    decision = _decide(error=forged, temperature=_reading())
    assert decision.outcome is Outcome.TURN_AWAY
    assert decision.reasons[0] == forged
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
    assert too_old.params == {"hours": 50, "max_hours": 48}


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
    assert _reason(_tested(-timedelta(minutes=1)), "test.").params == {"hours": 0}


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
        _pass(test=sampled_recently),
        temperature=TemperatureReading(36.5, now, "sensor"),
        now=now,
    )
    assert (decision.outcome, _reason(decision, "validity.").code) == (outcome, code)


def test_expired_message() -> None:
    expired = _reason(_good(now=CLAIMS.valid_until + timedelta(hours=1)), "validity.")
    assert expired.en == "Pass expired at 2024-05-08 08:00 UTC"


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
    assert _reason(decision, "temp.").params == {"age_s": 120}


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
    assert high.params == {"celsius": 37.3}
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
