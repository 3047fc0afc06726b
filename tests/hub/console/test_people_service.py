"""What a published lists bundle holds, without a browser, as the days pass: every entry whose
dates have not passed (future ones too, with their dates, for the booths to judge), the roster
published before kept, and the booths' own parser reads it."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine

from gatehouse.core.keys import generate_issuer_key
from gatehouse.core.rules.persons import LISTS_FORMAT, check_character, id_hash, key_check
from gatehouse.hub.console import people, visits
from gatehouse.hub.console.pages import ZONE
from gatehouse.hub.issuing import HubIssuer
from gatehouse.hub.service import Hub
from tests.hub.console.conftest import LIST_SECRET
from tests.hub.console.test_person_lists import published_lists

A = "61010219800101001" + check_character("61010219800101001")
B = "61010219851111002" + check_character("61010219851111002")
C = "11010519491231002" + check_character("11010519491231002")


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 6, 2, 0, tzinfo=UTC)  # 10:00 at the mines

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clocked(engine: Engine) -> tuple[Hub, Clock]:
    clock = Clock()
    return Hub(engine, generate_issuer_key(), clock), clock


def test_each_version_holds_what_has_not_ended_that_day(clocked: tuple[Hub, Clock]) -> None:
    hub, clock = clocked
    add = people.add_entry
    add(hub.engine, LIST_SECRET, "isolation", {"id_number": A, "until": "2026-12-08"}, "s", clock())
    contractor = {"id_number": B, "company": "中煤建设", "project": "主井检修"}
    window = {"valid_from": "2026-12-07", "valid_until": "2026-12-07"}
    add(hub.engine, LIST_SECRET, "contractors", {**contractor, **window}, "s", clock())
    issuer = HubIssuer(generate_issuer_key(), "office", LIST_SECRET)
    form = {"name": "赵六", "id_number": C, "purpose": "验收", "host": "张工"}
    visit_id = visits.request_visit(
        hub,
        LIST_SECRET,
        {**form, "first_day": "2026-12-06", "last_day": "2026-12-06"},
        "北矿",
        "s",
        ZONE,
    )
    visits.approve(hub, issuer, visit_id, "s", ZONE)
    roster = [{"id_hash": id_hash(LIST_SECRET, B), "employee_no": "E-1"}]
    hub.publish(
        "lists",
        {
            "format": LISTS_FORMAT,
            "version": "cli-1",
            "published_at": clock().isoformat(),
            "key_check": key_check(LIST_SECRET),
            "employees": roster,
        },
    )

    assert people.publish(hub, LIST_SECRET, "s", "day 1", ZONE) == 2
    first = published_lists(hub)
    assert set(first.isolation) == {id_hash(LIST_SECRET, A)}
    (starting,) = first.contractors.values()  # from tomorrow: the booth judges the days
    assert (starting.valid_from, starting.valid_until) == (date(2026, 12, 7), date(2026, 12, 7))
    assert first.visitors[id_hash(LIST_SECRET, C)].approval_id == visit_id
    assert list(first.employees) == [id_hash(LIST_SECRET, B)]  # the roster carried over

    clock.now += timedelta(days=1)
    people.publish(hub, LIST_SECRET, "s", "day 2", ZONE)
    second = published_lists(hub)
    assert second.contractors[id_hash(LIST_SECRET, B)].company == "中煤建设"
    assert second.visitors == {}  # the visit's day is over
    assert set(second.isolation) == {id_hash(LIST_SECRET, A)}

    clock.now += timedelta(days=1)  # 12-08: the first day A may pass again
    people.publish(hub, LIST_SECRET, "s", "day 3", ZONE)
    third = published_lists(hub)
    assert third.isolation == {}
    (ended,) = third.contractors.values()  # ended yesterday: booths refer them as ended
    assert ended.valid_until == date(2026, 12, 7)
    assert [p["why"] for p in people.publications(hub.engine)] == ["day 3", "day 2", "day 1"]


def test_a_visit_must_not_start_in_the_past_nor_run_past_a_month(
    clocked: tuple[Hub, Clock],
) -> None:
    hub, _ = clocked
    form = {"name": "赵六", "id_number": C, "purpose": "验收", "host": "张工"}
    for first, last, words in (
        ("2026-12-05", "2026-12-06", "first day has passed"),
        ("2026-12-06", "2027-01-20", "within 31 days"),
        ("2026-12-07", "2026-12-06", "on or after the first"),
    ):
        with pytest.raises(people.EntryError, match=words):
            visits.request_visit(
                hub, LIST_SECRET, {**form, "first_day": first, "last_day": last}, "北矿", "s", ZONE
            )


def test_an_imported_contractor_keeps_their_own_days_else_the_forms(
    clocked: tuple[Hub, Clock],
) -> None:
    hub, clock = clocked
    header = ("姓名", "身份证号", "单位", "项目", "开始", "结束")
    rows = [
        header,
        ("王五", A, "中煤建设", "主井检修", "2026-12-10", "2026-12-20"),
        ("赵六", B, "中煤建设", "主井检修", None, None),
    ]
    form = {"valid_from": "2026-12-01", "valid_until": "2026-12-31"}
    assert people.import_rows(hub.engine, LIST_SECRET, "contractors", rows, form, "s", clock()) == (
        2,
        (),
    )
    held = {
        e.name: (e.valid_from, e.valid_until) for e in people.entries(hub.engine, "contractors")
    }
    assert held == {"王五": ("2026-12-10", "2026-12-20"), "赵六": ("2026-12-01", "2026-12-31")}

    undated = [header, ("李四", C, "中煤建设", "主井检修", None, None)]
    added, errors = people.import_rows(
        hub.engine, LIST_SECRET, "contractors", undated, {}, "s", clock()
    )
    assert added == 0
    assert [(e.row, e.column) for e in errors] == [(2, "有效期 validity")]
    assert "valid from" in errors[0].message


def test_staff_publishing_the_lists_at_the_same_moment_lose_nobodys_entry(
    clocked: tuple[Hub, Clock],
) -> None:
    """Each change publishes at once; of publishes made from one version only one is signed
    (Hub.publish compares and sets), and the others rebuild from the entries and sign again."""
    hub, clock = clocked
    numbers = (A, B, C)
    start = threading.Barrier(len(numbers))

    def change_and_publish(number: str) -> int:
        form = {"id_number": number, "until": "2026-12-20"}
        people.add_entry(
            hub.engine, LIST_SECRET, "isolation", form, f"staff-{number[-4:]}", clock()
        )
        start.wait()
        return people.publish(hub, LIST_SECRET, f"staff-{number[-4:]}", "isolation", ZONE)

    with ThreadPoolExecutor(len(numbers)) as pool:
        versions = sorted(pool.map(change_and_publish, numbers))

    assert versions == [1, 2, 3]
    assert set(published_lists(hub).isolation) == {id_hash(LIST_SECRET, n) for n in numbers}
    assert published_lists(hub).version == "office-3"
    assert len(people.publications(hub.engine)) == 3
