"""The office's privacy settings, from the hub's ``privacy`` bundle.

``{"retention_days": 90, "id_hash_key": "<hex, ≥ 16 bytes>"}``. Until the office has published
them there is no retention purge and no ID hash (so no full ID number is ever logged either).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from gatehouse.store.ledger import Ledger

MIN_KEY_BYTES = 16


@dataclass(frozen=True)
class PrivacySettings:
    retention_days: int | None = None
    id_hash_key: bytes | None = None


def privacy_settings(ledger: Ledger) -> PrivacySettings:
    """The settings in force; values that are missing or unusable count as not set."""
    bundle = ledger.bundle("privacy")
    content: Any = bundle.content if bundle is not None else None
    if not isinstance(content, dict):
        return PrivacySettings()
    return PrivacySettings(_days(content.get("retention_days")), _key(content.get("id_hash_key")))


def _days(value: Any) -> int | None:
    usable = isinstance(value, int) and not isinstance(value, bool) and value > 0
    return value if usable else None


def _key(value: Any) -> bytes | None:
    if not isinstance(value, str):
        return None
    try:
        key = bytes.fromhex(value)
    except ValueError:
        return None
    return key if len(key) >= MIN_KEY_BYTES else None
