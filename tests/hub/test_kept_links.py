"""Kept links: records a booth made under an earlier booth id stay in its ledger under that id;
only their links reach the hub, which chains them like any other, holds no record of them and
notes them as kept. A real hub over HTTP, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from gatehouse.core.chain import ChainLink, first_break
from gatehouse.hub.service import Hub, PassageQuery
from gatehouse.hub.tables import chain_links, kept_links, passages, quarantine
from gatehouse.store import Ledger
from gatehouse.store.verify import verify_ledger
from gatehouse.sync import protocol
from gatehouse.sync.client import HubClient
from gatehouse.sync.enrolment import SyncSettings, enrol_booth
from gatehouse.sync.rejoin import recover_from_hub
from gatehouse.sync.worker import SyncWorker
from tests.factories import make_passage
from tests.hub.live import ADMIN_TOKEN

BOOTH, OLD = "north-gate", "old-gate"


def _booth(path: Path, hub_url: str, ids: list[str]) -> tuple[Ledger, SyncSettings, list[str]]:
    """A ledger with one passage per id in ``ids`` (in that order), then enrolled as BOOTH."""
    ledger = Ledger.open(path)
    made = [make_passage(booth_id=booth_id, holder_name="Wang Fang") for booth_id in ids]
    for passage in made:
        ledger.record(passage).result()
    admin = HubClient(hub_url, ADMIN_TOKEN)
    code = admin.request("POST", protocol.ENROLMENT_CODES_PATH, {"booth_id": BOOTH}).json()
    return ledger, enrol_booth(ledger, hub_url, BOOTH, code["code"]), [p.passage_id for p in made]


def _hub_chain(engine: Engine) -> list[ChainLink]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(chain_links).where(chain_links.c.booth_id == BOOTH).order_by(chain_links.c.seq)
        ).mappings()
        return [ChainLink.from_mapping(dict(row)) for row in rows]


def _outbox(ledger: Ledger) -> list[tuple[str, str | None]]:
    rows: list[tuple[str, str | None]] = ledger._writer.submit(
        lambda db: db.execute("SELECT state, detail FROM outbox ORDER BY seq").fetchall()
    ).result()
    return [(state, detail) for state, detail in rows]


def _count(engine: Engine, table: Any) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def test_kept_links_reach_the_hub_without_their_records_and_its_chain_holds(
    engine: Engine, hub: Hub, hub_url: str, tmp_path: Path
) -> None:
    ledger, settings, made = _booth(tmp_path / "l.sqlite3", hub_url, [OLD] * 3 + [BOOTH] * 2)
    with ledger:
        report = SyncWorker(ledger, settings, batch_size=2).sync_once()
        outbox = _outbox(ledger)
        chain = (
            HubClient(hub_url, settings.token)
            .request("GET", f"{protocol.CHAIN_PATH}?after=0")
            .json()["items"]
        )

    assert (report.acknowledged, report.rejected) == (2, 0)
    assert [state for state, _ in outbox] == ["kept"] * 3 + ["synced"] * 2
    assert all(f"recorded as booth {OLD!r}" in (detail or "") for _, detail in outbox[:3])
    links = _hub_chain(engine)
    assert [link.seq for link in links] == [1, 2, 3, 4, 5]
    assert first_break(links) is None  # the hub's chain of this booth is whole
    assert sorted(p["passage_id"] for p in hub.passages(PassageQuery())) == sorted(made[3:])
    assert _count(engine, quarantine) == 0
    assert [(b["passages"], b["kept"], b["quarantined"]) for b in hub.booths()] == [(2, 3, 0)]
    with engine.connect() as conn:
        notes = conn.execute(select(kept_links).order_by(kept_links.c.seq)).mappings().all()
        stored = {row[0] for row in conn.execute(select(passages.c.passage_id))}
    assert [(n["seq"], n["recorded_as"]) for n in notes] == [(1, OLD), (2, OLD), (3, OLD)]
    assert stored.isdisjoint(made[:3])
    assert "Wang Fang" not in json.dumps([dict(n) for n in notes])  # no personal data left
    # The read-back gives every link, the kept ones marked so and without a record.
    assert [i["record"] is None for i in chain] == [True] * 3 + [False] * 2
    assert [i.get(protocol.KEPT, {}).get("booth_id") for i in chain[:3]] == [OLD] * 3
    assert [protocol.link_from_json(i["link"]) for i in chain] == links


def test_kept_rows_of_a_booth_that_never_sent_them_are_sent_when_the_hub_asks(
    engine: Engine, hub: Hub, hub_url: str, tmp_path: Path
) -> None:
    """A ledger from before kept links travelled: its kept rows were never sent, so the hub
    asks for link 1 again, and the booth sends them now, link only."""
    ledger, settings, _ = _booth(tmp_path / "l.sqlite3", hub_url, [OLD] * 2 + [BOOTH])
    with ledger:
        ledger.mark_kept([1, 2], "recorded as booth 'old-gate': not sent").result()
        report = SyncWorker(ledger, settings).sync_once()
        outbox = _outbox(ledger)

    assert (report.acknowledged, report.rejected) == (1, 0)
    assert [state for state, _ in outbox] == ["kept", "kept", "synced"]
    assert first_break(_hub_chain(engine)) is None and len(_hub_chain(engine)) == 3


def test_a_sent_again_kept_link_is_acknowledged_once(
    engine: Engine, hub: Hub, hub_url: str, tmp_path: Path
) -> None:
    ledger, settings, _ = _booth(tmp_path / "l.sqlite3", hub_url, [OLD])
    with ledger:
        item = protocol.kept_item(
            ledger.pending(1)[0].link, protocol.KeptNote(OLD, "recorded as booth 'old-gate'")
        )
    client = HubClient(hub_url, settings.token)

    answers = [client.upload([item])[0][0]["status"] for _ in range(2)]

    assert answers == [protocol.ACK, protocol.ACK]
    assert (_count(engine, kept_links), _count(engine, chain_links)) == (1, 1)


def test_forged_record_less_links_are_rejected(
    engine: Engine, hub: Hub, hub_url: str, tmp_path: Path
) -> None:
    ledger, settings, _ = _booth(tmp_path / "l.sqlite3", hub_url, [OLD])
    with ledger:
        first = ledger.pending(1)[0]
    note = protocol.KeptNote(OLD, "recorded as booth 'old-gate'")
    bad_hash = protocol.kept_item(dataclasses.replace(first.link, hash="0" * 64), note)
    own_id = protocol.kept_item(first.link, protocol.KeptNote(BOOTH, "mine, but hidden"))
    both = {**protocol.kept_item(first.link, note), "record": first.record}
    no_note = {"link": protocol.link_to_json(first.link), "record": None}
    nameless = {**protocol.kept_item(first.link, note), protocol.KEPT: {"reason": "?"}}
    client = HubClient(hub_url, settings.token)

    results, _ = client.upload([bad_hash, own_id, both, no_note, nameless])

    assert [r["status"] for r in results] == [protocol.REJECTED] * 5
    reasons = [r["reason"] for r in results]
    assert "link hash does not match" in reasons[0]
    assert f"a record of booth {BOOTH!r} must be sent with its record" in reasons[1]
    assert all("must say why it is kept" in r for r in reasons[2:4])
    assert "must name the booth id" in reasons[4]
    assert (_count(engine, chain_links), _count(engine, kept_links)) == (0, 0)


def test_the_read_back_of_a_restored_booth_stops_before_a_kept_link(
    engine: Engine, hub: Hub, hub_url: str, tmp_path: Path
) -> None:
    """Links 1-2 come back with their records; link 3's record never left the booth that made
    it, so the restored ledger stops there (and the restore declares a segment from there)."""
    ledger, settings, made = _booth(tmp_path / "l.sqlite3", hub_url, [BOOTH, BOOTH, OLD, BOOTH])
    with ledger:
        SyncWorker(ledger, settings).sync_once()

    with Ledger.open(tmp_path / "restored.sqlite3") as restored:
        recovery = recover_from_hub(restored, settings)
        head = restored.chain_head()
        kept_back = [p.passage_id for p in restored.recent(limit=10)]

    assert recovery.recovered == 2
    assert recovery.problem is not None
    assert "link 3 was kept at the booth that made it" in recovery.problem
    assert f"recorded as booth {OLD!r}" in recovery.problem
    assert head is not None and head.seq == 2
    assert sorted(kept_back) == sorted(made[:2])
    assert verify_ledger(tmp_path / "restored.sqlite3").intact
