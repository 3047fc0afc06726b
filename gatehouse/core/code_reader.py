"""Every code a person can hold up, read one way: ``read_code(text, trust, now)``.

The booth and ``gatehouse inspect-code`` both call this, so a supervisor examining a disputed
code sees exactly what the booth saw. It never raises on input: whatever the text, the answer
is a ScannedCode that says what kind of code it is, whether every check passed (encoding,
signature, schema, validity at ``now``, key usage, revocation) and, if not, why.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from gatehouse.core.code_kinds import CodeKind
from gatehouse.core.dcc.signer import DccSigner
from gatehouse.core.dcc.verify import DCC_PREFIX, DccError, read_dcc
from gatehouse.core.gatehouse_pass import CredentialError, verify_pass
from gatehouse.core.health_codes import HealthCodeIssuers
from gatehouse.core.keys import TrustStore
from gatehouse.core.models import PassClaims, VerifiedPass
from gatehouse.core.reasons import Reason, ReasonCode, display_time, reason
from gatehouse.core.scanner_text import mangling_cause
from gatehouse.core.shc.card import ShcError, read_shc
from gatehouse.core.shc.issuers import ShcIssuer
from gatehouse.core.shc.numeric import SHC_PREFIX

# Three SMART Health Card chunks of a full version-40 QR code, with room to spare.
MAX_TEXT_LENGTH = 32 * 1024
_GATEHOUSE_ANY_VERSION = re.compile(r"GH\d{1,4}:")
# No trusted key verifies the code: from an unknown issuer, or one whose trust file was refused.
UNKNOWN_SIGNER = frozenset(
    {ReasonCode.PASS_UNKNOWN_KEY, ReasonCode.DCC_UNKNOWN_SIGNER, ReasonCode.SHC_UNKNOWN_KEY}
)


@dataclass(frozen=True)
class TrustMaterial:
    """Everything a booth trusts to verify codes, loaded from the office's files."""

    passes: TrustStore = field(default_factory=TrustStore)
    dcc_signers: tuple[DccSigner, ...] = ()
    shc_issuers: tuple[ShcIssuer, ...] = ()
    health_code_issuers: HealthCodeIssuers = field(default_factory=HealthCodeIssuers)
    refused: tuple[str, ...] = ()  # items refused while loading, each with its reason


@dataclass(frozen=True)
class ScannedCode:
    """What a scanned text is and says. ``reasons`` are the failed checks when not verified,
    or the instruction for the guard (a provincial code's issuer and "attest the colour")."""

    kind: CodeKind
    verified: bool
    claims: Mapping[str, Any] | None  # JSON values
    reasons: tuple[Reason, ...]
    issuer: str | None = None
    credential: VerifiedPass | None = None  # a Gatehouse pass whose signature verified


def read_code(text: str, trust: TrustMaterial, now: datetime) -> ScannedCode:
    """Identify, decode and verify ``text`` at ``now`` (timezone-aware)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    text = text.strip("\r\n")  # keyboard-wedge scanners end a scan with CR/LF
    if len(text) > MAX_TEXT_LENGTH:
        return _refused(CodeKind.UNKNOWN, reason(ReasonCode.CODE_TOO_LONG, length=len(text)))
    cause = mangling_cause(text)
    if cause is not None:
        return ScannedCode(
            CodeKind.SCANNER_MANGLED,
            False,
            {"cause": cause},
            (reason(ReasonCode.CODE_SCANNER_MANGLED, cause=cause),),
        )
    if _GATEHOUSE_ANY_VERSION.match(text):
        return _uncheckable(_gatehouse_pass(text, trust.passes, now), trust)
    if text.startswith(DCC_PREFIX):
        return _uncheckable(_dcc(text, trust, now), trust)
    if text.startswith(SHC_PREFIX):
        return _uncheckable(_shc(text, trust, now), trust)
    issuer = trust.health_code_issuers.match(text)
    if issuer is not None:
        return ScannedCode(
            CodeKind.PROVINCIAL_HEALTH_CODE,
            False,
            {"issuer_id": issuer.issuer_id, "issuer_zh": issuer.name_zh},
            (reason(ReasonCode.HEALTH_CODE_ATTEST_NEEDED, issuer=issuer.name_zh),),
            issuer=issuer.name_en,
        )
    return _refused(CodeKind.UNKNOWN, reason(ReasonCode.CODE_UNKNOWN_KIND))


def _uncheckable(scanned: ScannedCode, trust: TrustMaterial) -> ScannedCode:
    """A code no trusted key verifies while some trust file was refused could not be checked:
    its key may be in the refused file, so it refers ("trust.incomplete") rather than being
    turned away as from an unknown issuer."""
    if not trust.refused or not any(item.code in UNKNOWN_SIGNER for item in scanned.reasons):
        return scanned
    why = reason(ReasonCode.TRUST_INCOMPLETE, refused=len(trust.refused))
    return dataclasses.replace(
        scanned,
        reasons=tuple(why if item.code in UNKNOWN_SIGNER else item for item in scanned.reasons),
    )


def _refused(kind: CodeKind, why: Reason) -> ScannedCode:
    return ScannedCode(kind, False, None, (why,))


def _gatehouse_pass(text: str, trust: TrustStore, now: datetime) -> ScannedCode:
    try:
        verified = verify_pass(text, trust)
    except CredentialError as exc:
        return _refused(CodeKind.GATEHOUSE_PASS, exc.reason)
    claims = verified.claims
    problems = []
    if now < claims.valid_from:
        problems.append(
            reason(ReasonCode.VALIDITY_NOT_YET, valid_from=display_time(claims.valid_from))
        )
    elif now >= claims.valid_until:
        problems.append(
            reason(ReasonCode.VALIDITY_EXPIRED, valid_until=display_time(claims.valid_until))
        )
    return ScannedCode(
        CodeKind.GATEHOUSE_PASS,
        not problems,
        pass_claims_json(claims),
        tuple(problems),
        issuer=verified.issuer,
        credential=verified,
    )


def _dcc(text: str, trust: TrustMaterial, now: datetime) -> ScannedCode:
    try:
        reading = read_dcc(text, trust.dcc_signers, now)
    except DccError as exc:
        return _refused(CodeKind.EU_DCC, exc.reason)
    payload = reading.payload
    claims = {
        "issuer_country": payload.issuer_country,
        "issued_at": _json(payload.issued_at),
        "expires_at": _json(payload.expires_at),
        "certificate": payload.certificate,
    }
    signer = reading.signer.subject if reading.signer else None
    return ScannedCode(CodeKind.EU_DCC, reading.verified, claims, reading.problems, signer)


def _shc(text: str, trust: TrustMaterial, now: datetime) -> ScannedCode:
    try:
        reading = read_shc(text, trust.shc_issuers, now)
    except ShcError as exc:
        return _refused(CodeKind.SHC, exc.reason)
    return ScannedCode(
        CodeKind.SHC, reading.verified, reading.claims, reading.problems, reading.issuer
    )


def pass_claims_json(claims: PassClaims) -> dict[str, Any]:
    """A Gatehouse pass's claims as JSON values (times as ISO 8601 UTC)."""
    return {name: _json(value) for name, value in dataclasses.asdict(claims).items()}


def _json(value: object) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {key: _json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json(item) for item in value]
    return value
