"""The office's person lists merged with the mine's own: a local list only adds caution or
the mine's own approvals, never releases someone the office isolates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from gatehouse.core.rules.persons import (
    ContractorEntry,
    EmployeeEntry,
    IsolationEntry,
    PersonLists,
    VisitorApproval,
    key_check,
    merge_lists,
)
from tests.core.policies import SECRET

A, B = "a" * 64, "b" * 64
OFFICE_AT = datetime(2024, 5, 1, tzinfo=UTC)


def _lists(version: str, published_at: datetime = OFFICE_AT, **kinds: object) -> PersonLists:
    # each test passes one list, as the mapping PersonLists takes for it
    return PersonLists(version, published_at, key_check(SECRET), **kinds)  # type: ignore[arg-type]


def _visitor(hashed: str, host: str) -> VisitorApproval:
    return VisitorApproval(hashed, OFFICE_AT, OFFICE_AT + timedelta(days=2), host, f"ap-{host}")


def test_either_side_alone_is_used_as_it_is() -> None:
    office = _lists("o1")
    assert merge_lists(office, None) is office
    assert merge_lists(None, office) is office
    assert merge_lists(None, None) is None


def test_isolation_from_both_and_the_later_release_wins() -> None:
    office = _lists("o1", isolation={A: IsolationEntry(A, date(2024, 5, 10))})
    local = _lists(
        "l1",
        isolation={A: IsolationEntry(A, date(2024, 5, 3)), B: IsolationEntry(B, None)},
    )
    merged = merge_lists(office, local)
    assert merged is not None
    assert merged.isolation[A].until == date(2024, 5, 10)  # local cannot shorten it
    assert merged.isolation[B].until is None
    longer = merge_lists(office, _lists("l2", isolation={A: IsolationEntry(A, None)}))
    assert longer is not None and longer.isolation[A].until is None


def test_the_mines_visitors_and_contractors_replace_the_offices() -> None:
    office = _lists(
        "o1",
        visitors={A: _visitor(A, "office"), B: _visitor(B, "office")},
        contractors={A: ContractorEntry(A, "Office Co", "P1")},
        employees={B: EmployeeEntry(B, "E-1")},
    )
    local = _lists("l1", visitors={A: _visitor(A, "mine")})
    merged = merge_lists(office, local)
    assert merged is not None
    assert merged.visitors[A].host == "mine" and merged.visitors[B].host == "office"
    assert merged.contractors[A].company == "Office Co"
    assert merged.employees == office.employees


def test_staleness_and_key_are_the_offices() -> None:
    local = _lists("l1", published_at=OFFICE_AT + timedelta(days=9))
    merged = merge_lists(_lists("o1"), local)
    assert merged is not None
    assert merged.published_at == OFFICE_AT
    assert merged.version == "o1+local-l1"
    assert merged.hashed_with(SECRET)


ENDED = ContractorEntry(A, "Office Co", "P1", (), date(2024, 4, 1), date(2024, 4, 30))


def test_a_mine_contractor_row_without_days_keeps_the_offices_ended_contract() -> None:
    local = _lists("l1", contractors={A: ContractorEntry(A, "矿方登记", "主井检修")})
    merged = merge_lists(_lists("o1", contractors={A: ENDED}), local)
    assert merged is not None
    held = merged.contractors[A]
    assert (held.valid_from, held.valid_until) == (date(2024, 4, 1), date(2024, 4, 30))
    assert (held.company, held.project) == ("矿方登记", "主井检修")  # the mine's own details


def test_a_mine_row_with_one_day_takes_the_other_from_the_office() -> None:
    later_start = ContractorEntry(A, "Mine Co", "P2", (), valid_from=date(2024, 4, 20))
    merged = merge_lists(
        _lists("o1", contractors={A: ENDED}), _lists("l1", contractors={A: later_start})
    )
    assert merged is not None
    assert (merged.contractors[A].valid_from, merged.contractors[A].valid_until) == (
        date(2024, 4, 20),
        date(2024, 4, 30),
    )


def test_a_mine_row_with_its_own_days_wins_and_one_the_office_lacks_stays_open() -> None:
    extended = ContractorEntry(A, "Mine Co", "P1", (), date(2024, 4, 1), date(2024, 6, 30))
    undated = ContractorEntry(B, "Mine Co", "P3")
    local = _lists("l1", contractors={A: extended, B: undated})
    merged = merge_lists(_lists("o1", contractors={A: ENDED}), local)
    assert merged is not None
    assert merged.contractors[A] == extended  # the mine's registration (an extension) wins
    assert merged.contractors[B] == undated  # the office says nothing about this person
