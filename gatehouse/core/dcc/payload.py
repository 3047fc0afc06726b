"""The signed content of a DCC: CWT claims (RFC 8392) around the health certificate.

The certificate itself becomes plain JSON values (dates as ISO 8601 text), the form the DCC
schema is written for and the one ``inspect-code`` prints.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from gatehouse.core.cbor_strict import decode_strict

CLAIM_ISSUER = 1
CLAIM_EXPIRES = 4
CLAIM_ISSUED_AT = 6
CLAIM_HCERT = -260
HCERT_EU_DCC = 1
_MAX_EPOCH = 253402300799  # 9999-12-31T23:59:59Z


class DccPayloadError(ValueError):
    """The payload is not a CWT carrying exactly one EU DCC; ``field`` names what is wrong."""

    def __init__(self, field: str, detail: str) -> None:
        super().__init__(f"{field}: {detail}")
        self.field = field


@dataclass(frozen=True)
class DccPayload:
    issuer_country: str | None
    issued_at: datetime | None
    expires_at: datetime | None
    certificate: dict[str, Any]  # the DCC as JSON values


def decode_payload(payload: bytes) -> DccPayload:
    """Strict CBOR -> DccPayload; MalformedCborError if not CBOR, DccPayloadError otherwise."""
    claims = decode_strict(payload, allow_indefinite=True)
    if not isinstance(claims, Mapping):
        raise DccPayloadError("payload", "not a CWT claims map")
    hcert = claims.get(CLAIM_HCERT)
    if not isinstance(hcert, Mapping) or set(hcert) != {HCERT_EU_DCC}:
        raise DccPayloadError("hcert", "claim -260 must hold exactly the EU DCC (key 1)")
    certificate = to_json(hcert[HCERT_EU_DCC], "hcert")
    if not isinstance(certificate, dict):
        raise DccPayloadError("hcert", "the DCC is not a map")
    issuer = claims.get(CLAIM_ISSUER)
    if issuer is not None and not isinstance(issuer, str):
        raise DccPayloadError("iss", "not text")
    return DccPayload(
        issuer_country=issuer,
        issued_at=_epoch(claims.get(CLAIM_ISSUED_AT), "iat"),
        expires_at=_epoch(claims.get(CLAIM_EXPIRES), "exp"),
        certificate=certificate,
    )


def to_json(value: object, where: str) -> Any:
    """CBOR values as JSON values: text keys only, finite numbers, dates as ISO 8601 text."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise DccPayloadError(where, "not a finite number")
        return value
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [to_json(item, f"{where}[{index}]") for index, item in enumerate(value)]
    if isinstance(value, Mapping):
        if not all(isinstance(key, str) for key in value):
            raise DccPayloadError(where, "map keys must be text")
        return {key: to_json(item, f"{where}.{key}") for key, item in value.items()}
    raise DccPayloadError(where, f"unexpected {type(value).__name__}")


def _epoch(value: object, field: str) -> datetime | None:
    if value is None:
        return None
    # NumericDate (RFC 8392 §2) may carry a fraction; some issuers send one.
    if isinstance(value, float) and math.isfinite(value):
        value = math.floor(value)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= _MAX_EPOCH:
        raise DccPayloadError(field, "not a time in seconds since the epoch")
    return datetime.fromtimestamp(value, UTC)
