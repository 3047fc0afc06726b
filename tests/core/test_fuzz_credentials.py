"""Fuzzing every credential parser: random and mutated codes of each kind, bombs, huge inputs.

The property everywhere: the parser returns or raises only its own documented error (read_code
never raises), every reason is a catalogued one, and no input takes more than the deadline
(a hang fails the example). The number of inputs tried is printed at the end of the run.
"""

from __future__ import annotations

import contextlib
import json
import zlib
from collections import Counter
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gatehouse.core import cose
from gatehouse.core.base45 import ALPHABET, Base45DecodeError, b45decode, b45encode
from gatehouse.core.cbor_strict import MalformedCborError, decode_strict
from gatehouse.core.code_kinds import CodeKind
from gatehouse.core.code_reader import ScannedCode, TrustMaterial, read_code
from gatehouse.core.dcc.schema import schema_errors
from gatehouse.core.dcc.signer import DccSigner, SignerCertificateError
from gatehouse.core.dcc.value_sets import EMPTY, FIELDS, FORMAT, ValueSetError
from gatehouse.core.gatehouse_pass import encode_pass
from gatehouse.core.inflate import RAW_DEFLATE, InflateError, inflate
from gatehouse.core.keys import TrustStore
from gatehouse.core.reasons import CATALOGUE
from gatehouse.core.shc.issuers import (
    IssuerKeyError,
    ShcIssuer,
    issuer_from_documents,
    issuer_from_jwks,
    issuer_url,
    parse_crl,
)
from gatehouse.core.shc.numeric import NumericError, encode_digits, parse_chunk

from .factories import CLAIMS, ISSUER, NOW, mutate
from .shared_testdata import DGC_ROOT, SHC_ROOT

INPUTS: Counter[str] = Counter()
FUZZ = settings(
    max_examples=400, deadline=2000, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
DCC_CASE = DGC_ROOT / "common/2DCode/raw/CO28.json"
SHC_EXAMPLE = SHC_ROOT / "example-00-f-qr-code-numeric-value-0.txt"
EXAMPLE_ISS = "https://spec.smarthealth.cards/examples/issuer"
EXAMPLE_KID = "3Kfdg-XwP-7gXyywtUfUADwBumDOPKMQx-iELL11W9s"  # the example issuer's key


def _check(scanned: ScannedCode, family: str) -> None:
    INPUTS[family] += 1
    assert isinstance(scanned.kind, CodeKind)
    assert all(reason.code in CATALOGUE for reason in scanned.reasons)
    assert scanned.verified == (not scanned.reasons) or scanned.kind is CodeKind.GATEHOUSE_PASS
    json.dumps(scanned.claims)


@pytest.fixture(scope="module")
def material(trust: TrustStore) -> TrustMaterial:
    signers: tuple[DccSigner, ...] = ()
    if DCC_CASE.exists():
        signers = (DccSigner.from_text(json.loads(DCC_CASE.read_text())["TESTCTX"]["CERTIFICATE"]),)
    shc: tuple[ShcIssuer, ...] = ()
    if SHC_ROOT.exists():
        well_known = SHC_ROOT / "issuer" / ".well-known"
        crls = {path.stem: path.read_text() for path in (well_known / "crl").glob("*.json")}
        jwks = (well_known / "jwks.json").read_text()
        shc = (issuer_from_jwks(EXAMPLE_ISS, jwks, crls),)
    return TrustMaterial(passes=trust, dcc_signers=signers, shc_issuers=shc)


def _samples(issuer_key: Ed25519PrivateKey) -> list[str]:
    texts = [encode_pass(CLAIMS, issuer_key, ISSUER)]
    if DCC_CASE.exists():
        texts.append(json.loads(DCC_CASE.read_text())["PREFIX"])
    if SHC_EXAMPLE.exists():
        texts.append(SHC_EXAMPLE.read_text().strip())
    return texts


@FUZZ
@given(st.text(max_size=600))
def test_random_text(material: TrustMaterial, text: str) -> None:
    _check(read_code(text, material, NOW), "random text")


@FUZZ
@given(
    prefix=st.sampled_from(["GH1:", "HC1:", "shc:/", "hc1:", "GH1Ö"]), body=st.text(max_size=400)
)
def test_known_prefix_random_body(material: TrustMaterial, prefix: str, body: str) -> None:
    _check(read_code(prefix + body, material, NOW), "known prefix, random body")


@FUZZ
@given(prefix=st.sampled_from(["GH1:", "HC1:"]), payload=st.binary(max_size=600))
def test_random_bytes_in_each_envelope(
    material: TrustMaterial, prefix: str, payload: bytes
) -> None:
    for wrapped in (payload, zlib.compress(payload)):
        _check(read_code(prefix + b45encode(wrapped), material, NOW), "random compressed payload")
    _check(read_code("shc:/" + encode_digits(payload.hex()), material, NOW), "random shc digits")


@FUZZ
@given(data=st.data())
def test_mutated_valid_codes(
    material: TrustMaterial, issuer_key: Ed25519PrivateKey, data: Any
) -> None:
    sample = data.draw(st.sampled_from(_samples(issuer_key)))
    text = mutate(data, sample, ALPHABET + "0123456789abcxyz:/;Ö", max_edits=6)
    _check(read_code(text, material, NOW), "mutated valid code")


@FUZZ
@given(data=st.data())
def test_mutated_signed_bytes(
    material: TrustMaterial, issuer_key: Ed25519PrivateKey, data: Any
) -> None:
    """Flip bytes under the base45 layer, so the damage reaches zlib, COSE and CBOR."""
    text = data.draw(
        st.sampled_from([t for t in _samples(issuer_key) if t[:4] in {"GH1:", "HC1:"}])
    )
    raw = bytearray(zlib.decompress(b45decode(text[4:])))
    for _ in range(data.draw(st.integers(1, 6))):
        raw[data.draw(st.integers(0, len(raw) - 1))] = data.draw(st.integers(0, 255))
    _check(
        read_code(text[:4] + b45encode(zlib.compress(bytes(raw))), material, NOW), "mutated bytes"
    )


@pytest.mark.parametrize("prefix", ["GH1:", "HC1:"])
@pytest.mark.parametrize("size", [100_000, 2_000_000, 50_000_000])
def test_zlib_bombs(material: TrustMaterial, prefix: str, size: int) -> None:
    bomb = zlib.compress(bytes(size), 9)
    scanned = read_code(prefix + b45encode(bomb), material, NOW)
    _check(scanned, "bombs and oversized")
    assert scanned.reasons[0].code in {
        "pass.oversized",
        "dcc.oversized",
        "pass.too_long",
        "code.too_long",
    }


@pytest.mark.parametrize("size", [10_000, 1_000_000])
def test_oversized_inputs(material: TrustMaterial, size: int) -> None:
    for text in ("GH1:" + "A" * size, "shc:/" + "1" * size, "x" * size):
        _check(read_code(text, material, NOW), "bombs and oversized")


# -- the parsers one by one, on raw bytes and text --


@FUZZ
@given(st.text(max_size=300))
def test_base45(text: str) -> None:
    INPUTS["parser: base45"] += 1
    with contextlib.suppress(Base45DecodeError):
        b45decode(text)


@FUZZ
@given(st.binary(max_size=400))
def test_cbor_and_cose(data: bytes) -> None:
    INPUTS["parser: CBOR / COSE"] += 1
    for allow in (False, True):
        with contextlib.suppress(MalformedCborError):
            decode_strict(data, allow_indefinite=allow)
        with contextlib.suppress(cose.CoseError):
            cose.parse_sign1(data, lenient=allow)


@FUZZ
@given(st.binary(max_size=400))
def test_inflate(data: bytes) -> None:
    INPUTS["parser: zlib / raw DEFLATE"] += 1
    for wbits in (15, RAW_DEFLATE):
        with contextlib.suppress(InflateError):
            inflate(data, wbits=wbits)


@FUZZ
@given(st.text(alphabet="shc:/0123456789", max_size=60))
def test_shc_chunk(text: str) -> None:
    INPUTS["parser: shc chunk"] += 1
    with contextlib.suppress(NumericError):
        parse_chunk(text)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(["ver", "nam", "dob", "v", "t", "r", "fnt", "dn", "co"]),
            children,
            max_size=5,
        )
    ),
    max_leaves=15,
)


@FUZZ
@given(json_values)
def test_dcc_schema(document: object) -> None:
    INPUTS["parser: DCC schema"] += 1
    assert isinstance(schema_errors(document), list)


@FUZZ
@given(st.binary(max_size=300))
def test_signer_certificate(data: bytes) -> None:
    INPUTS["parser: X.509 signer"] += 1
    with contextlib.suppress(SignerCertificateError):
        DccSigner.from_der(data)


@FUZZ
@given(st.text(max_size=80) | st.from_regex(r"https?://[a-z./?#@:]{0,30}", fullmatch=True))
def test_issuer_url(text: str) -> None:
    INPUTS["parser: shc issuer URL"] += 1
    with contextlib.suppress(IssuerKeyError):
        assert issuer_url(text).startswith("https://")


crl_documents = (
    st.fixed_dictionaries(
        {},
        optional={
            "kid": st.just(EXAMPLE_KID) | st.text(max_size=4),
            "method": st.just("rid") | st.text(max_size=4),
            "ctr": st.integers(-2, 3) | st.booleans() | st.text(max_size=2) | st.none(),
            "rids": st.lists(
                st.from_regex(r"[A-Za-z0-9_+/=.-]{0,30}", fullmatch=True) | st.integers(),
                max_size=5,
            ),
        },
    )
    | json_values
)


@FUZZ
@given(crl_documents, st.none() | st.integers(1, 3))
def test_revocation_list(document: Any, version: int | None) -> None:
    """A list either parses or is refused with its reason; an issuer is never lost to it."""
    INPUTS["parser: shc revocation list"] += 1
    with contextlib.suppress(IssuerKeyError):
        parse_crl(EXAMPLE_KID, document, version)
    if SHC_ROOT.exists():
        jwks = json.loads((SHC_ROOT / "issuer" / ".well-known" / "jwks.json").read_text())
        issuer = issuer_from_documents(EXAMPLE_ISS, jwks, {EXAMPLE_KID: document})
        assert len(issuer.keys) == 2 and len(issuer.refused) <= 1


@FUZZ
@given(json_values, json_values)
def test_dcc_value_sets(document: Any, certificate: Any) -> None:
    INPUTS["parser: DCC value sets"] += 1
    wrapped = {"format": FORMAT, "version": "x", "value_sets": [document]}
    for data in (document, wrapped):
        with contextlib.suppress(ValueSetError):
            sets = EMPTY.updated_by(data)
            if isinstance(certificate, dict):
                assert isinstance(sets.outside(certificate, FIELDS), list)


def fuzz_summary() -> list[str]:
    if not INPUTS:
        return []
    detail = ", ".join(f"{family} {count}" for family, count in sorted(INPUTS.items()))
    return [f"Credential fuzzing: {sum(INPUTS.values())} inputs ({detail}), no crash or hang"]
