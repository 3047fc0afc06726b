from __future__ import annotations

import hashlib
import time
import zlib
from datetime import UTC, date, datetime, timedelta, timezone

import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gatehouse.core.base45 import b45encode
from gatehouse.core.gatehouse_pass import MAX_TEXT_LENGTH, CredentialError, encode_pass, verify_pass
from gatehouse.core.keys import TrustedKey, TrustStore, generate_issuer_key, key_id
from gatehouse.core.models import Outcome, Role, Vaccination
from gatehouse.core.pass_claims import encode_claims
from gatehouse.core.reasons import Reason

from .factories import (
    CLAIMS,
    ISSUER,
    KEY_FROM,
    NOW,
    claims,
    claims_map,
    sign_payload,
    trust_for,
    unwrap,
    wrap,
)


def _incompressible_text(length: int) -> str:
    digests = (hashlib.sha256(str(i).encode()).hexdigest() for i in range(length // 64 + 1))
    return "".join(digests)[:length]


def _refusal(text: str, trust: TrustStore) -> Reason:
    with pytest.raises(CredentialError) as raised:
        verify_pass(text, trust)
    assert raised.value.reason.outcome is Outcome.TURN_AWAY
    return raised.value.reason


@pytest.fixture(scope="module")
def text(issuer_key: Ed25519PrivateKey) -> str:
    return encode_pass(CLAIMS, issuer_key, ISSUER)


# -- passes that verify --


def test_round_trip(text: str, trust: TrustStore, issuer_key: Ed25519PrivateKey) -> None:
    verified = verify_pass(text, trust)
    assert verified.claims == CLAIMS
    assert verified.issuer == ISSUER
    assert verified.key_id == key_id(issuer_key.public_key())


def test_text_is_prefix_and_qr_alphanumeric(text: str) -> None:
    assert text.startswith("GH1:")
    assert set(text) <= set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")


def test_pass_without_test_or_travel(issuer_key: Ed25519PrivateKey, trust: TrustStore) -> None:
    bare = claims(test=None, travel=())
    assert verify_pass(encode_pass(bare, issuer_key, ISSUER), trust).claims == bare


def test_times_become_utc_whole_seconds(issuer_key: Ed25519PrivateKey, trust: TrustStore) -> None:
    beijing = datetime(2024, 5, 1, 15, 0, 0, 999_999, tzinfo=timezone(timedelta(hours=8)))
    verified = verify_pass(encode_pass(claims(issued_at=beijing), issuer_key, ISSUER), trust)
    assert verified.claims.issued_at == datetime(2024, 5, 1, 7, 0, 0, tzinfo=UTC)
    assert verified.claims.issued_at.tzinfo is UTC


def test_expired_pass_still_verifies(issuer_key: Ed25519PrivateKey, trust: TrustStore) -> None:
    """Validity against now is the decision's job, not verification's."""
    old = claims(valid_from=NOW - timedelta(days=30), valid_until=NOW - timedelta(days=20))
    assert verify_pass(encode_pass(old, issuer_key, ISSUER), trust).claims == old


def test_trailing_newline_from_scanner_is_ignored(text: str, trust: TrustStore) -> None:
    assert verify_pass(text + "\r\n", trust).claims == CLAIMS


def test_renewed_key_entry_in_window_is_used(issuer_key: Ed25519PrivateKey) -> None:
    public = issuer_key.public_key()
    expired = TrustedKey(public, "Old label", KEY_FROM - timedelta(days=400), KEY_FROM)
    current = TrustedKey(public, ISSUER, KEY_FROM, None)
    verified = verify_pass(encode_pass(CLAIMS, issuer_key, ISSUER), TrustStore((expired, current)))
    assert verified.issuer == ISSUER


def test_unknown_claims_are_ignored(issuer_key: Ed25519PrivateKey, trust: TrustStore) -> None:
    text = sign_payload(cbor2.dumps(claims_map(x_future="ok")), issuer_key)
    assert verify_pass(text, trust).claims == CLAIMS


# -- encoding refuses what no booth would accept --


def test_encode_refuses_naive_times(issuer_key: Ed25519PrivateKey) -> None:
    with pytest.raises(ValueError):
        encode_pass(claims(issued_at=datetime(2024, 5, 1)), issuer_key, ISSUER)


def test_encode_refuses_empty_fields(issuer_key: Ed25519PrivateKey) -> None:
    with pytest.raises(ValueError):
        encode_pass(claims(pass_id=""), issuer_key, ISSUER)


def test_encode_refuses_pass_too_big_to_scan(issuer_key: Ed25519PrivateKey) -> None:
    with pytest.raises(ValueError):
        encode_pass(claims(id_masked=_incompressible_text(6000)), issuer_key, ISSUER)


# -- not a Gatehouse pass --


@pytest.mark.parametrize("prefix", ["HC1:", "shc:/", "NZCP:/"])
def test_other_known_code_is_named(prefix: str, trust: TrustStore) -> None:
    refusal = _refusal(prefix + "6BFOXN%TS3DH", trust)
    assert refusal.code == "pass.other_kind"
    assert refusal.params == {"prefix": prefix}


@pytest.mark.parametrize("text", ["", "hello", "https://example.com/", "gh1:BB8", "GH1BB8"])
def test_unknown_text_is_not_a_pass(text: str, trust: TrustStore) -> None:
    assert _refusal(text, trust).code == "pass.not_gatehouse"


def test_future_pass_version_is_named(trust: TrustStore) -> None:
    refusal = _refusal("GH2:BB8", trust)
    assert (refusal.code, refusal.params) == ("pass.unsupported_version", {"version": "2"})


def test_overlong_text_is_refused_before_decoding(trust: TrustStore) -> None:
    refusal = _refusal("GH1:" + "0" * MAX_TEXT_LENGTH, trust)
    assert refusal.code == "pass.too_long"


# -- damaged codes --


def test_bad_base45(trust: TrustStore) -> None:
    assert _refusal("GH1:bb8", trust).code == "pass.bad_base45"


def test_not_zlib(trust: TrustStore) -> None:
    assert _refusal("GH1:" + b45encode(b"plain bytes"), trust).code == "pass.bad_compression"


def test_truncated_zlib(text: str, trust: TrustStore) -> None:
    truncated = zlib.compress(unwrap(text), 9)[:-10]
    assert _refusal("GH1:" + b45encode(truncated), trust).code == "pass.bad_compression"


def test_data_after_zlib_stream(text: str, trust: TrustStore) -> None:
    padded = zlib.compress(unwrap(text), 9) + b"\x00"
    assert _refusal("GH1:" + b45encode(padded), trust).code == "pass.bad_compression"


def test_zlib_bomb_is_refused_quickly_as_oversized(trust: TrustStore) -> None:
    bomb = wrap(bytes(2_000_000))  # the biggest bomb that still fits the text limit
    assert len(bomb) <= MAX_TEXT_LENGTH
    started = time.perf_counter()
    refusal = _refusal(bomb, trust)
    assert time.perf_counter() - started < 0.5
    assert refusal.code == "pass.oversized"


def test_ten_megabyte_bomb_is_refused_quickly(trust: TrustStore) -> None:
    started = time.perf_counter()
    refusal = _refusal(wrap(bytes(10_000_000)), trust)
    assert time.perf_counter() - started < 0.5
    assert refusal.code == "pass.too_long"


def test_not_cose(trust: TrustStore) -> None:
    assert _refusal(wrap(cbor2.dumps({"v": 1})), trust).code == "pass.malformed"


def test_unsupported_algorithm(trust: TrustStore) -> None:
    protected = cbor2.dumps({1: -7, 4: b"12345678"})
    text = wrap(cbor2.dumps(cbor2.CBORTag(18, [protected, {}, b"{}", b"sig"])))
    refusal = _refusal(text, trust)
    assert (refusal.code, refusal.params) == ("pass.unsupported_algorithm", {"alg": -7})


# -- signature and key --


def test_unknown_key(text: str) -> None:
    refusal = _refusal(text, trust_for(generate_issuer_key()))
    assert refusal.code == "pass.unknown_key"


def test_forged_pass_with_trusted_kid_is_signature_invalid(
    issuer_key: Ed25519PrivateKey, trust: TrustStore
) -> None:
    forger = generate_issuer_key()
    payload = encode_claims(CLAIMS, ISSUER)
    forged = sign_payload(payload, forger, kid=key_id(issuer_key.public_key()))
    assert _refusal(forged, trust).code == "pass.signature_invalid"


def test_tampered_payload_byte_is_signature_invalid(text: str, trust: TrustStore) -> None:
    message = cbor2.loads(unwrap(text))
    protected, unprotected, payload, signature = message.value
    tampered = payload.replace(b"P-2024-000123", b"P-2024-000124")
    assert tampered != payload
    retagged = cbor2.CBORTag(18, [protected, unprotected, tampered, signature])
    assert _refusal(wrap(cbor2.dumps(retagged)), trust).code == "pass.signature_invalid"


@pytest.mark.parametrize(
    ("valid_from", "valid_until"),
    [
        pytest.param(CLAIMS.issued_at + timedelta(seconds=1), None, id="key starts after iat"),
        pytest.param(KEY_FROM, CLAIMS.issued_at, id="key ended at iat"),
    ],
)
def test_key_outside_its_window_at_issue(
    issuer_key: Ed25519PrivateKey, valid_from: datetime, valid_until: datetime | None
) -> None:
    trust = trust_for(issuer_key, valid_from=valid_from, valid_until=valid_until)
    refusal = _refusal(encode_pass(CLAIMS, issuer_key, ISSUER), trust)
    assert refusal.code == "pass.key_not_valid"


def test_key_valid_from_exactly_iat_is_accepted(issuer_key: Ed25519PrivateKey) -> None:
    trust = trust_for(issuer_key, valid_from=CLAIMS.issued_at)
    assert verify_pass(encode_pass(CLAIMS, issuer_key, ISSUER), trust).claims == CLAIMS


def test_issuer_claim_must_match_trusted_label(issuer_key: Ed25519PrivateKey) -> None:
    text = encode_pass(CLAIMS, issuer_key, "Some other office")
    refusal = _refusal(text, trust_for(issuer_key))
    assert refusal.code == "pass.issuer_mismatch"


# -- claims --


@pytest.mark.parametrize("name", ["v", "id", "n", "im", "r", "hc", "hct", "tr", "iat", "exp"])
def test_missing_claim_is_named(
    name: str, issuer_key: Ed25519PrivateKey, trust: TrustStore
) -> None:
    text = sign_payload(cbor2.dumps(claims_map(**{name: None})), issuer_key)
    refusal = _refusal(text, trust)
    assert (refusal.code, refusal.params) == ("pass.claim_missing", {"field": name})


def test_missing_test_result_is_named(issuer_key: Ed25519PrivateKey, trust: TrustStore) -> None:
    text = sign_payload(cbor2.dumps(claims_map(t={"s": 1714500000})), issuer_key)
    refusal = _refusal(text, trust)
    assert (refusal.code, refusal.params) == ("pass.claim_missing", {"field": "t.r"})


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"v": 2}, "v"),
        ({"v": True}, "v"),
        ({"id": ""}, "id"),
        ({"n": 7}, "n"),
        ({"r": "miner"}, "r"),
        ({"hc": "blue"}, "hc"),
        ({"hct": -1}, "hct"),
        ({"hct": 1.5}, "hct"),
        ({"iat": 10**20}, "iat"),
        ({"t": {"s": "yesterday", "r": "negative"}}, "t.s"),
        ({"t": {"s": 1714500000, "r": "inconclusive"}}, "t.r"),
        ({"t": [1714500000, "negative"]}, "t"),
        ({"tr": "110000"}, "tr"),
        ({"tr": [["110000", 19800], ["320100"]]}, "tr[1]"),
        ({"tr": [[110000, 19800]]}, "tr[0]"),
        ({"tr": [["110000", -1]]}, "tr[0]"),
        ({"exp": 1714500000, "nbf": 1714600000}, "exp"),
        ({"iss": ""}, "iss"),
        ({"ik": b"\x01" * 7}, "ik"),
        ({"ik": "0123456789abcdef"}, "ik"),
    ],
)
def test_invalid_claim_is_named(
    changes: dict[str, object], field: str, issuer_key: Ed25519PrivateKey, trust: TrustStore
) -> None:
    text = sign_payload(cbor2.dumps(claims_map(**changes)), issuer_key)
    refusal = _refusal(text, trust)
    assert (refusal.code, refusal.params) == ("pass.claim_invalid", {"field": field})


def test_payload_not_a_map(issuer_key: Ed25519PrivateKey, trust: TrustStore) -> None:
    refusal = _refusal(sign_payload(cbor2.dumps([1, 2]), issuer_key), trust)
    assert (refusal.code, refusal.params) == ("pass.claim_invalid", {"field": "payload"})


def test_payload_not_cbor(issuer_key: Ed25519PrivateKey, trust: TrustStore) -> None:
    assert _refusal(sign_payload(b"\xff", issuer_key), trust).code == "pass.malformed"


def test_holder_name_never_in_refusal(issuer_key: Ed25519PrivateKey, trust: TrustStore) -> None:
    text = sign_payload(cbor2.dumps(claims_map(r="miner")), issuer_key)
    refusal = _refusal(text, trust)
    assert CLAIMS.holder_name not in repr(refusal)


# -- optional v1 claims: keyed ID hash, vaccination, host and approval --

ID_HASH = "ab" * 32


def test_optional_claims_round_trip(issuer_key: Ed25519PrivateKey, trust: TrustStore) -> None:
    full = claims(
        role=Role.VISITOR,
        id_hash=ID_HASH,
        id_key_check="0123456789abcdef",
        vaccination=Vaccination(3, date(2022, 5, 1)),
        host="李主任",
        approval_id="FYB-2024-0501-07",
    )
    assert verify_pass(encode_pass(full, issuer_key, ISSUER), trust).claims == full


def test_id_hash_travels_as_32_raw_bytes(issuer_key: Ed25519PrivateKey) -> None:
    payload = cbor2.loads(encode_claims(claims(id_hash=ID_HASH), ISSUER))
    assert payload["ih"] == bytes.fromhex(ID_HASH)


def test_the_id_hash_key_check_travels_as_8_raw_bytes(issuer_key: Ed25519PrivateKey) -> None:
    payload = cbor2.loads(encode_claims(claims(id_key_check="0123456789abcdef"), ISSUER))
    assert payload["ik"] == bytes.fromhex("0123456789abcdef")
    with pytest.raises(ValueError, match="8 bytes"):
        encode_pass(claims(id_key_check="ab" * 4), issuer_key, ISSUER)


@pytest.mark.parametrize("bad", ["ab" * 16, "zz" * 32])
def test_encode_refuses_a_malformed_id_hash(bad: str, issuer_key: Ed25519PrivateKey) -> None:
    with pytest.raises(ValueError):
        encode_pass(claims(id_hash=bad), issuer_key, ISSUER)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ih": b"short"}, "ih"),
        ({"ih": "ab" * 32}, "ih"),
        ({"vx": [0, 19000]}, "vx"),
        ({"vx": [2]}, "vx"),
        ({"ho": ""}, "ho"),
        ({"ap": 5}, "ap"),
    ],
)
def test_invalid_optional_claim_is_named(
    changes: dict[str, object], field: str, issuer_key: Ed25519PrivateKey, trust: TrustStore
) -> None:
    text = sign_payload(cbor2.dumps(claims_map(**changes)), issuer_key)
    refusal = _refusal(text, trust)
    assert (refusal.code, refusal.params) == ("pass.claim_invalid", {"field": field})
