"""SMART Health Cards: the four published examples, chunking, keys, revocation, damage."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from gatehouse.core.shc.card import ShcError, read_shc
from gatehouse.core.shc.issuers import (
    IssuerKeyError,
    ShcIssuer,
    issuer_from_jwks,
    parse_crl,
    thumbprint,
)
from gatehouse.core.shc.numeric import encode_digits

from .shared_testdata import SHC_ROOT
from .shc_factory import b64, card_text, jwk, jwks, raw_deflate

pytestmark = pytest.mark.skipif(not SHC_ROOT.exists(), reason="shared/testdata is missing")
ISS = "https://spec.smarthealth.cards/examples/issuer"
WELL_KNOWN = SHC_ROOT / "issuer" / ".well-known"
NOW = datetime(2024, 1, 1, tzinfo=UTC)


def _chunks(example: int) -> list[str]:
    paths = sorted(SHC_ROOT.glob(f"example-{example:02d}-f-qr-code-numeric-value-*.txt"))
    return [path.read_text().strip() for path in paths]


@pytest.fixture(scope="module")
def issuer() -> ShcIssuer:
    crls = {path.stem: path.read_text() for path in (WELL_KNOWN / "crl").glob("*.json")}
    return issuer_from_jwks(ISS, (WELL_KNOWN / "jwks.json").read_text(), crls)


@pytest.mark.parametrize("example", [0, 1, 2])
def test_published_examples_verify(example: int, issuer: ShcIssuer) -> None:
    reading = read_shc("\n".join(_chunks(example)), [issuer], NOW)
    assert reading.verified, reading.problems
    assert reading.issuer == ISS


def test_example_03_is_refused_as_revoked(issuer: ShcIssuer) -> None:
    reading = read_shc("\n".join(_chunks(3)), [issuer], NOW)
    assert [problem.code for problem in reading.problems] == ["shc.revoked"]
    assert reading.claims["patients"][0]["family"] == "Revoked"


def test_chunks_assemble_in_any_scan_order(issuer: ShcIssuer) -> None:
    assert read_shc("\n".join(reversed(_chunks(2))), [issuer], NOW).verified


def test_missing_chunk_says_how_many_were_scanned(issuer: ShcIssuer) -> None:
    with pytest.raises(ShcError) as raised:
        read_shc("\n".join(_chunks(2)[:2]), [issuer], NOW)
    assert (raised.value.reason.code, raised.value.reason.params) == (
        "shc.chunk_incomplete",
        {"scanned": 2, "total": 3},
    )


def test_unknown_issuer_key(issuer: ShcIssuer) -> None:
    reading = read_shc(_chunks(0)[0], [], NOW)
    assert [problem.code for problem in reading.problems] == ["shc.unknown_key"]


def test_keys_of_another_issuer_url_are_not_used(issuer: ShcIssuer) -> None:
    other = ShcIssuer("https://other.example/issuer", issuer.keys)
    reading = read_shc(_chunks(0)[0], [other], NOW)
    assert [problem.code for problem in reading.problems] == ["shc.wrong_issuer"]
    assert reading.issuer is None


def test_card_issued_after_now_is_not_yet_valid(issuer: ShcIssuer) -> None:
    reading = read_shc(_chunks(0)[0], [issuer], datetime(2020, 1, 1, tzinfo=UTC))
    assert [problem.code for problem in reading.problems] == ["shc.not_yet_valid"]


def test_revocation_with_cut_off_spares_later_cards() -> None:
    revoked = parse_crl("k", {"kid": "k", "method": "rid", "ctr": 1, "rids": ["abc.100", "x"]})
    assert revoked.revokes("abc", 99) and not revoked.revokes("abc", 100)
    assert revoked.revokes("x", 10**12) and not revoked.revokes("y", 0)


def test_jwks_kid_must_be_the_thumbprint() -> None:
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    numbers = key.public_numbers()
    entry = {
        "kty": "EC",
        "crv": "P-256",
        "kid": "not-the-thumbprint",
        "use": "sig",
        "alg": "ES256",
        "x": b64(numbers.x.to_bytes(32, "big")),
        "y": b64(numbers.y.to_bytes(32, "big")),
    }
    with pytest.raises(IssuerKeyError, match="thumbprint"):
        issuer_from_jwks(ISS, json.dumps({"keys": [entry]}))
    entry["kid"] = thumbprint(key)
    assert issuer_from_jwks(ISS, json.dumps({"keys": [entry]})).keys[0].kid == entry["kid"]


# -- hand-made cards, signed with a key of our own --


def _issuer_and_signer() -> tuple[ShcIssuer, ec.EllipticCurvePrivateKey]:
    private = ec.generate_private_key(ec.SECP256R1())
    return issuer_from_jwks(ISS, jwks(jwk(private))), private


def test_own_card_round_trip() -> None:
    issuer, private = _issuer_and_signer()
    card = {"iss": ISS, "nbf": 1_600_000_000, "vc": {"type": ["x"], "rid": "r1"}}
    text = card_text(private, raw_deflate(json.dumps(card).encode()))
    assert read_shc(text, [issuer], NOW).verified


def test_deflate_bomb_is_refused_as_oversized() -> None:
    issuer, private = _issuer_and_signer()
    bomb = raw_deflate(b"[" * 5_000_000)
    with pytest.raises(ShcError) as raised:
        read_shc(card_text(private, bomb), [issuer], NOW)
    assert raised.value.reason.code == "shc.oversized"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("shc:/123", "shc.bad_numeric"),  # odd number of digits
        ("shc:/99", "shc.bad_numeric"),  # beyond 'z'
        ("shc:/2/1/00", "shc.bad_numeric"),  # chunk 2 of 1
        ("shc:/" + encode_digits("a.b"), "shc.malformed"),
        ("shc:/" + encode_digits("e30.e30.e30"), "shc.unsupported_algorithm"),  # {} header
    ],
)
def test_damaged_cards_are_refused_with_a_reason(text: str, code: str) -> None:
    with pytest.raises(ShcError) as raised:
        read_shc(text, [], NOW)
    assert raised.value.reason.code == code
