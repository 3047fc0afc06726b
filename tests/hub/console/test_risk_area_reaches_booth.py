"""End to end: a risk area published in the browser reaches a running booth through sync, and
the next traveller from there is turned away at the first sync after publishing.

The booth is the booth's real parts wired as ``BoothRuntime`` wires them (service, policy
keeper, its own SQLite ledger, the sync worker's thread with a short interval) against the
real hub on 127.0.0.1; the office works in Debian's chromium.
"""

from __future__ import annotations

from datetime import UTC, datetime

from playwright.sync_api import Page

from gatehouse.core.models import Outcome
from gatehouse.hub.console.accounts import Accounts
from gatehouse.sync.worker import SyncWorker, worker_for
from tests.hub.console.conftest import log_in
from tests.hub.console.risk_area_steps import add_xian_to_draft, publish_draft, wait_for
from tests.sync.conftest import ledger  # noqa: F401 (fixture)
from tests.sync.test_booth_policy import Booth, booth  # noqa: F401 (fixture)

INTERVAL_S = 2.0


def _synced_since(worker: SyncWorker, moment: datetime) -> bool:
    """Whether a sync that started after ``moment`` has completed."""
    status = worker.status()
    started, done = status.last_attempt, status.last_success
    return started is not None and done is not None and moment < started <= done


def _risk_version(worker: SyncWorker) -> int | None:
    return worker.status().bundle_versions.get("risk_areas")


def test_a_risk_area_published_in_the_browser_turns_the_next_traveller_away(
    page: Page,
    hub_url: str,
    accounts: Accounts,
    booth: Booth,  # noqa: F811 (the fixture)
) -> None:
    worker = worker_for(
        booth.ledger,
        interval_s=INTERVAL_S,
        clock=booth.clock.now,
        on_status=booth.keeper.on_sync_status,
    )
    assert worker is not None
    log_in(page, hub_url, "staff")
    publish_draft(page, hub_url)  # version 1: the office's list, no area yet
    worker.start()
    try:
        wait_for(lambda: _risk_version(worker) == 1, "the booth to take version 1")
        assert booth.scan(travel_city="610100").decision.outcome is Outcome.ADMIT

        add_xian_to_draft(page, hub_url)
        publish_draft(page, hub_url)
        published = datetime.now(UTC)

        # The first sync that starts after publishing (at most one interval away) brings it.
        wait_for(lambda: _synced_since(worker, published), "the booth's next sync")
        assert _risk_version(worker) == 2
        turned = booth.scan(travel_city="610100")
        assert turned.decision.outcome is Outcome.TURN_AWAY
        assert "travel.risk_medium" in {reason.code for reason in turned.decision.reasons}
        assert booth.scan(travel_city="110000").decision.outcome is Outcome.ADMIT
    finally:
        worker.stop()
