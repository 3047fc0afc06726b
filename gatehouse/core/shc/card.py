"""Reading a SMART Health Card: chunks -> JWS -> verified, unrevoked, currently valid card."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from gatehouse.core.cose import verify_es256
from gatehouse.core.inflate import RAW_DEFLATE, InflatedTooLargeError, InflateError, inflate
from gatehouse.core.reasons import Reason, ReasonCode, display_time, reason
from gatehouse.core.shc.issuers import (
    IssuerKeyError,
    ShcIssuer,
    ShcKey,
    b64url_decode,
    check_rid,
    issuer_url,
)
from gatehouse.core.shc.numeric import IncompleteCardError, NumericError, assemble, parse_chunk

_MAX_CHUNKS = 16


class ShcError(Exception):
    """The card cannot be decoded at all; ``reason`` says which step failed."""

    def __init__(self, reason: Reason) -> None:
        super().__init__(f"{reason.code}: {reason.en}")
        self.reason = reason


@dataclass(frozen=True)
class ShcReading:
    claims: dict[str, Any]  # a summary of the card for the screen and inspect-code
    issuer: str | None  # the trusted issuer whose key verified the card, else None
    problems: tuple[Reason, ...]

    @property
    def verified(self) -> bool:
        return not self.problems


def read_shc(text: str, issuers: Sequence[ShcIssuer], now: datetime) -> ShcReading:
    """Decode and check one card given as its "shc:/" chunks, one per line."""
    header, payload, signed, signature = _split(_jws(text))
    card = _card(payload, header)
    issuer, key, problem = _signing_key(header, card, issuers)
    problems = [problem] if problem else []
    if key is not None and not verify_es256(key.public_key, signature, signed):
        problems.append(reason(ReasonCode.SHC_SIGNATURE_INVALID))
        issuer = None
    problems += _time_problems(card, now)
    if key is not None:
        problems += _revocation_problems(key, card)
    return ShcReading(_summary(card), issuer.iss if issuer else None, tuple(problems))


def _revocation_problems(key: ShcKey, card: Mapping[str, Any]) -> list[Reason]:
    rid = card["vc"].get("rid")
    if key.revokes(rid, card["nbf"]):
        return [reason(ReasonCode.SHC_REVOKED)]
    if rid is not None and not key.revocation_checkable:
        return [reason(ReasonCode.SHC_REVOCATION_UNCHECKED, version=key.crl_version)]
    return []


def _jws(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > _MAX_CHUNKS:
        raise ShcError(reason(ReasonCode.SHC_MALFORMED, detail="too many chunks"))
    try:
        return assemble([parse_chunk(line) for line in lines])
    except IncompleteCardError as exc:
        raise ShcError(
            reason(ReasonCode.SHC_CHUNK_INCOMPLETE, scanned=exc.scanned, total=exc.total)
        ) from exc
    except NumericError as exc:
        raise ShcError(reason(ReasonCode.SHC_BAD_NUMERIC, detail=str(exc))) from exc


def _split(jws: str) -> tuple[dict[str, Any], bytes, bytes, bytes]:
    parts = jws.split(".")
    if len(parts) != 3:
        raise ShcError(reason(ReasonCode.SHC_MALFORMED, detail="a compact JWS has three parts"))
    try:
        header = json.loads(b64url_decode(parts[0]))
        payload, signature = b64url_decode(parts[1]), b64url_decode(parts[2])
    except (IssuerKeyError, ValueError) as exc:
        raise ShcError(reason(ReasonCode.SHC_MALFORMED, detail=f"JWS: {exc}")) from exc
    if not isinstance(header, dict):
        raise ShcError(reason(ReasonCode.SHC_MALFORMED, detail="JWS header is not an object"))
    if header.get("alg") != "ES256":
        raise ShcError(
            reason(ReasonCode.SHC_UNSUPPORTED_ALGORITHM, alg=str(header.get("alg"))[:20])
        )
    return header, payload, f"{parts[0]}.{parts[1]}".encode("ascii"), signature


def _card(payload: bytes, header: Mapping[str, Any]) -> dict[str, Any]:
    if header.get("zip") != "DEF":
        raise ShcError(
            reason(ReasonCode.SHC_MALFORMED, detail='payload must be compressed ("zip": "DEF")')
        )
    try:
        card = json.loads(inflate(payload, wbits=RAW_DEFLATE))
    except InflatedTooLargeError as exc:
        raise ShcError(reason(ReasonCode.SHC_OVERSIZED, limit_kib=exc.limit // 1024)) from exc
    except InflateError as exc:
        raise ShcError(reason(ReasonCode.SHC_BAD_COMPRESSION, detail=str(exc))) from exc
    except ValueError as exc:  # JSON, or text that is not UTF-8
        raise ShcError(reason(ReasonCode.SHC_MALFORMED, detail=f"payload: {exc}")) from exc
    if not isinstance(card, dict):
        raise ShcError(reason(ReasonCode.SHC_PAYLOAD_INVALID, field="payload"))
    for field, kind in (("iss", str), ("vc", dict)):
        if not isinstance(card.get(field), kind):
            raise ShcError(reason(ReasonCode.SHC_PAYLOAD_INVALID, field=field))
    rid = card["vc"].get("rid")
    if rid is not None and not _is_rid(rid):
        raise ShcError(reason(ReasonCode.SHC_PAYLOAD_INVALID, field="vc.rid"))
    for field in ("nbf", "exp"):
        value = card.get(field)
        if (field == "nbf" or value is not None) and not _is_time(value):
            raise ShcError(reason(ReasonCode.SHC_PAYLOAD_INVALID, field=field))
    return card


def _is_rid(value: object) -> bool:
    if not isinstance(value, str):
        return False
    try:
        check_rid(value)
    except IssuerKeyError:
        return False
    return True


def _is_time(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _signing_key(
    header: Mapping[str, Any], card: Mapping[str, Any], issuers: Sequence[ShcIssuer]
) -> tuple[ShcIssuer | None, ShcKey | None, Reason | None]:
    """The trusted issuer the card claims and its key with the card's kid; a key of another
    issuer never counts, whatever the kid."""
    claimed, kid = card["iss"], header.get("kid")
    try:
        issuer_url(claimed)
    except IssuerKeyError as exc:
        return None, None, reason(ReasonCode.SHC_BAD_ISSUER, issuer=claimed[:80], detail=str(exc))
    if isinstance(kid, str):
        for issuer in issuers:
            key = issuer.key(kid) if issuer.iss == claimed else None
            if key is not None:
                return issuer, key, None
        owner = next((issuer.iss for issuer in issuers if issuer.key(kid) is not None), None)
        if owner is not None:
            return (
                None,
                None,
                reason(ReasonCode.SHC_WRONG_ISSUER, issuer=claimed[:80], owner=owner[:80]),
            )
    return None, None, reason(ReasonCode.SHC_UNKNOWN_KEY, issuer=claimed[:80], kid=str(kid)[:64])


def _time_problems(card: Mapping[str, Any], now: datetime) -> list[Reason]:
    moment = now.timestamp()
    problems = []
    if card["nbf"] > moment:
        issued = datetime.fromtimestamp(min(card["nbf"], 253402300799), UTC)
        problems.append(reason(ReasonCode.SHC_NOT_YET_VALID, issued_at=display_time(issued)))
    if card.get("exp") is not None and card["exp"] <= moment:
        problems.append(reason(ReasonCode.SHC_PAYLOAD_INVALID, field="exp"))
    return problems


def _summary(card: Mapping[str, Any]) -> dict[str, Any]:
    """Who the card is about and what it records, without the whole FHIR bundle."""
    vc = card["vc"]
    subject = vc.get("credentialSubject")
    bundle = subject.get("fhirBundle") if isinstance(subject, dict) else None
    entries = bundle.get("entry") if isinstance(bundle, dict) else None
    resources = [
        entry["resource"]
        for entry in (entries if isinstance(entries, list) else [])
        if isinstance(entry, dict) and isinstance(entry.get("resource"), dict)
    ]
    return {
        "iss": card["iss"],
        "nbf": card["nbf"],
        "exp": card.get("exp"),
        "rid": vc.get("rid"),
        "types": vc.get("type"),
        "patients": [_patient(r) for r in resources if r.get("resourceType") == "Patient"],
        "immunizations": [
            {"date": r.get("occurrenceDateTime"), "status": r.get("status"), "code": _code(r)}
            for r in resources
            if r.get("resourceType") == "Immunization"
        ],
        "resources": len(resources),
    }


def _patient(resource: Mapping[str, Any]) -> dict[str, Any]:
    names = resource.get("name")
    first = names[0] if isinstance(names, list) and names and isinstance(names[0], dict) else {}
    given = first.get("given")
    return {
        "family": first.get("family"),
        "given": " ".join(given) if isinstance(given, list) else given,
        "birthDate": resource.get("birthDate"),
    }


def _code(resource: Mapping[str, Any]) -> str | None:
    vaccine = resource.get("vaccineCode")
    codings = vaccine.get("coding") if isinstance(vaccine, dict) else None
    if isinstance(codings, list) and codings and isinstance(codings[0], dict):
        code = codings[0].get("code")
        return str(code) if code is not None else None
    return None
