"""The booth service: scanned text in, decided passage durably in the ledger."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from concurrent.futures import wait
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from drivers.thermometer.reading import RawReading
from gatehouse.booth.service import BoothIdentity, BoothService, ScanResult
from gatehouse.booth.temperature import LatestTemperature
from gatehouse.core.code_reader import TrustMaterial
from gatehouse.core.decision import FollowUp
from gatehouse.core.gatehouse_pass import encode_pass
from gatehouse.core.keys import TrustStore, generate_issuer_key
from gatehouse.core.models import HealthCodeColour, Outcome
from gatehouse.core.passage import Passage
from gatehouse.core.reasons import GuardAction
from gatehouse.core.rules.persons import id_hash, key_check
from gatehouse.store.ledger import Ledger
from tests.booth.conftest import FixedClock
from tests.core.factories import CLAIMS, ISSUER, NOW, claims, trust_for
from tests.core.policies import DEFAULT_PACK, SECRET, policy, with_checkpoint
from tests.core.test_decision_seeds import HOME as HOME_VISIT
from tests.core.test_decision_seeds import ISOLATED, LISTS, WORKER


def make_temperature(clock: FixedClock, celsius: float = 36.6) -> LatestTemperature:
    temperature = LatestTemperature(clock, "sensor")
    temperature.update(RawReading(celsius))
    return temperature


def make_service(
    ledger: Ledger,
    clock: FixedClock,
    trust: TrustStore,
    celsius: float = 36.6,
    on_attested: Callable[[Passage], None] | None = None,
) -> BoothService:
    return BoothService(
        identity=BoothIdentity("north-gate", "mine_gate"),
        trust=TrustMaterial(passes=trust),
        policy=policy(),
        clock=clock,
        ledger=ledger,
        temperature=make_temperature(clock, celsius),
        on_attested=on_attested,
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


def test_every_logged_reason_names_its_rule_and_pack(
    ledger: Ledger, clock: FixedClock, key: Ed25519PrivateKey
) -> None:
    service = make_service(ledger, clock, trust_for(key))
    result = service.handle_scan(encode_pass(CLAIMS, key, ISSUER))
    result.saved.result(timeout=10)
    stored = ledger.get(result.passage.passage_id)
    assert stored is not None
    assert {(r.rule_id is not None, r.pack_version) for r in stored.reasons} == {
        (True, "default@2026.1")
    }
    assert stored.evidence["verdict"] == "admit_home_monitoring"  # CLAIMS travelled away
    assert stored.evidence["follow_ups"] == ["home_monitoring"]


def test_typed_id_number_is_logged_only_as_its_keyed_hash(
    ledger: Ledger, clock: FixedClock, key: Ed25519PrivateKey
) -> None:
    service = make_service(ledger, clock, trust_for(key))
    number = "11010519491231002X"
    result = service.handle_scan(encode_pass(CLAIMS, key, ISSUER), id_number=number)
    result.saved.result(timeout=10)
    assert result.passage.id_hash is not None and len(result.passage.id_hash) == 64
    assert number not in repr(result.passage)
    assert "list.none" in {r.code for r in result.passage.reasons}  # no lists here


def test_remeasure_flow_from_first_reading_to_confirmed_turn_away(
    ledger: Ledger, clock: FixedClock, key: Ed25519PrivateKey
) -> None:
    service = make_service(ledger, clock, trust_for(key), celsius=37.8)
    text = encode_pass(CLAIMS, key, ISSUER)
    first = service.handle_scan(text)
    assert first.decision.outcome is Outcome.REMEASURE
    (waiting,) = service.pending_remeasures()
    assert (waiting.first.celsius, waiting.awaiting_confirmation) == (37.8, False)
    assert service.confirm_abnormal(waiting.person_key) is None  # nothing to confirm yet

    clock.moment += timedelta(minutes=3)
    service._temperature.update(RawReading(37.6))
    second = service.handle_scan(text)
    assert "temp.confirm" in {r.code for r in second.decision.reasons}
    (waiting,) = service.pending_remeasures()
    assert waiting.awaiting_confirmation

    confirmed = service.confirm_abnormal(waiting.person_key)
    assert confirmed is not None
    confirmed.saved.result(timeout=10)
    assert confirmed.passage.outcome is Outcome.TURN_AWAY
    assert confirmed.passage.evidence["follow_ups"] == ["flag_case"]
    assert service.pending_remeasures() == []
    assert ledger.count() == 3


def test_normal_re_measure_admits_and_clears_the_book(
    ledger: Ledger, clock: FixedClock, key: Ed25519PrivateKey
) -> None:
    service = make_service(ledger, clock, trust_for(key), celsius=34.1)
    text = encode_pass(CLAIMS, key, ISSUER)
    assert service.handle_scan(text).decision.outcome is Outcome.REMEASURE
    clock.moment += timedelta(minutes=4)
    service._temperature.update(RawReading(36.4))
    assert service.handle_scan(text).decision.outcome is Outcome.ADMIT
    assert service.pending_remeasures() == []
    ledger.close()


def test_stale_data_is_shown_as_why_admits_stopped(
    ledger: Ledger, clock: FixedClock, key: Ed25519PrivateKey
) -> None:
    service = make_service(ledger, clock, trust_for(key))
    assert service.admit_blockers() == ()
    clock.moment += timedelta(days=3)
    (blocker,) = service.admit_blockers()
    assert blocker.code == "data.risk_list_stale"
    assert service.checkpoint_policy() is not None


# -- issue 12: missing, aged or unmatched evidence refers, and the guard's key resolves it --

HOME = (HOME_VISIT,)  # the mine's own area, two days ago


def _codes(result: ScanResult | None) -> set[str]:
    assert result is not None
    return {r.code for r in result.decision.reasons}


def test_a_colour_from_an_earlier_day_waits_for_the_live_code(
    ledger: Ledger, clock: FixedClock, key: Ed25519PrivateKey
) -> None:
    attested: list[Passage] = []
    service = make_service(ledger, clock, trust_for(key), on_attested=attested.append)
    aged = claims(health_code_checked_at=NOW - timedelta(days=2), travel=HOME)
    first = service.handle_scan(encode_pass(aged, key, ISSUER))
    assert first.decision.outcome is Outcome.REFER and first.awaits_attestation
    (aged_reason,) = [r for r in first.decision.reasons if r.code == "health.aged"]
    assert aged_reason.action is GuardAction.LIVE_CODE and "F1" in aged_reason.en

    live_green = service.attest(first.person_key, HealthCodeColour.GREEN, "guard-7")
    assert live_green is not None and live_green.decision.outcome is Outcome.ADMIT
    assert "health.live_green" in _codes(live_green)
    assert live_green.passage.evidence["live_colour"] == "green"
    assert live_green.passage.guard_id == "guard-7"
    assert attested == []  # a pass's live colour is not a provincial code pending verification

    again = service.handle_scan(encode_pass(aged, key, ISSUER))
    live_red = service.attest(again.person_key, HealthCodeColour.RED)
    assert live_red is not None and live_red.decision.outcome is Outcome.TURN_AWAY


def test_a_pass_without_travel_refers_until_the_guard_enters_the_travel_card(
    ledger: Ledger, clock: FixedClock, key: Ed25519PrivateKey
) -> None:
    service = make_service(ledger, clock, trust_for(key))
    bare = service.handle_scan(encode_pass(claims(travel=()), key, ISSUER))
    assert bare.decision.outcome is Outcome.REFER
    assert "travel.not_shown" in _codes(bare)
    declared = service.declare_travel(bare.person_key, HOME)
    # the default pack does not accept travel only declared: still refer, now saying why
    assert declared is not None and declared.decision.outcome is Outcome.REFER
    assert {"travel.declared_clear", "policy.declared_travel_not_accepted"} <= _codes(declared)
    allowing = with_checkpoint(DEFAULT_PACK, allow_declared_travel=True)
    service.set_policy(policy(packs=(allowing,)))
    accepted = service.declare_travel(bare.person_key, HOME)
    assert accepted is not None and accepted.decision.outcome is Outcome.ADMIT
    assert accepted.passage.evidence["travel_source"] == "declared_by_guard"
    signed = service.handle_scan(encode_pass(claims(travel=HOME), key, ISSUER))
    with pytest.raises(ValueError, match="signed travel"):
        service.declare_travel(signed.person_key, HOME)


def test_a_list_in_force_needs_the_person_matched(
    ledger: Ledger, clock: FixedClock, key: Ed25519PrivateKey
) -> None:
    service = make_service(ledger, clock, trust_for(key))
    service.set_policy(policy(lists=LISTS))
    text = encode_pass(claims(travel=HOME), key, ISSUER)  # no keyed hash on this pass
    unmatched = service.handle_scan(text)
    assert unmatched.decision.outcome is Outcome.REFER
    assert "list.id_needed" in _codes(unmatched)
    typed = service.decide_again(unmatched.person_key, text, id_number=ISOLATED)
    assert typed.decision.outcome is Outcome.TURN_AWAY
    assert FollowUp.ALERT_SUPERVISOR in typed.decision.follow_ups

    hashed = claims(travel=HOME, id_hash=id_hash(SECRET, ISOLATED), id_key_check=key_check(SECRET))
    assert service.handle_scan(encode_pass(hashed, key, ISSUER)).decision.outcome is (
        Outcome.TURN_AWAY
    )
    other_key = b"another mine's list secret, test"
    foreign = claims(
        travel=HOME, id_hash=id_hash(other_key, ISOLATED), id_key_check=key_check(other_key)
    )
    refused = service.handle_scan(encode_pass(foreign, key, ISSUER))
    assert refused.decision.outcome is Outcome.REFER
    assert "list.pass_key_unknown" in _codes(refused)


def test_a_typed_number_that_is_not_the_pass_holders_refers_and_is_logged(
    ledger: Ledger, clock: FixedClock, key: Ed25519PrivateKey
) -> None:
    """F7 with another person's number: the pass (the isolated person's) is not theirs."""
    service = make_service(ledger, clock, trust_for(key))
    service.set_policy(policy(lists=LISTS))
    hashed = claims(travel=HOME, id_hash=id_hash(SECRET, ISOLATED), id_key_check=key_check(SECRET))
    text = encode_pass(hashed, key, ISSUER)
    first = service.handle_scan(text)
    assert first.decision.outcome is Outcome.TURN_AWAY
    borrowed = service.decide_again(first.person_key, text, id_number=WORKER)
    assert borrowed.decision.outcome is Outcome.REFER
    assert "holder.number_mismatch" in _codes(borrowed)
    borrowed.saved.result(timeout=10)
    logged = ledger.get(borrowed.passage.passage_id)
    assert logged is not None
    assert "holder.number_mismatch" in {r.code for r in logged.reasons}
    assert WORKER not in repr(logged)
