"""Property tests: any claims round-trip, and no input makes verify_pass fail other than by
raising CredentialError with a catalogued reason."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import cbor2
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from gatehouse.core import models
from gatehouse.core.base45 import ALPHABET
from gatehouse.core.gatehouse_pass import CredentialError, encode_pass, verify_pass
from gatehouse.core.keys import TrustStore
from gatehouse.core.models import (
    HealthCodeColour,
    NucleicAcidTest,
    PassClaims,
    Role,
    TravelVisit,
    Vaccination,
)
from gatehouse.core.reasons import CATALOGUE

from .factories import (
    CLAIMS,
    ISSUER,
    claims_map,
    mutate,
    sign_payload,
    trust_for,
    unwrap,
    wrap,
)

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

times = st.datetimes(
    min_value=datetime(1970, 1, 1),
    max_value=datetime(9999, 12, 31, 23, 59, 59),
    timezones=st.just(UTC),
).map(lambda moment: moment.replace(microsecond=0))
texts = st.text(min_size=1, max_size=24)
nucleic_tests = st.builds(NucleicAcidTest, times, st.sampled_from(models.TestResult))


@st.composite
def pass_claims(draw: st.DrawFn) -> PassClaims:
    valid_from, valid_until = sorted(draw(st.lists(times, min_size=2, max_size=2)))
    return PassClaims(
        pass_id=draw(texts),
        holder_name=draw(texts),
        id_masked=draw(texts),
        role=draw(st.sampled_from(Role)),
        health_code=draw(st.sampled_from(HealthCodeColour)),
        health_code_checked_at=draw(times),
        test=draw(st.none() | nucleic_tests),
        travel=tuple(
            draw(
                st.lists(
                    st.builds(TravelVisit, texts, st.dates(min_value=date(1970, 1, 1))),
                    max_size=4,
                )
            )
        ),
        issued_at=draw(times),
        valid_from=valid_from,
        valid_until=valid_until,
        id_hash=draw(st.none() | st.binary(min_size=32, max_size=32).map(bytes.hex)),
        vaccination=draw(
            st.none()
            | st.builds(Vaccination, st.integers(1, 20), st.dates(min_value=date(1970, 1, 1)))
        ),
        host=draw(st.none() | texts),
        approval_id=draw(st.none() | texts),
    )


def _verifies_or_refuses(text: str, trust: TrustStore) -> None:
    try:
        verify_pass(text, trust)
    except CredentialError as refused:
        assert refused.reason.code in CATALOGUE


@given(claims=pass_claims(), issuer=texts)
def test_any_claims_round_trip(
    issuer_key: Ed25519PrivateKey, claims: PassClaims, issuer: str
) -> None:
    trust = trust_for(issuer_key, issuer=issuer, valid_from=EPOCH)
    verified = verify_pass(encode_pass(claims, issuer_key, issuer), trust)
    assert (verified.claims, verified.issuer) == (claims, issuer)


@given(st.text(max_size=300))
def test_random_text(trust: TrustStore, text: str) -> None:
    _verifies_or_refuses(text, trust)


@given(st.text(alphabet=ALPHABET, max_size=300))
def test_random_base45_after_prefix(trust: TrustStore, body: str) -> None:
    _verifies_or_refuses("GH1:" + body, trust)


@settings(max_examples=300)
@given(data=st.data())
def test_mutated_pass_text(issuer_key: Ed25519PrivateKey, trust: TrustStore, data: Any) -> None:
    text = mutate(data, encode_pass(CLAIMS, issuer_key, ISSUER), ALPHABET, max_edits=4)
    _verifies_or_refuses(text, trust)


@settings(max_examples=300)
@given(data=st.data())
def test_mutated_cose_bytes(issuer_key: Ed25519PrivateKey, trust: TrustStore, data: Any) -> None:
    cose_bytes = bytearray(unwrap(encode_pass(CLAIMS, issuer_key, ISSUER)))
    for _ in range(data.draw(st.integers(1, 4))):
        cose_bytes[data.draw(st.integers(0, len(cose_bytes) - 1))] = data.draw(st.integers(0, 255))
    _verifies_or_refuses(wrap(bytes(cose_bytes)), trust)


cbor_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats()
    | st.text(max_size=10)
    | st.binary(max_size=10),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=4) | st.integers(), children, max_size=4)
    ),
    max_leaves=12,
)


@given(
    replaced=st.dictionaries(
        st.sampled_from(
            [
                "v",
                "id",
                "n",
                "r",
                "hc",
                "hct",
                "t",
                "tr",
                "iat",
                "nbf",
                "exp",
                "iss",
                "ih",
                "vx",
                "ho",
                "ap",
            ]
        ),
        cbor_values,
        max_size=3,
    )
)
def test_signed_payload_with_random_claim_values(
    issuer_key: Ed25519PrivateKey, trust: TrustStore, replaced: dict[str, Any]
) -> None:
    payload = cbor2.dumps({**claims_map(), **replaced})
    _verifies_or_refuses(sign_payload(payload, issuer_key), trust)


@given(payload=cbor_values)
def test_signed_random_payload(
    issuer_key: Ed25519PrivateKey, trust: TrustStore, payload: object
) -> None:
    _verifies_or_refuses(sign_payload(cbor2.dumps(payload), issuer_key), trust)
