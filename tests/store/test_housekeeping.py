"""Daily backup and purge, driven by the office's retention period; the frequent tick."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from gatehouse.store import Ledger
from gatehouse.store.bundles import StoredBundle
from gatehouse.store.housekeeping import Housekeeper
from gatehouse.store.privacy import privacy_settings
from tests.factories import make_passage

NOW = datetime(2024, 6, 1, tzinfo=UTC)


def _privacy(ledger: Ledger, content: object, version: int = 1) -> None:
    bundle = StoredBundle("privacy", version, content, b"signed", '"e"', NOW, NOW)
    assert ledger.store_bundle(bundle, "booth-01").result()


def test_no_retention_period_means_no_purge(ledger: Ledger, tmp_path: Path) -> None:
    ledger.record(make_passage(decided_at=NOW - timedelta(days=400))).result()
    ledger.mark_synced([1]).result()
    keeper = Housekeeper(
        ledger, booth_id="booth-01", backup_folder=tmp_path / "b", clock=lambda: NOW
    )

    report = keeper.daily()

    assert report.purged == 0
    assert report.backup is not None and report.backup.is_file()


def test_office_retention_period_purges_older_passages(ledger: Ledger, tmp_path: Path) -> None:
    old = make_passage(decided_at=NOW - timedelta(days=31))
    young = make_passage(decided_at=NOW - timedelta(days=29))
    for passage in (old, young):
        ledger.record(passage).result()
    ledger.mark_synced([1, 2]).result()
    _privacy(ledger, {"retention_days": 30})
    keeper = Housekeeper(
        ledger, booth_id="booth-01", backup_folder=tmp_path / "b", clock=lambda: NOW
    )

    assert keeper.daily().purged == 1
    erased = ledger.get(old.passage_id)
    assert erased is not None and erased.holder_name is None
    assert ledger.get(young.passage_id) == young


def test_privacy_bundle_gives_retention_and_id_hash_key(ledger: Ledger) -> None:
    _privacy(ledger, {"retention_days": 90, "id_hash_key": "ab" * 16})
    settings = privacy_settings(ledger)
    assert (settings.retention_days, settings.id_hash_key) == (90, bytes.fromhex("ab" * 16))


def test_unusable_retention_values_are_ignored(ledger: Ledger) -> None:
    for version, content in enumerate(({"retention_days": 0}, {"retention_days": "30"}, []), 1):
        _privacy(ledger, content, version)
        assert privacy_settings(ledger).retention_days is None


def test_tick_runs_the_booth_callback_and_the_first_daily_job(
    ledger: Ledger, tmp_path: Path
) -> None:
    ticked = threading.Event()
    keeper = Housekeeper(
        ledger, booth_id="booth-01", backup_folder=tmp_path / "b", tick_s=0.01, on_tick=ticked.set
    )
    keeper.start()
    try:
        assert ticked.wait(timeout=30)
    finally:
        keeper.stop()
    assert list((tmp_path / "b").glob("*.sqlite3"))
