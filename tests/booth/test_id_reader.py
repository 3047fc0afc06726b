"""A card on the simulated SAM reader (a real pty) deciding the person on screen again."""

from __future__ import annotations

import dataclasses
import os
import queue
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from drivers.id_card.card import IdCardText
from drivers.id_card.protocol import Trouble
from drivers.id_card.session import ReaderProblem
from drivers.id_card.simulator import SimulatedIdReader
from drivers.thermometer.reading import RawReading
from drivers.virtual_serial import Transport
from gatehouse.booth.id_reader import (
    IdReaderReport,
    ReaderState,
    card_report,
    id_reader_monitor,
    wedge_id_card,
)
from gatehouse.booth.service import BoothIdentity, BoothService, ScanResult
from gatehouse.booth.temperature import LatestTemperature
from gatehouse.config import IdReaderSettings
from gatehouse.core.code_reader import TrustMaterial
from gatehouse.core.decision import Policy
from gatehouse.core.gatehouse_pass import encode_pass
from gatehouse.core.id_card import WEDGE_READER, IdCard
from gatehouse.core.keys import generate_issuer_key
from gatehouse.core.models import Outcome, TravelVisit
from gatehouse.core.rules.persons import PersonLists, key_check
from gatehouse.store.ledger import Ledger
from tests.booth.conftest import FixedClock
from tests.core.factories import ISSUER, NOW, claims, trust_for
from tests.core.policies import DEFAULT_PACK, SECRET, policy

TRANSPORT: Transport = "pty" if os.name == "posix" else "tcp"
NUMBER = "11010519491231002X"
HOLDER = IdCardText("张伟", NUMBER, date(2015, 3, 1), date(2035, 3, 1))
TIMEOUT_S = 10.0


def id_required_policy() -> Policy:
    """The default pack with the isolation list checked by ID (a booth that fails closed)."""
    rules = dict(DEFAULT_PACK.rules)
    spec = rules["R06-isolation"]
    rules["R06-isolation"] = dataclasses.replace(spec, params={"require_id": True})
    lists = PersonLists("lists-1", NOW - timedelta(hours=1), key_check(SECRET))
    return policy(packs=(dataclasses.replace(DEFAULT_PACK, rules=rules),), lists=lists)


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return generate_issuer_key()


@pytest.fixture
def pass_text(key: Ed25519PrivateKey) -> str:
    """张伟's pass, travel at home: only the ID stands between it and an admit."""
    local = (TravelVisit("150621", NOW.date() - timedelta(days=3)),)
    return encode_pass(claims(travel=local), key, ISSUER)


@pytest.fixture
def service(ledger: Ledger, clock: FixedClock, key: Ed25519PrivateKey) -> BoothService:
    temperature = LatestTemperature(clock, "sensor")
    temperature.update(RawReading(36.5))
    return BoothService(
        identity=BoothIdentity("north-gate", "mine_gate"),
        trust=TrustMaterial(passes=trust_for(key)),
        policy=id_required_policy(),
        clock=clock,
        ledger=ledger,
        temperature=temperature,
    )


class Reports:
    def __init__(self) -> None:
        self.queue: queue.Queue[IdReaderReport] = queue.Queue()

    def card(self) -> IdCard | ReaderProblem:
        while True:
            try:
                report = self.queue.get(timeout=TIMEOUT_S)
            except queue.Empty:
                pytest.fail(f"the reader reported nothing within {TIMEOUT_S} s")
            if not isinstance(report, ReaderState):
                return report

    def state(self) -> str:
        while True:
            report = self.queue.get(timeout=TIMEOUT_S)
            if isinstance(report, ReaderState):
                return report.state


@pytest.fixture
def reader() -> Iterator[SimulatedIdReader]:
    simulator = SimulatedIdReader(TRANSPORT)
    yield simulator
    simulator.stop()


@pytest.fixture
def reports(reader: SimulatedIdReader) -> Iterator[Reports]:
    found = Reports()
    monitor = id_reader_monitor(IdReaderSettings(port=reader.start()), found.queue.put)
    assert monitor is not None
    monitor.start()
    assert found.state() == "connecting"
    assert found.state() == "connected"
    yield found
    monitor.stop()


def tap(reader: SimulatedIdReader, reports: Reports, card: IdCardText) -> IdCard:
    reader.place(card)
    found = reports.card()
    reader.remove()
    assert isinstance(found, IdCard), found
    return found


def first_scan(service: BoothService, pass_text: str) -> ScanResult:
    result = service.handle_scan(pass_text)
    assert result.decision.outcome is Outcome.REFER
    assert "list.id_needed" in {r.code for r in result.decision.reasons}
    return result


def again(service: BoothService, first: ScanResult, card: IdCard) -> ScanResult:
    result = service.decide_again(first.person_key, first.passage.scanned_text, id_card=card)
    result.saved.result(timeout=TIMEOUT_S)
    return result


def test_a_tap_resolves_the_id_needed_referral_into_an_admit(
    service: BoothService,
    pass_text: str,
    reader: SimulatedIdReader,
    reports: Reports,
    ledger: Ledger,
) -> None:
    first = first_scan(service, pass_text)
    result = again(service, first, tap(reader, reports, HOLDER))
    assert result.decision.outcome is Outcome.ADMIT
    codes = {r.code for r in result.decision.reasons}
    assert {"list.clear", "id_card.checked"} <= codes
    stored = ledger.get(result.passage.passage_id)
    assert stored is not None
    assert stored.id_masked == "3201**********1234"  # the pass's; a code without one: the card's
    assert stored.id_hash is not None
    assert stored.evidence["id_source"] == "card_reader"
    assert NUMBER not in repr(stored) and "2035" not in repr(stored.evidence)


def test_a_card_naming_someone_else_refers(
    service: BoothService, pass_text: str, reader: SimulatedIdReader, reports: Reports
) -> None:
    first = first_scan(service, pass_text)
    stranger = dataclasses.replace(HOLDER, name="王芳")
    result = again(service, first, tap(reader, reports, stranger))
    assert result.decision.outcome is Outcome.REFER
    mismatch = [r for r in result.decision.reasons if r.code == "id_card.name_mismatch"]
    assert mismatch and "belongs to someone else" in mismatch[0].en


def test_an_expired_card_is_shown_and_refers(
    service: BoothService,
    pass_text: str,
    reader: SimulatedIdReader,
    reports: Reports,
    clock: FixedClock,
) -> None:
    first = first_scan(service, pass_text)
    expired = dataclasses.replace(HOLDER, valid_until=NOW.date() - timedelta(days=30))
    result = again(service, first, tap(reader, reports, expired))
    assert result.decision.outcome is Outcome.REFER
    assert "id_card.expired" in {r.code for r in result.decision.reasons}


def test_an_authentication_failure_reaches_the_booth_as_such(
    reader: SimulatedIdReader, reports: Reports
) -> None:
    reader.answer_next(0x9F, 0x90, 0x32)
    reader.place(HOLDER)
    problem = reports.card()
    assert isinstance(problem, ReaderProblem) and problem.trouble is Trouble.AUTHENTICATION


def test_unplug_and_replug_then_a_tap_still_decides(
    service: BoothService, pass_text: str, reader: SimulatedIdReader, reports: Reports
) -> None:
    reader.unplug()
    assert reports.state() == "lost"
    reader.replug()
    assert reports.state() == "connected"
    result = again(service, first_scan(service, pass_text), tap(reader, reports, HOLDER))
    assert result.decision.outcome is Outcome.ADMIT


def test_a_card_number_that_is_not_an_id_number_is_a_card_problem() -> None:
    problem = card_report(dataclasses.replace(HOLDER, id_number="110105194912310021"))
    assert isinstance(problem, ReaderProblem) and problem.trouble is Trouble.CARD
    assert "check digit" in problem.detail


def test_a_wedge_readers_typed_number_is_a_card_and_a_pass_is_not() -> None:
    assert wedge_id_card(NUMBER + "\r") == IdCard(NUMBER, source=WEDGE_READER)
    assert wedge_id_card("110105194912310021") is None  # wrong check digit: a code, not an ID
    assert wedge_id_card("GH1:6BFOXN*TS0BI$ZD") is None


def test_no_port_no_reader() -> None:
    assert id_reader_monitor(IdReaderSettings(), lambda _report: None) is None


def test_a_code_without_a_masked_number_logs_the_cards(
    service: BoothService, reader: SimulatedIdReader, reports: Reports, ledger: Ledger
) -> None:
    first = service.handle_scan("https://jkm.example.gov.cn/qr?t=8F3A")  # no pass: no number
    result = again(service, first, tap(reader, reports, HOLDER))
    stored = ledger.get(result.passage.passage_id)
    assert stored is not None and stored.id_masked == "1101**********002X"
    assert "id_card.read" in {r.code for r in stored.reasons}  # no holder's name to compare
