"""The verification client against a real HTTP server on 127.0.0.1 speaking the contract."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest

from gatehouse.core.health_codes import reverification_result
from gatehouse.core.models import HealthCodeColour
from gatehouse.verification.client import (
    HealthCodeVerifier,
    VerificationProtocolError,
    VerificationRefused,
    VerificationUnavailable,
    VerifierAccount,
)
from tests.verification.issuer_service import IssuerService, running_service

SCANNED = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
TOKEN = "booth-7-secret"


@pytest.fixture
def service() -> Iterator[tuple[IssuerService, str]]:
    with running_service() as running:
        yield running


def _verifier(url: str) -> HealthCodeVerifier:
    return HealthCodeVerifier(VerifierAccount(url, TOKEN, timeout_s=10))


def _json(document: dict[str, Any]) -> bytes:
    return json.dumps(document).encode()


def test_request_follows_the_contract(service: tuple[IssuerService, str]) -> None:
    state, url = service
    state.reply = lambda body: (
        200,
        _json({"status": "ok", "colour": "yellow", "checked_at": "2026-11-20T09:00:00+08:00"}),
    )
    answer = _verifier(url).verify("sn", "https://hc.example/v/abc", "north-gate-2", SCANNED)
    assert answer.colour is HealthCodeColour.YELLOW
    assert answer.checked_at == datetime(2026, 11, 20, 1, 0, tzinfo=UTC)
    path, headers, body = state.requests[0]
    assert path == "/v1/verify"
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    assert body == {
        "issuer": "sn",
        "code": "https://hc.example/v/abc",
        "booth_id": "north-gate-2",
        "scanned_at": SCANNED.isoformat(),
    }
    assert reverification_result(HealthCodeColour.GREEN, answer).alert_supervisor


def test_unknown_code(service: tuple[IssuerService, str]) -> None:
    state, url = service
    state.reply = lambda body: (
        200,
        _json({"status": "unknown_code", "checked_at": "2026-11-20T01:00:00Z"}),
    )
    assert _verifier(url).verify("sn", "x", "b", SCANNED).colour is None


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (401, VerificationRefused),
        (403, VerificationRefused),
        (429, VerificationUnavailable),
        (503, VerificationUnavailable),
        (400, VerificationProtocolError),
    ],
)
def test_http_errors_say_what_to_do(
    status: int, error: type[Exception], service: tuple[IssuerService, str]
) -> None:
    state, url = service
    state.reply = lambda body: (status, b"{}")
    with pytest.raises(error):
        _verifier(url).verify("sn", "x", "b", SCANNED)


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b"[]",
        _json({"status": "ok", "colour": "blue", "checked_at": "2026-11-20T01:00:00Z"}),
        _json({"status": "ok", "colour": "green", "checked_at": "2026-11-20T01:00:00"}),
        _json({"status": "maybe", "checked_at": "2026-11-20T01:00:00Z"}),
        b" " * 20_000,
    ],
)
def test_contract_violations_are_protocol_errors(
    payload: bytes, service: tuple[IssuerService, str]
) -> None:
    state, url = service
    state.reply = lambda body: (200, payload)
    with pytest.raises(VerificationProtocolError):
        _verifier(url).verify("sn", "x", "b", SCANNED)


def test_nothing_listening_is_unavailable(service: tuple[IssuerService, str]) -> None:
    _, url = service
    closed = url.rsplit(":", 1)[0] + ":9/v1"  # discard port: nothing listens on loopback
    with pytest.raises(VerificationUnavailable):
        _verifier(closed).verify("sn", "x", "b", SCANNED)
