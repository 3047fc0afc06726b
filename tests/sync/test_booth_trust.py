"""Issuer keys the office publishes through the hub reach a running booth without a restart.

The office signs a trust list with its root key and publishes it as the ``trusted_keys``
bundle; the booth's sync pulls it, checks the root signature itself and verifies passes with it
from the next scan. A list not signed by the root, or older than the one in force, is ignored.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from drivers.thermometer.reading import RawReading
from gatehouse.booth.service import BoothIdentity, BoothService, ScanResult
from gatehouse.booth.temperature import LatestTemperature
from gatehouse.bundles.policy import PolicyKeeper
from gatehouse.bundles.trust import TrustKeeper, booth_trust
from gatehouse.config import Config, TrustSettings
from gatehouse.core.bundle_checks import BundleContentError
from gatehouse.core.gatehouse_pass import encode_pass
from gatehouse.core.keys import TrustedKey, TrustStore, generate_issuer_key, public_key_to_pem
from gatehouse.core.models import NucleicAcidTest
from gatehouse.core.models import TestResult as PcrResult
from gatehouse.core.trust_list import TrustList, sign_trust_list
from gatehouse.hub.service import Hub
from gatehouse.store import Ledger
from gatehouse.sync import protocol
from gatehouse.sync.client import HubClient
from gatehouse.sync.enrolment import enrol_booth
from gatehouse.sync.worker import SyncStatus, SyncWorker
from tests.core.factories import ISSUER, checked_today, claims
from tests.core.shc_factory import card, crl, jwk
from tests.hub.live import ADMIN_TOKEN

TIMEOUT_S = 30


@dataclass
class Booth:
    service: BoothService
    worker: SyncWorker
    root: Ed25519PrivateKey
    issuer: Ed25519PrivateKey

    def scan(self, pass_id: str = "P-1") -> ScanResult:
        now = datetime.now(UTC)
        holder = claims(
            pass_id=pass_id,
            valid_from=now - timedelta(hours=1),
            valid_until=now + timedelta(days=7),
            issued_at=now - timedelta(minutes=5),
            health_code_checked_at=checked_today(now),
            test=NucleicAcidTest(now - timedelta(hours=12), PcrResult.NEGATIVE),
            travel=(),
        )
        result = self.service.handle_scan(encode_pass(holder, self.issuer, ISSUER))
        result.saved.result(timeout=10)
        return result


def trust_list(
    sequence: int, issuer: Ed25519PrivateKey, revoked: frozenset[str] = frozenset()
) -> TrustList:
    key = TrustedKey(issuer.public_key(), ISSUER, datetime(2024, 1, 1, tzinfo=UTC), None)
    store = replace(TrustStore((key,)), revoked_pass_ids=revoked)
    return TrustList(sequence, datetime.now(UTC), store)


@pytest.fixture
def booth(ledger: Ledger, hub_url: str, tmp_path: Path) -> Iterator[Booth]:
    admin = HubClient(hub_url, ADMIN_TOKEN)
    code = admin.request("POST", protocol.ENROLMENT_CODES_PATH, {"booth_id": "b1"}).json()
    settings = enrol_booth(ledger, hub_url, "b1", code["code"])
    root = generate_issuer_key()
    roots_file = tmp_path / "roots.pem"
    roots_file.write_bytes(public_key_to_pem(root.public_key()))
    config = Config(
        trust=TrustSettings(
            keys_file=str(tmp_path / "trust-list.json"), root_keys_file=str(roots_file)
        )
    )
    temperature = LatestTemperature(_clock := _Clock(), "sensor")
    temperature.update(RawReading(36.5))
    keeper = PolicyKeeper(config, ledger, demo=True)  # built-in demo policy: passes suffice
    service = BoothService(
        identity=BoothIdentity("b1", "mine_gate"),
        trust=booth_trust(config, demo=False, hub=ledger),
        policy=keeper.policy,
        clock=_clock,
        ledger=ledger,
        temperature=temperature,
    )
    trust_keeper = TrustKeeper(config, ledger, service.set_trust)
    worker = SyncWorker(ledger, settings, on_status=trust_keeper.on_sync_status)
    yield Booth(service, worker, root, generate_issuer_key())


class _Clock:
    source = "test"

    def now(self) -> datetime:
        return datetime.now(UTC)


def sync(booth: Booth) -> SyncStatus:
    booth.worker.sync_once()
    return booth.worker.status()


def codes(result: ScanResult) -> set[str]:
    return {reason.code for reason in result.decision.reasons}


def test_a_key_published_through_the_hub_verifies_passes_after_the_next_sync(
    booth: Booth, hub: Hub
) -> None:
    assert "pass.unknown_key" in codes(booth.scan())
    hub.publish("trusted_keys", sign_trust_list(trust_list(1, booth.issuer), booth.root))
    sync(booth)
    assert not codes(booth.scan()) & {"pass.unknown_key", "pass.signature_invalid"}

    hub.publish(
        "trusted_keys",
        sign_trust_list(trust_list(2, booth.issuer, frozenset({"P-7"})), booth.root),
    )
    sync(booth)
    assert "pass.revoked" in codes(booth.scan("P-7"))


def test_a_list_not_signed_by_the_office_root_is_ignored(booth: Booth, hub: Hub) -> None:
    impostor = generate_issuer_key()
    hub.publish("trusted_keys", sign_trust_list(trust_list(1, booth.issuer), impostor))
    sync(booth)
    # not trusted; the booth's trust is in doubt (a list was refused), so referred, not turned away
    assert "trust.incomplete" in codes(booth.scan())


def test_an_older_list_never_replaces_the_one_in_force(booth: Booth, hub: Hub) -> None:
    hub.publish(
        "trusted_keys",
        sign_trust_list(trust_list(5, booth.issuer, frozenset({"P-1"})), booth.root),
    )
    sync(booth)
    assert "pass.revoked" in codes(booth.scan("P-1"))
    hub.publish("trusted_keys", sign_trust_list(trust_list(4, booth.issuer), booth.root))
    sync(booth)
    assert "pass.revoked" in codes(booth.scan("P-1"))


def test_the_issuer_table_from_the_hub_names_provincial_codes(booth: Booth, hub: Hub) -> None:
    code = "https://hc.example-province.cn/verify?token=abc123"
    before = booth.service.handle_scan(code)
    before.saved.result(timeout=10)
    assert before.passage.code_kind == "unknown"
    hub.publish(
        "issuers",
        {
            "format": "gatehouse-health-code-issuers/1",
            "version": "office-1",
            "issuers": [
                {
                    "id": "example-province",
                    "name_zh": "示例省健康码",
                    "name_en": "Example Province health code",
                    "prefixes": ["https://hc.example-province.cn/"],
                }
            ],
        },
    )
    sync(booth)
    after = booth.service.handle_scan(code)
    after.saved.result(timeout=10)
    assert after.passage.code_kind == "provincial-health-code"
    assert "example-province" in str(after.passage.evidence)


def test_shc_issuer_from_the_hub_keeps_its_last_good_revocation_list(
    booth: Booth, hub: Hub
) -> None:
    """The office publishes an issuer file in the ``certificates`` bundle; a later bundle with
    a malformed list for the same key is refused by the hub (the booth's own refusal of one
    that arrives anyway: tests/booth/test_shc_trust.py), and the earlier list stays in force."""
    key = ec.generate_private_key(ec.SECP256R1())
    iss = "https://health.example.org/shc"

    def publish(*rids: str) -> None:
        issuer = {"shc_issuer": iss, "jwks": {"keys": [jwk(key, crlVersion=1)]}}
        hub.publish("certificates", {"own": {**issuer, "crls": [json.loads(crl(key, 1, *rids))]}})
        sync(booth)

    revoked, fine = card(key, iss, rid="gone"), card(key, iss, rid="fine")
    assert "shc.unknown_key" in codes(booth.service.handle_scan(revoked))
    publish("gone")
    assert "shc.revoked" in codes(booth.service.handle_scan(revoked))
    accepted = booth.service.handle_scan(fine)
    accepted.saved.result(timeout=10)
    assert accepted.passage.code_kind == "shc" and iss in str(accepted.passage.evidence)
    assert "shc.wrong_issuer" in codes(booth.service.handle_scan(card(key, "https://evil.example")))

    with pytest.raises(BundleContentError, match="listed twice"):
        publish("fine", "fine")  # a rid listed twice: the hub signs nothing, "gone" stays
    assert "shc.revoked" in codes(booth.service.handle_scan(revoked))
