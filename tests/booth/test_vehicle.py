"""Vehicle mode without Qt: the people in a vehicle are decided and logged one by one, linked to
the vehicle, and the vehicle is decided on them and logged as a passage of its own."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from gatehouse.booth.vehicle import VEHICLE_ID, VehicleModeError
from gatehouse.core.code_reader import TrustMaterial
from gatehouse.core.keys import generate_issuer_key
from gatehouse.core.models import HealthCodeColour, Outcome
from gatehouse.core.rules.regions import RegionCodeError
from gatehouse.core.rules.vehicles import VEHICLE_KIND, PlateError
from gatehouse.replay.dry_run import NotRedecidableError, rebuild_evidence
from gatehouse.store.ledger import Ledger
from gatehouse.store.queries import PassageFilter, PassageQueries
from gatehouse.store.verify import verify_ledger
from tests.booth.conftest import FixedClock
from tests.booth.vehicle_gate import LOW_RISK, PLATE, Gate
from tests.core.factories import NOW
from tests.core.policies import medium, policy, risk_list


@pytest.fixture
def gate(ledger: Ledger, clock: FixedClock) -> Gate:
    return Gate(ledger, clock, generate_issuer_key())


def test_a_vehicle_links_its_people_and_is_logged_as_a_passage_of_its_own(gate: Gate) -> None:
    session = gate.desk.start(PLATE, LOW_RISK, "supply")
    driver = gate.scan("P-DRIVER", holder_name="王师傅")
    passenger = gate.scan("P-MATE", holder_name="李四")
    assert [p.passage.passage_id for p in session.people()] == [
        driver.passage_id,
        passenger.passage_id,
    ]

    result = gate.desk.finish(guard_id="guard-7")
    result.saved.result(timeout=10)

    assert result.decision.outcome is Outcome.ADMIT
    vehicle = gate.stored(result.passage.passage_id)
    assert vehicle == result.passage
    assert vehicle.passage_id == session.vehicle_id
    assert (vehicle.code_kind, vehicle.role, vehicle.holder_name) == (
        VEHICLE_KIND,
        VEHICLE_KIND,
        "蒙KA1234",
    )
    assert (vehicle.booth_id, vehicle.guard_id, vehicle.outcome) == (
        "truck-gate",
        "guard-7",
        Outcome.ADMIT,
    )
    assert [r.code for r in vehicle.reasons] == ["vehicle.purpose_ok", "vehicle.origin_ok"]
    assert vehicle.evidence["driver"] == driver.passage_id
    assert vehicle.evidence["passengers"] == [passenger.passage_id]
    assert vehicle.evidence["origin_region"] == LOW_RISK
    assert vehicle.evidence["origin"].startswith("内蒙古自治区鄂尔多斯市")
    assert vehicle.evidence["purpose"] == "supply"
    for person in (driver, passenger):
        assert gate.stored(person.passage_id).evidence[VEHICLE_ID] == vehicle.passage_id
    assert gate.desk.active is None
    verdict = verify_ledger(gate.ledger.path)
    assert verdict.intact and verdict.links == 3
    found = PassageQueries(gate.ledger.path).search(PassageFilter(person="KA1234", role="vehicle"))
    assert [row["passage_id"] for row in found] == [vehicle.passage_id]
    with pytest.raises(NotRedecidableError, match="a vehicle: its people's passages"):
        rebuild_evidence(vehicle, TrustMaterial())


def test_a_passenger_turned_away_turns_the_vehicle_away_and_is_named(gate: Gate) -> None:
    gate.desk.start(PLATE, LOW_RISK, "supply")
    gate.scan("P-DRIVER")
    gate.scan("P-RED", health_code=HealthCodeColour.RED)
    result = gate.desk.finish()
    result.saved.result(timeout=10)

    assert result.passage.outcome is Outcome.TURN_AWAY
    held_back = [r for r in result.passage.reasons if r.outcome is Outcome.TURN_AWAY]
    assert [(r.code, r.params["index"]) for r in held_back] == [
        ("vehicle.passenger_not_admitted", 1)
    ]
    assert result.people[1].passage.outcome is Outcome.TURN_AWAY


def test_a_person_decided_again_replaces_their_first_decision(gate: Gate) -> None:
    session = gate.desk.start(PLATE, LOW_RISK, "supply")
    gate.measure(38.2)
    first = gate.scan("P-DRIVER")
    assert first.outcome is Outcome.REMEASURE
    gate.clock.moment = NOW + timedelta(minutes=4)
    gate.measure(36.6)
    second = gate.scan("P-DRIVER")
    assert [p.passage.passage_id for p in session.people()] == [second.passage_id]

    result = gate.desk.finish()
    assert result.passage.outcome is Outcome.ADMIT
    assert result.passage.evidence["driver"] == second.passage_id
    assert gate.stored(first.passage_id).evidence[VEHICLE_ID] == session.vehicle_id


def test_from_a_risk_area_the_vehicle_is_turned_away_whoever_is_in_it(gate: Gate) -> None:
    gate.service.set_policy(
        policy(checkpoint="vehicle_gate", risk_areas=risk_list(medium("610400", date(2024, 4, 20))))
    )
    gate.desk.start("陕C12345", "610402", "supply")
    gate.scan("P-DRIVER", travel=())
    result = gate.desk.finish()
    assert result.passage.outcome is Outcome.TURN_AWAY
    assert "vehicle.origin_medium" in {r.code for r in result.passage.reasons}


def test_no_driver_or_an_unlisted_purpose_refers_the_vehicle(gate: Gate) -> None:
    gate.desk.start(PLATE, LOW_RISK, "sightseeing")
    result = gate.desk.finish()
    assert result.passage.outcome is Outcome.REFER
    assert {"vehicle.no_driver", "vehicle.purpose_not_allowed"} <= {
        r.code for r in result.passage.reasons
    }
    assert result.passage.evidence["driver"] is None


def test_cancel_logs_no_vehicle_and_keeps_the_people_scanned(gate: Gate) -> None:
    session = gate.desk.start(PLATE, LOW_RISK, "supply")
    driver = gate.scan("P-DRIVER")
    gate.desk.cancel()
    after = gate.scan("P-WALKER")

    assert gate.ledger.get(session.vehicle_id) is None
    assert gate.stored(driver.passage_id).evidence[VEHICLE_ID] == session.vehicle_id
    assert VEHICLE_ID not in gate.stored(after.passage_id).evidence
    assert {p.code_kind for p in gate.ledger.recent(limit=10)} == {"gatehouse-pass"}


@pytest.mark.parametrize(
    ("plate", "origin", "purpose", "error"),
    [
        ("ABC123", LOW_RISK, "supply", PlateError),
        (PLATE, "15060", "supply", RegionCodeError),
        (PLATE, "159999", "supply", RegionCodeError),  # six digits, but no such region
        (PLATE, LOW_RISK, " ", ValueError),
    ],
)
def test_a_bad_entry_is_refused_and_starts_nothing(
    gate: Gate, plate: str, origin: str, purpose: str, error: type[Exception]
) -> None:
    with pytest.raises(error):
        gate.desk.start(plate, origin, purpose)
    assert gate.desk.active is None
    assert VEHICLE_ID not in gate.stored(gate.scan("P-WALKER").passage_id).evidence


def test_one_vehicle_at_a_time_and_nothing_to_finish_without_one(gate: Gate) -> None:
    gate.desk.start(PLATE, LOW_RISK, "supply")
    with pytest.raises(VehicleModeError, match="蒙KA1234"):
        gate.desk.start("京A12345", LOW_RISK, "supply")
    gate.desk.cancel()
    with pytest.raises(VehicleModeError):
        gate.desk.finish()
    with pytest.raises(VehicleModeError):
        gate.desk.cancel()


def test_purposes_and_origins_come_from_the_policy(gate: Gate) -> None:
    assert gate.desk.purposes()["supply"] == "生活必需品拉运"
    assert gate.desk.search_regions("eeds")[0].name == "鄂尔多斯市"
    pack = gate.service.policy.packs[0]
    no_rule = dataclasses.replace(
        pack, rules={k: r for k, r in pack.rules.items() if r.kind != "vehicle"}
    )
    gate.service.set_policy(policy(checkpoint="vehicle_gate", packs=(no_rule,)))
    assert gate.desk.purposes() == {}
