"""Attested provincial codes are re-verified through a real HTTP service on 127.0.0.1."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from drivers.thermometer.reading import RawReading
from gatehouse import config
from gatehouse.booth.reverification import Reverification, ReverificationWorker, worker_for
from gatehouse.booth.service import BoothIdentity, BoothService
from gatehouse.booth.temperature import LatestTemperature
from gatehouse.core.code_reader import TrustMaterial
from gatehouse.core.models import HealthCodeColour
from gatehouse.store.ledger import Ledger
from gatehouse.store.queries import PassageQueries
from gatehouse.verification.client import HealthCodeVerifier, VerifierAccount
from tests.booth.codes import ISSUERS, PROVINCIAL, accepting_pack
from tests.booth.conftest import FixedClock
from tests.core.policies import policy
from tests.verification.issuer_service import IssuerService, running_service

TOKEN = "booth-7-secret"


@pytest.fixture
def issuer_service() -> Iterator[tuple[IssuerService, str]]:
    with running_service() as running:
        yield running


def _answer(status: int, colour: str | None = None) -> tuple[int, bytes]:
    body = {"status": "ok", "colour": colour} if colour else {"status": "busy"}
    return status, json.dumps({**body, "checked_at": "2024-05-01T09:00:00+00:00"}).encode()


def _booth(ledger: Ledger, clock: FixedClock, worker: ReverificationWorker | None) -> BoothService:
    temperature = LatestTemperature(clock, "sensor")
    temperature.update(RawReading(36.5))
    return BoothService(
        identity=BoothIdentity("north-gate", "mine_gate"),
        trust=TrustMaterial(health_code_issuers=ISSUERS),
        policy=policy(packs=(accepting_pack(),)),
        clock=clock,
        ledger=ledger,
        temperature=temperature,
        on_attested=worker.add if worker else None,
    )


def _attest(service: BoothService, colour: HealthCodeColour) -> str:
    first = service.handle_scan(PROVINCIAL)
    result = service.attest(first.person_key, colour)
    assert result is not None
    result.saved.result(timeout=10)
    return result.passage.passage_id


def test_yellow_answer_alerts_a_supervisor(
    issuer_service: tuple[IssuerService, str], ledger: Ledger, clock: FixedClock
) -> None:
    state, url = issuer_service
    state.reply = lambda body: _answer(200, "yellow")
    answered = threading.Event()
    results: list[Reverification] = []

    def on_result(item: Reverification) -> None:
        results.append(item)
        answered.set()

    verifier = HealthCodeVerifier(VerifierAccount(url, TOKEN, timeout_s=10))
    worker = ReverificationWorker(verifier, "north-gate", retry_interval=60, on_result=on_result)
    worker.start()
    try:
        passage_id = _attest(_booth(ledger, clock, worker), HealthCodeColour.GREEN)
        assert answered.wait(30)
    finally:
        worker.stop()
    assert [(r.passage_id, r.attested, r.result.alert_supervisor) for r in results] == [
        (passage_id, HealthCodeColour.GREEN, True)
    ]
    assert results[0].result.reason.code == "health_code.reverified_not_green"
    assert worker.alerts == results and worker.pending_count == 0
    _, _, request = state.requests[0]
    assert (request["issuer"], request["code"], request["booth_id"]) == (
        "sn",
        PROVINCIAL,
        "north-gate",
    )


def test_unavailable_service_keeps_it_pending_until_it_answers_green(
    issuer_service: tuple[IssuerService, str], ledger: Ledger, clock: FixedClock
) -> None:
    state, url = issuer_service
    state.reply = lambda body: _answer(503)
    verifier = HealthCodeVerifier(VerifierAccount(url, TOKEN, timeout_s=10))
    worker = ReverificationWorker(verifier, "north-gate", retry_interval=60)
    _attest(_booth(ledger, clock, worker), HealthCodeColour.GREEN)

    assert worker.run_once() == 0 and worker.pending_count == 1
    state.reply = lambda body: _answer(200, "green")
    assert worker.run_once() == 1
    assert worker.pending_count == 0 and worker.alerts == []


def test_restarted_booth_picks_up_pending_attestations_from_the_ledger(
    issuer_service: tuple[IssuerService, str], ledger: Ledger, clock: FixedClock, tmp_path: Path
) -> None:
    state, url = issuer_service
    state.reply = lambda body: _answer(200, "red")
    passage_id = _attest(_booth(ledger, clock, None), HealthCodeColour.GREEN)
    _ = _booth(ledger, clock, None).handle_scan("https://example.org/other")  # not attested

    token = tmp_path / "token"
    token.write_text(TOKEN + "\n")
    cfg = config.from_mapping({}, environ={})
    cfg = replace(cfg, verification=replace(cfg.verification, url=url, token_file=str(token)))
    worker = worker_for(cfg, ledger, None)
    assert worker is not None and worker.pending_count == 1
    assert worker.run_once() == 1
    assert [alert.passage_id for alert in worker.alerts] == [passage_id]
    assert state.requests[0][1]["Authorization"] == f"Bearer {TOKEN}"

    logged = PassageQueries(ledger.path).get(passage_id)
    assert logged is not None
    (answer,) = logged["reverifications"]
    assert (answer["attested"], answer["alert_supervisor"]) == ("green", True)
    assert answer["reason"]["code"] == "health_code.reverified_not_green"
    assert answer["actor"] == "verification-service"
    again = worker_for(cfg, ledger, None)  # restarted once more: already answered, not re-asked
    assert again is not None and again.pending_count == 0


def test_no_account_no_worker(ledger: Ledger) -> None:
    assert worker_for(config.from_mapping({}, environ={}), ledger, None) is None
