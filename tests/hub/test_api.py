"""The hub over real HTTP on 127.0.0.1, on SQLite and on PostgreSQL (see conftest)."""

from __future__ import annotations

import json
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from gatehouse.core.models import Outcome
from gatehouse.hub.service import Hub, PassageQuery
from gatehouse.store import Ledger
from gatehouse.sync import protocol
from gatehouse.sync.client import HubClient, HubRefusedError
from tests.factories import make_passage
from tests.hub.live import ADMIN_TOKEN

BOOTH = "booth-01"
START = datetime(2024, 3, 1, 6, 0, tzinfo=UTC)


def _enrolled_client(hub_url: str, booth_id: str = BOOTH) -> HubClient:
    admin = HubClient(hub_url, ADMIN_TOKEN)
    code = admin.request("POST", protocol.ENROLMENT_CODES_PATH, {"booth_id": booth_id}).json()
    token, _ = HubClient(hub_url).enrol(booth_id, code["code"])
    return HubClient(hub_url, token)


def _items(ledger: Ledger) -> list[dict[str, Any]]:
    return [
        {"link": protocol.link_to_json(i.link), "record": i.record}
        for i in ledger.pending(limit=10_000)
    ]


def _fill(path: Path, count: int, booth_id: str = BOOTH) -> Ledger:
    ledger = Ledger.open(path)
    for n in range(count):
        passage = make_passage(booth_id=booth_id, decided_at=START + timedelta(minutes=n))
        ledger.record(passage).result()
    return ledger


def _stored(hub: Hub, passage_id: str) -> list[dict[str, Any]]:
    return [p for p in hub.passages(PassageQuery()) if p["passage_id"] == passage_id]


def _statuses(results: list[dict[str, Any]]) -> list[str]:
    return [r["status"] for r in results]


def test_enrolment_code_works_once_and_only_for_its_booth(hub_url: str) -> None:
    admin = HubClient(hub_url, ADMIN_TOKEN)
    code = admin.request("POST", protocol.ENROLMENT_CODES_PATH, {"booth_id": BOOTH}).json()["code"]

    with pytest.raises(HubRefusedError) as wrong_booth:
        HubClient(hub_url).enrol("booth-99", code)
    token, key_pem = HubClient(hub_url).enrol(BOOTH, code)
    with pytest.raises(HubRefusedError) as reused:
        HubClient(hub_url).enrol(BOOTH, code)

    assert wrong_booth.value.status == reused.value.status == 403
    assert token and key_pem.startswith("-----BEGIN PUBLIC KEY-----")


def test_office_endpoints_need_the_admin_token(hub_url: str) -> None:
    booth = _enrolled_client(hub_url)
    for client in (HubClient(hub_url), booth):
        with pytest.raises(HubRefusedError) as refused:
            client.request("GET", protocol.PASSAGES_PATH)
        assert refused.value.status == 401


def test_upload_needs_a_booth_token(hub_url: str) -> None:
    with pytest.raises(HubRefusedError) as refused:
        HubClient(hub_url, "not-a-token").upload([])
    assert refused.value.status == 401


def test_batch_is_acknowledged_item_by_item_and_repeats_are_acknowledged(
    hub_url: str, hub: Hub, tmp_path: Path
) -> None:
    booth = _enrolled_client(hub_url)
    with _fill(tmp_path / "booth.sqlite3", 20) as ledger:
        items = _items(ledger)
        head = ledger.chain_head()

    first, _ = booth.upload(items[:12])
    again, _ = booth.upload(items)  # the first 12 again, plus 8 new ones

    assert _statuses(first) == ["ack"] * 12
    assert _statuses(again) == ["ack"] * 20
    assert [r["seq"] for r in again] == list(range(1, 21))
    (listed,) = hub.booths()
    assert head is not None
    assert (listed["passages"], listed["head_seq"], listed["head_hash"]) == (20, 20, head.hash)
    assert listed["quarantined"] == 0


def test_same_id_with_other_content_is_rejected_quarantined_and_not_stored(
    hub_url: str, hub: Hub, tmp_path: Path
) -> None:
    booth = _enrolled_client(hub_url)
    with _fill(tmp_path / "booth.sqlite3", 3) as ledger:
        items = _items(ledger)
    booth.upload(items)
    original = _stored(hub, items[1]["record"]["passage_id"])

    forged = json.loads(json.dumps(items[1]))
    forged["record"]["outcome"] = Outcome.TURN_AWAY.name
    results, _ = booth.upload([forged])

    assert _statuses(results) == ["rejected"]
    assert "digests" in results[0]["reason"]
    assert _stored(hub, items[1]["record"]["passage_id"]) == original
    assert hub.booths()[0]["quarantined"] == 1


def test_rewritten_history_is_caught_against_the_hub_chain(
    hub_url: str, hub: Hub, tmp_path: Path
) -> None:
    """A booth whose ledger was rebuilt (chain recomputed) cannot slip the new history in."""
    booth = _enrolled_client(hub_url)
    with _fill(tmp_path / "honest.sqlite3", 3) as honest:
        booth.upload(_items(honest))
    with _fill(tmp_path / "rewritten.sqlite3", 5) as rewritten:
        results, _ = booth.upload(_items(rewritten))

    assert _statuses(results) == ["rejected"] * 4 + ["resend"]
    assert all("chain conflict" in r["reason"] for r in results[:4])
    # seq 5 would follow the refused seq 4: the hub keeps its chain whole and asks for 4 again
    assert results[4]["resend_from"] == 4
    assert hub.booths()[0]["head_seq"] == 3
    assert hub.booths()[0]["quarantined"] == 4


def test_passage_of_another_booth_is_rejected(hub_url: str, tmp_path: Path) -> None:
    booth = _enrolled_client(hub_url)
    with _fill(tmp_path / "other.sqlite3", 1, booth_id="booth-02") as ledger:
        results, _ = booth.upload(_items(ledger))
    assert _statuses(results) == ["rejected"]
    assert "booth-02" in results[0]["reason"]


def test_malformed_items_are_rejected_one_by_one(hub_url: str, tmp_path: Path) -> None:
    booth = _enrolled_client(hub_url)
    with _fill(tmp_path / "booth.sqlite3", 1) as ledger:
        (good,) = _items(ledger)
    # a booth that sends a bare string where an item belongs: the hub must refuse that one only
    # (not an item on purpose, so not of the type upload declares)
    results, _ = booth.upload(["nonsense", {"link": {"seq": 0}}, good])  # type: ignore[list-item]
    assert _statuses(results) == ["rejected", "rejected", "ack"]


def test_bundles_are_signed_versioned_and_cached(hub_url: str, hub: Hub) -> None:
    booth = _enrolled_client(hub_url)
    hub.publish("privacy", {"retention_days": 30})
    first = booth.bundle("privacy", None)
    unchanged = booth.bundle("privacy", first.etag)
    hub.publish("privacy", {"retention_days": 60})
    second = booth.bundle("privacy", first.etag)

    key = hub.bundle_key.public_key()
    assert first.status == 200 and unchanged.status == 304 and second.status == 200
    assert protocol.open_bundle(first.body, key, "privacy").version == 1
    newer = protocol.open_bundle(second.body, key, "privacy")
    assert (newer.version, newer.content) == (2, {"retention_days": 60})
    assert booth.bundle("risk_areas", None).status == 404


def test_bundle_is_refused_with_another_key_or_name(hub_url: str, hub: Hub) -> None:
    from gatehouse.core.keys import generate_issuer_key

    booth = _enrolled_client(hub_url)
    hub.publish("privacy", {})
    signed = booth.bundle("privacy", None).body
    with pytest.raises(protocol.BundleError, match="not signed"):
        protocol.open_bundle(signed, generate_issuer_key().public_key(), "privacy")
    with pytest.raises(protocol.BundleError, match="asked for"):
        protocol.open_bundle(signed, hub.bundle_key.public_key(), "policy")


def test_every_response_carries_the_server_time(hub_url: str, hub: Hub) -> None:
    booth = _enrolled_client(hub_url)
    hub.publish("privacy", {})
    etag = booth.bundle("privacy", None).etag
    replies = [booth.bundle("privacy", etag), booth.bundle("issuers", None)]
    request = urllib.request.Request(hub_url + protocol.UPLOAD_PATH, data=b"{}", method="POST")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    for reply in replies:
        assert reply.server_time is not None
        assert abs(reply.server_time - reply.received_at) < timedelta(minutes=1)
    assert refused.value.headers[protocol.SERVER_TIME_HEADER]


def test_supervisor_queries_every_booth(hub_url: str, hub: Hub, tmp_path: Path) -> None:
    for booth_id in ("booth-01", "booth-02"):
        client = _enrolled_client(hub_url, booth_id)
        with _fill(tmp_path / f"{booth_id}.sqlite3", 5, booth_id=booth_id) as ledger:
            client.upload(_items(ledger))
    admin = HubClient(hub_url, ADMIN_TOKEN)

    everything = admin.request("GET", protocol.PASSAGES_PATH).json()["passages"]
    one_booth = admin.request("GET", f"{protocol.PASSAGES_PATH}?booth_id=booth-02").json()
    since = (START + timedelta(minutes=3)).isoformat().replace("+", "%2B")
    late = admin.request("GET", f"{protocol.PASSAGES_PATH}?since={since}").json()

    assert len(everything) == 10
    assert {p["booth_id"] for p in one_booth["passages"]} == {"booth-02"}
    assert len(late["passages"]) == 4
    assert everything[0]["decided_at"] <= everything[-1]["decided_at"]
