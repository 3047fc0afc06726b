"""read_code: one answer for every kind of text, never an exception."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gatehouse.core.code_kinds import CodeKind
from gatehouse.core.code_reader import MAX_TEXT_LENGTH, TrustMaterial, read_code
from gatehouse.core.dcc.signer import DccSigner
from gatehouse.core.gatehouse_pass import encode_pass
from gatehouse.core.health_codes import HealthCodeIssuers
from gatehouse.core.keys import TrustStore
from gatehouse.core.scanner_text import mangling_cause

from .factories import CLAIMS, ISSUER, NOW
from .shared_testdata import DGC_ROOT

ISSUERS = HealthCodeIssuers.from_json(
    json.dumps(
        {
            "format": "gatehouse-health-code-issuers/1",
            "issuers": [
                {
                    "id": "sn",
                    "name_zh": "陕西一码通",
                    "name_en": "Shaanxi health code",
                    "prefixes": ["https://hc.example.sn.gov.cn/v/"],
                }
            ],
        }
    )
)


@pytest.fixture(scope="module")
def pass_text(issuer_key: Ed25519PrivateKey) -> str:
    return encode_pass(CLAIMS, issuer_key, ISSUER)


def _material(trust: TrustStore) -> TrustMaterial:
    return TrustMaterial(passes=trust, health_code_issuers=ISSUERS)


def test_valid_gatehouse_pass(pass_text: str, trust: TrustStore) -> None:
    scanned = read_code(pass_text, _material(trust), NOW)
    assert (scanned.kind, scanned.verified, scanned.reasons) == (
        CodeKind.GATEHOUSE_PASS,
        True,
        (),
    )
    assert scanned.credential is not None and scanned.credential.claims == CLAIMS
    assert scanned.claims is not None and scanned.claims["holder_name"] == CLAIMS.holder_name
    json.dumps(scanned.claims)  # JSON values only


def test_pass_outside_its_validity_is_not_verified(pass_text: str, trust: TrustStore) -> None:
    later = read_code(pass_text, _material(trust), CLAIMS.valid_until + timedelta(seconds=1))
    assert not later.verified and [r.code for r in later.reasons] == ["validity.expired"]
    early = read_code(pass_text, _material(trust), CLAIMS.valid_from - timedelta(seconds=1))
    assert [r.code for r in early.reasons] == ["validity.not_yet"]


def test_forged_pass_keeps_its_kind(pass_text: str) -> None:
    scanned = read_code(pass_text, TrustMaterial(), NOW)
    assert (scanned.kind, scanned.verified) == (CodeKind.GATEHOUSE_PASS, False)
    assert [r.code for r in scanned.reasons] == ["pass.unknown_key"]


def test_provincial_code_names_its_issuer() -> None:
    scanned = read_code("https://HC.example.SN.gov.cn/v/8f3a9c", _material(TrustStore()), NOW)
    assert scanned.kind is CodeKind.PROVINCIAL_HEALTH_CODE and not scanned.verified
    assert scanned.issuer == "Shaanxi health code"
    assert [r.code for r in scanned.reasons] == ["health_code.attest_needed"]
    assert "陕西一码通" in scanned.reasons[0].zh


@pytest.mark.parametrize(
    "text",
    ["hello", "https://example.com/x", "NZCP:/1/2KCEVIQEIVVWK6JNGEASNICZAEP2KALYDZSGSZB2O5SW"],
)
def test_unknown_kind_is_not_an_invalid_pass(text: str) -> None:
    scanned = read_code(text, _material(TrustStore()), NOW)
    assert scanned.kind is CodeKind.UNKNOWN
    assert [r.code for r in scanned.reasons] == ["code.unknown_kind"]


def test_overlong_text() -> None:
    scanned = read_code("x" * (MAX_TEXT_LENGTH + 1), TrustMaterial(), NOW)
    assert [r.code for r in scanned.reasons] == ["code.too_long"]


def test_naive_now_is_a_programming_error(pass_text: str) -> None:
    with pytest.raises(ValueError):
        read_code(pass_text, TrustMaterial(), datetime(2024, 5, 1))


# -- keyboard-wedge scanners --

_US_TO_GERMAN = str.maketrans(
    {"Y": "Z", "Z": "Y", ":": "Ö", "/": "-", "-": "ß", "*": "(", "+": "`"}
)
_US_TO_FRENCH = str.maketrans(
    {**dict(zip("1234567890", "&é\"'(-è_çà", strict=True)), "A": "Q", "Q": "A", "Z": "W",
     "W": "Z", ":": "M", "/": "!", ".": "?"}
)  # fmt: skip
_SHIFT_INVERTED = str.maketrans(
    {**dict(zip("1234567890", "!@#$%^&*()", strict=True)), ":": ";", "/": "?", ".": ">",
     "-": "_", "+": "="}
)  # fmt: skip


@pytest.mark.parametrize(
    ("garble", "cause"),
    [
        (str.swapcase, "caps-lock"),
        (lambda text: text.translate(_SHIFT_INVERTED).swapcase(), "shift-inverted"),
        (lambda text: text.translate(_US_TO_GERMAN), "german-layout"),
        (lambda text: text.translate(_US_TO_FRENCH), "french-layout"),
    ],
)
def test_garbled_pass_is_a_scanner_problem(
    garble: object, cause: str, pass_text: str, trust: TrustStore
) -> None:
    assert callable(garble)
    garbled = garble(pass_text)
    assert garbled != pass_text
    scanned = read_code(garbled, _material(trust), NOW)
    assert scanned.kind is CodeKind.SCANNER_MANGLED, scanned
    assert scanned.reasons[0].code == "code.scanner_mangled"
    assert mangling_cause(garbled) == cause


def test_caps_lock_on_a_smart_health_card() -> None:
    assert read_code("SHC:/5676290952", TrustMaterial(), NOW).kind is CodeKind.SCANNER_MANGLED


def test_well_formed_codes_are_never_called_mangled(pass_text: str) -> None:
    assert mangling_cause(pass_text) is None
    assert mangling_cause("shc:/5676290952") is None


@pytest.mark.skipif(not DGC_ROOT.exists(), reason="shared/testdata is missing")
def test_eu_dcc_with_its_signer_verifies_at_the_validation_clock() -> None:
    case = json.loads((DGC_ROOT / "common/2DCode/raw/CO28.json").read_text())
    clock = datetime.fromisoformat(case["TESTCTX"]["VALIDATIONCLOCK"].replace("Z", "+00:00"))
    trust = TrustMaterial(dcc_signers=(DccSigner.from_text(case["TESTCTX"]["CERTIFICATE"]),))
    scanned = read_code(case["PREFIX"], trust, clock)
    assert (scanned.kind, scanned.verified) == (CodeKind.EU_DCC, True)
    assert scanned.claims is not None and scanned.claims["certificate"] == case["JSON"]
    expired = read_code(case["PREFIX"], trust, datetime(2030, 1, 1, tzinfo=UTC))
    assert [r.code for r in expired.reasons] == ["dcc.expired"]
    untrusted = read_code(case["PREFIX"], TrustMaterial(), clock)
    assert [r.code for r in untrusted.reasons] == ["dcc.unknown_signer"]
