"""Gatehouse pass v1 on the wire: "GH1:" + base45(zlib(COSE_Sign1(claims))).

verify_pass turns scanned text into a VerifiedPass or a CredentialError whose Reason says
exactly which step failed, so the guard and the log see "signature invalid" rather than
"error". It checks authenticity only; whether the pass is valid *now* is the decision's job.
Every step is bounded (text length, decompressed size, CBOR depth) because the input is
whatever anyone holds up to the scanner.
"""

from __future__ import annotations

import re
import zlib

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gatehouse.core import cose
from gatehouse.core.base45 import Base45DecodeError, b45decode, b45encode
from gatehouse.core.cbor_strict import MalformedCborError
from gatehouse.core.inflate import MAX_INFLATED_BYTES, InflatedTooLargeError, InflateError, inflate
from gatehouse.core.keys import TrustedKey, TrustStore, key_id
from gatehouse.core.models import PassClaims, VerifiedPass
from gatehouse.core.pass_claims import ClaimError, decode_claims, encode_claims
from gatehouse.core.reasons import Reason, ReasonCode, display_time, reason

PASS_PREFIX = "GH1:"
MAX_TEXT_LENGTH = 4096
MAX_PAYLOAD_BYTES = MAX_INFLATED_BYTES

# Codes people may hold up by mistake; naming them helps the guard explain the refusal.
_OTHER_KINDS = ("HC1:", "shc:/", "NZCP:/")
_GATEHOUSE_VERSION = re.compile(r"GH(\d{1,4}):")


class CredentialError(Exception):
    """The scanned pass was refused; ``reason`` says why in words for the guard and the log."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(f"{reason.code}: {reason.en}")
        self.reason = reason


def encode_pass(claims: PassClaims, private_key: Ed25519PrivateKey, issuer: str) -> str:
    """Sign ``claims`` as ``issuer`` and return the QR text; ValueError if a booth would refuse."""
    kid = key_id(private_key.public_key())
    signed = cose.sign1(encode_claims(claims, issuer), private_key, kid)
    text = PASS_PREFIX + b45encode(zlib.compress(signed, level=9))
    if len(text) > MAX_TEXT_LENGTH:
        raise ValueError(f"pass text is {len(text)} characters, over {MAX_TEXT_LENGTH}")
    return text


def verify_pass(text: str, trust: TrustStore) -> VerifiedPass:
    """Check the pass is intact and signed by a trusted issuer; raise CredentialError if not."""
    message = _parse_message(text)
    kid = message.kid.hex()
    candidates = trust.candidates(message.kid)
    if not candidates:
        raise CredentialError(reason(ReasonCode.PASS_UNKNOWN_KEY, kid=kid))
    signers = [key for key in candidates if message.verify(key.public_key)]
    if not signers:
        raise CredentialError(reason(ReasonCode.PASS_SIGNATURE_INVALID, kid=kid))
    claims, claimed_issuer = _decode_claims(message.payload)
    signer = _signer_at_issue(signers, claims, claimed_issuer)
    if trust.is_revoked(signer):
        raise CredentialError(reason(ReasonCode.PASS_KEY_REVOKED, kid=kid))
    if claims.pass_id in trust.revoked_pass_ids:
        raise CredentialError(reason(ReasonCode.PASS_REVOKED, pass_id=claims.pass_id))
    return VerifiedPass(claims=claims, key_id=signer.key_id, issuer=signer.issuer)


def logged_claims(text: str) -> PassClaims:
    """The claims of a pass a booth verified and logged, read again without its signature.

    For looking back at logged passages only (the hub's dry run reads the travel a pass
    carried): the booth checked the signature when it decided, and the hub checked the
    passage's hash chain on upload. Never a substitute for ``verify_pass`` at a gate.
    """
    claims, _ = _decode_claims(_parse_message(text).payload)
    return claims


def _parse_message(text: str) -> cose.CoseSign1:
    """Undo the wire layers down to an (unverified) COSE_Sign1 message."""
    # Keyboard-wedge scanners end a scan with CR/LF; neither is a base45 character.
    text = text.rstrip("\r\n")
    if len(text) > MAX_TEXT_LENGTH:
        raise CredentialError(reason(ReasonCode.PASS_TOO_LONG, length=len(text)))
    try:
        compressed = b45decode(_strip_prefix(text))
    except Base45DecodeError as exc:
        raise CredentialError(reason(ReasonCode.PASS_BAD_BASE45, detail=str(exc))) from exc
    try:
        message = cose.parse_sign1(_inflate(compressed))
    except cose.UnsupportedAlgorithmError as exc:
        raise CredentialError(reason(ReasonCode.PASS_UNSUPPORTED_ALGORITHM, alg=exc.alg)) from exc
    except cose.CoseFormatError as exc:
        raise CredentialError(reason(ReasonCode.PASS_MALFORMED, detail=str(exc))) from exc
    if message.alg != cose.ALG_EDDSA:  # v1 passes are EdDSA only (docs/pass-format.md)
        raise CredentialError(reason(ReasonCode.PASS_UNSUPPORTED_ALGORITHM, alg=message.alg))
    return message


def _strip_prefix(text: str) -> str:
    if text.startswith(PASS_PREFIX):
        return text[len(PASS_PREFIX) :]
    for other in _OTHER_KINDS:
        if text[: len(other)].upper() == other.upper():
            raise CredentialError(reason(ReasonCode.PASS_OTHER_KIND, prefix=other))
    version = _GATEHOUSE_VERSION.match(text)
    if version:
        raise CredentialError(reason(ReasonCode.PASS_UNSUPPORTED_VERSION, version=version.group(1)))
    raise CredentialError(reason(ReasonCode.PASS_NOT_GATEHOUSE))


def _inflate(compressed: bytes) -> bytes:
    """zlib-decompress at most MAX_PAYLOAD_BYTES, so a zlib bomb costs no more than that."""
    try:
        return inflate(compressed, limit=MAX_PAYLOAD_BYTES)
    except InflatedTooLargeError as exc:
        raise CredentialError(
            reason(ReasonCode.PASS_OVERSIZED, limit_kib=exc.limit // 1024)
        ) from exc
    except InflateError as exc:
        raise CredentialError(reason(ReasonCode.PASS_BAD_COMPRESSION, detail=str(exc))) from exc


def _decode_claims(payload: bytes) -> tuple[PassClaims, str]:
    try:
        return decode_claims(payload)
    except MalformedCborError as exc:
        raise CredentialError(reason(ReasonCode.PASS_MALFORMED, detail=f"payload: {exc}")) from exc
    except ClaimError as exc:
        code = ReasonCode.PASS_CLAIM_MISSING if exc.missing else ReasonCode.PASS_CLAIM_INVALID
        raise CredentialError(reason(code, field=exc.field)) from exc


def _signer_at_issue(
    signers: list[TrustedKey], claims: PassClaims, claimed_issuer: str
) -> TrustedKey:
    """The trusted key that vouches for this pass: valid when it was issued, same issuer."""
    in_window = [key for key in signers if key.valid_at(claims.issued_at)]
    if not in_window:
        raise CredentialError(
            reason(
                ReasonCode.PASS_KEY_NOT_VALID,
                kid=signers[0].key_id.hex(),
                issued_at=display_time(claims.issued_at),
            )
        )
    for key in in_window:
        if key.issuer == claimed_issuer:
            return key
    raise CredentialError(
        reason(ReasonCode.PASS_ISSUER_MISMATCH, claimed=claimed_issuer, issuer=in_window[0].issuer)
    )
