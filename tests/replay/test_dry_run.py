"""Dry run: re-deciding logged passages with a new pack, and saying when that is not possible."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from drivers.thermometer.reading import RawReading
from gatehouse.core.code_reader import TrustMaterial
from gatehouse.core.gatehouse_pass import encode_pass
from gatehouse.core.id_card import IdCard
from gatehouse.core.keys import generate_issuer_key
from gatehouse.core.models import HealthCodeColour, Outcome
from gatehouse.core.passage import Passage
from gatehouse.core.rules.persons import check_character
from gatehouse.replay.dry_run import Status, dry_run
from gatehouse.store.ledger import Ledger
from tests.booth.conftest import FixedClock
from tests.booth.test_service import make_service
from tests.core.factories import CLAIMS, ISSUER, claims, trust_for
from tests.core.policies import DEFAULT_PACK, policy, with_checkpoint
from tests.factories import make_passage

ID_NUMBER = "11010519491231002" + check_character("11010519491231002")
STRICTER = dataclasses.replace(
    with_checkpoint(DEFAULT_PACK, temperature_threshold_c=37.0), pack_id="stricter"
)


def _logged(ledger: Ledger, clock: FixedClock, key: Ed25519PrivateKey) -> dict[str, Passage]:
    """Passages as the booth logs them: normal, 37.1 °C, an ID typed at the gate, a re-measure."""
    text = encode_pass(CLAIMS, key, ISSUER)
    found = {}
    for name, celsius, id_number in (
        ("normal", 36.5, None),
        ("warm", 37.1, None),
        ("typed_id", 37.1, ID_NUMBER),
        ("fever", 37.6, None),
    ):
        service = make_service(ledger, clock, trust_for(key), celsius=celsius)
        result = service.handle_scan(text, id_number)
        if name == "fever":  # scanned again: a re-measure, whose first reading's time is not logged
            service._temperature.update(RawReading(37.6))
            result = service.handle_scan(text)
        result.saved.result(timeout=10)
        stored = ledger.get(result.passage.passage_id)
        assert stored is not None
        found[name] = stored
    service = make_service(ledger, clock, trust_for(key), celsius=37.1)
    card = IdCard(ID_NUMBER, name=CLAIMS.holder_name)  # laid on the ID card reader
    carded = service.handle_scan(text, id_card=card)
    carded.saved.result(timeout=10)
    stored = ledger.get(carded.passage.passage_id)
    assert stored is not None
    found["card"] = stored
    return found


def test_a_stricter_threshold_changes_exactly_the_warm_passages(
    ledger: Ledger, clock: FixedClock
) -> None:
    key = generate_issuer_key()
    logged = _logged(ledger, clock, key)
    purged = dataclasses.replace(logged["normal"], passage_id="purged", scanned_text="")
    assert logged["warm"].outcome is Outcome.ADMIT

    rows = {
        row.passage.passage_id: row
        for row in dry_run(
            [*logged.values(), purged],
            policy(),
            (STRICTER,),
            TrustMaterial(passes=trust_for(key)),
        )
    }

    normal, warm = rows[logged["normal"].passage_id], rows[logged["warm"].passage_id]
    assert (normal.status, normal.note) == (Status.UNCHANGED, None)
    assert warm.status is Status.CHANGED and warm.note is None
    assert warm.new is not None and warm.new.outcome is Outcome.REMEASURE
    assert warm.to_json_data()["new_reasons"] == ["temp.high"]
    assert warm.to_json_data()["new_policy"].startswith("stricter@")
    undecidable = {
        name: rows[logged[name].passage_id] for name in ("typed_id", "card", "fever")
    } | {"purged": rows["purged"]}
    assert {row.status for row in undecidable.values()} == {Status.UNDECIDABLE}
    assert "keyed hash" in str(undecidable["typed_id"].note)
    assert "first abnormal reading" in str(undecidable["fever"].note)
    assert "purged" in str(undecidable["purged"].note)


def test_a_baseline_that_differs_from_the_log_is_flagged(ledger: Ledger, clock: FixedClock) -> None:
    key = generate_issuer_key()
    warm = _logged(ledger, clock, key)["warm"]
    logged_refer = dataclasses.replace(warm, outcome=Outcome.REFER)
    (row,) = dry_run(
        [logged_refer], policy(), (DEFAULT_PACK,), TrustMaterial(passes=trust_for(key))
    )
    assert row.status is Status.CHANGED
    assert row.note is not None and "not the logged REFER" in row.note


def test_the_command_lists_changes_as_json_lines(tmp_path: Path) -> None:
    pack = json.loads(
        (Path(__file__).parents[2] / "resources" / "policy" / "default_pack.json").read_text()
    )
    pack["checkpoints"]["mine_gate"]["params"]["temperature_threshold_c"] = 37.0
    (isolation,) = [rule for rule in pack["rules"] if rule["kind"] == "isolation_list"]
    isolation["params"] = {"require_id": False}  # the dry run says so, loudly
    pack_file = tmp_path / "pack.json"
    pack_file.write_text(json.dumps(pack))
    database = tmp_path / "ledger.sqlite3"
    with Ledger.open(database) as ledger:
        ledger.record(
            dataclasses.replace(_blank_passage(), evidence={"code_verified": False})
        ).result()
    result = subprocess.run(
        [
            *(sys.executable, "-m", "gatehouse", "dry-run", "--pack", str(pack_file)),
            *("--database", str(database), "--config", str(tmp_path / "none.toml")),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.splitlines()
    data = json.loads(line)
    assert data["status"] == "undecidable" and data["logged"] == "ADMIT"
    assert "1 passages in the last 7 days: 0 would change, 1 cannot be re-decided" in result.stderr
    assert (
        "turns require_id off for R06-isolation at mine_gate: a person nobody identified passes "
        "the list check unchecked"
    ) in result.stderr


def test_a_live_colour_the_guard_saw_is_re_decided_with_it(
    ledger: Ledger, clock: FixedClock
) -> None:
    """An aged pass resolved with F2 (yellow) stays turned away when re-decided."""
    key = generate_issuer_key()
    service = make_service(ledger, clock, trust_for(key))
    aged = claims(health_code_checked_at=clock.moment - timedelta(days=2))
    first = service.handle_scan(encode_pass(aged, key, ISSUER))
    live = service.attest(first.person_key, HealthCodeColour.YELLOW)
    assert live is not None
    live.saved.result(timeout=10)
    stored = ledger.get(live.passage.passage_id)
    assert stored is not None and stored.outcome is Outcome.TURN_AWAY
    (row,) = dry_run([stored], policy(), (DEFAULT_PACK,), TrustMaterial(passes=trust_for(key)))
    assert row.status is Status.UNCHANGED and row.note is None
    assert row.new is not None and "health.live_yellow" in {r.code for r in row.new.reasons}


def _blank_passage() -> Passage:
    """A recent passage whose personal data a retention purge erased."""
    return make_passage(decided_at=datetime.now(UTC), scanned_text="")
