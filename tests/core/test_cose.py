from __future__ import annotations

import cbor2
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gatehouse.core.cose import (
    ALG_EDDSA,
    CoseError,
    CoseFormatError,
    UnsupportedAlgorithmError,
    parse_sign1,
    sign1,
)

KID = b"kid-0001"
PAYLOAD = b"the payload"


@pytest.fixture(scope="module")
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def _message(*items: object, tag: int | None = 18) -> bytes:
    return cbor2.dumps(list(items) if tag is None else cbor2.CBORTag(tag, list(items)))


def _protected(alg: object = ALG_EDDSA, kid: object = KID) -> bytes:
    return cbor2.dumps({1: alg, 4: kid})


def test_round_trip(key: Ed25519PrivateKey) -> None:
    message = parse_sign1(sign1(PAYLOAD, key, KID))
    assert (message.alg, message.kid, message.payload) == (ALG_EDDSA, KID, PAYLOAD)
    assert message.verify(key.public_key())


def test_protected_header_holds_alg_and_kid(key: Ed25519PrivateKey) -> None:
    tagged = cbor2.loads(sign1(PAYLOAD, key, KID))
    assert tagged.tag == 18
    assert cbor2.loads(tagged.value[0]) == {1: -8, 4: KID}
    assert tagged.value[1] == {}


def test_untagged_message_is_accepted(key: Ed25519PrivateKey) -> None:
    untagged = cbor2.dumps(list(cbor2.loads(sign1(PAYLOAD, key, KID)).value))
    assert parse_sign1(untagged).verify(key.public_key())


def test_other_key_does_not_verify(key: Ed25519PrivateKey) -> None:
    message = parse_sign1(sign1(PAYLOAD, key, KID))
    assert not message.verify(Ed25519PrivateKey.generate().public_key())


def test_key_of_another_type_does_not_verify(key: Ed25519PrivateKey) -> None:
    message = parse_sign1(sign1(PAYLOAD, key, KID))
    assert not message.verify(ec.generate_private_key(ec.SECP256R1()).public_key())


def test_tampered_payload_does_not_verify(key: Ed25519PrivateKey) -> None:
    protected, _, _, signature = cbor2.loads(sign1(PAYLOAD, key, KID)).value
    tampered = parse_sign1(_message(protected, {}, b"the paylaod", signature))
    assert not tampered.verify(key.public_key())


def test_tampered_protected_header_does_not_verify(key: Ed25519PrivateKey) -> None:
    _, _, payload, signature = cbor2.loads(sign1(PAYLOAD, key, KID)).value
    tampered = parse_sign1(_message(_protected(kid=b"kid-0002"), {}, payload, signature))
    assert not tampered.verify(key.public_key())


def test_tampered_signature_does_not_verify(key: Ed25519PrivateKey) -> None:
    protected, _, payload, signature = cbor2.loads(sign1(PAYLOAD, key, KID)).value
    flipped = bytes([signature[0] ^ 1]) + signature[1:]
    assert not parse_sign1(_message(protected, {}, payload, flipped)).verify(key.public_key())


def test_unsupported_algorithm_is_reported_with_its_number() -> None:
    with pytest.raises(UnsupportedAlgorithmError) as raised:
        parse_sign1(_message(_protected(alg=-35), {}, PAYLOAD, b"sig"))
    assert raised.value.alg == -35


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"\xff\x00", id="not CBOR"),
        pytest.param(cbor2.dumps({"a": 1}), id="map instead of array"),
        pytest.param(_message(_protected(), {}, PAYLOAD), id="three items"),
        pytest.param(_message(_protected(), {}, PAYLOAD, b"s", tag=98), id="COSE_Sign tag"),
        pytest.param(_message("text", {}, PAYLOAD, b"s"), id="protected not bytes"),
        pytest.param(_message(_protected(), [], PAYLOAD, b"s"), id="unprotected not map"),
        pytest.param(_message(_protected(), {}, None, b"s"), id="detached payload"),
        pytest.param(_message(_protected(), {}, PAYLOAD, "s"), id="signature not bytes"),
        pytest.param(_message(b"", {}, PAYLOAD, b"s"), id="empty protected header"),
        pytest.param(_message(cbor2.dumps([1]), {}, PAYLOAD, b"s"), id="protected not map"),
        pytest.param(_message(b"\xa1\x01", {}, PAYLOAD, b"s"), id="protected truncated"),
        pytest.param(_message(cbor2.dumps({4: KID}), {}, PAYLOAD, b"s"), id="no alg"),
        pytest.param(_message(_protected(alg="EdDSA"), {}, PAYLOAD, b"s"), id="alg as text"),
        pytest.param(_message(_protected(alg=True), {}, PAYLOAD, b"s"), id="alg as bool"),
        pytest.param(_message(cbor2.dumps({1: -8}), {}, PAYLOAD, b"s"), id="no kid"),
        pytest.param(_message(_protected(kid="k"), {}, PAYLOAD, b"s"), id="kid as text"),
        pytest.param(_message(_protected(), {4: KID}, PAYLOAD, b"s"), id="label in both"),
    ],
)
def test_malformed_message_is_refused(data: bytes) -> None:
    with pytest.raises(CoseFormatError):
        parse_sign1(data)


def test_errors_share_one_base() -> None:
    assert issubclass(CoseFormatError, CoseError)
    assert issubclass(UnsupportedAlgorithmError, CoseError)
