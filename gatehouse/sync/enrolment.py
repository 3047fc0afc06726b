"""Enrolling a booth with a hub: the settings sync needs, kept in the booth's ledger."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from gatehouse.core.keys import public_key_from_pem
from gatehouse.store.ledger import Ledger
from gatehouse.sync.client import HubClient

_KEYS = ("hub_url", "booth_id", "token", "bundle_key_pem")


def hub_address(text: str) -> str:
    """The hub's URL from what a person typed: ``host:port`` (as the office writes it on the
    enrolment slip) means ``http://host:port``. ValueError when it cannot be a hub's address."""
    address = text.strip()
    if address and "://" not in address:
        address = "http://" + address
    address = address.rstrip("/")
    parts = urlsplit(address)
    try:
        parts.port  # noqa: B018 (raises on a port that is not a number)
    except ValueError:
        parts = parts._replace(netloc="")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(
            f"{text.strip()!r} is not a hub address: give host:port or http(s)://host:port, "
            "e.g. 192.168.1.10:8750"
        )
    return address


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
