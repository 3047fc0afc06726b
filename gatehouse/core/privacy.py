"""The office's privacy settings, the ``privacy`` bundle: read by booths, checked by the hub.

``{"retention_days": 90, "id_hash_key": "<hex, ≥ 16 bytes>"}``. A booth counts a value that is
missing or unusable as not set (no retention purge, no ID hash); the hub refuses to publish a
document with one, naming it, so the office never believes a setting is in force that no booth
applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MIN_KEY_BYTES = 16
FIELDS = ("retention_days", "id_hash_key")


class PrivacyError(ValueError):
    """A privacy document with a field no booth would use."""


@dataclass(frozen=True)
class PrivacySettings:
    retention_days: int | None = None
    id_hash_key: bytes | None = None


def privacy_from_content(content: Any) -> PrivacySettings:
    """The settings a booth applies; values that are missing or unusable count as not set."""
    if not isinstance(content, dict):
        return PrivacySettings()
    return PrivacySettings(_days(content.get("retention_days")), _key(content.get("id_hash_key")))


def check_privacy(content: Any) -> PrivacySettings:
    """The settings, or PrivacyError naming the first field a booth would ignore."""
    if not isinstance(content, dict):
        raise PrivacyError('privacy settings must be an object {"retention_days", "id_hash_key"}')
    unknown = sorted(set(content) - set(FIELDS))
    if unknown:
        raise PrivacyError(f"unknown field {unknown[0]!r}: the fields are {', '.join(FIELDS)}")
    settings = privacy_from_content(content)
    if "retention_days" in content and settings.retention_days is None:
        raise PrivacyError("retention_days must be a whole number of days above 0")
    if "id_hash_key" in content and settings.id_hash_key is None:
        raise PrivacyError(f"id_hash_key must be hex text of at least {MIN_KEY_BYTES} bytes")
    return settings


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
