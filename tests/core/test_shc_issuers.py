"""SMART Health Card trust per issuer, from the framework's own rules.

- "iss": the issuer URL, https, no trailing slash; a card is verified only with a key from the
  JWKS published for that issuer (``<iss>/.well-known/jwks.json``).
- Revocation: a key with ``crlVersion`` has the list ``<iss>/.well-known/crl/<kid>.json`` with
  ``ctr`` equal to it; each rid is base64url of at most 24 characters, optionally
  ``.<revocation time>``. A malformed list is refused and the last good one stays in force.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from gatehouse.core.models import Outcome
from gatehouse.core.shc.card import ShcError, read_shc
from gatehouse.core.shc.issuers import (
    IssuerKeyError,
    ShcIssuer,
    issuer_from_jwks,
    issuer_url,
    parse_crl,
)

from .factories import NOW
from .shc_factory import card, crl, jwk, jwks

A = "https://a.example.org/issuer"
B = "https://b.example.org"


def _key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def _codes(text: str, issuers: list[ShcIssuer]) -> list[str]:
    return [problem.code for problem in read_shc(text, issuers, NOW).problems]


# -- issuer binding --


def test_card_signed_by_one_issuer_claiming_another_is_refused() -> None:
    a_key, b_key = _key(), _key()
    trusted = [issuer_from_jwks(A, jwks(jwk(a_key))), issuer_from_jwks(B, jwks(jwk(b_key)))]
    forged = read_shc(card(a_key, B), trusted, NOW)
    assert [problem.code for problem in forged.problems] == ["shc.wrong_issuer"]
    assert forged.problems[0].outcome is Outcome.TURN_AWAY
    assert forged.issuer is None  # nothing the card claims is shown as its issuer
    genuine = read_shc(card(b_key, B), trusted, NOW)
    assert genuine.verified and genuine.issuer == B


def test_card_claiming_an_untrusted_issuer_with_a_trusted_key_is_refused() -> None:
    a_key = _key()
    trusted = [issuer_from_jwks(A, jwks(jwk(a_key)))]
    assert _codes(card(a_key, "https://evil.example"), trusted) == ["shc.wrong_issuer"]


def test_same_kid_in_two_issuers_is_checked_against_the_claimed_one() -> None:
    key = _key()  # one key published by two issuers: either may issue with it
    trusted = [issuer_from_jwks(A, jwks(jwk(key))), issuer_from_jwks(B, jwks(jwk(key)))]
    assert read_shc(card(key, B), trusted, NOW).issuer == B


BAD_ISS = [
    "http://a.example.org/issuer",  # not https
    "https://a.example.org/issuer/",  # trailing slash
    "https://a.example.org/",  # trailing slash on a bare host
    "a.example.org/issuer",  # no scheme
    "issuer A",  # not a URL
    "https:///issuer",  # no host
    "https://user@a.example.org/issuer",  # credentials
    "https://a.example.org/issuer?x=1",  # query
    "https://a.example.org/issuer#k",  # fragment
    "",
]


@pytest.mark.parametrize("iss", BAD_ISS)
def test_card_with_an_iss_the_framework_forbids_is_refused(iss: str) -> None:
    key = _key()
    # Even trust material holding that very string (built bypassing the loader) does not help.
    trusted = [ShcIssuer(iss, issuer_from_jwks(A, jwks(jwk(key))).keys)]
    assert _codes(card(key, iss), trusted) == ["shc.bad_issuer"]


@pytest.mark.parametrize("iss", BAD_ISS)
def test_trust_with_an_iss_the_framework_forbids_is_refused(iss: str) -> None:
    with pytest.raises(IssuerKeyError):
        issuer_from_jwks(iss, jwks(jwk(_key())))


@pytest.mark.parametrize("iss", [A, B, "https://spec.smarthealth.cards/examples/issuer"])
def test_good_issuer_urls(iss: str) -> None:
    assert issuer_url(iss) == iss


def test_one_bad_key_leaves_the_other_keys_in_force() -> None:
    good, other = _key(), _key()
    broken = {**jwk(other), "kid": "not-the-thumbprint"}
    issuer = issuer_from_jwks(A, jwks(broken, jwk(good)))
    assert [key.kid for key in issuer.keys] == [jwk(good)["kid"]]
    assert len(issuer.refused) == 1 and "thumbprint" in issuer.refused[0]
    assert read_shc(card(good, A), [issuer], NOW).verified


def test_card_rid_must_be_base64url_of_at_most_24_characters() -> None:
    key = _key()
    trusted = [issuer_from_jwks(A, jwks(jwk(key)))]
    assert read_shc(card(key, A, rid="a" * 24), trusted, NOW).verified
    for rid in ("a" * 25, "not+base64", "", 7):
        with pytest.raises(ShcError) as raised:
            read_shc(card(key, A, rid=rid), trusted, NOW)
        assert raised.value.reason.code == "shc.payload_invalid"


# -- revocation lists --


def test_revoked_rid_and_cut_off() -> None:
    key = _key()
    lists = {jwk(key)["kid"]: crl(key, 1, "gone", "later.1600000001", "before.1600000000")}
    trusted = [issuer_from_jwks(A, jwks(jwk(key, crlVersion=1)), lists)]
    assert _codes(card(key, A, rid="gone"), trusted) == ["shc.revoked"]
    assert _codes(card(key, A, rid="later"), trusted) == ["shc.revoked"]  # issued before
    assert _codes(card(key, A, rid="before"), trusted) == []  # issued at the cut-off
    assert _codes(card(key, A, rid="other"), trusted) == []


MALFORMED: dict[str, Callable[[ec.EllipticCurvePrivateKey], str]] = {
    "rid not base64url": lambda key: crl(key, 1, "ab+c/"),
    "rid too long": lambda key: crl(key, 1, "a" * 25),
    "duplicate rid": lambda key: crl(key, 1, "same", "same.1600000000"),
    "counter not crlVersion": lambda key: crl(key, 2, "x"),
    "no counter": lambda key: json.dumps({**json.loads(crl(key, 1)), "ctr": None}),
    "counter not an integer": lambda key: json.dumps({**json.loads(crl(key, 1)), "ctr": "1"}),
    "rid not text": lambda key: crl(key, 1, 17),
    "empty rid": lambda key: crl(key, 1, ""),
    "bad revocation time": lambda key: crl(key, 1, "x.soon"),
    "other method": lambda key: json.dumps({**json.loads(crl(key, 1)), "method": "x"}),
    "for another key": lambda key: crl(_key(), 1, "x"),
    "not JSON": lambda key: "{",
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_revocation_list_is_refused_and_the_last_good_stays(case: str) -> None:
    key = _key()
    kid = jwk(key)["kid"]
    public = jwks(jwk(key, crlVersion=1))
    before = issuer_from_jwks(A, public, {kid: crl(key, 1, "gone")})
    kept = before.keys[0].crl
    assert kept is not None
    after = issuer_from_jwks(A, public, {kid: MALFORMED[case](key)}, {kid: kept})
    assert len(after.refused) == 1 and "stays in force" in after.refused[0]
    assert _codes(card(key, A, rid="gone"), [after]) == ["shc.revoked"]


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_revocation_list_with_none_kept_leaves_revocation_unchecked(case: str) -> None:
    key = _key()
    kid = jwk(key)["kid"]
    issuer = issuer_from_jwks(A, jwks(jwk(key, crlVersion=1)), {kid: MALFORMED[case](key)})
    assert issuer.refused and "no list in force" in issuer.refused[0]
    reading = read_shc(card(key, A, rid="gone"), [issuer], NOW)
    assert [problem.code for problem in reading.problems] == ["shc.revocation_unchecked"]
    assert reading.problems[0].outcome is Outcome.REFER


def test_older_list_is_refused() -> None:
    key = _key()
    kid = jwk(key)["kid"]
    newer = issuer_from_jwks(A, jwks(jwk(key, crlVersion=3)), {kid: crl(key, 3, "gone")})
    kept = newer.keys[0].crl
    assert kept is not None
    replayed = issuer_from_jwks(A, jwks(jwk(key, crlVersion=2)), {kid: crl(key, 2)}, {kid: kept})
    assert "older than the list in force" in replayed.refused[0]
    assert _codes(card(key, A, rid="gone"), [replayed]) == ["shc.revoked"]


def test_key_with_crl_version_but_no_list_cannot_clear_a_card_with_a_rid() -> None:
    key = _key()
    issuer = issuer_from_jwks(A, jwks(jwk(key, crlVersion=1)))
    assert _codes(card(key, A, rid="r1"), [issuer]) == ["shc.revocation_unchecked"]
    assert _codes(card(key, A), [issuer]) == []  # no rid: the issuer cannot revoke it by rid


def test_list_behind_the_key_crl_version_leaves_revocation_unchecked() -> None:
    key = _key()
    kid = jwk(key)["kid"]
    kept = {kid: parse_crl(kid, json.loads(crl(key, 1, "gone")))}
    issuer = issuer_from_jwks(A, jwks(jwk(key, crlVersion=2)), None, kept)
    assert _codes(card(key, A, rid="gone"), [issuer]) == ["shc.revoked"]
    assert _codes(card(key, A, rid="other"), [issuer]) == ["shc.revocation_unchecked"]


@pytest.mark.parametrize("version", [0, -1, "1", 1.5, True])
def test_key_with_a_bad_crl_version_is_refused(version: object) -> None:
    with pytest.raises(IssuerKeyError, match="crlVersion"):
        issuer_from_jwks(A, jwks(jwk(_key(), crlVersion=version)))


# -- the keys themselves --


def _x5c(key: ec.EllipticCurvePrivateKey, holder: ec.EllipticCurvePrivateKey, uri: str) -> str:
    """A self-signed leaf certificate for ``holder``'s public key naming ``uri``."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "issuer")])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(holder.public_key())
        .serial_number(1)
        .not_valid_before(NOW - timedelta(days=1))
        .not_valid_after(NOW + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.UniformResourceIdentifier(uri)]), critical=False
        )
        .sign(key, hashes.SHA256())
    )
    return base64.b64encode(certificate.public_bytes(serialization.Encoding.DER)).decode()


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ({"d": "AAAA"}, "private key"),
        ({"use": "enc"}, "use sig"),
        ({"alg": "ES384"}, "alg ES256"),
        ({"use": None}, "use sig"),
        ({"x5c": "not a list"}, "x5c must be"),
        ({"x5c": ["bm90IGEgY2VydA=="]}, "not a certificate"),
    ],
)
def test_a_key_the_framework_forbids_is_refused(change: dict[str, Any], why: str) -> None:
    key = _key()
    entry = {name: value for name, value in {**jwk(key), **change}.items() if value is not None}
    with pytest.raises(IssuerKeyError, match=why):
        issuer_from_jwks(A, jwks(entry))


def test_x5c_must_hold_the_key_and_name_the_issuer() -> None:
    key, other = _key(), _key()
    good = jwk(key, x5c=[_x5c(key, key, A)])
    assert issuer_from_jwks(A, jwks(good)).keys[0].kid == good["kid"]
    with pytest.raises(IssuerKeyError, match="not for issuer"):
        issuer_from_jwks(B, jwks(good))  # the certificate names A: this JWKS cannot be B's
    with pytest.raises(IssuerKeyError, match="another key"):
        issuer_from_jwks(A, jwks(jwk(key, x5c=[_x5c(other, other, A)])))
