"""The signed content of a Gatehouse pass v1: PassClaims <-> a compact CBOR claims map.

Keys are one to three letters and times are whole epoch seconds (travel: epoch days) because
every byte saved makes the QR code coarser and easier to scan off a scratched phone screen.
Datetimes are carried as UTC with second precision. Unknown keys are ignored, so an issuer can
add claims without breaking booths that do not read them yet; the optional claims (keyed ID
hash, vaccination, host, approval) were added that way. docs/pass-format.md is the full table.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import TypeVar

import cbor2

from gatehouse.core.cbor_strict import decode_strict
from gatehouse.core.models import (
    HealthCodeColour,
    NucleicAcidTest,
    PassClaims,
    Role,
    TestResult,
    TravelVisit,
    Vaccination,
)

PASS_VERSION = 1
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_DAY = _EPOCH.date()
_MAX_SECONDS = (datetime.max.replace(tzinfo=UTC) - _EPOCH) // timedelta(seconds=1)
_MAX_DAYS = (date.max - _EPOCH_DAY).days
_ID_HASH_BYTES = 32  # HMAC-SHA-256, as person lists carry it (gatehouse.core.rules.persons)
_KEY_CHECK_BYTES = 8  # persons.key_check: 16 hex digits
_MAX_DOSES = 20
_E = TypeVar("_E", bound=StrEnum)


class ClaimError(ValueError):
    """A claim is missing or has a value a v1 pass cannot hold; ``field`` names it."""

    def __init__(self, field: str, *, missing: bool = False) -> None:
        super().__init__(f"claim {field!r} is {'missing' if missing else 'invalid'}")
        self.field = field
        self.missing = missing


def encode_claims(claims: PassClaims, issuer: str) -> bytes:
    """CBOR claims map for ``claims``; raise ValueError if a verifier would refuse it."""
    claims_map: dict[str, object] = {
        "v": PASS_VERSION,
        "id": claims.pass_id,
        "n": claims.holder_name,
        "im": claims.id_masked,
        "r": str(claims.role),
        "hc": str(claims.health_code),
        "hct": _to_seconds(claims.health_code_checked_at),
        "tr": [[visit.region_code, (visit.day - _EPOCH_DAY).days] for visit in claims.travel],
        "iat": _to_seconds(claims.issued_at),
        "nbf": _to_seconds(claims.valid_from),
        "exp": _to_seconds(claims.valid_until),
        "iss": issuer,
    }
    if claims.test is not None:
        claims_map["t"] = {"s": _to_seconds(claims.test.sampled_at), "r": str(claims.test.result)}
    if claims.id_hash is not None:
        claims_map["ih"] = _id_hash_bytes(claims.id_hash)
    if claims.id_key_check is not None:
        claims_map["ik"] = _key_check_bytes(claims.id_key_check)
    if claims.vaccination is not None:
        shot = claims.vaccination
        claims_map["vx"] = [shot.doses, (shot.last_dose_on - _EPOCH_DAY).days]
    if claims.host is not None:
        claims_map["ho"] = claims.host
    if claims.approval_id is not None:
        claims_map["ap"] = claims.approval_id
    _claims_from_map(claims_map)  # what we sign must be what a booth accepts
    return cbor2.dumps(claims_map)


def decode_claims(payload: bytes) -> tuple[PassClaims, str]:
    """Parse a claims map into (claims, issuer label); MalformedCborError if not CBOR."""
    return _claims_from_map(decode_strict(payload))


def _id_hash_bytes(id_hash: str) -> bytes:
    return _hex_bytes(id_hash, "id_hash", _ID_HASH_BYTES, " (HMAC-SHA-256)")


def _key_check_bytes(key_check: str) -> bytes:
    return _hex_bytes(key_check, "id_key_check", _KEY_CHECK_BYTES)


def _hex_bytes(text: str, name: str, size: int, what: str = "") -> bytes:
    try:
        raw = bytes.fromhex(text)
    except ValueError:
        raise ValueError(f"{name} must be hex") from None
    if len(raw) != size:
        raise ValueError(f"{name} must be {size} bytes{what}")
    return raw


def _to_seconds(moment: datetime) -> int:
    """Whole seconds since the epoch, by integer arithmetic (floats lose seconds far out)."""
    if moment.tzinfo is None:
        raise ValueError("pass times must be timezone-aware")
    return (moment - _EPOCH) // timedelta(seconds=1)


class _Reader:
    """Typed access to one CBOR map; every failure names the offending claim."""

    def __init__(self, value: object, path: str = "") -> None:
        if not isinstance(value, Mapping):
            raise ClaimError(path or "payload")
        self._map: Mapping[object, object] = value
        self._prefix = f"{path}." if path else ""

    def __contains__(self, key: str) -> bool:
        return key in self._map

    def value(self, key: str) -> object:
        if key not in self._map:
            raise ClaimError(self._prefix + key, missing=True)
        return self._map[key]

    def integer(self, key: str, low: int, high: int) -> int:
        return _integer(self.value(key), self._prefix + key, low, high)

    def text(self, key: str) -> str:
        return _text(self.value(key), self._prefix + key)

    def time(self, key: str) -> datetime:
        return _EPOCH + timedelta(seconds=self.integer(key, 0, _MAX_SECONDS))

    def choice(self, key: str, enum: type[_E]) -> _E:
        value = self.text(key)
        try:
            return enum(value)
        except ValueError:
            raise ClaimError(self._prefix + key) from None


def _integer(value: object, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ClaimError(field)
    return value


def _text(value: object, field: str) -> str:
    if not isinstance(value, str) or not value:
        raise ClaimError(field)
    return value


def _claims_from_map(value: object) -> tuple[PassClaims, str]:
    claims_map = _Reader(value)
    claims_map.integer("v", PASS_VERSION, PASS_VERSION)
    claims = PassClaims(
        pass_id=claims_map.text("id"),
        holder_name=claims_map.text("n"),
        id_masked=claims_map.text("im"),
        role=claims_map.choice("r", Role),
        health_code=claims_map.choice("hc", HealthCodeColour),
        health_code_checked_at=claims_map.time("hct"),
        test=_test(claims_map.value("t")) if "t" in claims_map else None,
        travel=_travel(claims_map.value("tr")),
        issued_at=claims_map.time("iat"),
        valid_from=claims_map.time("nbf"),
        valid_until=claims_map.time("exp"),
        id_hash=_id_hash(claims_map.value("ih")) if "ih" in claims_map else None,
        id_key_check=_key_check(claims_map.value("ik")) if "ik" in claims_map else None,
        vaccination=_vaccination(claims_map.value("vx")) if "vx" in claims_map else None,
        host=claims_map.text("ho") if "ho" in claims_map else None,
        approval_id=claims_map.text("ap") if "ap" in claims_map else None,
    )
    if claims.valid_until < claims.valid_from:
        raise ClaimError("exp")
    return claims, claims_map.text("iss")


def _test(value: object) -> NucleicAcidTest:
    test = _Reader(value, "t")
    return NucleicAcidTest(sampled_at=test.time("s"), result=test.choice("r", TestResult))


def _travel(value: object) -> tuple[TravelVisit, ...]:
    if not isinstance(value, list | tuple):
        raise ClaimError("tr")
    return tuple(_visit(item, f"tr[{index}]") for index, item in enumerate(value))


def _visit(value: object, field: str) -> TravelVisit:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise ClaimError(field)
    region_code, days = value
    return TravelVisit(
        region_code=_text(region_code, field),
        day=_EPOCH_DAY + timedelta(days=_integer(days, field, 0, _MAX_DAYS)),
    )


def _id_hash(value: object) -> str:
    if not isinstance(value, bytes) or len(value) != _ID_HASH_BYTES:
        raise ClaimError("ih")
    return value.hex()


def _key_check(value: object) -> str:
    if not isinstance(value, bytes) or len(value) != _KEY_CHECK_BYTES:
        raise ClaimError("ik")
    return value.hex()


def _vaccination(value: object) -> Vaccination:
    if not isinstance(value, list | tuple) or len(value) != 2:
        raise ClaimError("vx")
    doses, days = value
    return Vaccination(
        doses=_integer(doses, "vx", 1, _MAX_DOSES),
        last_dose_on=_EPOCH_DAY + timedelta(days=_integer(days, "vx", 0, _MAX_DAYS)),
    )
