"""Hostile requests against the real hub over HTTP on 127.0.0.1, on SQLite and PostgreSQL:
each is refused with a 4xx (or the item rejected on its own), never a 500, and the hub keeps
answering afterwards."""

from __future__ import annotations

import http.client
import json
import logging
import urllib.parse
from collections.abc import Iterator
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from gatehouse.core.chain import ChainLink, next_link, record_digests
from gatehouse.hub import ingest
from gatehouse.hub.app import MAX_FORM_BYTES
from gatehouse.hub.service import Hub, PassageQuery
from gatehouse.hub.tables import MAX_LINK_SEQ, chain_links, quarantine
from gatehouse.store.rows import passage_to_row
from gatehouse.sync import protocol
from tests.factories import make_passage
from tests.hub.live import ADMIN_TOKEN

BOOTH = "booth-01"
AT = datetime(2024, 3, 1, 6, 0, tzinfo=UTC)


def _send(
    hub_url: str, method: str, path: str, body: bytes | Iterator[bytes] | None, **headers: str
) -> tuple[int, dict[str, Any]]:
    parts = urllib.parse.urlsplit(hub_url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    try:
        encode = not isinstance(body, bytes | None)
        conn.request(method, path, body=body, headers=headers, encode_chunked=encode)
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        conn.close()


def _post(hub_url: str, path: str, body: bytes, token: str | None = None) -> tuple[int, Any]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return _send(hub_url, "POST", path, body, **headers)


def _alive(hub_url: str) -> bool:
    return _send(hub_url, "GET", "/v1/time", None)[0] == 200


def _records(count: int, **changes: Any) -> list[dict[str, Any]]:
    """Passage records as a booth uploads them; ``changes`` applied before they are chained."""
    records = []
    for _ in range(count):
        row = passage_to_row(make_passage(booth_id=BOOTH, decided_at=AT))
        records.append({**row, "recorded_at": AT.isoformat(), **changes})
    return records


def _chain(records: list[dict[str, Any]], head: ChainLink | None = None) -> list[dict[str, Any]]:
    """Items with sound links over ``records`` (digests of what is sent, whatever it holds)."""
    items = []
    for record in records:
        public, personal = record_digests("passage", record)
        head = next_link(head, "passage", record["passage_id"], public, personal)
        items.append({"link": asdict(head), "record": record})
    return items


@pytest.fixture
def token(hub: Hub) -> str:
    return hub.enrol(BOOTH, hub.create_enrolment_code(BOOTH))


def _upload(hub_url: str, token: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    status, reply = _post(
        hub_url, protocol.UPLOAD_PATH, json.dumps({"items": items}).encode(), token
    )
    assert status == 200, reply
    return list(reply["results"])


def _stream(hub_url: str, body: Iterator[bytes]) -> str:
    """The hub's error for a chunked enrolment, or "closed" if it hung up on the sender first
    (a server closing with unread input resets the connection, which may lose its reply)."""
    try:
        status, reply = _send(hub_url, "POST", protocol.ENROL_PATH, body)
    except ConnectionError:
        return "closed"
    assert status == 413, reply
    return str(reply["error"])


def test_a_chunked_body_over_the_limit_is_refused_while_streaming(hub_url: str) -> None:
    """The hub stops reading at its limit: far less than the 256 MB offered ever leaves here."""
    sent = 0

    def endless() -> Iterator[bytes]:
        nonlocal sent
        chunk = b" " * 65536
        for _ in range(4096):
            sent += len(chunk)
            yield chunk

    assert _stream(hub_url, endless()) in ("closed", f"request body over {MAX_FORM_BYTES} bytes")
    assert sent < 32 * 1024 * 1024
    assert _alive(hub_url)


def test_a_small_chunked_body_over_the_form_limit_gets_413(hub_url: str) -> None:
    answers = [
        _stream(hub_url, iter([b'{"booth_id": "', b"x" * MAX_FORM_BYTES, b'"}'])) for _ in range(3)
    ]
    assert f"request body over {MAX_FORM_BYTES} bytes" in answers
    assert _alive(hub_url)


@pytest.mark.parametrize("depth", [40, 1000, 100_000])
def test_deeply_nested_json_is_refused(hub_url: str, depth: int) -> None:
    body = b'{"booth_id": ' + b"[" * depth + b"]" * depth + b"}"
    status, reply = _post(hub_url, protocol.ENROL_PATH, body)
    assert status in (400, 413) and ("nested" in reply["error"] or "over" in reply["error"])
    assert _alive(hub_url)


@pytest.mark.parametrize(
    ("value", "words"),
    [(2**63, "64 bits"), (-(2**63) - 1, "64 bits"), ("NaN", "not a JSON number")],
)
def test_numbers_out_of_range_are_refused(hub_url: str, token: str, value: Any, words: str) -> None:
    (item,) = _chain(_records(1))
    text = json.dumps({"items": [item]}).replace(f'"seq": {item["link"]["seq"]}', f'"seq": {value}')
    status, reply = _post(hub_url, protocol.UPLOAD_PATH, text.encode(), token)
    assert status == 400 and words in reply["error"]
    assert _alive(hub_url)


def test_a_link_number_past_the_hubs_column_rejects_that_item_alone(
    hub_url: str, hub: Hub, token: str
) -> None:
    items = _chain(_records(2))
    items[1]["link"]["seq"] = MAX_LINK_SEQ + 1  # within 64 bits, past PostgreSQL's INTEGER

    results = _upload(hub_url, token, items)

    assert [r["status"] for r in results] == [protocol.ACK, protocol.REJECTED]
    assert f"beyond the hub's largest ({MAX_LINK_SEQ})" in results[1]["reason"]
    assert _alive(hub_url)


@pytest.mark.parametrize(
    ("holder", "words"), [("Zhang\x00San", "NUL"), ("Zhang\ud800", "lone surrogate")]
)
def test_bad_text_rejects_that_item_alone(
    hub_url: str, hub: Hub, token: str, holder: str, words: str
) -> None:
    """The item before it is stored; the one after waits for its predecessor (resend)."""
    items = _chain(_records(3))
    items[1]["record"]["holder_name"] = holder  # checked before its digests
    results = _upload(hub_url, token, items)

    assert [r["status"] for r in results] == ["ack", "rejected", "resend"]
    assert words in results[1]["reason"] and results[2]["resend_from"] == 2
    assert len(hub.passages(PassageQuery())) == 1
    assert hub.booths()[0]["quarantined"] == 1
    assert _alive(hub_url)


@pytest.mark.parametrize("bad", ["not-a-date", "2024-03-01T06:00:00", "2024-13-01T06:00:00Z"])
def test_times_must_be_iso_8601_with_an_offset(
    hub_url: str, hub: Hub, token: str, bad: str
) -> None:
    (item,) = _chain(_records(1, decided_at=bad))
    (result,) = _upload(hub_url, token, [item])
    assert result["status"] == "rejected" and "ISO 8601" in result["reason"]
    assert hub.passages(PassageQuery()) == []


def test_a_time_with_another_offset_is_kept_in_utc_order(
    hub: Hub, hub_url: str, token: str
) -> None:
    items = _chain(_records(1, decided_at="2024-03-01T14:00:00.000000+08:00"))
    assert [r["status"] for r in _upload(hub_url, token, items)] == ["ack"]
    assert hub.passages(PassageQuery(since="2024-03-01T06:00:00+00:00")) != []
    assert hub.passages(PassageQuery(since="2024-03-01T06:00:01+00:00")) == []


def test_more_passages_at_one_instant_than_a_page_export_whole(
    hub: Hub, hub_url: str, token: str
) -> None:
    items = _chain(_records(5001))
    for start in range(0, len(items), 2500):
        assert {r["status"] for r in _upload(hub_url, token, items[start : start + 2500])} == {
            "ack"
        }
    status, body = _export(hub_url)
    assert status == 200
    assert len(body.splitlines()) == 5001 + 1  # the header row


def test_a_link_whose_predecessor_the_hub_lacks_is_not_acknowledged(
    hub: Hub, hub_url: str, token: str
) -> None:
    items = _chain(_records(6))
    _upload(hub_url, token, items[:3])

    results = _upload(hub_url, token, items[4:])

    assert {(r["status"], r["resend_from"]) for r in results} == {("resend", 4)}
    with hub.engine.connect() as conn:
        assert conn.execute(select(func.max(chain_links.c.seq))).scalar() == 3
    assert [r["status"] for r in _upload(hub_url, token, items[3:])] == ["ack"] * 3


def test_the_quarantine_is_bounded_and_raises_an_alarm(
    hub: Hub, hub_url: str, token: str, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    monkeypatch.setattr(ingest, "MAX_QUARANTINE", 3)
    monkeypatch.setattr("gatehouse.hub.service.MAX_QUARANTINE", 3)
    forged = _chain(_records(5))
    for item in forged:
        item["record"]["outcome"] = "ADMIT_FORGED"  # digests no longer match
    with caplog.at_level(logging.ERROR, logger="gatehouse.hub.ingest"):
        results = _upload(hub_url, token, forged)

    assert {r["status"] for r in results} == {"rejected"}
    with hub.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(quarantine)).scalar() == 3
    assert hub.booths()[0]["quarantine_full"] is True
    assert any("ALARM" in r.getMessage() and BOOTH in r.getMessage() for r in caplog.records)


def test_enrolment_attempts_are_rate_limited(hub_url: str, hub: Hub) -> None:
    guess = json.dumps({"booth_id": BOOTH, "code": "wrong-guess"}).encode()
    statuses = [_post(hub_url, protocol.ENROL_PATH, guess)[0] for _ in range(11)]
    assert statuses == [403] * 10 + [429]
    status, reply = _post(hub_url, protocol.ENROL_PATH, guess)
    assert status == 429 and "try again in" in reply["error"]
    assert _alive(hub_url)


def _export(hub_url: str) -> tuple[int, bytes]:
    parts = urllib.parse.urlsplit(hub_url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=120)
    try:
        path = protocol.EXPORT_PATH.format(fmt="csv")
        conn.request("GET", path, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()
