"""A booth service on a real ledger with its vehicle desk, for vehicle-mode tests."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from drivers.thermometer.reading import RawReading
from gatehouse.booth.service import BoothIdentity, BoothService
from gatehouse.booth.temperature import LatestTemperature
from gatehouse.booth.vehicle import VehicleDesk
from gatehouse.core.code_reader import TrustMaterial
from gatehouse.core.gatehouse_pass import encode_pass
from gatehouse.core.passage import Passage
from gatehouse.store.ledger import Ledger
from tests.booth.conftest import FixedClock
from tests.core.factories import ISSUER, claims, trust_for
from tests.core.policies import policy

PLATE = "蒙K·A1234"
LOW_RISK = "150602"  # 内蒙古鄂尔多斯市东胜区
BOOTH = "truck-gate"


class Gate:
    """A booth service on a real ledger, a thermometer the test sets, and its vehicle desk."""

    def __init__(self, ledger: Ledger, clock: FixedClock, key: Ed25519PrivateKey) -> None:
        self.key, self.ledger, self.clock = key, ledger, clock
        self.temperature = LatestTemperature(clock, "sensor")
        self.measure(36.5)
        self.service = BoothService(
            identity=BoothIdentity(BOOTH, "vehicle_gate"),
            trust=TrustMaterial(passes=trust_for(key)),
            policy=policy(checkpoint="vehicle_gate"),
            clock=clock,
            ledger=ledger,
            temperature=self.temperature,
        )
        self.desk = VehicleDesk(self.service)

    def measure(self, celsius: float) -> None:
        self.temperature.update(RawReading(celsius))

    def scan(self, pass_id: str, **changes: object) -> Passage:
        text = encode_pass(claims(pass_id=pass_id, **changes), self.key, ISSUER)
        result = self.service.handle_scan(text)
        result.saved.result(timeout=10)
        return result.passage

    def stored(self, passage_id: str) -> Passage:
        found = self.ledger.get(passage_id)
        assert found is not None, passage_id
        return found
