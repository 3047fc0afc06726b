"""The HTTP client of the health-code verification contract (docs/health-code-verification.md).

One POST per code. Failures are sorted by what the caller should do: retry later
(VerificationUnavailable: network down, timeout, 429, 5xx), fix the account
(VerificationRefused: 401, 403), or report a broken service (VerificationProtocolError).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gatehouse.core.health_codes import VerificationAnswer
from gatehouse.core.models import HealthCodeColour

MAX_RESPONSE_BYTES = 16 * 1024
_RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504})


class VerificationError(Exception):
    """The code could not be verified online."""


class VerificationUnavailable(VerificationError):  # noqa: N818 - the caller retries these
    """Try again later: the network or the service is down or busy."""


class VerificationRefused(VerificationError):  # noqa: N818 - an account problem
    """The service refused the booth's credentials; retrying will not help."""


class VerificationProtocolError(VerificationError):
    """The service answered something the contract does not allow."""


@dataclass(frozen=True)
class VerifierAccount:
    base_url: str  # e.g. https://verify.example.gov.cn/gatehouse/v1
    token: str
    timeout_s: float = 5.0


class HealthCodeVerifier:
    def __init__(self, account: VerifierAccount) -> None:
        self._account = account

    def verify(
        self, issuer_id: str, code: str, booth_id: str, scanned_at: datetime
    ) -> VerificationAnswer:
        """Ask the issuer's service for the colour of ``code`` (scanned at ``scanned_at``)."""
        body = json.dumps(
            {
                "issuer": issuer_id,
                "code": code,
                "booth_id": booth_id,
                "scanned_at": scanned_at.isoformat(),
            }
        ).encode("utf-8")
        request = urllib.request.Request(
            self._account.base_url.rstrip("/") + "/verify",
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json",
                "Accept": "application/json",
                "Authorization": f"Bearer {self._account.token}",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self._account.timeout_s) as response:
                return _answer(response.read(MAX_RESPONSE_BYTES + 1))
        except urllib.error.HTTPError as exc:
            raise _http_error(exc) from exc
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            raise VerificationUnavailable(f"service unreachable: {exc}") from exc


def _http_error(exc: urllib.error.HTTPError) -> VerificationError:
    if exc.code in (401, 403):
        return VerificationRefused(f"service refused the booth's account (HTTP {exc.code})")
    if exc.code in _RETRYABLE_STATUS:
        return VerificationUnavailable(f"service busy or failing (HTTP {exc.code})")
    return VerificationProtocolError(f"unexpected HTTP {exc.code}")


def _answer(raw: bytes) -> VerificationAnswer:
    if len(raw) > MAX_RESPONSE_BYTES:
        raise VerificationProtocolError(f"response longer than {MAX_RESPONSE_BYTES} bytes")
    try:
        document: Any = json.loads(raw)
    except ValueError as exc:
        raise VerificationProtocolError(f"response is not JSON: {exc}") from exc
    if not isinstance(document, dict):
        raise VerificationProtocolError("response is not a JSON object")
    checked_at = _aware_time(document.get("checked_at"))
    status = document.get("status")
    if status == "unknown_code":
        return VerificationAnswer(None, checked_at)
    if status != "ok":
        raise VerificationProtocolError(f"status {status!r} is not ok or unknown_code")
    colour_text = document.get("colour")
    try:
        colour = HealthCodeColour(colour_text if isinstance(colour_text, str) else "")
    except ValueError:
        raise VerificationProtocolError(f"colour {colour_text!r} is not a colour") from None
    return VerificationAnswer(colour, checked_at)


def _aware_time(value: object) -> datetime:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise VerificationProtocolError("checked_at must be ISO 8601 with a UTC offset")
    return moment
