"""The booth trusts exactly what the office published: signed trust list, certificates, issuers."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from gatehouse import cli, config
from gatehouse.bundles.trust import IN_FORCE_SUFFIX, booth_trust
from gatehouse.config import Config
from gatehouse.core.code_kinds import CodeKind
from gatehouse.core.code_reader import read_code
from gatehouse.core.gatehouse_pass import encode_pass
from gatehouse.core.keys import fingerprint, private_key_from_pem
from tests.booth.codes import (
    DCC_PCR_TEST,
    ISSUER_TABLE,
    PROVINCIAL,
    dcc_case,
    shc_chunks,
    shc_issuer_file,
)
from tests.core.factories import CLAIMS, ISSUER, NOW
from tests.core.shared_testdata import DGC_ROOT, SHC_ROOT


def _office(tmp_path: Path) -> tuple[Path, Path]:
    """The office's root key, an issuer key in a trust file; returns (root.pem, trust.json)."""
    root, public, trust = tmp_path / "root.pem", tmp_path / "root.pub.pem", tmp_path / "t.json"
    assert cli.main(["trust-list", "root-key", "--out", str(root), "--public", str(public)]) == 0
    assert root.stat().st_mode & 0o077 == 0
    issuer = tmp_path / "issuer.pem"
    assert (
        cli.main(["keygen", "--out", str(issuer), "--issuer", ISSUER, "--trust-file", str(trust)])
        == 0
    )
    return root, trust


def _sign(root: Path, trust: Path, sequence: int, out: Path, *extra: str) -> None:
    args = ["--root-key", str(root), "--keys", str(trust), "--sequence", str(sequence)]
    assert cli.main(["trust-list", "sign", *args, "--out", str(out), *extra]) == 0


def _config(booth_keys: Path, root: Path, **trust: str) -> Config:
    cfg = config.from_mapping({}, environ={})
    public = root.with_name("root.pub.pem")
    settings = replace(cfg.trust, keys_file=str(booth_keys), root_keys_file=str(public), **trust)
    return replace(cfg, trust=settings)


def test_signed_trust_list_is_used_and_never_rolled_back(tmp_path: Path) -> None:
    root, trust = _office(tmp_path)
    issuer_key = private_key_from_pem((tmp_path / "issuer.pem").read_bytes())
    issued = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=2)  # after keygen
    claims = replace(
        CLAIMS, issued_at=issued, valid_from=issued, valid_until=issued + timedelta(days=1)
    )
    text = encode_pass(claims, issuer_key, ISSUER)
    at = issued + timedelta(hours=1)
    booth_keys = tmp_path / "booth" / "trusted_keys.json"
    booth_keys.parent.mkdir()
    _sign(root, trust, 5, booth_keys)
    cfg = _config(booth_keys, root)
    assert read_code(text, booth_trust(cfg, demo=False), at).verified

    # The office revokes the key in list 6; an old list 4 put back later is refused.
    revoked = fingerprint(issuer_key.public_key()).hex()
    _sign(root, trust, 6, booth_keys, "--revoke-key", revoked)
    assert read_code(text, booth_trust(cfg, demo=False), at).reasons[0].code == "pass.key_revoked"
    _sign(root, trust, 4, booth_keys)
    assert read_code(text, booth_trust(cfg, demo=False), at).reasons[0].code == "pass.key_revoked"
    kept = booth_keys.with_name(booth_keys.name + IN_FORCE_SUFFIX)
    assert '"gatehouse_trust_list"' in kept.read_text()


def test_list_signed_by_another_root_is_refused(tmp_path: Path) -> None:
    root, trust = _office(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    other_root, _ = _office(other)
    booth_keys = tmp_path / "booth_keys.json"
    _sign(other_root, trust, 1, booth_keys)
    material = booth_trust(_config(booth_keys, root), demo=False)
    assert material.passes.keys == ()


@pytest.mark.skipif(not (DGC_ROOT.exists() and SHC_ROOT.exists()), reason="no shared testdata")
def test_certificates_folder_and_issuer_table(tmp_path: Path) -> None:
    root, _ = _office(tmp_path)
    folder = tmp_path / "certificates"
    folder.mkdir()
    dcc_text, _, dcc_moment = dcc_case(DCC_PCR_TEST)
    case = json.loads(DCC_PCR_TEST.read_text())
    (folder / "at-dsc.txt").write_text(case["TESTCTX"]["CERTIFICATE"])
    shc_issuer_file(folder)
    (folder / "notes.txt").write_text("not a certificate")  # logged and left out
    issuers = tmp_path / "issuers.json"
    issuers.write_text(json.dumps(ISSUER_TABLE))
    cfg = _config(
        tmp_path / "missing.json",
        root,
        certificates_dir=str(folder),
        health_code_issuers_file=str(issuers),
    )
    material = booth_trust(cfg, demo=False)
    assert read_code(dcc_text, material, dcc_moment).verified
    shc_moment = NOW.replace(year=2024, month=1, day=1)
    assert read_code("\n".join(shc_chunks(0)), material, shc_moment).verified
    revoked = read_code("\n".join(shc_chunks(3)), material, shc_moment)
    assert revoked.reasons[0].code == "shc.revoked"
    assert read_code(PROVINCIAL, material, NOW).kind is CodeKind.PROVINCIAL_HEALTH_CODE
    assert [problem.split(":")[0] for problem in material.refused] == [str(folder / "notes.txt")]


def test_demo_trusts_the_demo_issuer_only(tmp_path: Path) -> None:
    from gatehouse.demo import DemoManifest

    root, _ = _office(tmp_path)
    demo = booth_trust(_config(tmp_path / "k.json", root), demo=True)
    demo_keys = json.loads(DemoManifest.load().trust_file.read_text())["keys"]
    assert [key.issuer for key in demo.passes.keys] == [entry["issuer"] for entry in demo_keys]
