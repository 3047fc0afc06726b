"""A re-sent batch: parsed whole (a booth that predates the line layout, and every booth
before it) beside sent one item per line (``protocol.BATCH_HEADER``, recognised by digest),
against the first send, on the same hub process in the same run, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from bench.bench_hub_scale import _cpu_s
from bench.bench_sync import _postgres_url
from bench.report import Section, percentile, table
from gatehouse.hub.server import HubState, open_hub
from gatehouse.store.ledger import Ledger
from gatehouse.sync import protocol
from gatehouse.sync.client import HubClient, HubReply
from tests.factories import make_passage
from tests.sync.hub_process import HubProcess

ITEMS = 1_000
ROUNDS = 3  # re-sends of each kind per booth, alternating


def _items(path: Path, booth_id: str, count: int) -> list[dict[str, Any]]:
    with Ledger.open(path) as ledger:
        ledger.record_many(make_passage(booth_id=booth_id) for _ in range(count)).result()
        return [
            {"link": protocol.link_to_json(i.link), "record": i.record}
            for i in ledger.pending(count)
        ]


def _timed(pid: int, send: Callable[[], HubReply], wall: list[float], cpu: list[float]) -> None:
    """One upload: its time to the answer and the hub's CPU time for it; every item acked."""
    cpu_start, start = _cpu_s(pid), time.perf_counter()
    reply = send()
    wall.append(time.perf_counter() - start)
    cpu.append(_cpu_s(pid) - cpu_start)
    if {r["status"] for r in reply.json()["results"]} != {protocol.ACK}:
        raise RuntimeError(f"not every item was acknowledged: {reply.body[:300]!r}")


def _run_one(name: str, url: str, booths: int) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        state = Path(folder) / "hub"
        state.mkdir()
        hub = HubProcess(url, state)
        hub.start()
        office = open_hub(HubState(hub.state), url)
        kinds = ("first whole", "first lines", "whole", "lines")
        walls: dict[str, list[float]] = {kind: [] for kind in kinds}
        cpus: dict[str, list[float]] = {kind: [] for kind in kinds}
        try:
            for n in range(booths):
                booth_id = f"resend-{n}"
                items = _items(Path(folder) / f"{booth_id}.sqlite3", booth_id, ITEMS)
                token = office.enrol(booth_id, office.create_enrolment_code(booth_id))
                client = HubClient(hub.url, token, timeout_s=120)
                whole = json.dumps({"items": items}, ensure_ascii=False).encode()
                lines, headers = protocol.upload_body(items, None)
                sends = {
                    "whole": partial(client.send, "POST", protocol.UPLOAD_PATH, whole),
                    "lines": partial(client.send, "POST", protocol.UPLOAD_PATH, lines, headers),
                }
                # half the booths send first parsed whole: what keeping digests costs a send
                layout = ("whole", "lines")[n % 2]
                _timed(hub.pid, sends[layout], walls[f"first {layout}"], cpus[f"first {layout}"])
                if layout == "whole":
                    sends["lines"]()  # its digests kept, as after a booth's first send in lines
                for _ in range(ROUNDS):
                    for kind, send in sends.items():
                        _timed(hub.pid, send, walls[kind], cpus[kind])
        finally:
            office.engine.dispose()
            hub.stop()
    wall = {kind: percentile(times, 50) * 1000 for kind, times in walls.items()}
    cpu = {kind: sum(times) / len(times) * 1000 for kind, times in cpus.items()}
    return [
        name,
        *(f"{wall[kind]:.0f} / {cpu[kind]:.0f}" for kind in kinds),
        f"{wall['whole'] / wall['lines']:.1f}x / {cpu['whole'] / max(cpu['lines'], 1e-3):.1f}x",
        f"{wall['first lines'] / wall['lines']:.1f}x",
    ]


def run(quick: bool) -> list[Section]:
    booths = 2 if quick else 6
    rows = []
    with tempfile.TemporaryDirectory() as folder, _postgres_url() as postgres:
        for name, url in (("SQLite", f"sqlite:///{folder}/hub.sqlite3"), ("PostgreSQL", postgres)):
            rows.append(_run_one(name, url, booths))
    header = (
        "hub database",
        "first send parsed whole ms / hub CPU ms",
        "first send in lines ms / hub CPU ms",
        "re-send parsed whole ms / hub CPU ms",
        "re-send in lines ms / hub CPU ms",
        "lines cheaper than whole: time / hub CPU",
        "first send / re-send in lines",
    )
    return [
        Section(
            title="Hub: a re-sent batch, parsed whole beside recognised by its lines' digests",
            method=(
                f"`bench/bench_hub_resend.py`: {booths} fresh booths each upload {ITEMS:,} "
                "passages in one request (half of them parsed whole, half in lines, which also "
                "keeps the lines' digests), then re-send the same items "
                f"{ROUNDS} times in each layout, alternating, as a booth does whose request "
                "timed out after the hub stored it: parsed whole (the JSON body of a booth "
                "that predates the line layout: the hub parses every item and matches each "
                "held record in one indexed query per kind, as every re-send did before), and "
                "in lines (the SHA-256 of each line matched against the digests kept at the "
                "booth's links, in one indexed query; no item parsed). Bodies are encoded "
                "before the clock starts. Time: median to the answer, over real HTTP to a "
                "separate `gatehouse hub serve` process; hub CPU: the hub process's user + "
                "system time per request (mean; clock ticks of 10 ms). Booths and hub share "
                "the machine's 2 cores with other engineers' work."
            ),
            body=table(header, rows),
        )
    ]
