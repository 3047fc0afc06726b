"""COSE_Sign1 (RFC 9052 §4.2): one signer, compact binary, the envelope of every pass.

Only what Gatehouse needs: alg and kid in the protected header, attached payload, no external
AAD. Verification goes through a small algorithm table so more algorithms (issue #3: ES256,
PS256) can be added without touching the parser.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

from gatehouse.core.cbor_strict import MalformedCborError, decode_strict

COSE_SIGN1_TAG = 18
HEADER_ALG = 1
HEADER_KID = 4
ALG_EDDSA = -8


class CoseError(ValueError):
    """Base for every COSE problem, so callers can refuse a message with one except clause."""


class CoseFormatError(CoseError):
    """The bytes are not a well-formed COSE_Sign1 message."""


class UnsupportedAlgorithmError(CoseError):
    """The message is well formed but signed with an algorithm we cannot verify."""

    def __init__(self, alg: int) -> None:
        super().__init__(f"COSE algorithm {alg} is not supported")
        self.alg = alg


def _verify_eddsa(public_key: PublicKeyTypes, signature: bytes, data: bytes) -> bool:
    if not isinstance(public_key, Ed25519PublicKey):
        return False
    try:
        public_key.verify(signature, data)
    except InvalidSignature:
        return False
    return True


# alg -> verifier(public key, signature, to-be-signed bytes) -> signature is good.
# A key of the wrong type for the algorithm simply does not verify.
_VERIFIERS: dict[int, Callable[[PublicKeyTypes, bytes, bytes], bool]] = {
    ALG_EDDSA: _verify_eddsa,
}


def _sig_structure(protected: bytes, payload: bytes) -> bytes:
    """The bytes actually signed: binds the protected header to the payload."""
    return cbor2.dumps(["Signature1", protected, b"", payload])


@dataclass(frozen=True)
class CoseSign1:
    """A parsed COSE_Sign1 message; its signature is not yet checked."""

    protected: bytes  # the serialised protected header, exactly as signed
    alg: int
    kid: bytes
    payload: bytes
    signature: bytes

    def __post_init__(self) -> None:
        if self.alg not in _VERIFIERS:
            raise UnsupportedAlgorithmError(self.alg)

    def verify(self, public_key: PublicKeyTypes) -> bool:
        """True when ``public_key`` made this signature over this header and payload."""
        verifier = _VERIFIERS[self.alg]
        return verifier(public_key, self.signature, _sig_structure(self.protected, self.payload))


def sign1(payload: bytes, private_key: Ed25519PrivateKey, kid: bytes) -> bytes:
    """Sign ``payload`` with EdDSA and return the tagged COSE_Sign1 bytes."""
    protected = cbor2.dumps({HEADER_ALG: ALG_EDDSA, HEADER_KID: kid})
    signature = private_key.sign(_sig_structure(protected, payload))
    return cbor2.dumps(cbor2.CBORTag(COSE_SIGN1_TAG, [protected, {}, payload, signature]))


def parse_sign1(data: bytes) -> CoseSign1:
    """Parse tagged or untagged COSE_Sign1 bytes; raise CoseFormatError if malformed."""
    try:
        item = decode_strict(data)
    except MalformedCborError as exc:
        raise CoseFormatError(f"not CBOR: {exc}") from exc
    if isinstance(item, cbor2.CBORTag):
        if item.tag != COSE_SIGN1_TAG:
            raise CoseFormatError(f"CBOR tag {item.tag} is not COSE_Sign1 ({COSE_SIGN1_TAG})")
        item = item.value
    if not isinstance(item, list | tuple) or len(item) != 4:
        raise CoseFormatError("COSE_Sign1 must be an array of 4 items")
    protected, unprotected, payload, signature = item
    if not isinstance(protected, bytes):
        raise CoseFormatError("protected header must be a byte string")
    if not isinstance(unprotected, Mapping):
        raise CoseFormatError("unprotected header must be a map")
    if not isinstance(payload, bytes):
        raise CoseFormatError("payload must be an attached byte string")
    if not isinstance(signature, bytes):
        raise CoseFormatError("signature must be a byte string")
    header = _protected_header(protected)
    if header.keys() & unprotected.keys():
        raise CoseFormatError("a header label appears in both protected and unprotected headers")
    alg, kid = header.get(HEADER_ALG), header.get(HEADER_KID)
    if not isinstance(alg, int) or isinstance(alg, bool):
        raise CoseFormatError("protected header has no integer alg (label 1)")
    if not isinstance(kid, bytes):
        raise CoseFormatError("protected header has no byte-string kid (label 4)")
    return CoseSign1(protected, alg, kid, payload, signature)


def _protected_header(protected: bytes) -> Mapping[object, object]:
    try:
        header = decode_strict(protected)
    except MalformedCborError as exc:
        raise CoseFormatError(f"protected header is not CBOR: {exc}") from exc
    if not isinstance(header, Mapping):
        raise CoseFormatError("protected header must encode a map")
    return header
