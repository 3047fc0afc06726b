"""Items sent one per line: a re-send is acknowledged from its bytes' digests without parsing
them, over real HTTP, while other content under the same links still gets the full path's
answer, and booths and hubs that predate the layout keep working."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event, func, select, update

from gatehouse.core.models import Outcome
from gatehouse.hub import lines
from gatehouse.hub.service import Hub
from gatehouse.hub.tables import chain_links, item_digests
from gatehouse.store import Ledger
from gatehouse.sync import protocol
from gatehouse.sync.client import HubClient, HubRefusedError
from tests.factories import make_passage
from tests.hub.live import statements

BOOTH = "booth-01"


def _items(path: Path, count: int) -> list[dict[str, Any]]:
    """``count`` passages of a fresh ledger as the booth sends them."""
    with Ledger.open(path) as ledger:
        ledger.record_many(make_passage(booth_id=BOOTH) for _ in range(count)).result()
        return [
            {"link": protocol.link_to_json(i.link), "record": i.record}
            for i in ledger.pending(limit=10_000)
        ]


def _client(hub: Hub, url: str) -> HubClient:
    return HubClient(url, hub.enrol(BOOTH, hub.create_enrolment_code(BOOTH)))


def _sent(hub: Hub, url: str, folder: Path, count: int) -> tuple[HubClient, list[Any]]:
    """A booth's client and ``count`` items it has uploaded once."""
    client = _client(hub, url)
    items = _items(folder / "booth.sqlite3", count)
    client.upload(items)
    return client, items


def _digests(hub: Hub) -> int:
    with hub.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(item_digests)).scalar_one()


def test_the_body_is_the_same_json_object_with_one_item_per_line(tmp_path: Path) -> None:
    items = _items(tmp_path / "booth.sqlite3", 4)
    status = {"booth": "南门 1"}

    body, headers = protocol.upload_body(items, status)

    assert json.loads(body) == {"items": items, protocol.STATUS: status}
    assert body.startswith(protocol.LINES_PREFIX) and body.count(b"\n") == len(items) + 1
    assert headers == {protocol.BATCH_HEADER: "lines; seqs=1-4"}
    assert protocol.upload_body([items[0], items[2]], None)[1] == {}  # links that do not follow
    assert protocol.upload_body([], None) == (b'{"items":[\n\n]}', {})


def test_a_resent_batch_is_acknowledged_without_reading_its_items(
    hub: Hub, hub_url: str, tmp_path: Path
) -> None:
    client = _client(hub, hub_url)
    items = _items(tmp_path / "booth.sqlite3", 30)
    first, _ = client.upload(items)
    with statements(hub) as resend:
        again, _ = client.upload(items)

    assert {r["status"] for r in first} == {protocol.ACK}
    assert again == first
    assert _digests(hub) == len(items)
    # the lookup by digest answers: no record is read, nothing checked, stored or quarantined
    assert not any("passages" in sql or "quarantine" in sql for sql in resend)
    assert not any(sql.lstrip().upper().startswith("INSERT") for sql in resend)


def test_a_resend_that_grew_acknowledges_the_held_lines_and_stores_the_rest(
    hub: Hub, hub_url: str, tmp_path: Path
) -> None:
    client = _client(hub, hub_url)
    items = _items(tmp_path / "booth.sqlite3", 20)
    client.upload(items[:12])  # a request the booth gave up on, which the hub stored

    results, _ = client.upload(items)

    assert [(r["seq"], r["status"]) for r in results] == [(n, protocol.ACK) for n in range(1, 21)]
    assert hub.booths()[0]["head_seq"] == 20
    assert _digests(hub) == 20


def test_the_same_links_with_other_content_are_not_acknowledged(
    hub: Hub, hub_url: str, tmp_path: Path
) -> None:
    client, items = _sent(hub, hub_url, tmp_path, 3)
    rewritten = _items(tmp_path / "rewritten.sqlite3", 3)  # the same links, another history
    tampered = copy.deepcopy(items)
    tampered[1]["record"]["outcome"] = Outcome.TURN_AWAY.name

    conflict, _ = client.upload(rewritten)
    changed, _ = client.upload(tampered)

    assert protocol.upload_body(rewritten, None)[1] == {protocol.BATCH_HEADER: "lines; seqs=1-3"}
    assert {r["status"] for r in conflict} == {protocol.REJECTED}
    assert "chain conflict" in conflict[0]["reason"]
    assert [r["status"] for r in changed] == [protocol.ACK, protocol.REJECTED, protocol.ACK]
    assert "digests" in changed[1]["reason"]
    assert hub.booths()[0]["head_seq"] == 3 and _digests(hub) == 3


def test_an_older_booth_and_a_header_that_does_not_fit_take_the_whole_body_path(
    hub: Hub, hub_url: str, tmp_path: Path
) -> None:
    client = _client(hub, hub_url)
    items = _items(tmp_path / "booth.sqlite3", 6)
    path = protocol.UPLOAD_PATH
    old = client.request("POST", path, {"items": items[:2]}).json()["results"]
    header = {protocol.BATCH_HEADER: "lines; seqs=1-2"}
    whole = client.send("POST", path, json.dumps({"items": items[2:4]}).encode(), header)
    body, _ = protocol.upload_body(items[4:], None)
    misnamed = client.send("POST", path, body, {protocol.BATCH_HEADER: "lines; seqs=9-10"})
    beyond = f"lines; seqs={2**63 - 2}-{2**63 - 1}"  # no link column holds them: parsed whole
    far = client.send("POST", path, body, {protocol.BATCH_HEADER: beyond})

    assert [r["status"] for r in old] == [protocol.ACK] * 2
    assert [r["seq"] for r in whole.json()["results"]] == [3, 4]
    assert [r["seq"] for r in misnamed.json()["results"]] == [5, 6]
    assert [r["status"] for r in far.json()["results"]] == [protocol.ACK] * 2
    assert hub.booths()[0]["head_seq"] == 6
    assert _digests(hub) == 2  # only the lines read as lines
    # an older booth's items, re-sent in lines, are read once more and then known by digest
    client.upload(items)
    with statements(hub) as resend:
        again, _ = client.upload(items)
    assert {r["status"] for r in again} == {protocol.ACK}
    assert not any("passages" in sql for sql in resend)


def test_a_line_that_is_not_json_gets_the_whole_body_answer(
    hub: Hub, hub_url: str, tmp_path: Path
) -> None:
    client = _client(hub, hub_url)
    items = _items(tmp_path / "booth.sqlite3", 2)
    body, headers = protocol.upload_body(items, None)
    broken = body.replace(b"}\n]", b"\n]", 1)

    with pytest.raises(HubRefusedError) as refused:
        client.send("POST", protocol.UPLOAD_PATH, broken, headers)

    assert refused.value.status == 400 and "not JSON" in str(refused.value)
    assert hub.booths()[0]["head_seq"] is None


def test_a_digest_counts_only_while_the_hub_holds_its_link(
    hub: Hub, hub_url: str, tmp_path: Path
) -> None:
    client, items = _sent(hub, hub_url, tmp_path, 3)
    with hub.engine.begin() as conn:  # link 3 is now another one, as after a restore
        conn.execute(update(chain_links).where(chain_links.c.seq == 3).values(hash="e" * 64))

    results, _ = client.upload(items)

    assert [r["status"] for r in results] == [protocol.ACK, protocol.ACK, protocol.REJECTED]
    assert "chain conflict" in results[2]["reason"]


def test_digests_far_behind_are_forgotten_and_such_a_resend_takes_the_full_path(
    hub: Hub, hub_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lines, "KEEP_DIGESTS", 5)
    client = _client(hub, hub_url)
    items = _items(tmp_path / "booth.sqlite3", 20)
    client.upload(items[:10])
    client.upload(items[10:])
    kept = _digests(hub)
    with statements(hub) as resend:
        results, _ = client.upload(items[:3])

    assert kept == 15  # links 6 to 20: the second upload's first link was 11
    assert {r["status"] for r in results} == {protocol.ACK}
    assert any("passages" in sql for sql in resend)  # each held record compared again


def test_a_steady_upload_is_one_checkout_and_no_statement_it_does_not_need(
    hub: Hub, hub_url: str, tmp_path: Path
) -> None:
    """A booth's usual push: one new passage in lines with its report, the report already
    kept once. The token is read in the upload's own transaction (on PostgreSQL a checkout
    costs a ping, BEGIN and ROLLBACK), and each statement is one the upload needs."""
    client = _client(hub, hub_url)
    items = _items(tmp_path / "booth.sqlite3", 2)
    report = protocol.BoothReport(datetime.now(UTC), 1, "0.1.0", {}, None)
    client.upload(items[:1], report)
    checkouts: list[object] = []

    def checkout(connection: object, *_: object) -> None:
        checkouts.append(connection)

    event.listen(hub.engine, "checkout", checkout)
    try:
        with statements(hub) as sent:
            results, _ = client.upload(items[1:], report)
    finally:
        event.remove(hub.engine, "checkout", checkout)

    assert [r["status"] for r in results] == [protocol.ACK]
    assert len(checkouts) == 1
    queries = [sql.split()[0] for sql in sent if not sql.startswith("BEGIN")]  # SQLite's own
    assert queries == [
        "SELECT",  # the booth of the token
        "SELECT",  # its row locked
        "SELECT",  # the digests of lines held
        "SELECT",  # passages held at those links (no audit event named: no second query)
        "SELECT",  # the links around the batch, and the head
        "SELECT",  # record ids held
        "SAVEPOINT",
        "INSERT",  # passages
        "INSERT",  # chain links
        "RELEASE",
        "UPDATE",  # the head, read by the update
        "INSERT",  # the lines' digests (none far behind to forget: the chain is young)
        "UPDATE",  # the report, kept before
    ]
