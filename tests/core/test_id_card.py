"""The ID card's checks in a decision: whose pass it is, and whether the card is valid."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from gatehouse.core.decision import Decision, Evidence, decide
from gatehouse.core.id_card import ID_CARD_CHECK, IdCard, same_name
from gatehouse.core.models import Outcome, TemperatureReading, TravelVisit, VerifiedPass
from gatehouse.core.rules.persons import IdNumberError, id_hash

from .factories import ISSUER, NOW, claims
from .policies import SECRET, policy

NUMBER = "11010519491231002X"
OTHER_NUMBER = "110105198001010016"
LOCAL = (TravelVisit("150621", NOW.date() - timedelta(days=3)),)
READING = TemperatureReading(celsius=36.5, taken_at=NOW - timedelta(seconds=5), source="sensor")


def _decide(card: IdCard, **pass_changes: Any) -> Decision:
    credential = VerifiedPass(claims(travel=LOCAL, **pass_changes), b"\x01" * 8, ISSUER)
    evidence = Evidence("GH1:...", credential, None, READING, card.id_number, id_card=card)
    return decide(evidence, policy(), NOW)


def _codes(decision: Decision) -> set[str]:
    return {item.code for item in decision.reasons if item.code.startswith("id_card.")}


def test_the_holders_own_card_is_noted_and_changes_nothing() -> None:
    decision = _decide(IdCard(NUMBER, name="张伟", valid_until=date(2030, 1, 1)))
    assert _codes(decision) == {"id_card.checked"}
    checked = next(r for r in decision.reasons if r.code == "id_card.checked")
    assert checked.outcome is Outcome.ADMIT and checked.rule_id == ID_CARD_CHECK


def test_a_card_naming_someone_else_refers_the_pass() -> None:
    decision = _decide(IdCard(NUMBER, name="王芳", valid_until=None))
    assert decision.outcome is Outcome.REFER
    mismatch = next(r for r in decision.reasons if r.code == "id_card.name_mismatch")
    assert "belongs to someone else" in mismatch.en and "王芳" in mismatch.zh


def test_a_card_whose_number_is_not_the_pass_holders_refers() -> None:
    decision = _decide(IdCard(OTHER_NUMBER, name="张伟"), id_hash=id_hash(SECRET, NUMBER))
    assert _codes(decision) == {"id_card.number_mismatch"}
    assert decision.outcome is Outcome.REFER
    assert _codes(_decide(IdCard(NUMBER, name="张伟"), id_hash=id_hash(SECRET, NUMBER))) == {
        "id_card.checked"
    }


def test_an_expired_card_refers_and_says_since_when() -> None:
    yesterday = NOW.date() - timedelta(days=1)
    decision = _decide(IdCard(NUMBER, name="张伟", valid_until=yesterday))
    expired = next(r for r in decision.reasons if r.code == "id_card.expired")
    assert decision.outcome is Outcome.REFER and yesterday.isoformat() in expired.en
    assert _codes(_decide(IdCard(NUMBER, name="张伟", valid_until=NOW.date()))) == {
        "id_card.checked"
    }  # valid through its last day


def test_a_number_typed_by_a_wedge_reader_checks_no_name() -> None:
    assert _codes(_decide(IdCard(NUMBER, source="wedge_reader"))) == {"id_card.checked"}


@pytest.mark.parametrize(
    ("first", "second"), [("买买提·艾力", "买买提・艾力"), ("张 伟", "张伟"), ("ＡＢ", "AB")]
)
def test_names_compare_as_printed(first: str, second: str) -> None:
    assert same_name(first, second)


def test_only_a_valid_number_makes_a_card_and_it_must_be_the_evidences() -> None:
    with pytest.raises(IdNumberError):
        IdCard("110105194912310021")
    assert IdCard("11010519491231002x").id_number == NUMBER
    with pytest.raises(ValueError, match="on the ID card"):
        Evidence("GH1:...", None, None, READING, OTHER_NUMBER, id_card=IdCard(NUMBER))
