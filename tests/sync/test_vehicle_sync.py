"""A vehicle and its people reach a real hub on 127.0.0.1 like any passages: chained, pushed,
acknowledged, and kept as the booth recorded them."""

from __future__ import annotations

import json

from gatehouse.booth.vehicle import VEHICLE_ID
from gatehouse.core.keys import generate_issuer_key
from gatehouse.core.rules.vehicles import VEHICLE_KIND
from gatehouse.hub.service import Hub, PassageQuery
from gatehouse.store import Ledger
from gatehouse.sync import protocol
from gatehouse.sync.client import HubClient
from gatehouse.sync.enrolment import enrol_booth
from gatehouse.sync.worker import SyncWorker
from tests.booth.conftest import FixedClock
from tests.booth.vehicle_gate import BOOTH, LOW_RISK, PLATE, Gate
from tests.hub.live import ADMIN_TOKEN


def test_a_vehicle_and_its_people_are_synced_to_the_hub(
    ledger: Ledger, hub_url: str, hub: Hub
) -> None:
    admin = HubClient(hub_url, ADMIN_TOKEN)
    code = admin.request("POST", protocol.ENROLMENT_CODES_PATH, {"booth_id": BOOTH}).json()
    settings = enrol_booth(ledger, hub_url, BOOTH, code["code"])
    gate = Gate(ledger, FixedClock(), generate_issuer_key())
    gate.desk.start(PLATE, LOW_RISK, "supply")
    driver = gate.scan("P-DRIVER")
    vehicle = gate.desk.finish()
    vehicle.saved.result(timeout=10)

    report = SyncWorker(ledger, settings).sync_once()

    assert (report.acknowledged, report.rejected) == (2, 0)
    held = {row["passage_id"]: row for row in hub.passages(PassageQuery(booth_id=BOOTH))}
    assert set(held) == {driver.passage_id, vehicle.passage.passage_id}
    truck = held[vehicle.passage.passage_id]
    assert (truck["holder_name"], truck["outcome"]) == ("蒙KA1234", "ADMIT")
    assert truck["code_kind"] == VEHICLE_KIND
    assert json.loads(truck["evidence"])["driver"] == driver.passage_id
    person = json.loads(held[driver.passage_id]["evidence"])
    assert person[VEHICLE_ID] == vehicle.passage.passage_id
