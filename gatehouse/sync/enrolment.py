"""Enrolling a booth with a hub: the settings sync needs, kept in the booth's ledger."""

from __future__ import annotations

from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from gatehouse.core.keys import public_key_from_pem
from gatehouse.store.ledger import Ledger
from gatehouse.sync.client import HubClient

_KEYS = ("hub_url", "booth_id", "token", "bundle_key_pem")


@dataclass(frozen=True)
class SyncSettings:
    hub_url: str
    booth_id: str
    token: str
    bundle_key: Ed25519PublicKey  # the hub's bundle signing key, pinned at enrolment


def enrol_booth(ledger: Ledger, hub_url: str, booth_id: str, code: str) -> SyncSettings:
    """Spend ``code`` at the hub and keep the token and the hub's bundle key in the ledger.

    The hub's key is pinned here, on first contact with a code the office handed over; every
    bundle pulled later must be signed with it.
    """
    token, key_pem = HubClient(hub_url).enrol(booth_id, code)
    key = public_key_from_pem(key_pem.encode("ascii"))
    values = {"hub_url": hub_url, "booth_id": booth_id, "token": token, "bundle_key_pem": key_pem}
    ledger.save_settings(values).result()
    return SyncSettings(hub_url, booth_id, token, key)


def load_settings(ledger: Ledger) -> SyncSettings | None:
    """The booth's enrolment, or ``None`` if it has never been enrolled with a hub."""
    stored = ledger.settings()
    if not all(stored.get(key) for key in _KEYS):
        return None
    return SyncSettings(
        hub_url=stored["hub_url"],
        booth_id=stored["booth_id"],
        token=stored["token"],
        bundle_key=public_key_from_pem(stored["bundle_key_pem"].encode("ascii")),
    )
