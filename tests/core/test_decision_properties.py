"""Properties of the decision that must hold for any evidence, not just the cases we thought of."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from gatehouse.core import models
from gatehouse.core.decision import Evidence, FollowUp, decide
from gatehouse.core.models import HealthCodeColour, Outcome, Role, TemperatureReading, TravelVisit
from gatehouse.core.rules.persons import (
    IsolationEntry,
    PersonLists,
    check_character,
    id_hash,
    key_check,
)
from gatehouse.core.rules.risk_areas import RiskArea, RiskLevel

from .factories import CLAIMS, ISSUER, NOW
from .policies import SECRET, policy, risk_list

TODAY = date(2024, 5, 1)
CODES = ["610100", "610113", "610400", "610402", "610600", "150600", "150621", "110000", "110105"]

visits = st.builds(
    TravelVisit,
    st.sampled_from(CODES),
    st.integers(0, 30).map(lambda days: TODAY - timedelta(days=days)),
)
areas = st.builds(
    RiskArea,
    st.sampled_from(CODES),
    st.sampled_from(list(RiskLevel)),
    st.integers(0, 40).map(lambda days: TODAY - timedelta(days=days)),
    st.none() | st.integers(-5, 20).map(lambda days: TODAY - timedelta(days=days)),
).filter(lambda area: area.lifted_at is None or area.lifted_at > area.designated_from)
ids = st.from_regex(r"[1-6][0-9]{5}19[5-9][0-9]0[1-9]1[0-9][0-9]{3}", fullmatch=True).map(
    lambda first17: first17 + check_character(first17)
)


@st.composite
def evidence(draw: st.DrawFn) -> Evidence:
    claims = dataclasses.replace(
        CLAIMS,
        role=draw(st.sampled_from(list(Role))),
        health_code=draw(st.sampled_from(list(HealthCodeColour))),
        travel=tuple(draw(st.lists(visits, max_size=4))),
        test=models.NucleicAcidTest(
            NOW - timedelta(hours=draw(st.integers(-1, 80))), models.TestResult.NEGATIVE
        ),
    )
    reading = TemperatureReading(draw(st.floats(33.0, 40.0)), NOW, "sensor")
    credential = models.VerifiedPass(claims, b"\x01" * 8, ISSUER)
    return Evidence("GH1:...", credential, None, reading, id_number=draw(st.none() | ids))


@settings(max_examples=300, deadline=None)
@given(evidence(), st.lists(areas, max_size=5), st.lists(areas, min_size=1, max_size=3))
def test_adding_a_risk_area_never_makes_the_outcome_milder(
    person: Evidence, base: list[RiskArea], extra: list[RiskArea]
) -> None:
    before = decide(person, policy(risk_areas=risk_list(*base)), NOW)
    after = decide(person, policy(risk_areas=risk_list(*base, *extra)), NOW)
    assert after.outcome >= before.outcome
    if before.outcome is not Outcome.ADMIT:
        assert after.outcome is not Outcome.ADMIT


@settings(max_examples=300, deadline=None)
@given(evidence(), ids, st.sampled_from(["mine_gate", "office_area", "canteen", "dormitory"]))
def test_an_isolation_list_hit_always_turns_away_and_alerts(
    person: Evidence, id_number: str, checkpoint: str
) -> None:
    hashed = id_hash(SECRET, id_number)
    lists = PersonLists(
        "iso-1", NOW, key_check(SECRET), isolation={hashed: IsolationEntry(hashed, None)}
    )
    decision = decide(
        dataclasses.replace(person, id_number=id_number),
        policy(checkpoint=checkpoint, lists=lists),
        NOW,
    )
    assert decision.outcome is Outcome.TURN_AWAY
    assert FollowUp.ALERT_SUPERVISOR in decision.follow_ups
    assert "list.isolation" in {item.code for item in decision.reasons}
