"""Provincial health codes: not self-verifying, so the booth names the issuer and a person or
the issuer's service vouches for the colour.

The QR of a provincial code is a URL or token of the issuing platform. Offline, the booth can
only recognise the issuer (by prefix, from a table the hub keeps up to date) and have the guard
attest the colour shown on the phone; the passage stays "attested, pending verification" until
the issuer's service answers. ``reverification_result`` turns that answer into whether a
supervisor must be alerted.

Issuers are matched by literal prefix, not regular expression: the table comes over the
network, and a prefix can neither be slow nor match more than it says.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gatehouse.core.models import HealthCodeColour
from gatehouse.core.reasons import Reason, ReasonCode, display_time, reason

TABLE_FORMAT = "gatehouse-health-code-issuers/1"
_ISSUER_FIELDS = frozenset({"id", "name_zh", "name_en", "prefixes"})
_MIN_PREFIX = 8  # a shorter prefix ("https://") would claim every URL


class IssuerTableError(ValueError):
    """The issuer table is not a valid gatehouse-health-code-issuers/1 document."""


@dataclass(frozen=True)
class HealthCodeIssuer:
    issuer_id: str
    name_zh: str
    name_en: str
    prefixes: tuple[str, ...]


@dataclass(frozen=True)
class HealthCodeIssuers:
    issuers: tuple[HealthCodeIssuer, ...] = ()
    version: str = ""

    def match(self, text: str) -> HealthCodeIssuer | None:
        """The issuer with the longest prefix of ``text`` (scheme and host case-insensitive)."""
        folded = _fold(text)
        best: tuple[int, HealthCodeIssuer] | None = None
        for issuer in self.issuers:
            for prefix in issuer.prefixes:
                if folded.startswith(_fold(prefix)) and (best is None or len(prefix) > best[0]):
                    best = (len(prefix), issuer)
        return best[1] if best else None

    @classmethod
    def from_json(cls, text: str) -> HealthCodeIssuers:
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise IssuerTableError(f"issuer table is not JSON: {exc}") from exc
        if not isinstance(document, dict) or document.get("format") != TABLE_FORMAT:
            raise IssuerTableError(f'issuer table must say "format": "{TABLE_FORMAT}"')
        entries = document.get("issuers")
        if not isinstance(entries, list):
            raise IssuerTableError('"issuers" must be a list')
        version = document.get("version", "")
        return cls(tuple(_issuer(i, entry) for i, entry in enumerate(entries)), str(version))


def _issuer(index: int, entry: Any) -> HealthCodeIssuer:
    where = f"issuers[{index}]"
    if not isinstance(entry, dict) or set(entry) != _ISSUER_FIELDS:
        raise IssuerTableError(f"{where} must have exactly the fields {sorted(_ISSUER_FIELDS)}")
    texts = [entry[name] for name in ("id", "name_zh", "name_en")]
    if not all(isinstance(value, str) and value for value in texts):
        raise IssuerTableError(f"{where}: id and names must be non-empty text")
    prefixes = entry["prefixes"]
    if (
        not isinstance(prefixes, list)
        or not prefixes
        or not all(isinstance(p, str) and len(p) >= _MIN_PREFIX for p in prefixes)
    ):
        raise IssuerTableError(f"{where}.prefixes: a list of prefixes of {_MIN_PREFIX}+ chars")
    return HealthCodeIssuer(texts[0], texts[1], texts[2], tuple(prefixes))


def _fold(text: str) -> str:
    """Lower-case the scheme and host of a URL (they are case-insensitive), keep the rest."""
    scheme, separator, rest = text.partition("://")
    if not separator:
        return text
    host, slash, path = rest.partition("/")
    return f"{scheme.lower()}://{host.lower()}{slash}{path}"


# -- re-verification when the network is back --


@dataclass(frozen=True)
class VerificationAnswer:
    """What the issuer's service said: the colour, or None when it does not know the code."""

    colour: HealthCodeColour | None
    checked_at: datetime


@dataclass(frozen=True)
class ReverificationResult:
    alert_supervisor: bool
    reason: Reason


def reverification_result(
    attested: HealthCodeColour, answer: VerificationAnswer
) -> ReverificationResult:
    """Alert a supervisor unless the issuer confirms green (whatever the guard attested)."""
    checked = display_time(answer.checked_at)
    if answer.colour is None:
        return ReverificationResult(
            True, reason(ReasonCode.HEALTH_CODE_REVERIFY_UNKNOWN, checked=checked)
        )
    if answer.colour is HealthCodeColour.GREEN:
        return ReverificationResult(
            False, reason(ReasonCode.HEALTH_CODE_REVERIFIED_GREEN, checked=checked)
        )
    return ReverificationResult(
        True,
        reason(
            ReasonCode.HEALTH_CODE_REVERIFIED_NOT_GREEN,
            colour=answer.colour.value,
            attested=attested.value,
            checked=checked,
        ),
    )
