"""Every kind of code a person holds up reaches a decision through the one path, and the ledger."""

from __future__ import annotations

from datetime import datetime

import pytest

from drivers.thermometer.reading import RawReading
from gatehouse.booth.service import BoothIdentity, BoothService, ScanResult
from gatehouse.booth.temperature import LatestTemperature
from gatehouse.core.code_reader import TrustMaterial
from gatehouse.core.evidence_record import decode_evidence
from gatehouse.core.keys import generate_issuer_key
from gatehouse.core.models import HealthCodeColour, Outcome
from gatehouse.core.passage import Passage
from gatehouse.core.rules.pack import RulePack
from gatehouse.store.ledger import Ledger
from tests.booth.codes import DCC_VACCINATION, Code, accepting_pack, dcc_case, every_kind
from tests.booth.conftest import FixedClock
from tests.core.policies import DEFAULT_PACK, policy
from tests.core.shared_testdata import DGC_ROOT, SHC_ROOT

pytestmark = pytest.mark.skipif(
    not (DGC_ROOT.exists() and SHC_ROOT.exists()), reason="shared/testdata is missing"
)


@pytest.fixture(scope="module")
def codes() -> dict[str, Code]:
    return {code.kind: code for code in every_kind(generate_issuer_key())}


def _service(
    ledger: Ledger, trust: TrustMaterial, moment: datetime, pack: RulePack, **kwargs: object
) -> BoothService:
    clock = FixedClock(moment)
    temperature = LatestTemperature(clock, "sensor")
    temperature.update(RawReading(36.6))
    return BoothService(
        identity=BoothIdentity("north-gate", "mine_gate"),
        trust=trust,
        policy=policy(packs=(pack,)),
        clock=clock,
        ledger=ledger,
        temperature=temperature,
        **kwargs,  # type: ignore[arg-type]  # each test passes a keyword of its own type
    )


def _scan(ledger: Ledger, code: Code, pack: RulePack) -> tuple[ScanResult, Passage]:
    result = _service(ledger, code.trust, code.moment, pack).handle_scan(code.text)
    result.saved.result(timeout=10)
    stored = ledger.get(result.passage.passage_id)
    assert stored == result.passage
    return result, stored


def _codes(result: ScanResult) -> set[str]:
    return {r.code for r in result.decision.reasons}


# kind -> (outcome, reasons it must give) at a gate that accepts every kind
ACCEPTED = {
    "gatehouse-pass": (Outcome.ADMIT, {"validity.ok", "health.green", "test.negative"}),
    "eu-dcc": (Outcome.TURN_AWAY, {"code.verified", "health.not_shown", "travel.not_shown"}),
    "shc": (
        Outcome.REFER,
        {"code.verified", "health.not_shown", "test.not_shown", "travel.not_shown"},
    ),
    "provincial-health-code": (Outcome.REFER, {"health_code.attest_needed"}),
    "unknown": (Outcome.REFER, {"code.unknown_kind"}),
    "scanner-mangled": (Outcome.REFER, {"code.scanner_mangled"}),
}


@pytest.mark.parametrize("kind", sorted(ACCEPTED))
def test_every_kind_is_decided_and_logged_with_its_kind(
    kind: str, codes: dict[str, Code], ledger: Ledger
) -> None:
    result, stored = _scan(ledger, codes[kind], accepting_pack())
    outcome, reasons = ACCEPTED[kind]
    assert (result.decision.outcome, stored.outcome) == (outcome, outcome)
    assert reasons <= _codes(result), _codes(result)
    assert stored.code_kind == kind
    assert stored.evidence["code_kind"] == kind
    assert all(r.rule_id for r in stored.reasons)  # every reason names its rule


def test_dcc_test_certificate_gives_the_test_evidence(
    codes: dict[str, Code], ledger: Ledger
) -> None:
    """The AT case's PCR sample is days older than its validation clock: judged as a test."""
    result, stored = _scan(ledger, codes["eu-dcc"], accepting_pack())
    assert "test.too_old" in _codes(result) and "test.not_shown" not in _codes(result)
    assert stored.holder_name == "Gabriele Musterfrau-Gößinger"
    assert stored.evidence["code_verified"] is True


def test_dcc_vaccination_certificate_shows_no_test(ledger: Ledger) -> None:
    text, signer, moment = dcc_case(DCC_VACCINATION)
    code = Code("eu-dcc", text, moment, TrustMaterial(dcc_signers=(signer,)))
    result, _ = _scan(ledger, code, accepting_pack())
    assert {"code.verified", "test.not_shown"} <= _codes(result)
    assert result.decision.outcome is Outcome.REFER


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("eu-dcc", "policy.code_kind_not_accepted"),
        ("shc", "policy.code_kind_not_accepted"),
        ("provincial-health-code", "policy.code_kind_not_accepted"),
    ],
)
def test_default_mine_gate_refers_codes_it_does_not_accept(
    kind: str, reason: str, codes: dict[str, Code], ledger: Ledger
) -> None:
    result, _ = _scan(ledger, codes[kind], DEFAULT_PACK)
    assert result.decision.outcome is Outcome.REFER
    assert reason in _codes(result)


def test_scanner_fault_is_never_called_forged(codes: dict[str, Code], ledger: Ledger) -> None:
    result, stored = _scan(ledger, codes["scanner-mangled"], DEFAULT_PACK)
    assert _codes(result) & {"pass.signature_invalid", "pass.unknown_key"} == set()
    assert "scanner" in stored.reasons[0].en.lower() and "扫码枪" in stored.reasons[0].zh
    assert stored.outcome is Outcome.REFER and stored.pass_id is None


def test_attested_provincial_code_is_decided_and_logged_pending(
    codes: dict[str, Code], ledger: Ledger
) -> None:
    attested: list[Passage] = []
    code = codes["provincial-health-code"]
    service = _service(
        ledger, code.trust, code.moment, accepting_pack(), on_attested=attested.append
    )
    first = service.handle_scan(code.text)
    assert first.awaits_attestation

    result = service.attest(first.person_key, HealthCodeColour.GREEN, guard_id="guard-7")
    assert result is not None
    result.saved.result(timeout=10)
    assert {"health_code.attested", "health.green", "test.not_shown"} <= _codes(result)
    assert "陕西一码通" in result.decision.reasons[0].zh
    stored = ledger.get(result.passage.passage_id)
    assert stored is not None and stored.guard_id == "guard-7"
    assert stored.evidence == {  # as booths have always written it (version 1, no key)
        "verdict": "refer",
        "follow_ups": [],
        "code_kind": "provincial-health-code",
        "code_verified": False,
        "id_given": False,
        "issuer": "陕西一码通",
        "issuer_id": "sn",
        "attestation": {"colour": "green", "status": "pending"},
        "reading_taken_at": stored.evidence["reading_taken_at"],
        "ambient_c": None,
        "compensation_c": None,
    }
    record = decode_evidence(stored.evidence)
    assert (record.attested_colour, record.issuer_id) == (HealthCodeColour.GREEN, "sn")
    assert attested == [result.passage]
    assert service.attest(first.person_key, HealthCodeColour.GREEN) is None  # answered once


def test_attested_yellow_turns_away(codes: dict[str, Code], ledger: Ledger) -> None:
    code = codes["provincial-health-code"]
    service = _service(ledger, code.trust, code.moment, accepting_pack())
    first = service.handle_scan(code.text)
    result = service.attest(first.person_key, HealthCodeColour.YELLOW)
    assert result is not None and result.decision.outcome is Outcome.TURN_AWAY
    assert "health.yellow" in _codes(result)


def test_checkpoint_that_refuses_attested_codes_does_not_ask_for_the_colour(
    codes: dict[str, Code], ledger: Ledger
) -> None:
    from tests.core.policies import with_checkpoint

    pack = with_checkpoint(DEFAULT_PACK, accepted_code_kinds=frozenset({"provincial-health-code"}))
    result, _ = _scan(ledger, codes["provincial-health-code"], pack)
    assert "policy.attested_not_accepted" in _codes(result)
    assert not result.awaits_attestation
