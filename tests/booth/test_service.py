"""The booth service: scanned text in, decided passage durably in the ledger."""

from __future__ import annotations

import sqlite3
from concurrent.futures import wait

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from drivers.thermometer.reading import RawReading
from gatehouse.booth.service import BoothIdentity, BoothService
from gatehouse.booth.temperature import LatestTemperature
from gatehouse.core.decision import Policy
from gatehouse.core.gatehouse_pass import encode_pass
from gatehouse.core.keys import TrustStore, generate_issuer_key
from gatehouse.core.models import HealthCodeColour, Outcome
from gatehouse.store.ledger import Ledger
from tests.booth.conftest import FixedClock
from tests.core.factories import CLAIMS, ISSUER, claims, trust_for


def make_service(ledger: Ledger, clock: FixedClock, trust: TrustStore) -> BoothService:
    temperature = LatestTemperature(clock, "sensor")
    temperature.update(RawReading(36.6))
    return BoothService(
        identity=BoothIdentity("north-gate", "mine_gate"),
        trust=trust,
        policy=Policy(),
        clock=clock,
        ledger=ledger,
        temperature=temperature,
    )


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return generate_issuer_key()


def test_valid_pass_is_admitted_and_logged(
    ledger: Ledger, clock: FixedClock, key: Ed25519PrivateKey
) -> None:
    service = make_service(ledger, clock, trust_for(key))
    result = service.handle_scan(encode_pass(CLAIMS, key, ISSUER))
    result.saved.result(timeout=10)

    assert result.decision.outcome is Outcome.ADMIT
    stored = ledger.get(result.passage.passage_id)
    assert stored == result.passage
    assert stored is not None
    assert (stored.pass_id, stored.holder_name, stored.id_masked) == (
        CLAIMS.pass_id,
        CLAIMS.holder_name,
        CLAIMS.id_masked,
    )
    assert (stored.temperature_c, stored.temperature_source) == (36.6, "sensor")
    assert (stored.booth_id, stored.checkpoint_type, stored.clock_source) == (
        "north-gate",
        "mine_gate",
        "test",
    )


def test_red_code_is_turned_away_with_its_reason(
    ledger: Ledger, clock: FixedClock, key: Ed25519PrivateKey
) -> None:
    service = make_service(ledger, clock, trust_for(key))
    result = service.handle_scan(encode_pass(claims(health_code=HealthCodeColour.RED), key, ISSUER))
    result.saved.result(timeout=10)
    assert result.passage.outcome is Outcome.TURN_AWAY
    assert "health.red" in {r.code for r in result.passage.reasons}


def test_pass_from_untrusted_issuer_is_turned_away_without_identity(
    ledger: Ledger, clock: FixedClock, key: Ed25519PrivateKey
) -> None:
    service = make_service(ledger, clock, trust_for(key))
    result = service.handle_scan(encode_pass(CLAIMS, generate_issuer_key(), ISSUER))
    result.saved.result(timeout=10)
    assert result.passage.outcome is Outcome.TURN_AWAY
    assert result.passage.code_kind == "gatehouse-pass"
    assert result.passage.pass_id is None  # nothing from an unverified pass is believed
    assert "pass.unknown_key" in {r.code for r in result.passage.reasons}


def test_unknown_code_is_logged_as_unknown_kind(
    ledger: Ledger, clock: FixedClock, key: Ed25519PrivateKey
) -> None:
    service = make_service(ledger, clock, trust_for(key))
    result = service.handle_scan("https://example.org/poster")
    result.saved.result(timeout=10)
    assert result.passage.code_kind == "unknown"
    assert result.passage.outcome is not Outcome.ADMIT
    assert ledger.count() == 1


def test_passage_that_cannot_be_written_is_kept_and_written_later(
    ledger: Ledger, clock: FixedClock, key: Ed25519PrivateKey
) -> None:
    """A locked database (as another program holding it would) must not lose the passage."""
    service = make_service(ledger, clock, trust_for(key))
    blocker = sqlite3.connect(ledger.path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        first = service.handle_scan(encode_pass(CLAIMS, key, ISSUER))
        wait([first.saved], timeout=30)
        assert isinstance(first.saved.exception(), sqlite3.OperationalError)
        assert service.unsaved_count == 1
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()

    second = service.handle_scan(encode_pass(CLAIMS, key, ISSUER))
    second.saved.result(timeout=10)
    ledger.close()  # drains the retried write too
    with Ledger.open(ledger.path) as reopened:
        assert reopened.get(first.passage.passage_id) == first.passage
    assert service.unsaved_count == 0
