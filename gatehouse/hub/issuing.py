"""Issuing passes at the hub: the office's issuer key lives on the hub, not on every desk.

``POST /v1/passes`` (office only) takes the pass's fields as JSON, signs the pass with
``encode_pass`` through ``gatehouse.office.passes.PassRequest`` (the same claims ``issue-pass``
makes) and answers the QR text, and the printable card as a PNG when asked.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from gatehouse.core.gatehouse_pass import encode_pass
from gatehouse.core.models import HealthCodeColour, Role, TestResult, TravelVisit
from gatehouse.core.rules.persons import normalise_id_number
from gatehouse.office.passes import PassRequest

MAX_VALID_DAYS = 366


@dataclass(frozen=True)
class HubIssuer:
    """The office's signing key and the issuer name its passes carry."""

    key: Ed25519PrivateKey = field(repr=False)
    name: str
    list_secret: bytes | None = field(default=None, repr=False)  # embeds the keyed ID hash


def issue_pass(issuer: HubIssuer, body: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """Sign the pass ``body`` describes; ValueError naming the field when it is unusable."""
    request = pass_request(body, issuer.list_secret)
    claims = request.claims(now)
    text = encode_pass(claims, issuer.key, issuer.name)
    reply: dict[str, Any] = {
        "pass_id": claims.pass_id,
        "qr_text": text,
        "id_masked": claims.id_masked,
        "valid_until": claims.valid_until.isoformat(),
    }
    if body.get("card") is True:
        from gatehouse.office.card import render_card  # Pillow loads only when a card is asked for

        png = io.BytesIO()
        render_card(text, claims, issuer.name).save(png, format="PNG")
        reply["card_png_base64"] = base64.b64encode(png.getvalue()).decode("ascii")
    return reply


def pass_request(body: Mapping[str, Any], secret: bytes | None) -> PassRequest:
    valid_days = body.get("valid_days", 7)
    if not isinstance(valid_days, int) or not 1 <= valid_days <= MAX_VALID_DAYS:
        raise ValueError(f"valid_days must be a whole number from 1 to {MAX_VALID_DAYS}")
    sampled = body.get("test_sampled_at")
    try:
        return PassRequest(
            pass_id=_text(body, "pass_id"),
            holder_name=_text(body, "name"),
            id_number=normalise_id_number(_text(body, "id_number")),
            role=Role(body.get("role", Role.EMPLOYEE.value)),
            health_code=HealthCodeColour(body.get("health_code", "green")),
            test_sampled_at=_aware(sampled) if sampled is not None else None,
            test_result=TestResult(body.get("test_result", "negative")),
            travel=tuple(_visit(item) for item in body.get("travel", [])),
            valid_days=valid_days,
            host=body.get("host"),
            approval_id=body.get("approval_id"),
            id_hash_secret=secret,
        )
    except (TypeError, KeyError) as exc:
        raise ValueError(f"pass fields are malformed: {exc}") from None


def _text(body: Mapping[str, Any], name: str) -> str:
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{name} must be non-empty text")
    return value.strip()


def _aware(text: Any) -> datetime:
    moment = datetime.fromisoformat(str(text))
    if moment.tzinfo is None:
        raise ValueError("test_sampled_at needs a UTC offset")
    return moment


def _visit(item: Any) -> TravelVisit:
    if not isinstance(item, dict):
        raise ValueError('travel entries must be {"region": "610100", "day": "2026-11-20"}')
    region = str(item.get("region", ""))
    if not (region.isdigit() and len(region) == 6):
        raise ValueError(f"travel region {region!r} must be a 6-digit region code")
    return TravelVisit(region, date.fromisoformat(str(item.get("day"))))
