"""What a booth's policy and trust need from the ledger: its newest verified hub bundles."""

from __future__ import annotations

from typing import Protocol

from gatehouse.store.bundles import StoredBundle


class BundleSource(Protocol):
    """The newest hub bundle of a name the booth accepted (``Ledger.bundle``), or ``None``."""

    def bundle(self, name: str) -> StoredBundle | None: ...
