"""A bundle published for a later time is given to booths only from then."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from gatehouse.core.keys import generate_issuer_key
from gatehouse.hub.console.booths import published_bundles
from gatehouse.hub.service import Hub

START = datetime(2026, 12, 6, 8, 0, tzinfo=UTC)


def test_a_later_version_waits_for_its_time_and_an_earlier_time_means_now(engine: Engine) -> None:
    now = [START]
    hub = Hub(engine, generate_issuer_key(), clock=lambda: now[0])
    hub.publish("privacy", {"retention_days": 30})
    later = hub.publish("privacy", {"retention_days": 60}, START + timedelta(hours=2))
    current = hub.latest_bundle("privacy")
    assert current is not None and current.version == 1
    assert [b["version"] for b in published_bundles(hub)] == [1]  # the console's booth page
    now[0] = START + timedelta(hours=2)
    current = hub.latest_bundle("privacy")
    assert current is not None and current.version == later.version == 2

    back_dated = hub.publish("privacy", {"retention_days": 90}, START - timedelta(days=1))
    current = hub.latest_bundle("privacy")
    assert current is not None and current.version == back_dated.version == 3
