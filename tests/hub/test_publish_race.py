"""Two staff publishing the same bundle at the same moment: compare-and-set on ``Hub.publish``.

Each publish says which version its content was made from (``based_on``); of publishes made
from the same version exactly one is signed and every other is refused, so nobody's change is
overwritten without them being told. Real SQLite and PostgreSQL databases, real threads.
"""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine

from gatehouse.core.keys import TrustStore, generate_issuer_key
from gatehouse.core.rules.persons import PersonLists, key_check
from gatehouse.core.trust_list import TrustList, sign_trust_list
from gatehouse.hub.console import people, visits
from gatehouse.hub.service import Hub, PublishedBundle, StalePublishError
from gatehouse.sync.protocol import open_bundle
from tests.core.factories import trust_for
from tests.hub.live import make_hub

STAFF = 4
ROOT = generate_issuer_key()


def _lists(version: str) -> dict[str, object]:
    lists = PersonLists(version, datetime(2026, 12, 6, tzinfo=UTC), key_check(b"s" * 16))
    return dict(json.loads(lists.to_json()))


def test_of_publishes_made_from_the_same_version_exactly_one_wins(engine: Engine) -> None:
    hub = make_hub(engine)
    assert hub.latest_version("lists") == 0
    hub.publish("lists", _lists("first"), based_on=0)
    based_on = hub.latest_version("lists")
    start = threading.Barrier(STAFF)

    def publish(staff: int) -> PublishedBundle | StalePublishError:
        start.wait()
        try:
            return hub.publish("lists", _lists(f"staff-{staff}"), based_on=based_on)
        except StalePublishError as refused:
            return refused

    with ThreadPoolExecutor(STAFF) as pool:
        results = list(pool.map(publish, range(STAFF)))

    won = [r for r in results if isinstance(r, PublishedBundle)]
    refused = [r for r in results if isinstance(r, StalePublishError)]
    assert len(won) == 1 and len(refused) == STAFF - 1
    assert {(r.based_on, r.latest) for r in refused} == {(1, 2)}
    assert "reload" in str(refused[0])
    latest = hub.latest_bundle("lists")
    assert latest is not None and latest.version == won[0].version == 2
    winner = results.index(won[0])
    content = open_bundle(latest.signed, hub.bundle_key.public_key(), "lists").content
    assert content["version"] == f"staff-{winner}"  # what was signed is the winner's own


def test_a_publish_without_a_base_still_takes_the_next_version(engine: Engine) -> None:
    hub = make_hub(engine)
    assert hub.publish("lists", _lists("a")).version == 1
    assert hub.publish("lists", _lists("b")).version == 2
    with pytest.raises(StalePublishError, match="version 2, not 1"):
        hub.publish("lists", _lists("c"), based_on=1)
    assert hub.latest_version("lists") == 2


class _Overtaken(Hub):
    """A hub on which another member of staff's trust list is signed just before this one's
    first publish: the moment between the checks and the signing that a race hits."""

    def __init__(self, engine: Engine, first: str) -> None:
        super().__init__(engine, generate_issuer_key())
        self.first: str | None = first

    def publish(
        self,
        name: str,
        content: Any,
        effective_at: datetime | None = None,
        *,
        based_on: int | None = None,
    ) -> PublishedBundle:
        if self.first is not None:
            first, self.first = self.first, None
            super().publish(name, first)
        return super().publish(name, content, effective_at, based_on=based_on)


def _trust_list(sequence: int, *revoked: str) -> str:
    store = trust_for(generate_issuer_key())
    store = TrustStore(store.keys, revoked_pass_ids=frozenset(revoked))
    return sign_trust_list(TrustList(sequence, datetime(2026, 12, 6, tzinfo=UTC), store), ROOT)


def test_a_trust_list_overtaken_by_a_newer_one_is_refused_not_signed_over_it(
    engine: Engine,
) -> None:
    newer = _trust_list(2, "visit-revoked-meanwhile")
    hub = _Overtaken(engine, newer)
    with pytest.raises(people.EntryError, match="higher than 2"):
        visits.publish_trust_list(hub, _trust_list(1))  # checked against none, then overtaken
    latest = hub.latest_bundle(visits.TRUST_BUNDLE)
    assert latest is not None and latest.version == 1
    assert open_bundle(latest.signed, hub.bundle_key.public_key(), "trusted_keys").content == newer


def test_a_trust_list_still_newer_than_the_one_that_overtook_it_is_published(
    engine: Engine,
) -> None:
    hub = _Overtaken(engine, _trust_list(1))
    assert visits.publish_trust_list(hub, _trust_list(2)) == 2  # checked again, and still newer
    held = visits.published_trust_list(hub)
    assert held is not None and held.sequence == 2
