"""The decision marks the reasons that decided it, so every view can show those first."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from gatehouse.core.decision import Decision, Evidence, decide
from gatehouse.core.models import (
    HealthCodeColour,
    Outcome,
    TemperatureReading,
    TravelVisit,
    VerifiedPass,
)
from gatehouse.core.reasons import deciding_first, reason

from .factories import ISSUER, NOW, claims
from .policies import policy

LOCAL = (TravelVisit("150621", NOW.date() - timedelta(days=3)),)


def _decide(**changes: Any) -> Decision:
    credential = VerifiedPass(
        claims=claims(travel=LOCAL, **changes), key_id=b"\x01" * 8, issuer=ISSUER
    )
    reading = TemperatureReading(celsius=36.5, taken_at=NOW - timedelta(seconds=5), source="sensor")
    return decide(Evidence("GH1:...", credential, None, reading), policy(), NOW)


def test_a_yellow_code_is_the_deciding_reason_not_the_valid_pass() -> None:
    decision = _decide(health_code=HealthCodeColour.YELLOW)
    assert decision.outcome is Outcome.TURN_AWAY
    assert [item.code for item in decision.reasons if item.deciding] == ["health.yellow"]
    assert decision.reasons[0].code == "validity.ok"  # the decision's own order is kept
    assert not decision.reasons[0].deciding
    assert deciding_first(decision.reasons, decision.outcome)[0].code == "health.yellow"
    marked = [r["deciding"] for r in decision.to_json_data()["reasons"]]
    assert marked.count(True) == 1


def test_on_an_admit_every_passed_check_decided() -> None:
    decision = _decide()
    assert decision.outcome is Outcome.ADMIT
    assert all(item.deciding for item in decision.reasons)


def test_reasons_never_marked_count_by_their_outcome() -> None:
    """A record written before the mark existed: the reasons with the outcome come first."""
    passed, refused = reason("health.green"), reason("health.yellow")
    assert not passed.deciding and not refused.deciding
    assert deciding_first([passed, refused], Outcome.TURN_AWAY) == [refused, passed]
