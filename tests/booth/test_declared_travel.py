"""The booth decides again on a code without travel once the guard typed the declared cities,
keeping the code, the attested colour and the latest temperature, and logs what was declared."""

from __future__ import annotations

from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from drivers.thermometer.reading import RawReading
from gatehouse.booth.service import BoothIdentity, BoothService, ScanResult
from gatehouse.booth.temperature import LatestTemperature
from gatehouse.core.china_time import china_day
from gatehouse.core.code_reader import TrustMaterial
from gatehouse.core.decision import decide
from gatehouse.core.gatehouse_pass import encode_pass
from gatehouse.core.keys import generate_issuer_key
from gatehouse.core.models import HealthCodeColour, Outcome, TravelVisit
from gatehouse.core.passage import Passage
from gatehouse.core.rules.evidence import declared_travel_from_record
from gatehouse.core.rules.persons import check_character
from gatehouse.replay.dry_run import rebuild_evidence
from gatehouse.store.ledger import Ledger
from tests.booth.codes import ISSUERS, PROVINCIAL, accepting_pack
from tests.booth.conftest import FixedClock
from tests.core.factories import CLAIMS, ISSUER, NOW, trust_for
from tests.core.policies import medium, policy, risk_list, with_checkpoint

TODAY = china_day(NOW)
XIAN = TravelVisit("610100", TODAY - timedelta(days=3))
TAIYUAN = TravelVisit("140100", TODAY - timedelta(days=2))


class Booth:
    def __init__(self, ledger: Ledger, key: Ed25519PrivateKey, allow_declared: bool) -> None:
        pack = accepting_pack()
        rules = tuple(r for r in pack.checkpoints["mine_gate"].rules if not r.startswith("R03"))
        pack = with_checkpoint(pack, rules=rules, allow_declared_travel=allow_declared)
        self.clock = FixedClock(NOW)
        self.temperature = LatestTemperature(self.clock, "sensor")
        self.attested: list[Passage] = []
        self.ledger = ledger
        self.service = BoothService(
            identity=BoothIdentity("north-gate", "mine_gate"),
            trust=TrustMaterial(passes=trust_for(key), health_code_issuers=ISSUERS),
            policy=policy(
                packs=(pack,), risk_areas=risk_list(medium("610100", TODAY - timedelta(days=10)))
            ),
            clock=self.clock,
            ledger=ledger,
            temperature=self.temperature,
            on_attested=self.attested.append,
        )

    def attested_green(self) -> str:
        """A provincial code shown at 36.4 °C and attested green; the person's key."""
        self.temperature.update(RawReading(36.4))
        asked = self.service.handle_scan(PROVINCIAL)
        self.service.attest(asked.person_key, HealthCodeColour.GREEN)
        return asked.person_key

    def stored(self, result: ScanResult | None) -> Passage:
        assert result is not None
        result.saved.result(timeout=10)
        stored = self.ledger.get(result.passage.passage_id)
        assert stored == result.passage
        return stored


def _codes(passage: Passage) -> set[str]:
    return {r.code for r in passage.reasons}


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return generate_issuer_key()


def test_declared_cities_decide_an_attested_code_again_and_are_logged(
    ledger: Ledger, key: Ed25519PrivateKey
) -> None:
    booth = Booth(ledger, key, allow_declared=True)
    booth.temperature.update(RawReading(36.4))
    asked = booth.service.handle_scan(PROVINCIAL)
    attested = booth.stored(booth.service.attest(asked.person_key, HealthCodeColour.GREEN))
    assert "travel.not_shown" in _codes(attested) and attested.outcome is Outcome.REFER

    booth.temperature.update(RawReading(36.7))  # a newer reading counts
    declared = booth.stored(
        booth.service.declare_travel(asked.person_key, (TAIYUAN,), guard_id="guard-7")
    )
    assert declared.outcome is Outcome.ADMIT
    assert {"health_code.attested", "travel.declared_clear", "travel.declared_home_monitoring"} <= (
        _codes(declared)
    )
    assert declared.temperature_c == 36.7 and declared.guard_id == "guard-7"
    assert declared.scanned_text == PROVINCIAL
    assert declared.evidence["travel_source"] == "declared_by_guard"
    assert declared_travel_from_record(declared.evidence["declared_travel"]) == (TAIYUAN,)
    assert declared.evidence["attestation"] == {"colour": "green", "status": "pending"}
    assert booth.attested[-1] == declared  # re-verified like the first attested passage
    assert ledger.get(attested.passage_id) == attested  # the earlier passage stays as it was


def test_a_declared_risk_city_turns_away_even_where_declared_travel_is_not_accepted(
    ledger: Ledger, key: Ed25519PrivateKey
) -> None:
    booth = Booth(ledger, key, allow_declared=False)
    person = booth.attested_green()
    clear = booth.stored(booth.service.declare_travel(person, ()))
    assert clear.outcome is Outcome.REFER
    assert {"travel.declared_local", "policy.declared_travel_not_accepted"} <= _codes(clear)
    assert clear.evidence["declared_travel"] == []

    risky = booth.stored(booth.service.declare_travel(person, (TAIYUAN, XIAN)))
    assert risky.outcome is Outcome.TURN_AWAY
    assert "travel.declared_risk_medium" in _codes(risky)


def test_travel_declared_before_the_colour_is_kept_when_the_guard_attests(
    ledger: Ledger, key: Ed25519PrivateKey
) -> None:
    booth = Booth(ledger, key, allow_declared=True)
    booth.temperature.update(RawReading(36.4))
    asked = booth.service.handle_scan(PROVINCIAL)
    declared = booth.stored(booth.service.declare_travel(asked.person_key, (XIAN,)))
    assert "health_code.attest_needed" in _codes(declared)  # still waits for the colour
    attested = booth.stored(booth.service.attest(asked.person_key, HealthCodeColour.GREEN))
    assert "travel.declared_risk_medium" in _codes(attested)
    assert attested.outcome is Outcome.TURN_AWAY


def test_a_pass_keeps_its_signed_travel_and_unknown_people_are_not_decided(
    ledger: Ledger, key: Ed25519PrivateKey
) -> None:
    booth = Booth(ledger, key, allow_declared=True)
    booth.temperature.update(RawReading(36.4))
    scanned = booth.service.handle_scan(encode_pass(CLAIMS, key, ISSUER))
    with pytest.raises(ValueError, match="signed travel"):
        booth.service.declare_travel(scanned.person_key, (TAIYUAN,))
    assert booth.service.declare_travel("text:never scanned", (TAIYUAN,)) is None
    assert booth.service.today() == TODAY


def test_a_dry_run_decides_a_declared_passage_on_the_cities_that_were_declared(
    ledger: Ledger, key: Ed25519PrivateKey
) -> None:
    booth = Booth(ledger, key, allow_declared=False)
    person = booth.attested_green()
    risky = booth.stored(booth.service.declare_travel(person, (TAIYUAN, XIAN)))

    trust = TrustMaterial(passes=trust_for(key), health_code_issuers=ISSUERS)
    rebuilt = rebuild_evidence(risky, trust)
    assert rebuilt.declared_travel == (TAIYUAN, XIAN)
    again = decide(rebuilt, booth.service.policy, risky.decided_at)
    assert again.outcome is Outcome.TURN_AWAY
    assert [r.code for r in again.reasons] == [r.code for r in risky.reasons]


def test_typing_the_id_number_keeps_what_the_guard_added_before(
    ledger: Ledger, key: Ed25519PrivateKey
) -> None:
    booth = Booth(ledger, key, allow_declared=True)
    person = booth.attested_green()
    booth.stored(booth.service.declare_travel(person, (TAIYUAN,)))
    id_number = "11010519491231002" + check_character("11010519491231002")

    again = booth.stored(booth.service.decide_again(person, PROVINCIAL, id_number=id_number))
    assert {"health_code.attested", "travel.declared_clear"} <= _codes(again)  # not asked again
    assert again.evidence["id_given"] is True
    assert declared_travel_from_record(again.evidence["declared_travel"]) == (TAIYUAN,)
    assert booth.attested[-1] == again  # re-verified like every attested passage

    forgotten = booth.stored(booth.service.decide_again("text:long gone", PROVINCIAL))
    assert "health_code.attest_needed" in _codes(forgotten)  # decided as scanned
