"""Checkpoint policies published for later: a new publish keeps the packs already scheduled,
booths switch to each at its own time, and a scheduled pack is changed only by editing it
(on SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from gatehouse import __version__
from gatehouse.core.keys import generate_issuer_key
from gatehouse.core.rules.pack import packs_from, select_pack
from gatehouse.hub.console import policies
from gatehouse.hub.console.policies import PolicyForm, PolicyFormError
from gatehouse.hub.service import Hub
from gatehouse.sync.protocol import open_bundle

NOW = datetime(2026, 12, 6, 9, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> list[datetime]:
    return [NOW]


@pytest.fixture
def hub(engine: Engine, clock: list[datetime]) -> Hub:
    return Hub(engine, generate_issuer_key(), clock=lambda: clock[0])


def _lookback(hub: Hub, days: int) -> PolicyForm:
    form = policies.form_of(policies.pack_in_force(hub))
    form.checkpoints["mine_gate"]["lookback_days"] = days
    return form


def _booth_lookback(hub: Hub, moment: datetime) -> int:
    """The mine gate's look-back a booth holding the published bundle uses at ``moment``."""
    bundle = hub.latest_bundle(policies.BUNDLE)
    assert bundle is not None
    content = open_bundle(bundle.signed, hub.bundle_key.public_key(), policies.BUNDLE).content
    pack = select_pack(packs_from(content), moment, __version__)
    assert pack is not None
    return pack.checkpoints["mine_gate"].lookback_days


def test_a_new_publish_keeps_the_pack_already_scheduled(hub: Hub) -> None:
    policies.publish(hub, _lookback(hub, 7), NOW + timedelta(days=3), "staff")
    policies.publish(hub, _lookback(hub, 10), NOW + timedelta(days=1), "staff")
    (first, second) = policies.scheduled(hub)
    assert (first.effective_from, second.effective_from) == (
        NOW + timedelta(days=1),
        NOW + timedelta(days=3),
    )
    assert [_booth_lookback(hub, NOW + timedelta(days=d)) for d in (0, 1, 2, 3, 30)] == [
        14,
        10,
        10,
        7,
        7,
    ]


def test_a_publish_in_effect_now_keeps_the_scheduled_pack_for_its_time(
    hub: Hub, clock: list[datetime]
) -> None:
    policies.publish(hub, _lookback(hub, 7), NOW + timedelta(days=3), "staff")
    clock[0] = NOW + timedelta(hours=1)
    policies.publish(hub, _lookback(hub, 21), clock[0], "staff")
    assert _booth_lookback(hub, clock[0]) == 21
    assert _booth_lookback(hub, NOW + timedelta(days=3)) == 7
    assert [item.version for item in policies.scheduled(hub)] == ["console-1"]


def test_a_publish_at_the_scheduled_time_is_refused_and_names_the_pack(hub: Hub) -> None:
    later = NOW + timedelta(days=3)
    policies.publish(hub, _lookback(hub, 7), later, "staff")
    with pytest.raises(PolicyFormError) as refused:
        policies.publish(hub, _lookback(hub, 10), later, "staff")
    assert (refused.value.key, refused.value.field) == (
        "policy_same_time_as_scheduled",
        "console-1",
    )
    latest = hub.latest_bundle(policies.BUNDLE)
    assert latest is not None and latest.version == 1


def test_editing_a_scheduled_pack_puts_the_new_one_in_its_place(hub: Hub) -> None:
    policies.publish(hub, _lookback(hub, 7), NOW + timedelta(days=3), "staff")
    policies.publish(hub, _lookback(hub, 10), NOW + timedelta(days=5), "staff")
    policies.publish(hub, _lookback(hub, 5), NOW + timedelta(days=2), "staff", "console-1")
    assert [(i.version, i.effective_from) for i in policies.scheduled(hub)] == [
        ("console-3", NOW + timedelta(days=2)),
        ("console-2", NOW + timedelta(days=5)),
    ]
    assert [_booth_lookback(hub, NOW + timedelta(days=d)) for d in (1, 2, 4, 5)] == [14, 5, 5, 10]


def test_editing_a_pack_no_longer_scheduled_is_refused(hub: Hub, clock: list[datetime]) -> None:
    policies.publish(hub, _lookback(hub, 7), NOW + timedelta(days=1), "staff")
    clock[0] = NOW + timedelta(days=2)  # console-1 is in force by now
    with pytest.raises(PolicyFormError, match="policy_no_such_scheduled"):
        policies.publish(hub, _lookback(hub, 10), clock[0], "staff", "console-1")
    assert _booth_lookback(hub, clock[0]) == 7
