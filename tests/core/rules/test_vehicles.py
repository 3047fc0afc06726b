"""Number plates, the purposes a pack admits, and a vehicle judged on its people's decisions as
the booth made them (not decided again)."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from gatehouse.core import models
from gatehouse.core.decision import Decision, Evidence, RefusedBundle, decide
from gatehouse.core.models import Outcome, TemperatureReading
from gatehouse.core.rules.vehicles import (
    PlateError,
    Vehicle,
    judge_vehicle,
    normalise_plate,
    vehicle_purposes,
)
from tests.core.factories import CLAIMS, ISSUER, NOW
from tests.core.policies import policy

HOME = (models.TravelVisit("150621", date(2024, 4, 29)),)  # stayed in the mine's own area

TRUCK = Vehicle("蒙KA1234", "150602", "supply")


def _decision(celsius: float, valid_until_h: float = 24) -> Decision:
    """A person decided at the gate at NOW."""
    claims = dataclasses.replace(
        CLAIMS, travel=HOME, valid_until=NOW + timedelta(hours=valid_until_h)
    )
    credential = models.VerifiedPass(claims, b"\x01" * 8, ISSUER)
    evidence = Evidence("GH1:...", credential, None, TemperatureReading(celsius, NOW, "sensor"))
    return decide(evidence, policy(checkpoint="vehicle_gate"), NOW)


@pytest.mark.parametrize(
    ("typed", "plate"),
    [("蒙K·A1234", "蒙KA1234"), ("陕a d12345", "陕AD12345"), ("京A12345", "京A12345")],
)
def test_a_plate_is_logged_without_spaces_or_dot_in_capitals(typed: str, plate: str) -> None:
    assert normalise_plate(typed) == plate


@pytest.mark.parametrize("typed", ["", "ABC1234", "蒙K123", "蒙KA12345678", "X京A12345"])
def test_what_is_no_plate_is_refused_saying_so(typed: str) -> None:
    with pytest.raises(PlateError, match="not a number plate"):
        normalise_plate(typed)


def test_the_purposes_come_from_the_pack_in_force() -> None:
    assert vehicle_purposes(policy(), NOW) == {
        "supply": "生活必需品拉运",
        "commute": "职工通勤车",
        "food": "送餐车",
    }
    assert vehicle_purposes(policy(packs=()), NOW) == {}


def test_the_vehicle_is_judged_on_the_decisions_made_not_decided_again() -> None:
    driver = _decision(36.5, valid_until_h=0.5)  # admitted when scanned
    later = NOW + timedelta(hours=1)  # the pass has expired by the finish
    assert driver.outcome is Outcome.ADMIT
    judged = judge_vehicle(TRUCK, driver, (), policy(checkpoint="vehicle_gate"), later)
    assert judged.outcome is Outcome.ADMIT
    assert judged.driver is driver
    assert judged.decided_at == later


def test_a_passenger_who_must_re_measure_holds_the_vehicle_back_as_re_measure() -> None:
    passengers = (_decision(36.6), _decision(38.4))
    judged = judge_vehicle(
        TRUCK, _decision(36.5), passengers, policy(checkpoint="vehicle_gate"), NOW
    )
    assert judged.outcome is Outcome.REMEASURE
    held = [r for r in judged.reasons if r.code == "vehicle.passenger_not_admitted"]
    assert [r.params["index"] for r in held] == [2]


def test_a_refused_office_pack_refers_the_vehicle_the_built_in_pack_would_admit() -> None:
    driver = _decision(36.5)  # admitted by the pack before the refused one was held
    gate = policy(checkpoint="vehicle_gate")
    assert judge_vehicle(TRUCK, driver, (), gate, NOW).outcome is Outcome.ADMIT
    held = dataclasses.replace(gate, refused=(RefusedBundle("policy", 2, "rules"),))
    judged = judge_vehicle(TRUCK, driver, (), held, NOW)
    assert judged.outcome is Outcome.REFER and judged.policy_version == "none"
    assert [item.code for item in judged.reasons] == ["pack.refused"]
    assert vehicle_purposes(held, NOW) == {}  # no pack in force to offer purposes from
