"""The gate decision: evidence + policy + the current time -> admit, re-measure, refer, turn away.

Every check yields a Reason, passed checks included, so an admit explains itself on screen and
in the log as fully as a refusal. The outcome is the most severe outcome among the reasons.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from gatehouse.core.models import (
    HealthCodeColour,
    NucleicAcidTest,
    Outcome,
    PassClaims,
    TemperatureReading,
    TestResult,
    VerifiedPass,
)
from gatehouse.core.reasons import Reason, display_time, reason

_HOUR = timedelta(hours=1)
_TENTH = Decimal("0.1")
_HEALTH_CODE_REASONS = {
    HealthCodeColour.GREEN: "health.green",
    HealthCodeColour.YELLOW: "health.yellow",
    HealthCodeColour.RED: "health.red",
}


@dataclass(frozen=True)
class Policy:
    """The rules in force; ``policy_version`` is logged with every decision made under them."""

    policy_version: str = "builtin-1"
    temperature_threshold_c: float = 37.3
    implausible_below_c: float = 35.0
    test_max_age: timedelta = timedelta(hours=48)
    reading_max_age: timedelta = timedelta(seconds=30)
    # How far a test sample or a reading may be stamped in the future before we suspect a clock.
    clock_tolerance: timedelta = timedelta(minutes=5)


@dataclass(frozen=True)
class Evidence:
    """What the booth knows about the person at the gate at the moment of deciding."""

    scanned_text: str
    credential: VerifiedPass | None
    credential_error: Reason | None
    temperature: TemperatureReading | None

    def __post_init__(self) -> None:
        if self.credential is not None and self.credential_error is not None:
            raise ValueError("evidence cannot hold both a verified pass and a pass error")
        if self.credential_error is not None and self.credential_error.outcome < Outcome.TURN_AWAY:
            raise ValueError("a pass error must turn the person away")


@dataclass(frozen=True)
class Decision:
    """What the gate does and every reason why, stamped so the log can be audited later."""

    outcome: Outcome
    reasons: tuple[Reason, ...]
    decided_at: datetime
    policy_version: str


def decide(evidence: Evidence, policy: Policy, now: datetime) -> Decision:
    """Apply ``policy`` to ``evidence`` at ``now`` (timezone-aware)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    reasons = (
        *_credential_reasons(evidence, policy, now),
        _temperature_reason(evidence.temperature, policy, now),
    )
    outcome = max(item.outcome for item in reasons)
    return Decision(outcome, reasons, now, policy.policy_version)


def _credential_reasons(evidence: Evidence, policy: Policy, now: datetime) -> tuple[Reason, ...]:
    if evidence.credential_error is not None:
        return (evidence.credential_error,)
    if evidence.credential is None:
        return (reason("decision.no_pass"),)
    claims = evidence.credential.claims
    return (
        reason(_HEALTH_CODE_REASONS[claims.health_code]),
        _test_reason(claims.test, policy, now),
        _validity_reason(claims, now),
    )


def _test_reason(test: NucleicAcidTest | None, policy: Policy, now: datetime) -> Reason:
    if test is None:
        return reason("test.missing")
    if test.result is TestResult.POSITIVE:
        return reason("test.positive")
    age = now - test.sampled_at
    if age < -policy.clock_tolerance:
        return reason("test.in_future")
    hours = max(0, age // _HOUR)
    if age > policy.test_max_age:  # exactly test_max_age still passes
        return reason("test.too_old", hours=hours, max_hours=policy.test_max_age // _HOUR)
    return reason("test.negative", hours=hours)


def _validity_reason(claims: PassClaims, now: datetime) -> Reason:
    """The pass is valid in [valid_from, valid_until), like a CWT's nbf and exp."""
    if now < claims.valid_from:
        return reason("validity.not_yet", valid_from=display_time(claims.valid_from))
    if now >= claims.valid_until:
        return reason("validity.expired", valid_until=display_time(claims.valid_until))
    return reason("validity.ok", valid_until=display_time(claims.valid_until))


def _temperature_reason(
    reading: TemperatureReading | None, policy: Policy, now: datetime
) -> Reason:
    if reading is None:
        return reason("temp.missing")
    age = now - reading.taken_at
    if age > policy.reading_max_age or age < -policy.clock_tolerance:
        return reason("temp.stale", age_s=int(age.total_seconds()))
    if not math.isfinite(reading.celsius):
        return reason("temp.unreadable")
    celsius = _tenths(reading.celsius)
    if celsius < _tenths(policy.implausible_below_c):
        return reason("temp.low", celsius=float(celsius))
    if celsius >= _tenths(policy.temperature_threshold_c):
        return reason("temp.high", celsius=float(celsius))
    return reason("temp.normal", celsius=float(celsius))


def _tenths(celsius: float) -> Decimal:
    """Round to the 0.1 °C the guard sees, half up, and decide on exactly that number.

    Going through the float's shortest repr means sensor noise such as 37.29999999999
    becomes 37.3 and re-measures, and the screen never shows a value that contradicts the
    outcome (e.g. "37.3 °C normal"). Rounding half up errs towards re-measuring.
    """
    return Decimal(repr(celsius)).quantize(_TENTH, rounding=ROUND_HALF_UP)
