from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gatehouse.core.keys import (
    KeyFormatError,
    TrustedKey,
    TrustFileError,
    TrustStore,
    generate_issuer_key,
    key_id,
    private_key_from_pem,
    private_key_to_pem,
    public_key_from_pem,
    public_key_to_pem,
)

FROM = datetime(2024, 1, 1, tzinfo=UTC)
UNTIL = datetime(2025, 1, 1, tzinfo=UTC)


def _raw(key: Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def test_key_id_is_sha256_prefix_of_raw_public_key(issuer_key: Ed25519PrivateKey) -> None:
    expected = hashlib.sha256(_raw(issuer_key)).digest()[:8]
    assert key_id(issuer_key.public_key()) == expected


def test_generated_keys_differ() -> None:
    assert key_id(generate_issuer_key().public_key()) != key_id(generate_issuer_key().public_key())


def test_private_pem_round_trip(issuer_key: Ed25519PrivateKey) -> None:
    loaded = private_key_from_pem(private_key_to_pem(issuer_key))
    assert _raw(loaded) == _raw(issuer_key)


def test_encrypted_private_pem_round_trip(issuer_key: Ed25519PrivateKey) -> None:
    pem = private_key_to_pem(issuer_key, password=b"s3cret")
    assert b"ENCRYPTED" in pem
    assert _raw(private_key_from_pem(pem, password=b"s3cret")) == _raw(issuer_key)


def test_encrypted_private_pem_needs_password(issuer_key: Ed25519PrivateKey) -> None:
    with pytest.raises(KeyFormatError):
        private_key_from_pem(private_key_to_pem(issuer_key, password=b"s3cret"))


def test_public_pem_round_trip(issuer_key: Ed25519PrivateKey) -> None:
    loaded = public_key_from_pem(public_key_to_pem(issuer_key.public_key()))
    assert key_id(loaded) == key_id(issuer_key.public_key())


def test_pem_of_another_key_type_is_refused() -> None:
    ec_key = ec.generate_private_key(ec.SECP256R1())
    private_pem = ec_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = ec_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    with pytest.raises(KeyFormatError):
        private_key_from_pem(private_pem)
    with pytest.raises(KeyFormatError):
        public_key_from_pem(public_pem)


def test_garbage_pem_is_refused() -> None:
    with pytest.raises(KeyFormatError):
        public_key_from_pem(b"-----BEGIN PUBLIC KEY-----\nnope\n-----END PUBLIC KEY-----\n")


def test_trusted_key_computes_its_own_id(issuer_key: Ed25519PrivateKey) -> None:
    trusted = TrustedKey(issuer_key.public_key(), "Mine 3", FROM, None)
    assert trusted.key_id == key_id(issuer_key.public_key())


@pytest.mark.parametrize(
    ("moment", "valid"),
    [
        (FROM - timedelta(seconds=1), False),
        (FROM, True),
        (UNTIL - timedelta(seconds=1), True),
        (UNTIL, False),
    ],
)
def test_trusted_key_window_is_half_open(
    issuer_key: Ed25519PrivateKey, moment: datetime, valid: bool
) -> None:
    assert TrustedKey(issuer_key.public_key(), "Mine 3", FROM, UNTIL).valid_at(moment) is valid


def test_open_ended_key_stays_valid(issuer_key: Ed25519PrivateKey) -> None:
    trusted = TrustedKey(issuer_key.public_key(), "Mine 3", FROM, None)
    assert trusted.valid_at(datetime(2999, 1, 1, tzinfo=UTC))


@pytest.mark.parametrize(
    ("issuer", "valid_from", "valid_until"),
    [
        pytest.param("", FROM, None, id="empty issuer"),
        pytest.param("Mine 3", datetime(2024, 1, 1), None, id="naive from"),
        pytest.param("Mine 3", FROM, datetime(2025, 1, 1), id="naive until"),
        pytest.param("Mine 3", FROM, FROM, id="empty window"),
    ],
)
def test_trusted_key_refuses_bad_fields(
    issuer_key: Ed25519PrivateKey, issuer: str, valid_from: datetime, valid_until: datetime | None
) -> None:
    with pytest.raises(ValueError):
        TrustedKey(issuer_key.public_key(), issuer, valid_from, valid_until)


def test_candidates_returns_every_key_with_the_id(issuer_key: Ed25519PrivateKey) -> None:
    old = TrustedKey(issuer_key.public_key(), "Mine 3", FROM, UNTIL)
    renewed = TrustedKey(issuer_key.public_key(), "Mine 3", UNTIL, None)
    other = TrustedKey(generate_issuer_key().public_key(), "Mine 4", FROM, None)
    store = TrustStore((old, other, renewed))
    assert store.candidates(old.key_id) == (old, renewed)


def test_candidates_for_unknown_id_is_empty(trust: TrustStore) -> None:
    assert trust.candidates(b"\x00" * 8) == ()


def _entry(key: Ed25519PrivateKey, **changes: Any) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "issuer": "Mine 3 health office",
        "public_key": base64.b64encode(_raw(key)).decode(),
        "valid_from": "2024-01-01T00:00:00Z",
        "valid_until": None,
    }
    entry.update(changes)
    return entry


def _trust_file(*entries: dict[str, Any], version: object = 1) -> str:
    return json.dumps({"version": version, "keys": list(entries)})


def test_trust_file_parses(issuer_key: Ed25519PrivateKey) -> None:
    store = TrustStore.from_json(
        _trust_file(_entry(issuer_key, valid_until="2025-01-01T08:00:00+08:00"))
    )
    (trusted,) = store.keys
    assert trusted.key_id == key_id(issuer_key.public_key())
    assert trusted.issuer == "Mine 3 health office"
    assert trusted.valid_from == FROM
    assert trusted.valid_until == datetime(2025, 1, 1, tzinfo=UTC)
    assert trusted.valid_until.tzinfo is UTC


def test_trust_file_round_trips(issuer_key: Ed25519PrivateKey) -> None:
    store = TrustStore(
        (
            TrustedKey(issuer_key.public_key(), "Mine 3", FROM, UNTIL),
            TrustedKey(generate_issuer_key().public_key(), "煤矿四号", FROM, None),
        )
    )
    assert TrustStore.from_json(store.to_json()) == store


def test_trust_file_times_are_written_in_utc(issuer_key: Ed25519PrivateKey) -> None:
    beijing = timezone(timedelta(hours=8))
    local_from = datetime(2024, 1, 1, 8, 0, tzinfo=beijing)
    store = TrustStore((TrustedKey(issuer_key.public_key(), "Mine 3", local_from, None),))
    assert json.loads(store.to_json())["keys"][0]["valid_from"] == "2024-01-01T00:00:00+00:00"


def test_empty_trust_file_is_an_empty_store() -> None:
    assert TrustStore.from_json(_trust_file()).keys == ()


@pytest.mark.parametrize(
    "changes",
    [
        pytest.param({"key_id": "AAAAAAAAAAA="}, id="unknown field such as a key id"),
        pytest.param({"valid_untill": None}, id="misspelt field"),
        pytest.param({"issuer": 3}, id="issuer not text"),
        pytest.param({"issuer": ""}, id="issuer empty"),
        pytest.param({"public_key": "not base64!"}, id="public key not base64"),
        pytest.param({"public_key": base64.b64encode(b"x" * 31).decode()}, id="key too short"),
        pytest.param({"public_key": None}, id="key null"),
        pytest.param({"valid_from": "2024-01-01T00:00:00"}, id="naive time"),
        pytest.param({"valid_from": "New Year"}, id="not a time"),
        pytest.param({"valid_from": 1704067200}, id="epoch number"),
        pytest.param({"valid_until": "2023-12-31T00:00:00Z"}, id="until before from"),
    ],
)
def test_bad_trust_entry_is_refused(issuer_key: Ed25519PrivateKey, changes: dict[str, Any]) -> None:
    with pytest.raises(TrustFileError):
        TrustStore.from_json(_trust_file(_entry(issuer_key, **changes)))


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("{", id="not JSON"),
        pytest.param("[]", id="not an object"),
        pytest.param(_trust_file(version=2), id="unknown version"),
        pytest.param(json.dumps({"version": 1, "keys": {}}), id="keys not a list"),
        pytest.param(json.dumps({"version": 1}), id="keys missing"),
        pytest.param(json.dumps({"version": 1, "keys": [], "x": 1}), id="extra field"),
        pytest.param(json.dumps({"version": 1, "keys": ["k"]}), id="entry not an object"),
    ],
)
def test_bad_trust_file_is_refused(text: str) -> None:
    with pytest.raises(TrustFileError):
        TrustStore.from_json(text)
