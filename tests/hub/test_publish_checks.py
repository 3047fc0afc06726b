"""The office cannot sign garbage: ``gatehouse hub publish`` (and ``PUT /v1/bundles/NAME``)
checks every bundle kind with the parsers the booth applies on receipt, refuses a malformed
one with the booth's own reason, and signs nothing."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from gatehouse import config
from gatehouse.bundles.policy import booth_policy
from gatehouse.bundles.trust import booth_trust
from gatehouse.bundles.value_sets import booth_value_sets
from gatehouse.cli import main
from gatehouse.core.bundle_checks import CHECKED_BUNDLES
from gatehouse.core.decision import admit_blockers
from gatehouse.core.keys import generate_issuer_key, public_key_to_pem
from gatehouse.core.privacy import PrivacySettings, privacy_from_content
from gatehouse.core.rules.persons import PersonLists, key_check
from gatehouse.core.trust_list import TrustList, sign_trust_list
from gatehouse.hub.server import HubState, open_hub
from gatehouse.hub.service import Hub
from gatehouse.resources import resource_path
from gatehouse.sync.protocol import BUNDLE_NAMES
from tests.booth.codes import ISSUER_TABLE
from tests.core.factories import trust_for
from tests.hub.live import ADMIN_TOKEN


def _resource(*parts: str) -> Any:
    return json.loads(resource_path(*parts).read_text("utf-8"))


PACK = _resource("policy", "default_pack.json")
RISK_AREAS = _resource("policy", "risk_areas_demo.json")
VALUE_SETS = _resource("dcc_value_sets", "value_sets.json")
LISTS = json.loads(
    PersonLists("lists-1", datetime(2026, 11, 20, tzinfo=UTC), key_check(b"s" * 16)).to_json()
)
ROOT = generate_issuer_key()
SIGNED_LIST = sign_trust_list(
    TrustList(1, datetime(2026, 11, 20, tzinfo=UTC), trust_for(generate_issuer_key())), ROOT
)
PLAIN_TRUST = json.loads(trust_for(generate_issuer_key()).to_json())


@dataclass(frozen=True)
class Case:
    name: str
    good: Any
    bad: Any
    reason: str  # what the booth says of ``bad``, in the hub's refusal too


def _gate_accepting(*kinds: str) -> Any:
    """PACK with its mine gate accepting ``kinds``."""
    gate = PACK["checkpoints"]["mine_gate"]
    params = {**gate["params"], "accepted_code_kinds": list(kinds)}
    return {**PACK, "checkpoints": {**PACK["checkpoints"], "mine_gate": {**gate, "params": params}}}


CASES = [
    Case("policy", PACK, {**PACK, "checkpoints": {}}, "checkpoints must be an object"),
    Case(
        "policy",
        _gate_accepting("gatehouse-pass", "eu-dcc"),
        _gate_accepting("gatehouse-pass", "heath_code"),
        "unknown code kind 'heath_code'; the kinds: gatehouse-pass, eu-dcc, shc,",
    ),
    Case("policy", {"packs": [PACK]}, {"packs": PACK}, '"packs" must be a list'),
    Case("risk_areas", RISK_AREAS, {**RISK_AREAS, "areas": [{"region": "610100"}]}, "level"),
    Case("lists", LISTS, {**LISTS, "format": "lists/0"}, "not a gatehouse-person-lists/1"),
    Case("trusted_keys", SIGNED_LIST, SIGNED_LIST[:40], "trust list file"),
    Case("trusted_keys", PLAIN_TRUST, {**PLAIN_TRUST, "extra": 1}, '"version" and "keys" only'),
    Case("certificates", {"own": PLAIN_TRUST}, {"dsc": "not a certificate"}, "not a certificate"),
    Case("issuers", ISSUER_TABLE, {**ISSUER_TABLE, "issuers": {}}, '"issuers" must be a list'),
    Case("privacy", {"retention_days": 60}, {"retention_days": "60"}, "retention_days must be"),
    Case("dcc_value_sets", VALUE_SETS, {**VALUE_SETS, "value_sets": [1]}, "value_sets[0] refused"),
]


def _publish(tmp_path: Path, name: str, content: Any) -> int:
    path = tmp_path / f"{name}.json"
    path.write_text(json.dumps(content), "utf-8")
    return main(["hub", "publish", name, str(path), "--state", str(tmp_path / "hub-state")])


def _latest(tmp_path: Path, name: str) -> int | None:
    hub = open_hub(HubState(tmp_path / "hub-state"), None)
    try:
        bundle = hub.latest_bundle(name)
    finally:
        hub.engine.dispose()
    return bundle.version if bundle is not None else None


@pytest.mark.parametrize("case", CASES, ids=[f"{c.name}-{c.reason[:20]}" for c in CASES])
def test_each_kind_is_refused_with_the_booths_reason_and_nothing_is_signed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], case: Case
) -> None:
    assert _publish(tmp_path, case.name, case.bad) == 1
    err = capsys.readouterr().err
    assert "not published / 未发布" in err and f"{case.name}: a booth would refuse it" in err
    assert case.reason in err, err
    assert _latest(tmp_path, case.name) is None  # nothing signed
    assert _publish(tmp_path, case.name, case.good) == 0
    assert _latest(tmp_path, case.name) == 1


class _Bundles:
    """A booth's ledger holding one hub bundle, as if it had been signed and pulled."""

    def __init__(self, name: str, content: Any) -> None:
        self._name, self._content = name, content

    def bundle(self, name: str) -> Any:
        return _Stored(self._content) if name == self._name else None


@dataclass(frozen=True)
class _Stored:
    content: Any
    version: int = 1


def _booth_says(name: str, content: Any, tmp_path: Path) -> str:
    """What a booth that received ``content`` as bundle ``name`` says of it."""
    trust = {"keys_file": str(tmp_path / "booth" / "trusted_keys.json")}
    if isinstance(content, str):  # a signed trust list: a booth with the office's root key
        (tmp_path / "root.pub.pem").write_bytes(public_key_to_pem(ROOT.public_key()))
        trust["root_keys_file"] = str(tmp_path / "root.pub.pem")
    cfg = config.from_mapping({"trust": trust}, environ={})
    hub = _Bundles(name, content)
    if name == "dcc_value_sets":
        return "; ".join(booth_value_sets(hub).sets.refused)
    if name in ("trusted_keys", "certificates", "issuers"):
        return "; ".join(booth_trust(cfg, demo=False, hub=hub).refused)
    if name == "privacy":
        assert privacy_from_content(content) == PrivacySettings()  # counted as not set
        return "retention_days must be"
    # policy, risk_areas, lists: a kept document it refuses makes the booth refer everyone
    policy = booth_policy(cfg, hub, demo=False)
    (refused,) = policy.refused
    assert (refused.name, refused.version) == (name, 1)
    assert admit_blockers(policy, datetime.now(UTC)) == (refused.reason,)
    return refused.reason.en


@pytest.mark.parametrize("case", CASES, ids=[f"{c.name}-{c.reason[:20]}" for c in CASES])
def test_the_reason_is_the_one_a_booth_gives_on_receipt(tmp_path: Path, case: Case) -> None:
    assert case.reason in _booth_says(case.name, case.bad, tmp_path)


def test_every_bundle_a_booth_pulls_is_checked_and_no_other_name_is_published(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert set(BUNDLE_NAMES) == CHECKED_BUNDLES == {case.name for case in CASES}
    assert _publish(tmp_path, "risk_area", RISK_AREAS) == 1  # a typo no booth would pull
    assert "no booth reads a bundle named 'risk_area'" in capsys.readouterr().err
    path = tmp_path / "broken.json"
    path.write_text('{"retention_days": ', "utf-8")
    state = str(tmp_path / "hub-state")
    assert main(["hub", "publish", "privacy", str(path), "--state", state]) == 1
    assert "not JSON" in capsys.readouterr().err


def test_the_admin_endpoint_refuses_the_same_way(hub_url: str, hub: Hub) -> None:
    def put(content: Any) -> tuple[int, str]:
        request = urllib.request.Request(
            hub_url + "/v1/bundles/issuers",
            data=json.dumps(content).encode("utf-8"),
            headers={"Authorization": f"Bearer {ADMIN_TOKEN}", "Content-Type": "application/json"},
            method="PUT",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as reply:
                return reply.status, reply.read().decode("utf-8")
        except urllib.error.HTTPError as refused:
            return refused.code, refused.read().decode("utf-8")

    status, body = put({**ISSUER_TABLE, "issuers": {}})
    assert status == 400 and '\\"issuers\\" must be a list' in body
    assert hub.latest_bundle("issuers") is None
    assert put(ISSUER_TABLE)[0] == 200
