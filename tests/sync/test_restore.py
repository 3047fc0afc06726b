"""``gatehouse restore`` rejoins the hub: 50 passages synced, a backup, 30 more synced, the
ledger lost, the backup restored, 40 new passages — every one at the hub (a real hub process,
a real backup, the real command), whether the hub answered at the restore or not.

Runs on SQLite and on PostgreSQL. The figures are printed (``pytest -s``) for the report.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from gatehouse.cli import main
from gatehouse.core.chain import ChainLink, first_break
from gatehouse.hub.service import Hub
from gatehouse.hub.tables import chain_links, passages, quarantine, superseded_links
from gatehouse.store import Ledger
from gatehouse.store.backup import default_backup_folder
from gatehouse.store.verify import verify_ledger
from gatehouse.sync.enrolment import enrol_booth, load_settings
from gatehouse.sync.protocol import link_to_json
from gatehouse.sync.worker import SyncWorker
from tests.factories import make_passage
from tests.gatehouse_process import run_gatehouse
from tests.hub.live import DATABASES, fresh_database
from tests.sync.hub_process import HubProcess

BOOTH = "booth-restore"


def _record_and_sync(ledger: Ledger, count: int) -> list[str]:
    made = [make_passage(booth_id=BOOTH) for _ in range(count)]
    for passage in made:
        ledger.record(passage).result()
    settings = load_settings(ledger)
    assert settings is not None
    SyncWorker(ledger, settings).sync_once()
    counts = ledger.outbox_counts()
    assert (counts.pending, counts.rejected) == (0, 0), counts
    return [p.passage_id for p in made]


def _restore(tmp_path: Path, ledger_path: Path) -> subprocess.CompletedProcess[str]:
    return run_gatehouse("restore", "--database", str(ledger_path), home=tmp_path / "home")


def _before_the_loss(tmp_path: Path, hub_url: str, code: str) -> tuple[Path, list[str]]:
    """50 synced, a backup, 30 more synced; then the ledger is lost (emptied)."""
    path = tmp_path / "booth" / "ledger.sqlite3"
    with Ledger.open(path) as ledger:
        enrol_booth(ledger, hub_url, BOOTH, code)
        early = _record_and_sync(ledger, 50)
        ledger.backup(default_backup_folder(path))
        late = _record_and_sync(ledger, 30)
    path.write_bytes(b"")
    return path, early + late


def _hub_state(engine: Engine) -> tuple[set[str], int, int, list[ChainLink]]:
    with engine.connect() as conn:
        held = {row[0] for row in conn.execute(select(passages.c.passage_id))}
        quarantined = conn.execute(select(func.count()).select_from(quarantine)).scalar_one()
        set_aside = conn.execute(select(func.count()).select_from(superseded_links)).scalar_one()
        rows = conn.execute(
            select(chain_links).where(chain_links.c.booth_id == BOOTH).order_by(chain_links.c.seq)
        ).mappings()
        links = [ChainLink.from_mapping(dict(row)) for row in rows]
    return held, quarantined, set_aside, links


@pytest.mark.parametrize("database", DATABASES)
@pytest.mark.parametrize("hub_answers", [True, False], ids=["hub-reached", "hub-down"])
def test_every_passage_after_a_restore_reaches_the_hub(
    database: str, hub_answers: bool, tmp_path: Path
) -> None:
    engine = fresh_database(database, tmp_path)
    url = engine.url.render_as_string(hide_password=False)
    from gatehouse.hub.server import HubState

    code = Hub(engine, HubState(tmp_path).bundle_key()).create_enrolment_code(BOOTH)
    with HubProcess(url, tmp_path) as hub_process:
        path, before = _before_the_loss(tmp_path, hub_process.url, code)
        if not hub_answers:
            hub_process.stop()
        done = _restore(tmp_path, path)
        if not hub_answers:
            hub_process.start()
        assert done.returncode == 0, done.stdout + done.stderr
        with Ledger.open(path) as ledger:
            restored = ledger.count()
            after = _record_and_sync(ledger, 40)
            head = ledger.chain_head()
        verdict = verify_ledger(path)
    held, quarantined, set_aside, links = _hub_state(engine)
    engine.dispose()

    print(
        f"\n[{database}, {'hub reached' if hub_answers else 'hub down'} at restore] booth "
        f"passages after restore {restored}; post-restore passages at the hub "
        f"{len(set(after) & held)}/{len(after)}; all passages at the hub {len(held)}; "
        f"quarantined {quarantined}; links set aside {set_aside}; hub chain {len(links)} links"
    )
    assert set(after) <= held  # every post-restore passage is at the hub
    assert set(before) <= held  # and nothing the hub held before is lost
    assert quarantined == 0
    assert verdict.intact
    assert head is not None and links[-1].hash == head.hash
    assert first_break(links) is None  # the hub's chain for this booth is whole
    if hub_answers:
        assert restored == 80 and set_aside == 0  # the 30 came back: the same chain goes on
        assert "taken back from the hub: 30 links" in done.stdout
    else:
        assert restored == 50 and set_aside == 30  # a declared segment from link 50
        assert "new chain segment is declared at link 51" in done.stdout


def _items(ledger: Ledger) -> list[dict[str, object]]:
    return [
        {"link": link_to_json(item.link), "record": item.record}
        for item in ledger.pending(limit=1000)
    ]


def test_restore_passes_over_a_damaged_backup_and_keeps_the_lost_ledger(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "booth" / "ledger.sqlite3"
    with Ledger.open(path) as ledger:
        ledger.record_many([make_passage(booth_id=BOOTH) for _ in range(5)]).result()
        good = ledger.backup(default_backup_folder(path))
        later = [make_passage(booth_id=BOOTH, holder_name=f"Later-{n}") for n in range(3)]
        ledger.record_many(later).result()
        newest = ledger.backup(default_backup_folder(path))
    data = bytearray(newest.read_bytes())
    data[data.index(b"Later-1")] ^= 0x01  # one flipped bit inside a record of the newest backup
    newest.write_bytes(bytes(data))
    path.write_bytes(b"\x00" * 4096)  # the ledger itself is lost

    assert main(["restore", "--database", str(path)]) == 0

    out = capsys.readouterr().out
    assert f"skipped a damaged backup: {newest}" in out
    assert f"restored {good.name}: links 1-5" in out
    assert "not enrolled with a hub" in out
    kept = [p for p in path.parent.iterdir() if ".damaged-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes() == b"\x00" * 4096
    with Ledger.open(path) as restored:
        assert restored.count() == 5
    assert verify_ledger(path).intact
    assert main(["restore", "--database", str(path)]) == 1  # an intact ledger is left alone
    assert "intact: nothing to restore" in capsys.readouterr().err


def test_restore_without_any_good_backup_changes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "ledger.sqlite3"
    path.write_bytes(b"garbage" * 100)

    assert main(["restore", "--database", str(path)]) == 1

    assert "no good backup" in capsys.readouterr().err
    assert path.read_bytes() == b"garbage" * 100


def test_the_hub_does_not_take_a_restore_that_does_not_follow_its_chain(tmp_path: Path) -> None:
    engine = fresh_database("sqlite", tmp_path)
    from gatehouse.hub.server import HubState

    hub = Hub(engine, HubState(tmp_path).bundle_key())
    hub.enrol(BOOTH, hub.create_enrolment_code(BOOTH))
    with Ledger.open(tmp_path / "real.sqlite3") as real:
        real.record_many([make_passage(booth_id=BOOTH) for _ in range(5)]).result()
        assert all(r.status == "ack" for r in hub.upload(BOOTH, _items(real)))
    with Ledger.open(tmp_path / "forged.sqlite3") as forged:  # another history, "restored"
        forged.record_many([make_passage(booth_id=BOOTH) for _ in range(3)]).result()
        forged.declare_restore(
            at=make_passage().decided_at, booth_id=BOOTH, actor="x", details={}
        ).result()
        results = hub.upload(BOOTH, _items(forged))

    _, quarantined, set_aside, links = _hub_state(engine)
    engine.dispose()
    assert [r.status for r in results] == ["rejected"] * 4
    assert set_aside == 0 and len(links) == 5 and first_break(links) is None
    assert quarantined == 4
