"""The one keeper pattern: a keeper rebuilds only for the bundles it watches, and the sync
worker's thread and a reload from another thread never build at the same time."""

from __future__ import annotations

import threading
from pathlib import Path

from gatehouse.bundles.keeper import BundleKeeper
from gatehouse.bundles.trust import TrustKeeper
from gatehouse.config import Config, TrustSettings
from gatehouse.core.code_reader import TrustMaterial
from gatehouse.store.ledger import Ledger
from gatehouse.sync.worker import SyncStatus


def test_the_trust_keeper_rebuilds_for_trust_bundles_only(tmp_path: Path) -> None:
    config = Config(trust=TrustSettings(keys_file=str(tmp_path / "trusted_keys.json")))
    applied: list[TrustMaterial] = []
    with Ledger.open(tmp_path / "ledger.sqlite3") as ledger:
        keeper = TrustKeeper(config, ledger, applied.append)
        keeper.on_sync_status(SyncStatus(bundle_versions={"policy": 3, "risk_areas": 1}))
        assert applied == []  # the policy's bundles are not the trust keeper's business
        keeper.on_sync_status(SyncStatus(bundle_versions={"policy": 3, "trusted_keys": 1}))
        assert len(applied) == 1
        keeper.on_sync_status(SyncStatus(bundle_versions={"policy": 4, "trusted_keys": 1}))
        assert len(applied) == 1  # the trusted keys it holds are still the newest
        keeper.on_sync_status(SyncStatus(bundle_versions={"policy": 4, "trusted_keys": 2}))
        assert len(applied) == 2


class _SlowKeeper(BundleKeeper[int]):
    """Holds its first build until told to finish, counting the builds under way."""

    def __init__(self, apply: list[int]) -> None:
        super().__init__(apply.append)
        self.inside = 0
        self.most_inside = 0
        self.first_entered = threading.Event()
        self.finish_first = threading.Event()

    def _after_sync(self, status: SyncStatus, *, changed: bool) -> int | None:
        self.inside += 1
        self.most_inside = max(self.most_inside, self.inside)
        if not self.first_entered.is_set():
            self.first_entered.set()
            self.finish_first.wait(5)
        self.inside -= 1
        return status.backlog


def test_updates_from_two_threads_are_serialised_and_the_newest_is_applied_last() -> None:
    applied: list[int] = []
    keeper = _SlowKeeper(applied)
    first = threading.Thread(target=keeper.on_sync_status, args=(SyncStatus(backlog=1),))
    first.start()
    assert keeper.first_entered.wait(5)
    second = threading.Thread(target=keeper.on_sync_status, args=(SyncStatus(backlog=2),))
    second.start()
    second.join(0.2)
    assert second.is_alive()  # waits for the lock while the first build runs
    keeper.finish_first.set()
    first.join(5)
    second.join(5)
    assert keeper.most_inside == 1
    assert applied == [1, 2]
