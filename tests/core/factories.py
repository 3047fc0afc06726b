"""Shared test data: a typical pass, its issuer and helpers to build hand-made pass texts."""

from __future__ import annotations

import dataclasses
import zlib
from datetime import UTC, date, datetime, timedelta
from typing import Any

import cbor2
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import strategies as st

from gatehouse.core import cose
from gatehouse.core.base45 import b45decode, b45encode
from gatehouse.core.china_time import CHINA_TIME, china_day
from gatehouse.core.keys import TrustedKey, TrustStore, key_id
from gatehouse.core.models import (
    HealthCodeColour,
    NucleicAcidTest,
    PassClaims,
    Role,
    TemperatureReading,
    TestResult,
    TravelVisit,
    VerifiedPass,
)
from gatehouse.core.pass_claims import encode_claims
from gatehouse.core.rules.evidence import Evidence

NOW = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
ISSUER = "Mine 3 health office"
KEY_FROM = datetime(2024, 1, 1, tzinfo=UTC)

CLAIMS = PassClaims(
    pass_id="P-2024-000123",
    holder_name="张伟",
    id_masked="3201**********1234",
    role=Role.EMPLOYEE,
    health_code=HealthCodeColour.GREEN,
    health_code_checked_at=NOW - timedelta(hours=2),
    test=NucleicAcidTest(sampled_at=NOW - timedelta(hours=12), result=TestResult.NEGATIVE),
    travel=(
        TravelVisit("110000", date(2024, 4, 20)),
        TravelVisit("320100", date(2024, 4, 25)),
        TravelVisit("610100", date(2024, 4, 28)),
    ),
    issued_at=NOW - timedelta(hours=1),
    valid_from=NOW - timedelta(hours=1),
    valid_until=NOW + timedelta(days=7),
)


def claims(**changes: Any) -> PassClaims:
    return dataclasses.replace(CLAIMS, **changes)


def checked_today(now: datetime) -> datetime:
    """When a live pass's health code was checked: an hour before ``now`` but never before this
    China day began (a colour checked yesterday has aged, and such a pass refers)."""
    day_start = datetime.combine(china_day(now), datetime.min.time(), tzinfo=CHINA_TIME)
    return max(now - timedelta(hours=1), day_start)


def scanned(claims: PassClaims, now: datetime) -> Evidence:
    """A verified pass with ``claims`` and a normal temperature measured five seconds before."""
    return Evidence(
        "GH1:...",
        VerifiedPass(claims, b"\x01" * 8, ISSUER),
        None,
        TemperatureReading(36.5, now - timedelta(seconds=5), "sensor"),
    )


def traveller(travel_city: str, now: datetime) -> PassClaims:
    """CLAIMS valid at ``now`` (a live booth's time), tested 12 h before, who was in
    ``travel_city`` two days before."""
    return claims(
        valid_from=now - timedelta(hours=1),
        valid_until=now + timedelta(days=7),
        issued_at=now - timedelta(hours=1),
        health_code_checked_at=checked_today(now),
        test=NucleicAcidTest(now - timedelta(hours=12), TestResult.NEGATIVE),
        travel=(TravelVisit(travel_city, china_day(now) - timedelta(days=2)),),
    )


def trust_for(
    key: Ed25519PrivateKey,
    issuer: str = ISSUER,
    valid_from: datetime = KEY_FROM,
    valid_until: datetime | None = None,
) -> TrustStore:
    return TrustStore((TrustedKey(key.public_key(), issuer, valid_from, valid_until),))


def claims_map(**changes: Any) -> dict[str, Any]:
    """The wire claims map of CLAIMS, with entries replaced (or removed when set to None)."""
    base: dict[str, Any] = cbor2.loads(encode_claims(CLAIMS, ISSUER))
    base.update(changes)
    return {name: value for name, value in base.items() if value is not None}


def wrap(cose_bytes: bytes) -> str:
    """Apply the GH1 wire layers to already-built COSE bytes."""
    return "GH1:" + b45encode(zlib.compress(cose_bytes, 9))


def sign_payload(payload: bytes, key: Ed25519PrivateKey, kid: bytes | None = None) -> str:
    """A pass text carrying an arbitrary payload, properly signed by ``key``."""
    return wrap(cose.sign1(payload, key, key_id(key.public_key()) if kid is None else kid))


def unwrap(text: str) -> bytes:
    """The COSE bytes inside a pass text."""
    return zlib.decompress(b45decode(text.removeprefix("GH1:")))


def mutate(data: Any, text: str, alphabet: str, max_edits: int) -> str:
    """``text`` after 1..max_edits random edits drawn from hypothesis ``data`` (st.data()):
    replace, delete or insert a character from ``alphabet``, or truncate."""
    chars = list(text)
    for _ in range(data.draw(st.integers(1, max_edits))):
        index = data.draw(st.integers(0, len(chars) - 1))
        operation = data.draw(st.sampled_from(["replace", "delete", "insert", "truncate"]))
        if operation == "truncate":
            del chars[index:]
        elif operation == "delete":
            del chars[index]
        else:
            char = data.draw(st.sampled_from(alphabet))
            chars[index : index + (operation == "replace")] = [char]
        if not chars:
            break
    return "".join(chars)
