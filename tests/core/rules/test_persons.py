"""ID numbers: checksum, keyed hashes; the lists matched by them."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from gatehouse.core.rules.persons import (
    IdNumberError,
    IsolationEntry,
    PersonListError,
    PersonLists,
    VisitorApproval,
    check_character,
    id_hash,
    key_check,
    normalise_id_number,
)

KEY = b"k" * 32
# A well-known sample number from GB 11643 (check character X).
SAMPLE = "11010519491231002X"


def test_check_character_of_the_standard_sample() -> None:
    assert check_character(SAMPLE[:17]) == "X"


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("110105194912310021", "check digit"),
        ("11010519491331002X", "birth date"),
        ("1101051949123100", "18 characters"),
        ("11010519491231002Y", "18 characters"),
    ],
)
def test_bad_numbers_say_what_is_wrong(typed: str, problem: str) -> None:
    with pytest.raises(IdNumberError, match=problem):
        normalise_id_number(typed)


def test_spaces_and_lower_case_x_are_the_same_number() -> None:
    assert normalise_id_number(" 110105 19491231 002x ") == SAMPLE
    assert id_hash(KEY, "11010519491231002x") == id_hash(KEY, SAMPLE)


def test_hash_depends_on_the_secret_and_hides_the_number() -> None:
    hashed = id_hash(KEY, SAMPLE)
    assert len(hashed) == 64 and SAMPLE not in hashed
    assert hashed != id_hash(b"other secret", SAMPLE)


def test_lists_round_trip_and_match() -> None:
    hashed = id_hash(KEY, SAMPLE)
    lists = PersonLists(
        "v1",
        datetime(2024, 5, 1, tzinfo=UTC),
        key_check(KEY),
        isolation={hashed: IsolationEntry(hashed, date(2024, 5, 14))},
        visitors={
            hashed: VisitorApproval(
                hashed,
                datetime(2024, 5, 1, tzinfo=UTC),
                datetime(2024, 5, 2, tzinfo=UTC),
                "王",
                "A1",
            )
        },
    )
    again = PersonLists.from_json(lists.to_json())
    assert again.match(hashed) == lists.match(hashed)
    assert again.hashed_with(KEY) and not again.hashed_with(b"x" * 32)
    assert len(again) == 2
    assert again.match("0" * 64).isolation is None


def test_isolation_ends_on_its_until_day() -> None:
    entry = IsolationEntry("h", date(2024, 5, 14))
    assert entry.in_force_on(date(2024, 5, 13)) and not entry.in_force_on(date(2024, 5, 14))


def test_malformed_lists_are_refused() -> None:
    with pytest.raises(PersonListError):
        PersonLists.from_json('{"format": "gatehouse-person-lists/1", "version": "1"}')
    with pytest.raises(PersonListError):
        PersonLists.from_json(
            '{"format": "gatehouse-person-lists/1", "version": "1", "key_check": "k",'
            ' "published_at": "2024-05-01T00:00:00+00:00", "isolation": [{"id_hash": "short"}]}'
        )
