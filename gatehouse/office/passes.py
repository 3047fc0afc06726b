"""Issuing passes at the epidemic office: issuer keys, signed pass texts, printable cards.

The signing itself is ``gatehouse.core.gatehouse_pass.encode_pass``; this module adds the files
around it (key files, trust files, the list secret, printable cards) for the ``keygen`` and
``issue-pass`` commands and ``PassRequest`` for the hub. No argparse here: the commands turn
what was typed into a ``PassRequest``, so its errors name fields, never command-line options.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import segno

from gatehouse.core.gatehouse_pass import encode_pass
from gatehouse.core.keys import (
    TrustedKey,
    TrustStore,
    generate_issuer_key,
    private_key_from_pem,
    private_key_to_pem,
)
from gatehouse.core.models import (
    HealthCodeColour,
    NucleicAcidTest,
    PassClaims,
    Role,
    TestResult,
    TravelVisit,
    Vaccination,
)
from gatehouse.core.rules.colour_age import MAX_AGE_PARAM, max_age_hours
from gatehouse.core.rules.persons import id_hash, key_check, mask_id_number, normalise_id_number

MIN_SECRET_BYTES = 16


def write_issuer_key(out: Path, issuer: str, trust_file: Path | None) -> str:
    """Create a signing key at ``out`` (owner-only) and return its trust-file JSON.

    With ``trust_file`` the key is also added to that file (created if missing).
    """
    if out.exists():
        raise FileExistsError(f"{out} exists; refusing to overwrite an issuer key")
    private_key = generate_issuer_key()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.touch(mode=0o600)
    out.write_bytes(private_key_to_pem(private_key))
    entry = TrustedKey(
        public_key=private_key.public_key(),
        issuer=issuer,
        # Whole seconds, as passes carry them: a pass signed within the key's first second
        # must not look issued before the key existed.
        valid_from=datetime.now(UTC).replace(microsecond=0),
        valid_until=None,
    )
    store = TrustStore((entry,))
    if trust_file is not None:
        existing = (
            TrustStore.from_json(trust_file.read_text(encoding="utf-8"))
            if trust_file.exists()
            else TrustStore()
        )
        store = TrustStore((*existing.keys, entry))
        trust_file.write_text(store.to_json(), encoding="utf-8")
    return store.to_json()


@dataclass(frozen=True)
class PassRequest:
    """What the office fills in for one pass.

    ``health_code_checked_at`` is when the office looked at the holder's health code (None: at
    issue time); the colour counts only for the pack's maximum age after it, which the card
    prints. The ID number must be a valid resident ID (GB 11643): a wrong one would print a
    pass every booth refers.
    """

    pass_id: str
    holder_name: str
    id_number: str
    role: Role
    health_code: HealthCodeColour
    test_sampled_at: datetime | None
    test_result: TestResult
    travel: tuple[TravelVisit, ...]
    valid_days: int
    vaccination: Vaccination | None = None
    host: str | None = None
    approval_id: str | None = None
    id_hash_secret: bytes | None = None  # the person-list secret; None: no keyed hash
    health_code_checked_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.role is Role.VISITOR and not (self.host and self.approval_id):
            raise ValueError("a visitor's pass needs the host and the approval id")
        normalise_id_number(self.id_number)  # IdNumberError (a ValueError) names the fault
        checked = self.health_code_checked_at
        if checked is not None and checked.tzinfo is None:
            raise ValueError("the health-code check time needs a UTC offset")

    def claims(self, now: datetime) -> PassClaims:
        checked = self.health_code_checked_at or now
        if checked > now:
            raise ValueError("the health code cannot be checked after the pass is issued")
        secret = self.id_hash_secret
        return PassClaims(
            pass_id=self.pass_id,
            holder_name=self.holder_name,
            id_masked=mask_id_number(self.id_number),
            role=self.role,
            health_code=self.health_code,
            health_code_checked_at=checked,
            test=(
                NucleicAcidTest(self.test_sampled_at, self.test_result)
                if self.test_sampled_at
                else None
            ),
            travel=self.travel,
            issued_at=now,
            valid_from=now,
            valid_until=now + timedelta(days=self.valid_days),
            id_hash=id_hash(secret, self.id_number) if secret else None,
            id_key_check=key_check(secret) if secret else None,
            vaccination=self.vaccination,
            host=self.host,
            approval_id=self.approval_id,
        )


def read_id_hash_secret(path: Path) -> bytes:
    """The mine's person-list secret, as booths read it: hex text of at least 16 bytes."""
    try:
        text = path.expanduser().read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"{path}: cannot read the list secret ({exc.strerror})") from exc
    try:
        secret = bytes.fromhex(text.strip())
    except ValueError as exc:
        raise ValueError(f"{path}: the list secret must be hex text") from exc
    if len(secret) < MIN_SECRET_BYTES:
        raise ValueError(f"{path}: the list secret must be at least {MIN_SECRET_BYTES} bytes")
    return secret


def issue_pass_files(
    request: PassRequest,
    key_file: Path,
    issuer: str,
    png: Path | None,
    now: datetime | None = None,
    card: Path | None = None,
    colour_max_age_hours: float | None = None,
) -> str:
    """Sign the pass with the key in ``key_file``; optionally write its QR as a PNG and a
    printable card (PNG or PDF, by the file's suffix) saying until when the colour counts."""
    if colour_max_age_hours is not None:
        max_age_hours({MAX_AGE_PARAM: colour_max_age_hours})  # as a booth would accept it
    private_key = private_key_from_pem(key_file.read_bytes())
    claims = request.claims(now or datetime.now(UTC))
    text = encode_pass(claims, private_key, issuer)
    if png is not None:
        write_qr_png(text, png)
    if card is not None:
        from gatehouse.office.card import write_card  # Pillow loads only when a card is printed

        write_card(text, claims, issuer, card, colour_max_age_hours)
    return text


def write_qr_png(text: str, path: Path, scale: int = 8) -> None:
    # Alphanumeric mode keeps base45 text compact; error level M survives a scuffed phone screen.
    segno.make_qr(text, error="m").save(str(path), scale=scale, border=4)
