"""Reading an EU DCC at the booth: every step, its own reason when it fails.

Decoding failures stop the reading (there is nothing left to check); once the certificate is
decoded, signature, schema, validity and key usage are all checked and every failure is
reported, so a supervisor sees the whole picture at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gatehouse.core import cose
from gatehouse.core.base45 import Base45DecodeError, b45decode
from gatehouse.core.cbor_strict import MalformedCborError
from gatehouse.core.dcc.payload import DccPayload, DccPayloadError, decode_payload
from gatehouse.core.dcc.schema import GROUPS, schema_errors
from gatehouse.core.dcc.signer import CertificateType, DccSigner
from gatehouse.core.inflate import InflatedTooLargeError, InflateError, inflate
from gatehouse.core.reasons import Reason, ReasonCode, display_time, reason

DCC_PREFIX = "HC1:"


class DccError(Exception):
    """A decoding step failed; ``reason`` says which."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(f"{reason.code}: {reason.en}")
        self.reason = reason


@dataclass(frozen=True)
class DccReading:
    """What a DCC says and every check it failed; verified when there is none."""

    payload: DccPayload
    signer: DccSigner | None
    problems: tuple[Reason, ...]

    @property
    def verified(self) -> bool:
        return not self.problems


# -- the decoding steps --


def unwrap_base45(body: str) -> bytes:
    try:
        return b45decode(body)
    except Base45DecodeError as exc:
        raise DccError(reason(ReasonCode.DCC_BAD_BASE45, detail=str(exc))) from exc


def decompress(data: bytes) -> bytes:
    try:
        return inflate(data)
    except InflatedTooLargeError as exc:
        raise DccError(reason(ReasonCode.DCC_OVERSIZED, limit_kib=exc.limit // 1024)) from exc
    except InflateError as exc:
        raise DccError(reason(ReasonCode.DCC_BAD_COMPRESSION, detail=str(exc))) from exc


def parse_message(data: bytes) -> cose.CoseSign1:
    try:
        return cose.parse_sign1(data, lenient=True)
    except cose.UnsupportedAlgorithmError as exc:
        raise DccError(reason(ReasonCode.DCC_UNSUPPORTED_ALGORITHM, alg=exc.alg)) from exc
    except cose.CoseFormatError as exc:
        raise DccError(reason(ReasonCode.DCC_MALFORMED, detail=str(exc))) from exc


def decode(payload: bytes) -> DccPayload:
    try:
        return decode_payload(payload)
    except MalformedCborError as exc:
        raise DccError(reason(ReasonCode.DCC_MALFORMED, detail=f"payload: {exc}")) from exc
    except DccPayloadError as exc:
        raise DccError(reason(ReasonCode.DCC_PAYLOAD_INVALID, field=exc.field)) from exc


# -- the checks on a decoded certificate --


def find_signer(
    message: cose.CoseSign1, signers: Sequence[DccSigner]
) -> tuple[DccSigner | None, Reason | None]:
    """The signer whose kid matches and whose key verifies the signature."""
    kid = message.kid.hex()
    candidates = [signer for signer in signers if signer.kid == message.kid]
    if not candidates:
        return None, reason(ReasonCode.DCC_UNKNOWN_SIGNER, kid=kid)
    for signer in candidates:
        if message.verify(signer.public_key):
            return signer, None
    return None, reason(ReasonCode.DCC_SIGNATURE_INVALID, kid=kid)


def certificate_type(certificate: dict[str, Any]) -> CertificateType | None:
    present = [group for group in GROUPS if group in certificate]
    return CertificateType(present[0]) if len(present) == 1 else None


def validity_problem(payload: DccPayload, signer: DccSigner, now: datetime) -> Reason | None:
    """signer notBefore <= iat <= now <= exp <= signer notAfter, or the first broken link."""
    issued, expires = payload.issued_at, payload.expires_at
    if issued is None:
        return reason(ReasonCode.DCC_PAYLOAD_INVALID, field="iat")
    if expires is None:
        return reason(ReasonCode.DCC_PAYLOAD_INVALID, field="exp")
    if now < issued:
        return reason(ReasonCode.DCC_NOT_YET_VALID, issued_at=display_time(issued))
    if now > expires:
        return reason(ReasonCode.DCC_EXPIRED, expires_at=display_time(expires))
    if issued < signer.not_before or expires > signer.not_after:
        return reason(ReasonCode.DCC_OUTSIDE_SIGNER_VALIDITY)
    return None


def key_usage_problem(payload: DccPayload, signer: DccSigner) -> Reason | None:
    kind = certificate_type(payload.certificate)
    if kind is None:
        return None  # reported by the schema check
    return (
        None if signer.may_sign(kind) else reason(ReasonCode.DCC_KEY_USAGE, kind=kind.name.lower())
    )


def read_dcc(text: str, signers: Sequence[DccSigner], now: datetime) -> DccReading:
    """Decode and check an "HC1:" text at ``now``; DccError if it cannot be decoded at all."""
    if not text.startswith(DCC_PREFIX):
        raise ValueError("not an HC1: text")
    message = parse_message(decompress(unwrap_base45(text[len(DCC_PREFIX) :])))
    payload = decode(message.payload)
    signer, signature_problem = find_signer(message, signers)
    problems = [signature_problem] if signature_problem else []
    errors = schema_errors(payload.certificate)
    if errors:
        problems.append(reason(ReasonCode.DCC_SCHEMA_INVALID, detail="; ".join(errors[:3])))
    if signer is not None:
        problems += [
            problem
            for problem in (
                validity_problem(payload, signer, now),
                key_usage_problem(payload, signer),
            )
            if problem is not None
        ]
    return DccReading(payload, signer, tuple(problems))
