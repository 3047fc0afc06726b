"""COSE_Sign1 (RFC 9052 §4.2): one signer, compact binary, the envelope of every signed code.

Only what Gatehouse needs: attached payload, no external AAD, and the algorithms the codes a
booth meets are signed with: EdDSA (Gatehouse passes and trust lists), ES256 and PS256 (EU
DCC). Verification goes through a small algorithm table, so the parser never changes.

Gatehouse's own messages are parsed strictly (alg and kid protected, no label in both
headers). EU DCC issuers put the kid in the unprotected header, or in both; ``lenient``
accepts that as the DCC specification does, the protected value winning (and admits the
indefinite-length CBOR some of them emit). The kid is only a
hint for finding candidate keys either way: a signature is always checked with the key.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from gatehouse.core.cbor_strict import MalformedCborError, decode_strict

COSE_SIGN1_TAG = 18
CWT_TAG = 61  # RFC 8392: may wrap a COSE message that carries CWT claims
HEADER_ALG = 1
HEADER_KID = 4
ALG_EDDSA = -8
ALG_ES256 = -7
ALG_PS256 = -37
_P256_COORDINATE_BYTES = 32


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


def verify_es256(public_key: PublicKeyTypes, signature: bytes, data: bytes) -> bool:
    """ECDSA P-256 / SHA-256; COSE carries the signature as raw r || s (RFC 9053 §2.1)."""
    if not isinstance(public_key, ec.EllipticCurvePublicKey) or not isinstance(
        public_key.curve, ec.SECP256R1
    ):
        return False
    if len(signature) != 2 * _P256_COORDINATE_BYTES:
        return False
    r = int.from_bytes(signature[:_P256_COORDINATE_BYTES], "big")
    s = int.from_bytes(signature[_P256_COORDINATE_BYTES:], "big")
    try:
        public_key.verify(encode_dss_signature(r, s), data, ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True


def _verify_ps256(public_key: PublicKeyTypes, signature: bytes, data: bytes) -> bool:
    """RSASSA-PSS / SHA-256 with MGF1 SHA-256 (RFC 8230); any salt length is accepted."""
    if not isinstance(public_key, rsa.RSAPublicKey):
        return False
    pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.AUTO)
    try:
        public_key.verify(signature, data, pss, hashes.SHA256())
    except InvalidSignature:
        return False
    return True


# alg -> verifier(public key, signature, to-be-signed bytes) -> signature is good.
# A key of the wrong type for the algorithm simply does not verify.
_VERIFIERS: dict[int, Callable[[PublicKeyTypes, bytes, bytes], bool]] = {
    ALG_EDDSA: _verify_eddsa,
    ALG_ES256: verify_es256,
    ALG_PS256: _verify_ps256,
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


def parse_sign1(data: bytes, *, lenient: bool = False) -> CoseSign1:
    """Parse tagged or untagged COSE_Sign1 bytes; raise CoseFormatError if malformed.

    ``lenient`` (EU DCC): a CWT tag may wrap the message, the kid may sit in the
    unprotected header, a label may appear in both headers (the protected one wins), and
    lengths may be indefinite.
    """
    try:
        item = decode_strict(data, allow_indefinite=lenient)
    except MalformedCborError as exc:
        raise CoseFormatError(f"not CBOR: {exc}") from exc
    if lenient and isinstance(item, cbor2.CBORTag) and item.tag == CWT_TAG:
        item = item.value
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
    header = {} if lenient and not protected else _protected_header(protected)
    if header.keys() & unprotected.keys() and not lenient:
        raise CoseFormatError("a header label appears in both protected and unprotected headers")
    if lenient:
        header = {**unprotected, **header}
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
