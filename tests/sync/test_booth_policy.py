"""The booth's policy fed by sync, end to end against the real hub on 127.0.0.1.

A booth (service + policy keeper + sync worker, wired as ``BoothRuntime`` wires them) decides
real signed passes; the office publishes through the hub. Pulled bundles take effect at the
next scan, and automatic admits stop while office data is stale or the booth's clock
disagrees with the hub's.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from drivers.thermometer.reading import RawReading
from gatehouse.booth.service import BoothIdentity, BoothService, ScanResult
from gatehouse.booth.temperature import LatestTemperature
from gatehouse.bundles.policy import PolicyKeeper
from gatehouse.bundles.value_sets import EVERY_SET, shipped_value_sets
from gatehouse.config import Config, PolicySettings
from gatehouse.core.china_time import china_day
from gatehouse.core.code_reader import TrustMaterial
from gatehouse.core.decision import Decision, Policy
from gatehouse.core.gatehouse_pass import encode_pass
from gatehouse.core.keys import generate_issuer_key
from gatehouse.core.models import Outcome
from gatehouse.core.reasons import GuardAction
from gatehouse.core.rules.persons import check_character
from gatehouse.hub.service import Hub
from gatehouse.store import Ledger
from gatehouse.store.bundles import StoredBundle
from gatehouse.store.lists import ListStore
from gatehouse.sync import protocol
from gatehouse.sync.client import HubClient
from gatehouse.sync.enrolment import enrol_booth
from gatehouse.sync.worker import SyncWorker
from tests.core.dcc_factory import certificate, vaccination_entry
from tests.core.dcc_rule import value_set_reasons
from tests.core.factories import ISSUER, traveller, trust_for
from tests.core.policies import RESOURCES
from tests.hub.live import ADMIN_TOKEN, serve_unchecked

BOOTH = "north-gate"
ID_NUMBER = "11010519491231002" + check_character("11010519491231002")
SECRET_HEX = "00112233445566778899aabbccddeeff"
APPLIED_TIMEOUT_S = 30


class OffsetClock:
    """The booth's clock: the real time plus an error a test sets (a booth clock that is off)."""

    source = "test"

    def __init__(self) -> None:
        self.error = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.error


@dataclass
class Booth:
    clock: OffsetClock
    service: BoothService
    keeper: PolicyKeeper
    worker: SyncWorker
    key: Ed25519PrivateKey
    ledger: Ledger
    config: Config
    lists: ListStore
    temperature: LatestTemperature

    def scan(self, travel_city: str = "610100", id_number: str | None = None) -> ScanResult:
        """A valid employee pass, tested 12 h ago, who was in ``travel_city`` two days ago."""
        holder = traveller(travel_city, datetime.now(UTC))
        result = self.service.handle_scan(encode_pass(holder, self.key, ISSUER), id_number)
        result.saved.result(timeout=10)
        return result


@pytest.fixture
def booth(ledger: Ledger, hub_url: str, tmp_path: Path) -> Iterator[Booth]:
    admin = HubClient(hub_url, ADMIN_TOKEN)
    code = admin.request("POST", protocol.ENROLMENT_CODES_PATH, {"booth_id": BOOTH}).json()
    settings = enrol_booth(ledger, hub_url, BOOTH, code["code"])
    secret_file = tmp_path / "list-secret.hex"
    secret_file.write_text(SECRET_HEX)
    config = Config(policy=PolicySettings(list_secret_file=str(secret_file)))
    clock = OffsetClock()
    lists = ListStore(ledger, bytes.fromhex(SECRET_HEX))
    keeper = PolicyKeeper(config, ledger, demo=False, lists=lists, keep=True)
    lists.on_change = keeper.reload_soon  # as BoothRuntime wires them
    key = generate_issuer_key()
    temperature = LatestTemperature(clock, "sensor")
    temperature.update(RawReading(36.5))
    service = BoothService(
        identity=BoothIdentity(BOOTH, "mine_gate"),
        trust=TrustMaterial(passes=trust_for(key)),
        policy=keeper.policy,
        clock=clock,
        ledger=ledger,
        temperature=temperature,
    )
    keeper.set_apply(service.set_policy)
    worker = SyncWorker(ledger, settings, clock=clock.now, on_status=keeper.on_sync_status)
    yield Booth(clock, service, keeper, worker, key, ledger, config, lists, temperature)


def _publish(hub: Hub, name: str, content: Any) -> None:
    hub.publish(name, content)


def _risk_list(version: str, published_at: datetime, *areas: tuple[str, int]) -> dict[str, Any]:
    """The office's risk list; each area is (region, designated so many days ago)."""
    today = china_day(datetime.now(UTC))
    return {
        "format": "gatehouse-risk-areas/1",
        "version": version,
        "published_at": published_at.isoformat(),
        "areas": [
            {
                "region": region,
                "level": "medium",
                "from": (today - timedelta(days=days)).isoformat(),
                "lifted": None,
            }
            for region, days in areas
        ],
    }


def _codes_of(decision: Decision) -> set[str]:
    return {item.code for item in decision.reasons}


def _codes(result: ScanResult) -> set[str]:
    return _codes_of(result.decision)


def test_pulled_risk_list_takes_effect_at_the_next_scan(booth: Booth, hub: Hub) -> None:
    # Never synced: the built-in seed list is years old, so nobody is admitted automatically.
    before = booth.scan(travel_city="110000")
    assert before.decision.outcome is Outcome.REFER
    assert "data.risk_list_stale" in _codes(before)

    # The office's list was published three days ago, but the hub confirms it is current.
    three_days_ago = datetime.now(UTC) - timedelta(days=3)
    _publish(hub, "risk_areas", _risk_list("office-1", three_days_ago))
    assert booth.worker.sync_once().bundles_updated == ("risk_areas",)
    admitted = booth.scan()
    assert admitted.decision.outcome is Outcome.ADMIT, _codes(admitted)
    assert booth.service.admit_blockers() == ()

    # Xi'an becomes a medium-risk area: the very next scan turns the traveller away.
    _publish(hub, "risk_areas", _risk_list("office-2", datetime.now(UTC), ("610100", 10)))
    booth.worker.sync_once()
    turned = booth.scan()
    assert turned.decision.outcome is Outcome.TURN_AWAY
    assert "travel.risk_medium" in _codes(turned)
    assert booth.scan(travel_city="110000").decision.outcome is Outcome.ADMIT


def test_a_booth_clock_off_the_hubs_stops_automatic_admits(booth: Booth, hub: Hub) -> None:
    _publish(hub, "risk_areas", _risk_list("office-1", datetime.now(UTC)))
    booth.clock.error = timedelta(minutes=10)
    booth.worker.sync_once()

    skewed = booth.scan(travel_city="110000")
    assert skewed.decision.outcome is Outcome.REFER
    (blocker,) = booth.service.admit_blockers()
    assert blocker.code == "clock.skew" and blocker.params["minutes"] in (9, 10)
    assert "clock.skew" in _codes(skewed)

    booth.clock.error = timedelta(0)  # the clock is put right; the next sync clears it
    booth.worker.sync_once()
    assert booth.scan(travel_city="110000").decision.outcome is Outcome.ADMIT


def test_a_clock_set_back_offline_is_caught_also_after_a_restart(
    booth: Booth, hub: Hub, hub_url: str
) -> None:
    _publish(hub, "risk_areas", _risk_list("office-1", datetime.now(UTC)))
    booth.worker.sync_once()
    assert booth.scan(travel_city="110000").decision.outcome is Outcome.ADMIT

    booth.clock.error = -timedelta(hours=1)  # no sync since: only the hub's last time tells
    assert booth.scan(travel_city="110000").decision.outcome is Outcome.REFER
    assert [b.code for b in booth.service.admit_blockers()] == ["clock.skew"]

    # A restart forgets the measured skew but not the hub's last known time.
    restarted = PolicyKeeper(booth.config, booth.ledger, demo=False)
    codes = [b.code for b in _blockers(restarted.policy, booth.clock.now())]
    assert codes == ["clock.skew"]
    assert _blockers(restarted.policy, datetime.now(UTC)) == ()


def test_office_data_goes_stale_when_the_hub_is_not_heard_from(booth: Booth, hub: Hub) -> None:
    _publish(hub, "risk_areas", _risk_list("office-1", datetime.now(UTC) - timedelta(hours=1)))
    pack = json.loads((RESOURCES / "policy" / "default_pack.json").read_text("utf-8"))
    long_ago = (datetime.now(UTC) - timedelta(days=30)).isoformat()
    pack.update(pack_id="office-pack", version="2", published_at=long_ago, effective_from=long_ago)
    freshness = next(rule for rule in pack["rules"] if rule["kind"] == "data_freshness")
    freshness["params"]["pack_max_age_hours"] = 24
    _publish(hub, "policy", pack)
    booth.worker.sync_once()
    assert booth.service.admit_blockers() == ()
    assert booth.scan(travel_city="110000").decision.policy_version == "office-pack@2"

    booth.clock.error = timedelta(hours=25)  # offline for a day: the pack is overdue
    assert [b.code for b in booth.service.admit_blockers()] == ["data.pack_stale"]
    booth.clock.error = timedelta(hours=49)
    assert {b.code for b in booth.service.admit_blockers()} == {
        "data.pack_stale",
        "data.risk_list_stale",
    }


def test_local_and_office_lists_decide_together(booth: Booth, hub: Hub) -> None:
    _publish(hub, "risk_areas", _risk_list("office-1", datetime.now(UTC)))
    booth.worker.sync_once()
    applied = threading.Event()

    def apply(policy: Policy) -> None:
        booth.service.set_policy(policy)
        applied.set()

    booth.keeper.set_apply(apply)
    booth.lists.replace_list("isolation", [{"id_number": ID_NUMBER, "name": "张伟"}]).result()
    assert applied.wait(APPLIED_TIMEOUT_S)
    isolated = booth.scan(travel_city="110000", id_number=ID_NUMBER)
    assert isolated.decision.outcome is Outcome.TURN_AWAY
    assert "list.isolation" in _codes(isolated)

    applied.clear()
    booth.lists.replace_list("isolation", []).result()  # the supervisor releases the person
    assert applied.wait(APPLIED_TIMEOUT_S)
    released = booth.scan(travel_city="110000", id_number=ID_NUMBER)
    assert "list.isolation" not in _codes(released)


def test_a_kept_pack_this_release_refuses_refers_everyone_until_the_office_corrects_it(
    booth: Booth, hub: Hub
) -> None:
    """A pack an older release accepted and kept (a misspelt code kind): the built-in pack may
    be looser than the office's, so nobody is decided by it; the correction pulled by the
    running booth's sync puts deciding right at the next scan, without a restart."""
    _publish(hub, "risk_areas", _risk_list("office-1", datetime.now(UTC)))
    booth.worker.sync_once()
    assert booth.scan(travel_city="110000").decision.outcome is Outcome.ADMIT  # built-in pack
    misspelt = json.loads((RESOURCES / "policy" / "default_pack.json").read_text("utf-8"))
    an_hour_ago = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    misspelt.update(
        pack_id="office-pack",
        version="misspelt",
        published_at=an_hour_ago,
        effective_from=an_hour_ago,
    )
    misspelt["checkpoints"]["mine_gate"]["params"]["accepted_code_kinds"] = ["heath_code"]
    serve_unchecked(hub, "policy", 1, misspelt)  # the older hub signed it
    now = datetime.now(UTC)
    kept = StoredBundle("policy", 1, misspelt, b"signed", '"policy-1"', now, now)
    assert booth.ledger.store_bundle(kept, BOOTH).result()  # and the older booth kept it
    booth.keeper.reload()

    referred = booth.scan(travel_city="110000").decision  # the built-in pack would admit
    assert referred.outcome is Outcome.REFER and _codes_of(referred) == {"pack.refused"}
    (said,) = referred.reasons
    assert said.en.startswith("The office's rule pack (version 1) cannot be used by this release")
    assert "unknown code kind 'heath_code'" in said.en and "heath_code" in said.zh
    assert "refers everyone" in said.en and "一律交主管处理" in said.zh
    assert said.action is GuardAction.SUPERVISOR
    assert booth.service.admit_blockers() == (said,)
    _publish(hub, "risk_areas", _risk_list("office-2", datetime.now(UTC), ("610100", 10)))
    booth.worker.sync_once()
    assert booth.scan().decision.outcome is Outcome.REFER  # never turned away on this ground
    assert booth.keeper.policy.refused  # a sync that brings no pack changes nothing

    corrected = {**misspelt, "version": "corrected"}
    corrected["checkpoints"] = json.loads(
        (RESOURCES / "policy" / "default_pack.json").read_text("utf-8")
    )["checkpoints"]
    _publish(hub, "policy", corrected)
    assert booth.worker.sync_once().bundles_updated == ("policy",)
    assert booth.service.admit_blockers() == ()
    admitted = booth.scan(travel_city="110000").decision
    assert admitted.outcome is Outcome.ADMIT and admitted.policy_version == "office-pack@corrected"
    assert booth.scan().decision.outcome is Outcome.TURN_AWAY  # the office's pack decides again


def _blockers(policy: Policy, now: datetime) -> tuple[Any, ...]:
    from gatehouse.core.decision import admit_blockers

    return admit_blockers(replace(policy), now)


def _set(set_id: str, day: str, values: dict[str, Any]) -> dict[str, Any]:
    return {"valueSetId": set_id, "valueSetDate": day, "valueSetValues": values}


def _value_sets(*sets: dict[str, Any]) -> dict[str, Any]:
    """The office's value-set document of December 2026."""
    return {
        "format": "gatehouse-dcc-value-sets/1",
        "version": "office 2026-12",
        "value_sets": list(sets),
    }


def test_value_sets_published_through_the_hub_reach_the_running_booth(
    booth: Booth, hub: Hub
) -> None:
    assert booth.keeper.policy.dcc_value_sets is not None
    assert booth.keeper.policy.dcc_value_sets.version == "eu-dcc-valuesets 2.12.0"
    countries = {"XK": {"display": "Kosovo", "lang": "en", "active": True, "system": "x"}}
    _publish(
        hub,
        "dcc_value_sets",
        _value_sets(
            _set("country-2-codes", "2026-12-01", countries),
            _set("covid-19-lab-result", "2000-01-01", {"1": {"display": "older"}}),
        ),
    )
    booth.worker.sync_once()
    sets = booth.service.policy.dcc_value_sets
    assert sets is not None and sets.version == "office 2026-12"
    assert sets.sets["country-2-codes"].codes == {"XK"}
    assert "260415000" in sets.sets["covid-19-lab-result"].codes  # the older set was refused
    assert "older than the one in force" in sets.refused[0]


VACCINES = "vaccines-covid-19-names"
COMIRNATY = "EU/1/20/1528"


def _store_refused_value_sets(ledger: Ledger, version: int) -> None:
    """What an older release that accepted it keeps: a document this release refuses."""
    refused = {"format": "gatehouse-dcc-value-sets/1", "version": "office 2027", "value_sets": 7}
    stored = StoredBundle("dcc_value_sets", version, refused, b"", "e", _AT, _AT)
    assert ledger.store_bundle(stored, BOOTH).result()


_AT = datetime(2026, 12, 1, tzinfo=UTC)


def test_a_product_the_office_excluded_stays_excluded_while_its_next_document_is_refused(
    booth: Booth, hub: Hub, tmp_path: Path
) -> None:
    """The shipped sets hold Comirnaty; the office's do not. Its next document, kept by an
    older release, is refused by this one: the office's last good sets stay in force, so a
    Comirnaty certificate is still not admitted (with the shipped ones it would pass)."""
    shipped = shipped_value_sets()
    assert COMIRNATY in shipped.sets[VACCINES].codes
    allowed = {code: {"display": code} for code in shipped.sets[VACCINES].codes - {COMIRNATY}}
    _publish(hub, "dcc_value_sets", _value_sets(_set(VACCINES, "2026-12-01", allowed)))
    booth.worker.sync_once()
    excluded = certificate("v", vaccination_entry(mp=COMIRNATY))
    assert value_set_reasons(excluded, sets=shipped)[0].code == "dcc.value_sets_ok"
    now = value_set_reasons(excluded, sets=booth.service.policy.dcc_value_sets)
    assert [(r.code, r.outcome) for r in now] == [("dcc.value_not_in_set", Outcome.TURN_AWAY)]

    held = booth.ledger.bundle("dcc_value_sets")
    assert held is not None
    _store_refused_value_sets(booth.ledger, held.version + 1)
    restarted = PolicyKeeper(booth.config, booth.ledger, demo=False, keep=True)
    sets = restarted.policy.dcc_value_sets
    assert sets is not None and sets.version == "office 2026-12" and sets.unsure == frozenset()
    assert "the office's last good value sets (office 2026-12) stays in force" in sets.refused[0]
    after = value_set_reasons(excluded, sets=sets)
    assert [(r.code, r.outcome) for r in after] == [("dcc.value_not_in_set", Outcome.TURN_AWAY)]

    # A booth whose first office document is the refused one cannot know the office's sets:
    # every EU DCC checked against them is referred, saying why.
    with Ledger.open(tmp_path / "new-booth.sqlite3") as fresh:
        _store_refused_value_sets(fresh, 1)
        unsure = PolicyKeeper(booth.config, fresh, demo=False, keep=True).policy.dcc_value_sets
    assert unsure is not None and unsure.unsure == EVERY_SET
    referred = value_set_reasons(excluded, sets=unsure)
    assert [(r.code, r.outcome, r.action) for r in referred] == [
        ("dcc.value_set_refused", Outcome.REFER, GuardAction.SUPERVISOR)
    ]
