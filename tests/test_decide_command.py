"""``gatehouse decide`` answers exactly as the booth does, and explains bad input."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from drivers.thermometer.reading import RawReading
from gatehouse import cli, config
from gatehouse.booth.service import BoothIdentity, BoothService
from gatehouse.booth.temperature import LatestTemperature
from gatehouse.bundles.policy import booth_policy
from gatehouse.core.china_time import CHINA_TIME, china_day
from gatehouse.core.code_reader import TrustMaterial
from gatehouse.core.gatehouse_pass import encode_pass
from gatehouse.core.keys import generate_issuer_key
from gatehouse.core.models import HealthCodeColour, TravelVisit
from gatehouse.core.rules.evidence import declared_travel_record
from gatehouse.core.rules.pack import packs_from
from gatehouse.core.rules.persons import (
    IsolationEntry,
    PersonLists,
    check_character,
    id_hash,
    key_check,
)
from gatehouse.replay.what_if import PERSON_KEYS
from gatehouse.store.ledger import Ledger
from tests.booth.codes import (
    ALL_KINDS,
    DCC_PCR_TEST,
    ISSUER_TABLE,
    ISSUERS,
    Code,
    every_kind,
    shc_issuer_file,
)
from tests.booth.conftest import FixedClock
from tests.core.factories import CLAIMS, ISSUER, trust_for
from tests.core.policies import RESOURCES
from tests.core.shared_testdata import DGC_ROOT, SHC_ROOT


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
            trust=TrustMaterial(passes=trust),
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
                    "health_code_checked_at": "2026-11-20T07:30:00+08:00",
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


def test_a_draft_pack_accepting_an_unknown_code_kind_is_refused_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draft = json.loads((RESOURCES / "policy" / "default_pack.json").read_text("utf-8"))
    draft["checkpoints"]["mine_gate"]["params"]["accepted_code_kinds"] = ["heath_code"]
    pack = tmp_path / "draft.json"
    pack.write_text(json.dumps(draft), "utf-8")
    evidence = tmp_path / "evidence.json"
    evidence.write_text(json.dumps({"temperature": 36.5}), "utf-8")
    code, out, err = _run(capsys, str(evidence), "--demo", "--pack", str(pack))
    assert (code, out) == (1, "")
    assert "accepted_code_kinds: unknown code kind 'heath_code'" in err
    assert "gatehouse-pass, eu-dcc, shc, provincial-health-code" in err


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


def _kind_files(tmp_path: Path, code: Code) -> list[str]:
    """The --trust files holding ``code``'s trust material, as the office would hand them out."""
    files: list[str] = []
    if code.trust.passes.keys:
        path = tmp_path / "passes.json"
        path.write_text(code.trust.passes.to_json(), "utf-8")
        files.append(str(path))
    if code.trust.dcc_signers:
        files.append(_dsc_file(tmp_path))
    if code.trust.shc_issuers:
        files.append(str(shc_issuer_file(tmp_path)))
    return [arg for path in files for arg in ("--trust", path)]


def _dsc_file(tmp_path: Path) -> str:
    path = tmp_path / "dsc.txt"
    path.write_text(json.loads(DCC_PCR_TEST.read_text())["TESTCTX"]["CERTIFICATE"], "utf-8")
    return str(path)


@pytest.mark.skipif(not (DGC_ROOT.exists() and SHC_ROOT.exists()), reason="no shared testdata")
@pytest.mark.parametrize(
    ("kind", "attest"),
    [
        ("gatehouse-pass", None),
        ("eu-dcc", None),
        ("shc", None),
        ("provincial-health-code", None),
        ("provincial-health-code", "green"),
        ("provincial-health-code", "red"),
        ("unknown", None),
        ("scanner-mangled", None),
    ],
)
def test_decide_gives_what_the_booth_gives_for_every_kind(
    kind: str,
    attest: str | None,
    tmp_path: Path,
    key: Ed25519PrivateKey,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = {item.kind: item for item in every_kind(key)}[kind]
    draft = json.loads((RESOURCES / "policy" / "default_pack.json").read_text("utf-8"))
    draft["checkpoints"]["mine_gate"]["params"]["accepted_code_kinds"] = sorted(ALL_KINDS)
    draft["checkpoints"]["mine_gate"]["params"]["allow_attested"] = True
    pack = tmp_path / "pack.json"
    pack.write_text(json.dumps(draft), "utf-8")
    issuers = tmp_path / "issuers.json"
    issuers.write_text(json.dumps(ISSUER_TABLE), "utf-8")
    config_file = tmp_path / "gatehouse.toml"
    config_file.write_text(
        f'[trust]\nhealth_code_issuers_file = "{issuers}"\n'
        f'[store]\ndatabase = "{tmp_path / "none.sqlite3"}"\n',
        "utf-8",
    )
    cfg = config.load(config_file, environ={})
    policy = dataclasses.replace(booth_policy(cfg, None, demo=False), packs=packs_from(draft))
    clock = FixedClock(code.moment)
    temperature = LatestTemperature(clock, "sensor")
    temperature.update(RawReading(36.6))
    trust = dataclasses.replace(code.trust, health_code_issuers=ISSUERS)
    with Ledger.open(tmp_path / "booth.sqlite3") as ledger:
        service = BoothService(
            identity=BoothIdentity("b1", "mine_gate"),
            trust=trust,
            policy=policy,
            clock=clock,
            ledger=ledger,
            temperature=temperature,
        )
        result = service.handle_scan(code.text)
        declared = (TravelVisit("140100", china_day(code.moment)),)  # Taiyuan, typed (F4)
        if attest is not None:
            attested = service.attest(result.person_key, HealthCodeColour(attest))
            assert attested is not None
            result = service.declare_travel(result.person_key, declared) or attested
            assert any(r.code.startswith("travel.declared") for r in result.decision.reasons)
        booth = result.decision

    evidence: dict[str, object] = {"code": code.text, "temperature": 36.6}
    if attest is not None:
        evidence["attested_colour"] = attest
        evidence["declared_travel"] = declared_travel_record(declared)
    evidence_file = tmp_path / "evidence.json"
    evidence_file.write_text(json.dumps(evidence), "utf-8")
    args = [str(evidence_file), "--config", str(config_file), "--pack", str(pack)]
    code_, out, err = _run(
        capsys, *args, *_kind_files(tmp_path, code), "--at", code.moment.isoformat()
    )
    assert code_ == 0, err
    printed = json.loads(out)
    assert printed["outcome"] == booth.outcome.name
    assert [(r["code"], r["zh"], r["en"], r["rule_id"]) for r in printed["reasons"]] == [
        (r.code, r.zh, r.en, r.rule_id) for r in booth.reasons
    ]


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ({"temprature": 36.5}, "unknown field temprature (did you mean temperature?)"),
        ({"temperature": {"celsius": 36.5, "taken": "x"}}, "unknown field temperature.taken"),
        ({"pass": {"helth_code": "green"}}, "unknown field pass.helth_code"),
        ({"pass": {"test": {"sampled": "x"}}}, "unknown field pass.test.sampled"),
        ({"vehicle": {"plate": "蒙K12345", "purpse": "supply"}}, "unknown field vehicle.purpse"),
    ],
)
def test_unknown_or_misspelt_keys_are_refused_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: dict[str, Any], named: str
) -> None:
    evidence = tmp_path / "evidence.json"
    evidence.write_text(json.dumps(data), "utf-8")
    code, out, err = _run(capsys, str(evidence), "--demo", "--at", "2026-11-20T09:00:00+08:00")
    assert (code, out) == (1, "")
    assert named in err


# -- issue 12: missing, aged or unmatched evidence refers, through the command --

SECRET_HEX = "00112233445566778899aabbccddeeff"
ISOLATED = "61020319850312001"
ISOLATED += check_character(ISOLATED)


def _what_if(tmp_path: Path, capsys: pytest.CaptureFixture[str], **changes: Any) -> Any:
    """A healthy employee's unsigned pass at the demo's mine gate, with ``changes``, decided at
    09:00 China time on 2026-11-20 with a person list naming ISOLATED under SECRET_HEX."""
    secret = bytes.fromhex(SECRET_HEX)
    (tmp_path / "secret.hex").write_text(SECRET_HEX, "utf-8")
    (tmp_path / "gatehouse.toml").write_text(
        f'[policy]\nlist_secret_file = "{tmp_path / "secret.hex"}"\n', "utf-8"
    )
    lists = PersonLists(
        version="lists-1",
        published_at=datetime(2026, 11, 20, 6, 0, tzinfo=CHINA_TIME),
        key_check=key_check(secret),
        isolation={
            id_hash(secret, ISOLATED): IsolationEntry(id_hash(secret, ISOLATED), date(2026, 12, 1))
        },
    )
    (tmp_path / "lists.json").write_text(lists.to_json(), "utf-8")
    person: dict[str, Any] = {
        "pass": {
            "valid_from": "2026-11-17T00:00:00+08:00",
            "valid_until": "2026-11-24T00:00:00+08:00",
            "health_code_checked_at": "2026-11-20T07:30:00+08:00",
            "test": {"sampled_at": "2026-11-19T20:00:00+08:00"},
            "travel": [["150602", "2026-11-18"]],
        },
        "id_number": "15062719800808005" + check_character("15062719800808005"),
        "temperature": 36.5,
    }
    person["pass"].update(changes.pop("pass", {}))
    person.update(changes)
    person = {key: value for key, value in person.items() if value is not None}
    (tmp_path / "evidence.json").write_text(json.dumps(person), "utf-8")
    code, out, err = _run(
        capsys,
        str(tmp_path / "evidence.json"),
        "--demo",
        "--config",
        str(tmp_path / "gatehouse.toml"),
        "--lists",
        str(tmp_path / "lists.json"),
        "--at",
        "2026-11-20T09:00:00+08:00",
    )
    assert code == 0, err
    return json.loads(out)


def _open(printed: Any) -> dict[str, Any]:
    return {r["code"]: r["action"] for r in printed["reasons"] if r["result"] == "open"}


def test_command_admits_the_healthy_identified_employee(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    printed = _what_if(tmp_path, capsys)
    assert printed["outcome"] == "ADMIT" and _open(printed) == {}
    assert {r["result"] for r in printed["reasons"]} == {"passed"}


def test_command_refers_a_colour_from_an_earlier_day_to_the_live_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    printed = _what_if(
        tmp_path, capsys, **{"pass": {"health_code_checked_at": "2026-11-18T08:00:00+08:00"}}
    )
    assert printed["outcome"] == "REFER"
    assert _open(printed) == {"health.aged": "live_code"}


def test_command_refers_an_empty_travel_record_to_the_travel_card(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    printed = _what_if(tmp_path, capsys, **{"pass": {"travel": []}})
    assert printed["outcome"] == "REFER"
    assert _open(printed) == {"travel.not_shown": "travel"}


def test_command_refers_an_unidentified_person_while_a_list_is_in_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    unidentified = _what_if(tmp_path, capsys, id_number=None)
    assert unidentified["outcome"] == "REFER"
    assert _open(unidentified) == {"list.id_needed": "id_number"}
    isolated = _what_if(tmp_path, capsys, id_number=ISOLATED)
    assert isolated["outcome"] == "TURN_AWAY" and "alert_supervisor" in isolated["follow_ups"]


def test_command_refers_a_typed_number_that_is_not_the_pass_holders(
    tmp_path: Path, key: Ed25519PrivateKey, capsys: pytest.CaptureFixture[str]
) -> None:
    """A signed pass carrying the isolated person's keyed hash, with a clean worker's number
    typed: the pass is not theirs, however clean the typed person is."""
    secret = bytes.fromhex(SECRET_HEX)
    (tmp_path / "secret.hex").write_text(SECRET_HEX, "utf-8")
    (tmp_path / "gatehouse.toml").write_text(
        f'[policy]\nlist_secret_file = "{tmp_path / "secret.hex"}"\n', "utf-8"
    )
    (tmp_path / "trust.json").write_text(trust_for(key).to_json(), "utf-8")
    holders = dataclasses.replace(
        CLAIMS, id_hash=id_hash(secret, ISOLATED), id_key_check=key_check(secret)
    )
    text = encode_pass(holders, key, ISSUER)
    at = CLAIMS.issued_at + (CLAIMS.valid_until - CLAIMS.issued_at) / 2

    def typed(number: str) -> set[str]:
        evidence = tmp_path / "evidence.json"
        person = {"code": text, "temperature": 36.5, "id_number": number}
        evidence.write_text(json.dumps(person), "utf-8")
        code, out, err = _run(
            capsys,
            str(evidence),
            "--demo",
            "--config",
            str(tmp_path / "gatehouse.toml"),
            "--trust",
            str(tmp_path / "trust.json"),
            "--at",
            at.isoformat(),
        )
        assert code == 0, err
        printed = json.loads(out)
        mismatch = [r for r in printed["reasons"] if r["code"] == "holder.number_mismatch"]
        for item in mismatch:
            assert printed["outcome"] != "ADMIT" and item["outcome"] == "REFER"
            assert item["result"] == "failed" and item["rule_id"] == "holder"
            assert "通行证不是本人的" in item["zh"]
        return {r["code"] for r in printed["reasons"]}

    worker = "15062719800808005" + check_character("15062719800808005")
    assert "holder.number_mismatch" in typed(worker)
    assert "holder.number_mismatch" not in typed(ISOLATED)


def test_the_documented_person_fields_are_exactly_the_accepted_ones() -> None:
    doc = (Path(__file__).parents[1] / "docs" / "decision-input.md").read_text("utf-8")
    table = doc.split("| field | required | meaning |")[1].split("\n\n")[0]
    documented = {line.split("`")[1] for line in table.splitlines() if line.startswith("| `")}
    assert documented == set(PERSON_KEYS)
