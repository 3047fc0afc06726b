"""The signed trust list: only the office's root key makes one; rotation and revocation."""

from __future__ import annotations

import base64
import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gatehouse.core import cose
from gatehouse.core.gatehouse_pass import CredentialError, encode_pass, verify_pass
from gatehouse.core.keys import TrustedKey, TrustStore, fingerprint, generate_issuer_key
from gatehouse.core.trust_list import (
    TrustList,
    TrustListError,
    sign_trust_list,
    verify_trust_list,
)

from .factories import CLAIMS, ISSUER, KEY_FROM, claims

ISSUED = datetime(2024, 4, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def root() -> Ed25519PrivateKey:
    return generate_issuer_key()


def _list(*keys: TrustedKey, sequence: int = 7, **revoked: frozenset[object]) -> TrustList:
    # each test names one revocation set, of the type TrustStore takes for it
    return TrustList(sequence, ISSUED, TrustStore(keys, **revoked))  # type: ignore[arg-type]


def _key(private: Ed25519PrivateKey, **changes: Any) -> TrustedKey:
    key = TrustedKey(private.public_key(), ISSUER, KEY_FROM, None)
    return replace(key, **changes) if changes else key


def test_round_trip(root: Ed25519PrivateKey, issuer_key: Ed25519PrivateKey) -> None:
    revoked = frozenset({fingerprint(generate_issuer_key().public_key())})
    original = _list(_key(issuer_key), revoked_keys=revoked, revoked_pass_ids=frozenset({"P-1"}))
    loaded = verify_trust_list(sign_trust_list(original, root), [root.public_key()])
    assert loaded == original


def test_list_signed_by_another_key_is_refused(
    root: Ed25519PrivateKey, issuer_key: Ed25519PrivateKey
) -> None:
    forged = sign_trust_list(_list(_key(issuer_key)), generate_issuer_key())
    with pytest.raises(TrustListError, match="no trusted root key"):
        verify_trust_list(forged, [root.public_key()])


def test_forger_using_the_roots_key_id_is_still_refused(
    root: Ed25519PrivateKey, issuer_key: Ed25519PrivateKey
) -> None:
    """Verified with the key, never matched by id: a kid copied from the root proves nothing."""
    forger = generate_issuer_key()
    payload = base64.b64decode(json.loads(sign_trust_list(_list(_key(issuer_key)), root))["signed"])
    genuine = cose.parse_sign1(payload)
    forged = cose.sign1(genuine.payload, forger, genuine.kid)
    text = json.dumps({"gatehouse_trust_list": 1, "signed": base64.b64encode(forged).decode()})
    with pytest.raises(TrustListError):
        verify_trust_list(text, [root.public_key()])


def test_tampered_content_is_refused(
    root: Ed25519PrivateKey, issuer_key: Ed25519PrivateKey
) -> None:
    envelope = json.loads(sign_trust_list(_list(_key(issuer_key)), root))
    signed = bytearray(base64.b64decode(envelope["signed"]))
    signed[signed.index(b'"sequence": 7') + 12] = ord("8")
    envelope["signed"] = base64.b64encode(bytes(signed)).decode()
    with pytest.raises(TrustListError):
        verify_trust_list(json.dumps(envelope), [root.public_key()])


def test_only_a_higher_sequence_supersedes() -> None:
    current = _list(sequence=7)
    assert _list(sequence=8).supersedes(current)
    assert not _list(sequence=7).supersedes(current)
    assert not _list(sequence=6).supersedes(current)
    assert current.supersedes(None)


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        '{"gatehouse_trust_list": 2, "signed": ""}',
        '{"gatehouse_trust_list": 1, "signed": "!!"}',
        '{"gatehouse_trust_list": 1, "signed": "", "extra": 1}',
        '{"gatehouse_trust_list": 1, "gatehouse_trust_list": 1, "signed": ""}',
    ],
)
def test_malformed_files_are_refused(text: str, root: Ed25519PrivateKey) -> None:
    with pytest.raises(TrustListError):
        verify_trust_list(text, [root.public_key()])


# -- what the list does to passes --


def test_rotation_old_passes_stay_valid_new_key_takes_over(issuer_key: Ed25519PrivateKey) -> None:
    successor = generate_issuer_key()
    rotated_at = CLAIMS.issued_at + timedelta(days=1)
    store = TrustStore(
        (_key(issuer_key, valid_until=rotated_at), _key(successor, valid_from=rotated_at))
    )
    assert verify_pass(encode_pass(CLAIMS, issuer_key, ISSUER), store).claims == CLAIMS
    later = claims(issued_at=rotated_at + timedelta(hours=1))
    assert verify_pass(encode_pass(later, successor, ISSUER), store).claims == later
    with pytest.raises(CredentialError) as raised:
        verify_pass(encode_pass(later, issuer_key, ISSUER), store)
    assert raised.value.reason.code == "pass.key_not_valid"


def test_revoked_key_refuses_even_passes_issued_before(issuer_key: Ed25519PrivateKey) -> None:
    store = TrustStore(
        (_key(issuer_key),), revoked_keys=frozenset({fingerprint(issuer_key.public_key())})
    )
    with pytest.raises(CredentialError) as raised:
        verify_pass(encode_pass(CLAIMS, issuer_key, ISSUER), store)
    assert raised.value.reason.code == "pass.key_revoked"


def test_revoked_pass_id_refuses_that_pass_only(issuer_key: Ed25519PrivateKey) -> None:
    store = TrustStore((_key(issuer_key),), revoked_pass_ids=frozenset({CLAIMS.pass_id}))
    with pytest.raises(CredentialError) as raised:
        verify_pass(encode_pass(CLAIMS, issuer_key, ISSUER), store)
    assert (raised.value.reason.code, raised.value.reason.params) == (
        "pass.revoked",
        {"pass_id": CLAIMS.pass_id},
    )
    other = claims(pass_id="P-2024-000124")
    assert verify_pass(encode_pass(other, issuer_key, ISSUER), store).claims == other
