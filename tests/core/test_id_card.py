"""The person's own ID in a decision: whose pass it is (typed or read), is the card valid."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

import pytest

from gatehouse.core.decision import Decision, Evidence, decide
from gatehouse.core.id_card import HOLDER_CHECK, IdCard, same_name
from gatehouse.core.models import Outcome, TemperatureReading, TravelVisit, VerifiedPass
from gatehouse.core.rules.persons import IdNumberError, id_hash, key_check

from .factories import ISSUER, NOW, claims
from .policies import DEFAULT_PACK, SECRET, policy

NUMBER = "11010519491231002X"
OTHER_NUMBER = "110105198001010016"
LOCAL = (TravelVisit("150621", NOW.date() - timedelta(days=3)),)
READING = TemperatureReading(celsius=36.5, taken_at=NOW - timedelta(seconds=5), source="sensor")


HOLDERS = {"id_hash": id_hash(SECRET, NUMBER), "id_key_check": key_check(SECRET)}


def _decide(
    card: IdCard | str | None, checkpoint: str = "mine_gate", **pass_changes: Any
) -> Decision:
    """``card``: read from the reader, typed with F7 (a str), or not given."""
    credential = VerifiedPass(claims(travel=LOCAL, **pass_changes), b"\x01" * 8, ISSUER)
    number = card.id_number if isinstance(card, IdCard) else card
    read = card if isinstance(card, IdCard) else None
    evidence = Evidence("GH1:...", credential, None, READING, number, id_card=read)
    return decide(evidence, policy(checkpoint=checkpoint), NOW)


def _codes(decision: Decision) -> set[str]:
    return {r.code for r in decision.reasons if r.rule_id == HOLDER_CHECK}


def test_the_holders_own_card_is_noted_and_changes_nothing() -> None:
    decision = _decide(IdCard(NUMBER, name="张伟", valid_until=date(2030, 1, 1)))
    assert _codes(decision) == {"id_card.checked"}
    checked = next(r for r in decision.reasons if r.code == "id_card.checked")
    assert checked.outcome is Outcome.ADMIT and checked.rule_id == HOLDER_CHECK


def test_a_card_naming_someone_else_refers_the_pass() -> None:
    decision = _decide(IdCard(NUMBER, name="王芳", valid_until=None))
    assert decision.outcome is Outcome.REFER
    mismatch = next(r for r in decision.reasons if r.code == "id_card.name_mismatch")
    assert "belongs to someone else" in mismatch.en and "王芳" in mismatch.zh


@pytest.mark.parametrize(
    "given",
    [IdCard(OTHER_NUMBER, name="张伟"), IdCard(OTHER_NUMBER, source="wedge_reader"), OTHER_NUMBER],
    ids=["card", "wedge", "typed"],
)
def test_a_number_that_is_not_the_pass_holders_refers_however_it_was_given(
    given: IdCard | str,
) -> None:
    decision = _decide(given, **HOLDERS)
    assert decision.outcome is Outcome.REFER
    assert {"holder.number_mismatch"} <= _codes(decision)
    mismatch = next(r for r in decision.reasons if r.code == "holder.number_mismatch")
    assert "belongs to someone else" in mismatch.en and "refer to supervisor" in mismatch.en
    assert "通行证不是本人的" in mismatch.zh and "请交主管处理" in mismatch.zh


def test_the_holders_own_number_typed_or_read_is_no_mismatch() -> None:
    assert _codes(_decide(NUMBER, **HOLDERS)) == set()
    assert _decide(NUMBER, **HOLDERS).outcome is Outcome.ADMIT
    assert _codes(_decide(IdCard(NUMBER, name="张伟"), **HOLDERS)) == {"id_card.checked"}
    assert _codes(_decide(" 11010519491231002x", **HOLDERS)) == set()  # typed as printed


@pytest.mark.parametrize("checkpoint", ["mine_gate", "office_area", "canteen", "dormitory"])
def test_a_typed_mismatch_refers_at_every_checkpoint(checkpoint: str) -> None:
    decision = _decide(OTHER_NUMBER, checkpoint, **HOLDERS)
    assert decision.outcome is Outcome.REFER, [r.en for r in decision.reasons]
    assert "holder.number_mismatch" in _codes(decision)


def test_no_pack_can_turn_the_comparison_off() -> None:
    """A pack whose checkpoint checks the temperature only (no list, no pass rule) refers."""
    gate = dataclasses.replace(DEFAULT_PACK.checkpoints["mine_gate"], rules=("R10-temperature",))
    bare = dataclasses.replace(DEFAULT_PACK, checkpoints={"mine_gate": gate})
    credential = VerifiedPass(claims(travel=LOCAL, **HOLDERS), b"\x01" * 8, ISSUER)
    evidence = Evidence("GH1:...", credential, None, READING, OTHER_NUMBER)
    assert decide(evidence, policy(packs=(bare,)), NOW).outcome is Outcome.REFER
    own = dataclasses.replace(evidence, id_number=NUMBER)
    assert decide(own, policy(packs=(bare,)), NOW).outcome is Outcome.ADMIT


def test_a_hash_that_cannot_be_compared_is_not_a_mismatch() -> None:
    """A hash under another list secret, or one not saying which, differs for everyone: the
    lists refer such a pass to F7, and the typed number must then resolve it."""
    other = b"another mine's list secret, test"
    foreign = {"id_hash": id_hash(other, NUMBER), "id_key_check": key_check(other)}
    assert _codes(_decide(OTHER_NUMBER, **foreign)) == set()
    assert _codes(_decide(OTHER_NUMBER, id_hash=id_hash(SECRET, NUMBER))) == set()
    assert _codes(_decide(None, **HOLDERS)) == set()  # nothing given: nothing to compare


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
