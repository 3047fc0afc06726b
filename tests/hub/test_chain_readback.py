"""``GET /v1/chain``: a booth reads back its own links and records past link N, a page at a
time, over real HTTP on SQLite and PostgreSQL; nobody else's, and nothing without its token."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gatehouse.core.chain import record_digests
from gatehouse.hub.restored_chains import PAGE_LINKS
from gatehouse.hub.service import Hub
from gatehouse.store import Ledger
from gatehouse.sync import protocol
from gatehouse.sync.client import HubClient, HubRefusedError
from tests.factories import make_passage
from tests.hub.test_api import _enrolled_client, _items


def _uploaded(client: HubClient, path: Path, booth_id: str, count: int) -> list[dict[str, Any]]:
    with Ledger.open(path) as ledger:
        ledger.record_many([make_passage(booth_id=booth_id) for _ in range(count)]).result()
        items = _items(ledger)
    for first in range(0, len(items), 400):
        results, _ = client.upload(items[first : first + 400])
        assert all(r["status"] == protocol.ACK for r in results)
    return items


def _page(client: HubClient, after: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = client.request(
        "GET", f"{protocol.CHAIN_PATH}?after={after}"
    ).json()["items"]
    return items


def test_a_booth_reads_back_exactly_what_it_sent_past_a_link(
    hub: Hub, hub_url: str, tmp_path: Path
) -> None:
    north, south = _enrolled_client(hub_url, "north"), _enrolled_client(hub_url, "south")
    sent = _uploaded(north, tmp_path / "north.sqlite3", "north", PAGE_LINKS + 30)
    _uploaded(south, tmp_path / "south.sqlite3", "south", 5)

    first = _page(north, "10")
    second = _page(north, str(first[-1]["link"]["seq"]))

    assert [i["link"]["seq"] for i in first] == list(range(11, 11 + PAGE_LINKS))
    assert first + second == sent[10:]  # links and records exactly as the booth sent them
    assert all(
        record_digests(i["link"]["kind"], i["record"])
        == (i["link"]["public_digest"], i["link"]["personal_digest"])
        for i in second
    )
    assert _page(north, str(PAGE_LINKS + 30)) == []
    assert [i["record"]["booth_id"] for i in _page(south, "0")] == ["south"] * 5


@pytest.mark.parametrize("after", ["-1", "x", "9" * 40])
def test_a_bad_link_number_is_refused(hub_url: str, after: str) -> None:
    with pytest.raises(HubRefusedError) as refused:
        _page(_enrolled_client(hub_url), after)
    assert refused.value.status == 400


def test_no_chain_without_a_booth_token(hub_url: str) -> None:
    with pytest.raises(HubRefusedError) as refused:
        _page(HubClient(hub_url, "not-a-token"), "0")
    assert refused.value.status == 401
