"""``gatehouse decide`` answers exactly as the booth does, and explains bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from drivers.thermometer.reading import RawReading
from gatehouse import cli, config
from gatehouse.booth.policy_source import booth_policy
from gatehouse.booth.service import BoothIdentity, BoothService
from gatehouse.booth.temperature import LatestTemperature
from gatehouse.core.gatehouse_pass import encode_pass
from gatehouse.core.keys import generate_issuer_key
from gatehouse.store.ledger import Ledger
from tests.booth.conftest import FixedClock
from tests.core.factories import CLAIMS, ISSUER, trust_for
from tests.core.policies import RESOURCES


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return generate_issuer_key()


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["decide", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_decide_gives_what_the_booth_gives(
    tmp_path: Path, key: Ed25519PrivateKey, capsys: pytest.CaptureFixture[str]
) -> None:
    trust = trust_for(key)
    trust_file = tmp_path / "trust.json"
    trust_file.write_text(trust.to_json(), "utf-8")
    text = encode_pass(CLAIMS, key, ISSUER)
    clock = FixedClock(CLAIMS.issued_at + (CLAIMS.valid_until - CLAIMS.issued_at) / 2)
    cfg = config.from_mapping({}, environ={})
    temperature = LatestTemperature(clock, "sensor")
    temperature.update(RawReading(37.9))
    with Ledger.open(tmp_path / "booth.sqlite3") as ledger:
        service = BoothService(
            identity=BoothIdentity("b1", "mine_gate"),
            trust=trust,
            policy=booth_policy(cfg, None, demo=True),
            clock=clock,
            ledger=ledger,
            temperature=temperature,
        )
        booth = service.handle_scan(text).decision

    evidence = tmp_path / "evidence.json"
    evidence.write_text(json.dumps({"code": text, "temperature": 37.9}), "utf-8")
    code, out, _ = _run(
        capsys,
        str(evidence),
        "--demo",
        "--trust",
        str(trust_file),
        "--at",
        clock.moment.isoformat(),
    )
    assert code == 0
    printed = json.loads(out)
    assert printed["outcome"] == booth.outcome.name
    assert [(r["code"], r["zh"], r["en"], r["rule_id"]) for r in printed["reasons"]] == [
        (r.code, r.zh, r.en, r.rule_id) for r in booth.reasons
    ]
    assert printed["policy_version"] == booth.policy_version == "default@2026.1"


def test_what_if_with_a_draft_pack_and_an_unsigned_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = json.loads((RESOURCES / "policy" / "default_pack.json").read_text("utf-8"))
    draft["version"] = "draft-7"
    draft["checkpoints"]["mine_gate"]["params"]["temperature_threshold_c"] = 37.0
    pack = tmp_path / "draft.json"
    pack.write_text(json.dumps(draft), "utf-8")
    evidence = tmp_path / "evidence.json"
    evidence.write_text(
        json.dumps(
            {
                "pass": {
                    "valid_from": "2026-11-19T00:00:00+08:00",
                    "valid_until": "2026-12-19T00:00:00+08:00",
                    "test": {"sampled_at": "2026-11-19T20:00:00+08:00"},
                    "travel": [["150602", "2026-11-18"]],
                },
                "temperature": 37.1,
            }
        ),
        "utf-8",
    )
    code, out, _ = _run(
        capsys, str(evidence), "--demo", "--pack", str(pack), "--at", "2026-11-20T09:00:00+08:00"
    )
    printed = json.loads(out)
    assert (code, printed["outcome"], printed["policy_version"]) == (
        0,
        "REMEASURE",
        "default@draft-7",
    )


def test_bad_input_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    evidence = tmp_path / "evidence.json"
    evidence.write_text(json.dumps({"temperature": {"celsius": "hot"}}), "utf-8")
    code, _, err = _run(capsys, str(evidence), "--demo", "--at", "2026-11-20T09:00:00+08:00")
    assert code == 1
    assert "temperature must be a number" in err


def test_vehicle_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    evidence = tmp_path / "truck.json"
    evidence.write_text(
        json.dumps({"vehicle": {"plate": "蒙K12345", "origin": "610402", "purpose": "supply"}}),
        "utf-8",
    )
    code, out, _ = _run(capsys, str(evidence), "--demo", "--at", "2026-11-20T09:00:00+08:00")
    printed = json.loads(out)
    assert (code, printed["outcome"]) == (0, "TURN_AWAY")
    assert "vehicle.origin_medium" in [r["code"] for r in printed["reasons"]]
