"""The daily and zero reports across booths, per mine and for the group, in a real browser."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pypdf
from playwright.sync_api import Page, expect

from gatehouse.core.models import Outcome
from gatehouse.hub.console.accounts import Accounts
from gatehouse.hub.console.booths import add_booth
from gatehouse.hub.service import Hub
from tests.factories import make_passage
from tests.hub.console.conftest import log_in, submit
from tests.hub.console.seed import enrolled_booth, upload

DAY = "2024-03-01"
MORNING = datetime(2024, 3, 1, 0, 30, tzinfo=UTC)  # 08:30 at the mines


def _seed(hub: Hub, hub_url: str, folder: Path) -> None:
    passages = [
        make_passage(
            booth_id="north-gate-1",
            decided_at=MORNING + timedelta(minutes=n),
            outcome=Outcome.TURN_AWAY if n == 0 else Outcome.ADMIT,
            temperature_c=38.2 if n == 0 else 36.5,  # one person, abnormal at first reading
        )
        for n in range(5)
    ]
    # 16:00 UTC is midnight at the mines: the next day, not in DAY's report
    passages.append(make_passage(booth_id="north-gate-1", decided_at=MORNING.replace(hour=16)))
    upload(enrolled_booth(hub, hub_url, "north-gate-1", "北矿 North"), folder, passages)
    add_booth(hub, "south-gate-1", "南矿 South", "mine_gate", "admin")


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_the_office_sees_each_mines_day_and_the_zero_report(
    page: Page, hub_url: str, accounts: Accounts, hub: Hub, tmp_path: Path
) -> None:
    _seed(hub, hub_url, tmp_path)
    log_in(page, hub_url, "staff")
    page.click("#nav-reports")
    page.fill("#day", DAY)
    submit(page, "#show")
    north = page.locator('#reports tr[data-mine="北矿 North"] td')
    expect(north.nth(1)).to_have_text("5")  # passages (人次)
    expect(north.nth(4)).to_have_text("1")  # turned away
    expect(north.nth(5)).to_have_text("1")  # people: one worker passed five times
    expect(north.nth(6)).to_have_text("1")  # people with an abnormal case
    expect(north.nth(0)).not_to_contain_text("零报告")
    expect(page.locator('#reports tr[data-mine="南矿 South"]')).to_contain_text("零报告")
    expect(page.locator('#reports tr[data-mine=""] td').nth(1)).to_have_text("5")
    expect(page.locator("#overrides-unavailable")).to_contain_text("总部无此数据")

    with page.expect_download() as download:
        page.click('#reports tr[data-mine="南矿 South"] a.pdf')
    assert download.value.suggested_filename == f"zero-report-{DAY}.pdf"
    text = _pdf_text(Path(download.value.path()).read_bytes())
    assert "零报告 Zero report" in text
    assert "南矿 South" in text
    group = page.request.get(f"{hub_url}/console/reports/daily.pdf?day={DAY}&mine=")
    assert group.status == 200
    group_text = _pdf_text(group.body())
    assert "集团" in group_text
    assert "Not available at the hub" in group_text  # the overrides: never printed as 0


def test_a_supervisor_gets_only_their_mines_report(
    page: Page, hub_url: str, accounts: Accounts, hub: Hub, tmp_path: Path
) -> None:
    _seed(hub, hub_url, tmp_path)
    log_in(page, hub_url, "south")
    page.goto(f"{hub_url}/console/reports?day={DAY}")
    expect(page.locator("#reports tbody tr")).to_have_count(1)
    expect(page.locator('#reports tr[data-mine="南矿 South"]')).to_contain_text("零报告")
    for mine in ("北矿 North", ""):
        reply = page.request.get(f"{hub_url}/console/reports/daily.pdf?day={DAY}&mine={mine}")
        assert reply.status == 404
    page.goto(f"{hub_url}/console/reports?day=2024-02-30")
    expect(page.locator("#message")).to_contain_text("2024-02-30")
