"""The office's procedure for a SMART Health Card issuer: ``gatehouse trust-list shc-issuer``
binds the issuer's JWKS and revocation lists to its URL; the file is then trust material for
``inspect-code --trust``, a booth's certificates folder and the hub's ``certificates`` bundle."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from gatehouse.cli import main
from tests.core.shared_testdata import SHC_ROOT

pytestmark = pytest.mark.skipif(not SHC_ROOT.exists(), reason="shared/testdata is missing")
ISS = "https://spec.smarthealth.cards/examples/issuer"
WELL_KNOWN = SHC_ROOT / "issuer" / ".well-known"
AT = datetime(2024, 1, 1, tzinfo=UTC).isoformat()


def _inspect(capsys: pytest.CaptureFixture[str], example: int, trust: Path) -> dict[str, Any]:
    capsys.readouterr()
    text = (SHC_ROOT / f"example-{example:02d}-f-qr-code-numeric-value-0.txt").read_text()
    main(["inspect-code", "--text", text.strip(), "--trust", str(trust), "--at", AT])
    return dict(json.loads(capsys.readouterr().out))


def test_issuer_file_made_by_the_office_verifies_and_revokes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "example-issuer.json"
    args = ["--iss", ISS, "--jwks", str(WELL_KNOWN / "jwks.json"), "--out", str(out)]
    assert main(["trust-list", "shc-issuer", *args]) == 0
    assert "2 keys, 1 revocation lists" in capsys.readouterr().out
    good = _inspect(capsys, 0, out)
    assert (good["verified"], good["issuer"]) == (True, ISS)
    revoked = _inspect(capsys, 3, out)
    assert [r["code"] for r in revoked["reasons"]] == ["shc.revoked"]


def test_a_malformed_revocation_list_stops_the_office_with_the_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = tmp_path / ".well-known"
    shutil.copytree(WELL_KNOWN, copy)
    crl_path = next((copy / "crl").glob("*.json"))
    crl = json.loads(crl_path.read_text())
    crl["rids"].append(crl["rids"][1])
    crl_path.write_text(json.dumps(crl))
    out = tmp_path / "issuer.json"
    args = ["--iss", ISS, "--jwks", str(copy / "jwks.json"), "--out", str(out)]
    assert main(["trust-list", "shc-issuer", *args]) == 1
    assert "listed twice" in capsys.readouterr().err and not out.exists()


def test_an_issuer_url_with_a_trailing_slash_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "issuer.json"
    args = ["--iss", ISS + "/", "--jwks", str(WELL_KNOWN / "jwks.json"), "--out", str(out)]
    assert main(["trust-list", "shc-issuer", *args]) == 1
    assert "must not end with a slash" in capsys.readouterr().err and not out.exists()
