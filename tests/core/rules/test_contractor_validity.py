"""A contractor's validity is judged at the booth, on the China day of the passage.

The contract's days are inclusive China calendar days (the console's form): the last day ends
at China's midnight, 16:00 UTC, and from then on the contractor is referred without anyone
publishing the lists again. Lists without dates (published before dates were carried) still
admit every listed contractor, as they always did.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta

import pytest

from gatehouse.core.decision import Decision, decide
from gatehouse.core.models import Outcome, Role
from gatehouse.core.reasons import ReasonCode
from gatehouse.core.rules.persons import (
    LISTS_FORMAT,
    ContractorEntry,
    PersonListError,
    PersonLists,
    check_character,
    id_hash,
)
from gatehouse.core.rules.persons import key_check as list_key_check
from tests.core.factories import scanned, traveller
from tests.core.policies import SECRET, policy, risk_list

WORKER = "15062719850303004"
WORKER += check_character(WORKER)
HASHED = id_hash(SECRET, WORKER)
FIRST, LAST = date(2026, 12, 1), date(2026, 12, 5)
# China's midnight between 5 and 6 December is 16:00 UTC on 5 December.
LAST_MOMENT = datetime(2026, 12, 5, 15, 59, 59, tzinfo=UTC)
ENDED_MOMENT = datetime(2026, 12, 5, 16, 0, tzinfo=UTC)
# ...and between 30 November and 1 December, 16:00 UTC on 30 November.
BEFORE_FIRST = datetime(2026, 11, 30, 15, 59, 59, tzinfo=UTC)
FIRST_MOMENT = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)


def _decide(
    now: datetime, first: date | None = FIRST, last: date | None = LAST
) -> tuple[Decision, str]:
    """A healthy contractor from the mine's own area, on the list with these days, at ``now``."""
    lists = PersonLists(
        "lists-1",
        now - timedelta(hours=1),
        list_key_check(SECRET),
        contractors={HASHED: ContractorEntry(HASHED, "建安公司", "主井检修", (), first, last)},
    )
    claims = dataclasses.replace(
        traveller("150621", now),
        role=Role.CONTRACTOR,
        id_hash=HASHED,
        id_key_check=list_key_check(SECRET),
    )
    evidence = scanned(claims, now)
    chosen = policy(risk_areas=risk_list(published_at=now - timedelta(hours=1)), lists=lists)
    decision = decide(evidence, chosen, now)
    (contractor,) = [r.code for r in decision.reasons if r.code.startswith("list.contractor")]
    return decision, contractor


@pytest.mark.parametrize(
    ("now", "code", "outcome"),
    [
        (BEFORE_FIRST, ReasonCode.LIST_CONTRACTOR_NOT_YET, Outcome.REFER),
        (FIRST_MOMENT, ReasonCode.LIST_CONTRACTOR_OK, Outcome.ADMIT),
        (LAST_MOMENT, ReasonCode.LIST_CONTRACTOR_OK, Outcome.ADMIT),
        (ENDED_MOMENT, ReasonCode.LIST_CONTRACTOR_ENDED, Outcome.REFER),
    ],
)
def test_the_contract_days_end_at_china_midnight(
    now: datetime, code: ReasonCode, outcome: Outcome
) -> None:
    decision, contractor = _decide(now)
    assert contractor == code
    assert decision.outcome is outcome


def test_the_refusal_names_the_dates_and_sends_the_guard_to_the_supervisor() -> None:
    decision, _ = _decide(ENDED_MOMENT)
    (ended,) = [r for r in decision.reasons if r.code == ReasonCode.LIST_CONTRACTOR_ENDED]
    assert ended.params["valid_until"] == "2026-12-05"
    assert "2026-12-05" in ended.zh and "2026-12-05" in ended.en
    assert "主管" in ended.zh and "supervisor" in ended.en
    assert ended.deciding
    decision, _ = _decide(BEFORE_FIRST)
    (early,) = [r for r in decision.reasons if r.code == ReasonCode.LIST_CONTRACTOR_NOT_YET]
    assert "2026-12-01" in early.zh and "2026-12-01" in early.en


@pytest.mark.parametrize("now", [BEFORE_FIRST, ENDED_MOMENT + timedelta(days=400)])
def test_a_list_without_dates_admits_as_before(now: datetime) -> None:
    decision, contractor = _decide(now, None, None)
    assert contractor == ReasonCode.LIST_CONTRACTOR_OK
    assert decision.outcome is Outcome.ADMIT


def test_one_sided_validity_limits_only_its_side() -> None:
    assert _decide(ENDED_MOMENT, FIRST, None)[1] == ReasonCode.LIST_CONTRACTOR_OK
    assert _decide(BEFORE_FIRST, None, LAST)[1] == ReasonCode.LIST_CONTRACTOR_OK
    assert _decide(ENDED_MOMENT, None, LAST)[1] == ReasonCode.LIST_CONTRACTOR_ENDED


def _document(*contractors: Mapping[str, object]) -> str:
    return json.dumps(
        {
            "format": LISTS_FORMAT,
            "version": "office-3",
            "published_at": "2026-12-05T08:00:00+08:00",
            "key_check": list_key_check(SECRET),
            "contractors": list(contractors),
        }
    )


def test_dates_survive_the_document_round_trip() -> None:
    lists = PersonLists(
        "v1",
        datetime(2026, 12, 1, tzinfo=UTC),
        list_key_check(SECRET),
        contractors={HASHED: ContractorEntry(HASHED, "建安公司", "检修", ("太原",), FIRST, LAST)},
    )
    document = json.loads(lists.to_json())
    assert document["contractors"][0]["valid_from"] == "2026-12-01"
    assert document["contractors"][0]["valid_until"] == "2026-12-05"
    assert PersonLists.from_json(lists.to_json()).contractors == lists.contractors


def test_an_old_document_without_dates_reads_as_no_limit() -> None:
    old = {"id_hash": HASHED, "company": "建安公司", "project": "检修", "itinerary": ["太原"]}
    entry = PersonLists.from_json(_document(old)).contractors[HASHED]
    assert entry == ContractorEntry(HASHED, "建安公司", "检修", ("太原",))
    assert entry.valid_from is None and entry.valid_until is None


@pytest.mark.parametrize(
    ("dates", "problem"),
    [
        ({"valid_from": "2026-12-01", "valid_until": "2026-13-05"}, "contractors row 2"),
        ({"valid_from": "1 December"}, "contractors row 2"),
        ({"valid_until": 20261205}, "contractors row 2"),
        ({"valid_from": "2026-12-05", "valid_until": "2026-12-01"}, "before valid_from"),
    ],
)
def test_malformed_dates_refuse_the_list_naming_the_row(
    dates: dict[str, object], problem: str
) -> None:
    good = {"id_hash": "a" * 64, "company": "A", "project": "P"}
    bad = {"id_hash": HASHED, "company": "B", "project": "Q", **dates}
    with pytest.raises(PersonListError, match=problem):
        PersonLists.from_json(_document(good, bad))
