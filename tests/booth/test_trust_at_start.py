"""One bad trust file never stops the booth: the real runtime starts with each malformed file,
refuses it with the reason (an audit event for the supervisor), keeps the last good copy in
force, and with none at all verifies nothing with it: the codes it would verify refer."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gatehouse import config
from gatehouse.booth.runtime import BoothCallbacks, BoothRuntime, RuntimeOptions
from gatehouse.bundles.trust import LAST_GOOD_DIR, booth_trust
from gatehouse.bundles.value_sets import EVERY_SET
from gatehouse.config import Config
from gatehouse.core.code_kinds import CodeKind
from gatehouse.core.code_reader import read_code
from gatehouse.core.dcc.value_sets import FORMAT
from gatehouse.core.gatehouse_pass import encode_pass
from gatehouse.core.keys import generate_issuer_key, public_key_to_pem
from gatehouse.core.models import Outcome
from gatehouse.core.reasons import GuardAction
from gatehouse.store.bundles import StoredBundle
from tests.booth.codes import DCC_PCR_TEST, ISSUER_TABLE, PROVINCIAL, dcc_case
from tests.core.factories import CLAIMS, ISSUER, NOW, trust_for
from tests.core.shared_testdata import DGC_ROOT

MALFORMED = '{"version": 1, "keys": [{"issuer": "Mine 3"'  # a copy cut short


def _ignore(*_args: object) -> None:
    pass


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return generate_issuer_key()


def _config(tmp_path: Path, **trust: str) -> Config:
    cfg = config.from_mapping({}, environ={})
    keys = str(tmp_path / "booth" / "trusted_keys.json")
    return replace(cfg, trust=replace(cfg.trust, keys_file=keys, **trust))


def _keys_file(cfg: Config) -> Path:
    path = cfg.trusted_keys_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


class Started:
    """The booth runtime as ``gatehouse booth`` builds it (devices are not started: the trust
    is loaded while it is built), on a ledger in ``tmp_path``."""

    def __init__(self, cfg: Config, database: Path) -> None:
        callbacks = BoothCallbacks(_ignore, _ignore, _ignore, _ignore, _ignore, _ignore)
        self.database = database
        self.runtime = BoothRuntime.from_config(
            cfg, RuntimeOptions(demo=False, database=database), callbacks
        )

    def refused(self) -> list[str]:
        """Every trust refusal recorded for the supervisor (closes the ledger: the audit
        events are written by the ledger's writer, finished when it closes)."""
        self.runtime.ledger.close()
        with sqlite3.connect(self.database) as db:
            rows = db.execute(
                "SELECT details FROM audit_events WHERE kind = 'trust_refused' ORDER BY rowid"
            ).fetchall()
        return [problem for (details,) in rows for problem in json.loads(details)["refused"]]


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Any]:
    started: list[Started] = []

    def run(cfg: Config) -> Started:
        for booth in started:
            booth.runtime.ledger.close()
        booth = Started(cfg, tmp_path / "ledger.sqlite3")
        started.append(booth)
        return booth

    yield run
    for booth in started:
        booth.runtime.ledger.close()


def _refers_for_broken_trust(booth: Started, text: str) -> None:
    scanned = read_code(text, booth.runtime.trust, NOW)
    assert [r.code for r in scanned.reasons] == ["trust.incomplete"]
    why = scanned.reasons[0]
    assert why.outcome is Outcome.REFER and why.action is GuardAction.SUPERVISOR
    assert "trust files were refused" in why.en and "信任文件被拒用" in why.zh
    decision = booth.runtime.service.handle_scan(text).decision
    assert decision.outcome is Outcome.REFER


def test_a_malformed_plain_trust_file_with_no_good_copy_starts_and_passes_refer(
    tmp_path: Path, key: Ed25519PrivateKey, start: Any
) -> None:
    cfg = _config(tmp_path)
    _keys_file(cfg).write_text(MALFORMED, "utf-8")
    booth = start(cfg)
    assert booth.runtime.trust.passes.keys == ()
    _refers_for_broken_trust(booth, encode_pass(CLAIMS, key, ISSUER))
    [problem] = booth.refused()
    assert str(cfg.trusted_keys_path()) in problem and "not JSON" in problem
    assert "no earlier good copy: nothing from it is trusted" in problem


def test_a_malformed_plain_trust_file_leaves_the_last_good_one_in_force(
    tmp_path: Path, key: Ed25519PrivateKey, start: Any
) -> None:
    cfg = _config(tmp_path)
    _keys_file(cfg).write_text(trust_for(key).to_json(), "utf-8")
    text = encode_pass(CLAIMS, key, ISSUER)
    assert read_code(text, start(cfg).runtime.trust, NOW).verified
    _keys_file(cfg).write_text(MALFORMED, "utf-8")
    booth = start(cfg)  # restarted with the file broken
    assert read_code(text, booth.runtime.trust, NOW).verified
    [problem] = booth.refused()
    assert "refused" in problem and "the last good copy (kept " in problem
    assert "stays in force" in problem

    other = generate_issuer_key()  # a good new file replaces the kept copy
    _keys_file(cfg).write_text(trust_for(other).to_json(), "utf-8")
    fixed = start(cfg)
    assert read_code(encode_pass(CLAIMS, other, ISSUER), fixed.runtime.trust, NOW).verified
    assert not read_code(text, fixed.runtime.trust, NOW).verified


def test_an_unusable_root_keys_file_trusts_no_plain_file_instead(
    tmp_path: Path, key: Ed25519PrivateKey, start: Any
) -> None:
    """Root keys configured: the trust file must be signed by them. A broken root keys file
    must not make the booth fall back to trusting an unsigned file."""
    roots = tmp_path / "root.pub.pem"
    roots.write_text("-----BEGIN PUBLIC KEY-----\nnot a key\n", "utf-8")
    cfg = _config(tmp_path, root_keys_file=str(roots))
    _keys_file(cfg).write_text(trust_for(key).to_json(), "utf-8")  # plain, unsigned
    booth = start(cfg)
    _refers_for_broken_trust(booth, encode_pass(CLAIMS, key, ISSUER))
    assert any(str(roots) in problem for problem in booth.refused())


def test_a_good_root_keys_file_survives_a_broken_copy(
    tmp_path: Path, key: Ed25519PrivateKey, start: Any
) -> None:
    roots = tmp_path / "root.pub.pem"
    roots.write_bytes(public_key_to_pem(generate_issuer_key().public_key()))
    cfg = _config(tmp_path, root_keys_file=str(roots))
    start(cfg)
    roots.write_text("garbage", "utf-8")
    problems = start(cfg).refused()
    assert any(str(roots) in p and "stays in force" in p for p in problems), problems


def test_a_missing_certificates_folder_is_said_and_the_booth_starts(
    tmp_path: Path, start: Any
) -> None:
    missing = tmp_path / "no-such-folder"
    booth = start(_config(tmp_path, certificates_dir=str(missing)))
    [problem] = booth.refused()
    assert str(missing) in problem and "nothing from it is trusted" in problem


@pytest.mark.skipif(not DGC_ROOT.exists(), reason="shared/testdata is missing")
def test_a_malformed_certificate_leaves_its_last_good_copy_and_the_rest(
    tmp_path: Path, start: Any
) -> None:
    folder = tmp_path / "certificates"
    folder.mkdir()
    dcc_text, _, moment = dcc_case(DCC_PCR_TEST)
    certificate = json.loads(DCC_PCR_TEST.read_text("utf-8"))["TESTCTX"]["CERTIFICATE"]
    (folder / "at-dsc.txt").write_text(certificate, "utf-8")
    cfg = _config(tmp_path, certificates_dir=str(folder))
    assert read_code(dcc_text, start(cfg).runtime.trust, moment).verified
    (folder / "at-dsc.txt").write_text(certificate[: len(certificate) // 2], "utf-8")
    (folder / "new.txt").write_text("not a certificate", "utf-8")  # never good: nothing kept
    booth = start(cfg)
    assert read_code(dcc_text, booth.runtime.trust, moment).verified
    problems = booth.refused()
    assert [p.split(":")[0] for p in problems] == [
        str(folder / "at-dsc.txt"),
        str(folder / "new.txt"),
    ]
    assert "stays in force" in problems[0] and "nothing from it is trusted" in problems[1]


def test_a_malformed_issuer_table_leaves_the_last_good_one(tmp_path: Path, start: Any) -> None:
    table = tmp_path / "issuers.json"
    table.write_text(json.dumps(ISSUER_TABLE), "utf-8")
    cfg = _config(tmp_path, health_code_issuers_file=str(table))
    kind = read_code(PROVINCIAL, start(cfg).runtime.trust, NOW).kind
    assert kind is CodeKind.PROVINCIAL_HEALTH_CODE
    table.write_text('{"format": ', "utf-8")
    booth = start(cfg)
    assert read_code(PROVINCIAL, booth.runtime.trust, NOW).kind is CodeKind.PROVINCIAL_HEALTH_CODE
    [problem] = booth.refused()
    assert str(table) in problem and "stays in force" in problem


def test_a_malformed_issuer_table_with_no_good_copy_starts_the_booth(
    tmp_path: Path, start: Any
) -> None:
    table = tmp_path / "issuers.json"
    table.write_text('{"format": "something else"}', "utf-8")
    booth = start(_config(tmp_path, health_code_issuers_file=str(table)))
    scanned = read_code(PROVINCIAL, booth.runtime.trust, NOW)
    assert scanned.kind is CodeKind.UNKNOWN
    assert scanned.reasons[0].outcome is Outcome.REFER  # never admitted, never turned away
    [problem] = booth.refused()
    assert str(table) in problem and "nothing from it is trusted" in problem


def _store(booth: Started, name: str, content: Any, version: int = 1) -> None:
    now = datetime.now(UTC)
    bundle = StoredBundle(name, version, content, b"signed", f'"{name}-{version}"', now, now)
    assert booth.runtime.ledger.store_bundle(bundle, "booth-1").result(timeout=10)


def test_malformed_hub_bundles_leave_the_booth_running(tmp_path: Path, start: Any) -> None:
    """Trust bundles from the hub (already checked for the hub's signature) that are not what
    they claim: the issuer table, a plain trust file, the DCC value sets."""
    cfg = _config(tmp_path)
    first = start(cfg)
    _store(first, "issuers", {"format": "nonsense"})
    _store(first, "trusted_keys", {"version": 1, "keys": "not a list"})
    _store(first, "dcc_value_sets", ["not", "value", "sets"])
    booth = start(cfg)
    problems = booth.refused()
    assert any(p.startswith("issuer table from the hub: refused") for p in problems), problems
    assert any(p.startswith("trust file from the hub: refused") for p in problems), problems
    assert any("dcc_value_sets version 1 refused" in p for p in problems), problems
    # No earlier good copy of the office's: the shipped sets may be looser, so EU DCCs refer.
    assert booth.runtime.policy.dcc_value_sets is not None
    assert booth.runtime.policy.dcc_value_sets.unsure == EVERY_SET


def test_the_running_booth_keeps_the_offices_value_sets_for_a_later_refusal(
    tmp_path: Path, start: Any
) -> None:
    """The booth took the office's sets and kept them; the next document (kept by an older
    release) is refused after a restart: the office's sets stay, nothing is unsure."""
    cfg = _config(tmp_path)
    first = start(cfg)
    countries = {"AT": {"display": "Austria"}}
    sets = [
        {"valueSetId": "country-2-codes", "valueSetDate": "2026-12-01", "valueSetValues": countries}
    ]
    _store(first, "dcc_value_sets", {"format": FORMAT, "version": "office 1", "value_sets": sets})
    kept = start(cfg)
    assert kept.runtime.ledger.kept_document("dcc_value_sets")["version"] == "office 1"
    _store(kept, "dcc_value_sets", ["not", "value", "sets"], version=2)
    booth = start(cfg)
    in_force = booth.runtime.policy.dcc_value_sets
    assert in_force is not None and in_force.version == "office 1"
    assert in_force.sets["country-2-codes"].codes == {"AT"} and in_force.unsure == frozenset()
    problems = booth.refused()
    assert any("version 2 refused" in p and "(office 1) stays in force" in p for p in problems)


def test_read_only_commands_keep_no_copy(tmp_path: Path, key: Ed25519PrivateKey) -> None:
    cfg = _config(tmp_path)
    _keys_file(cfg).write_text(trust_for(key).to_json(), "utf-8")
    assert booth_trust(cfg, demo=False).passes.keys  # as gatehouse decide / dry-run read it
    assert not (cfg.trusted_keys_path().parent / LAST_GOOD_DIR).exists()


def test_a_booth_with_only_what_was_installed_keeps_no_copy(tmp_path: Path, start: Any) -> None:
    """The shipped issuer table needs no copy: nothing is written beside the keys file."""
    cfg = _config(tmp_path)
    assert start(cfg).refused() == []
    assert not (cfg.trusted_keys_path().parent / LAST_GOOD_DIR).exists()
