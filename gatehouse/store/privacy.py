"""The office's privacy settings in force at this booth, from the hub's ``privacy`` bundle.

Until the office has published them there is no retention purge and no ID hash (so no full
ID number is ever logged either); the document is read by ``gatehouse.core.privacy``, which
the hub also checks it with before publishing.
"""

from __future__ import annotations

from gatehouse.core.privacy import PrivacySettings, privacy_from_content
from gatehouse.store.ledger import Ledger


def privacy_settings(ledger: Ledger) -> PrivacySettings:
    """The settings in force; values that are missing or unusable count as not set."""
    bundle = ledger.bundle("privacy")
    return privacy_from_content(bundle.content if bundle is not None else None)
