"""A booth checks each pulled bundle as the hub does before signing: a signed bundle no booth
can use (served by a hub of an older version) is not stored, the one held stays in force,
and the supervisor is told once."""

from __future__ import annotations

import copy
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from gatehouse import config
from gatehouse.bundles.policy import PolicyKeeper
from gatehouse.core.decision import Evidence, admit_blockers, decide
from gatehouse.core.models import Outcome, TemperatureReading
from gatehouse.hub.service import Hub
from gatehouse.resources import resource_path
from gatehouse.store import Ledger
from gatehouse.store.bundles import StoredBundle
from gatehouse.sync import protocol
from gatehouse.sync.client import HubClient
from gatehouse.sync.enrolment import enrol_booth
from gatehouse.sync.worker import SyncWorker
from tests.hub.live import ADMIN_TOKEN, serve_unchecked

PACK = json.loads(resource_path("policy", "default_pack.json").read_text("utf-8"))


def test_a_bundle_no_booth_can_use_is_not_stored_and_the_held_one_stays(
    ledger: Ledger, hub_url: str, hub: Hub, tmp_path: Path
) -> None:
    admin = HubClient(hub_url, ADMIN_TOKEN)
    code = admin.request("POST", protocol.ENROLMENT_CODES_PATH, {"booth_id": "b1"}).json()
    worker = SyncWorker(ledger, enrol_booth(ledger, hub_url, "b1", code["code"]))
    hub.publish("policy", PACK)
    assert worker.sync_once().bundles_updated == ("policy",)

    serve_unchecked(hub, "policy", 2, {"format": "gatehouse-rule-pack/0"})
    serve_unchecked(hub, "issuers", 1, {"issuers": "none"})
    assert worker.sync_once().bundles_updated == ()
    assert worker.sync_once().bundles_updated == ()  # refused again, told once
    held = ledger.bundle("policy")
    assert held is not None and held.version == 1
    assert ledger.bundle("issuers") is None
    cfg = config.from_mapping({"trust": {"keys_file": str(tmp_path / "k.json")}}, environ={})
    assert PolicyKeeper(cfg, ledger, demo=False).policy.packs  # the booth still starts

    ledger.close()
    with sqlite3.connect(ledger.path) as db:
        rows = db.execute(
            "SELECT actor, details FROM audit_events WHERE kind = 'trust_refused'"
        ).fetchall()
    problems = sorted(p for _, details in rows for p in json.loads(details)["refused"])
    assert {actor for actor, _ in rows} == {"sync"} and len(problems) == 2
    assert problems[0].startswith("hub bundle issuers version 1: refused: issuers:")
    assert "nothing from it is trusted" in problems[0]
    assert problems[1].startswith("hub bundle policy version 2: refused: policy: a booth would")
    assert problems[1].endswith("version 1 stays in force")


def test_a_pack_accepting_a_misspelt_code_kind_is_refused_and_the_last_good_stays(
    ledger: Ledger, hub_url: str, hub: Hub, tmp_path: Path
) -> None:
    """A typo in ``accepted_code_kinds`` would refer every health code at every gate: the booth
    refuses the pack naming the kind, and decides by the last good one."""
    admin = HubClient(hub_url, ADMIN_TOKEN)
    code = admin.request("POST", protocol.ENROLMENT_CODES_PATH, {"booth_id": "b1"}).json()
    worker = SyncWorker(ledger, enrol_booth(ledger, hub_url, "b1", code["code"]))
    hub.publish("policy", {**PACK, "version": "good"})
    assert worker.sync_once().bundles_updated == ("policy",)
    misspelt = copy.deepcopy(PACK)
    misspelt["version"] = "misspelt"
    misspelt["checkpoints"]["mine_gate"]["params"]["accepted_code_kinds"] = ["heath_code"]

    serve_unchecked(hub, "policy", 2, misspelt)
    assert worker.sync_once().bundles_updated == ()
    held = ledger.bundle("policy")
    assert held is not None and held.version == 1
    cfg = config.from_mapping({"trust": {"keys_file": str(tmp_path / "k.json")}}, environ={})
    packs = PolicyKeeper(cfg, ledger, demo=False).policy.packs
    assert "good" in {pack.version for pack in packs}
    assert "misspelt" not in {pack.version for pack in packs}

    ledger.close()
    with sqlite3.connect(ledger.path) as db:
        (details,) = db.execute(
            "SELECT details FROM audit_events WHERE kind = 'trust_refused'"
        ).fetchone()
    (problem,) = json.loads(details)["refused"]
    assert "unknown code kind 'heath_code'; the kinds: gatehouse-pass, eu-dcc" in problem
    assert problem.endswith("version 1 stays in force")


_MISSPELT = copy.deepcopy(PACK)
_MISSPELT["checkpoints"]["mine_gate"]["params"]["accepted_code_kinds"] = ["heath_code"]
_KEPT_REFUSED = [  # (bundle, content an older release kept, the reason code, the problem)
    ("policy", _MISSPELT, "pack.refused", "unknown code kind 'heath_code'"),
    ("risk_areas", {"format": "gatehouse-risk-areas/0"}, "data.risk_list_refused", "not a"),
    ("lists", {"format": "gatehouse-person-lists/1"}, "data.lists_refused", "published_at"),
]


@pytest.mark.parametrize(("name", "content", "code", "problem"), _KEPT_REFUSED)
def test_a_kept_document_this_release_refuses_never_stops_the_booth_which_refers_everyone(
    ledger: Ledger, tmp_path: Path, name: str, content: object, code: str, problem: str
) -> None:
    """A document an older release accepted and kept: the booth still starts, so it can pull
    the office's correction, and refers everyone meanwhile instead of deciding by the built-in
    one (looser than the office's, or an old isolation list)."""
    now = datetime.now(UTC)
    kept = StoredBundle(name, 3, content, b"signed", f'"{name}-3"', now, now)
    assert ledger.store_bundle(kept, "b1").result()
    cfg = config.from_mapping({"trust": {"keys_file": str(tmp_path / "k.json")}}, environ={})
    policy = PolicyKeeper(cfg, ledger, demo=False).policy
    (refused,) = policy.refused
    assert (refused.name, refused.version) == (name, 3) and problem in refused.problem
    (blocker,) = admit_blockers(policy, now)
    assert blocker.code == code and "(version 3) cannot be used by this release: " in blocker.en
    assert "(版本 3)本版本程序无法使用" in blocker.zh and problem in blocker.zh
    evidence = Evidence("HC1:unread", None, None, TemperatureReading(36.5, now, "sensor"))
    decision = decide(evidence, policy, now)
    assert decision.outcome is Outcome.REFER and decision.reasons == (blocker,)
