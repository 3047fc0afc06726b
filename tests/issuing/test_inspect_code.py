"""``gatehouse inspect-code``: one JSON object for any code, from text, stdin or a picture."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import segno

from gatehouse.cli import main
from gatehouse.core.gatehouse_pass import encode_pass
from gatehouse.core.keys import (
    TrustedKey,
    TrustStore,
    generate_issuer_key,
    public_key_to_pem,
)
from gatehouse.core.trust_list import TrustList, sign_trust_list
from tests.core.factories import CLAIMS, ISSUER, KEY_FROM, NOW
from tests.core.shared_testdata import DGC_ROOT, SHC_ROOT

AT = NOW.isoformat()


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    status = main(["inspect-code", *args])
    return status, json.loads(capsys.readouterr().out)


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("office")
    issuer, root = generate_issuer_key(), generate_issuer_key()
    store = TrustStore((TrustedKey(issuer.public_key(), ISSUER, KEY_FROM, None),))
    (folder / "trust.json").write_text(store.to_json())
    signed = sign_trust_list(TrustList(1, NOW, store), root)
    (folder / "trust-list.json").write_text(signed)
    (folder / "root.pem").write_bytes(public_key_to_pem(root.public_key()))
    return {"folder": folder, "text": encode_pass(CLAIMS, issuer, ISSUER)}


def test_verified_pass_with_a_trust_file(
    office: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    trust = str(office["folder"] / "trust.json")
    status, result = _run(capsys, "--text", office["text"], "--trust", trust, "--at", AT)
    assert (status, result["kind"], result["verified"]) == (0, "gatehouse-pass", True)
    assert result["claims"]["pass_id"] == CLAIMS.pass_id
    assert result["reasons"] == []


def test_signed_trust_list_needs_the_root_key(
    office: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    folder = office["folder"]
    args = ["--text", office["text"], "--trust", str(folder / "trust-list.json"), "--at", AT]
    status, result = _run(capsys, *args, "--root-key", str(folder / "root.pem"))
    assert (status, result["verified"]) == (0, True)
    assert main(["inspect-code", *args]) == 1  # no root key: refused, not trusted blindly


def test_expired_at_a_later_time(
    office: dict[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    later = (CLAIMS.valid_until + timedelta(days=1)).isoformat()
    trust = str(office["folder"] / "trust.json")
    status, result = _run(capsys, "--text", office["text"], "--trust", trust, "--at", later)
    assert (status, result["verified"]) == (3, False)
    assert [r["code"] for r in result["reasons"]] == ["validity.expired"]
    assert result["reasons"][0]["zh"]


def test_text_from_stdin_and_unknown_kind(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("just some words\n"))
    status, result = _run(capsys, "--text", "-", "--at", AT)
    assert (status, result["kind"]) == (3, "unknown")
    assert result["reasons"][0]["code"] == "code.unknown_kind"


def test_image_of_a_pass(
    office: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    picture = tmp_path / "pass.png"
    segno.make_qr(office["text"], error="m").save(str(picture), scale=6, border=4)
    trust = str(office["folder"] / "trust.json")
    status, result = _run(capsys, "--image", str(picture), "--trust", trust, "--at", AT)
    assert (status, result["verified"]) == (0, True)


@pytest.mark.skipif(not DGC_ROOT.exists(), reason="shared/testdata is missing")
@pytest.mark.parametrize("form", ["base64 DER", "PEM"])
def test_eu_dcc_with_its_signing_certificate(
    form: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = json.loads((DGC_ROOT / "common/2DCode/raw/CO28.json").read_text())
    der64 = case["TESTCTX"]["CERTIFICATE"]
    lines = [der64[i : i + 64] for i in range(0, len(der64), 64)]
    body = (
        der64
        if form == "base64 DER"
        else "\n".join(["-----BEGIN CERTIFICATE-----", *lines, "-----END CERTIFICATE-----"])
    )
    cert = tmp_path / "dsc.txt"
    cert.write_text(body)
    clock = case["TESTCTX"]["VALIDATIONCLOCK"]
    status, result = _run(capsys, "--text", case["PREFIX"], "--trust", str(cert), "--at", clock)
    assert (status, result["kind"], result["verified"]) == (0, "eu-dcc", True)
    assert result["claims"]["certificate"] == case["JSON"]


SHC_ISS = "https://spec.smarthealth.cards/examples/issuer"


@pytest.mark.skipif(not SHC_ROOT.exists(), reason="shared/testdata is missing")
def test_shc_with_jwks_and_its_revocation_list(capsys: pytest.CaptureFixture[str]) -> None:
    jwks = str(SHC_ROOT / "issuer" / ".well-known" / "jwks.json")
    at = datetime(2024, 1, 1, tzinfo=UTC).isoformat()
    for example, verified in ((0, True), (3, False)):
        text = (SHC_ROOT / f"example-{example:02d}-f-qr-code-numeric-value-0.txt").read_text()
        trust = ("--shc-issuer", SHC_ISS, jwks)
        status, result = _run(capsys, "--text", text.strip(), *trust, "--at", at)
        assert (status, result["kind"], result["verified"]) == (
            0 if verified else 3,
            "shc",
            verified,
        )
        assert result["issuer"] == SHC_ISS  # the issuer whose key verified it
    assert [r["code"] for r in result["reasons"]] == ["shc.revoked"]


@pytest.mark.skipif(not SHC_ROOT.exists(), reason="shared/testdata is missing")
def test_shc_jwks_given_for_another_issuer_does_not_verify(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The example card claims the example issuer; its JWKS given as another issuer's keys
    is that other issuer's trust and must not verify it."""
    jwks = str(SHC_ROOT / "issuer" / ".well-known" / "jwks.json")
    text = (SHC_ROOT / "example-00-f-qr-code-numeric-value-0.txt").read_text().strip()
    at = datetime(2024, 1, 1, tzinfo=UTC).isoformat()
    trust = ("--shc-issuer", "https://other.example/issuer", jwks)
    status, result = _run(capsys, "--text", text, *trust, "--at", at)
    assert (status, result["verified"], result["issuer"]) == (3, False, None)
    assert [r["code"] for r in result["reasons"]] == ["shc.wrong_issuer"]


@pytest.mark.parametrize("iss", ["http://example.org/issuer", "https://example.org/", "issuer"])
def test_shc_issuer_url_that_breaks_the_framework_is_refused(
    iss: str, capsys: pytest.CaptureFixture[str]
) -> None:
    jwks = str(SHC_ROOT / "issuer" / ".well-known" / "jwks.json")
    assert main(["inspect-code", "--text", "x", "--shc-issuer", iss, jwks]) == 1
    assert "issuer" in capsys.readouterr().err


def test_bare_jwks_without_its_issuer_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    jwks = str(SHC_ROOT / "issuer" / ".well-known" / "jwks.json")
    assert main(["inspect-code", "--text", "x", "--trust", jwks]) == 1
    assert "only with the issuer URL" in capsys.readouterr().err


def test_time_without_offset_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["inspect-code", "--text", "x", "--at", "2024-05-01T08:00:00"])


def test_trust_file_of_no_known_kind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_text("this is not trust material")
    assert main(["inspect-code", "--text", "x", "--trust", str(junk)]) == 1
    assert "not a certificate" in capsys.readouterr().err
