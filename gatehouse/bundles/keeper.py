"""Keeping what a running booth decides by current as the sync stores newer hub bundles.

The sync worker calls ``on_sync_status`` from its own thread while the GUI or a ledger-writer
callback may ask for a reload at the same moment; one lock serialises every update, so the
newest data always wins and a half-built value is never applied.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Mapping
from typing import Generic, TypeVar

from gatehouse.sync.worker import SyncStatus

T = TypeVar("T")


class BundleKeeper(Generic[T]):
    """Base of the policy and trust keepers: tracks the versions of the ``watched`` bundles
    (``None``: every bundle), and hands each new value to ``apply``.

    Subclasses say what a sync status means in ``_after_sync`` (called under the lock, with
    whether a watched bundle changed) and return the value to apply, or ``None`` for nothing.
    """

    def __init__(
        self, apply: Callable[[T], None] | None, watched: Collection[str] | None = None
    ) -> None:
        self._apply = apply
        self._watched = None if watched is None else frozenset(watched)
        self._versions: dict[str, int] = {}
        self._lock = threading.Lock()

    def set_apply(self, apply: Callable[[T], None]) -> None:
        """Where new values go from now on (e.g. the service, once it exists)."""
        self._apply = apply

    def on_sync_status(self, status: SyncStatus) -> None:
        """The sync worker's callback, after every exchange with the hub."""
        with self._lock:
            value = self._after_sync(status, changed=self._note(status.bundle_versions))
            if value is not None:
                self._give(value)

    def _note(self, versions: Mapping[str, int]) -> bool:
        """Remember the watched bundles' versions; whether any differs from before."""
        watched = {
            name: version
            for name, version in versions.items()
            if self._watched is None or name in self._watched
        }
        if watched == self._versions:
            return False
        self._versions = watched
        return True

    def _after_sync(self, status: SyncStatus, *, changed: bool) -> T | None:
        raise NotImplementedError

    def _give(self, value: T) -> None:
        if self._apply is not None:
            self._apply(value)
