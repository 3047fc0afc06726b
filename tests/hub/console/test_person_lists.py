"""Person lists in the console, in a real browser against a real hub: edit, import (all or
nothing), every change published at once with history; the hub never stores a plain ID number;
a real booth's sync takes the change with nobody pressing publish."""

from __future__ import annotations

import csv
import json
from datetime import timedelta
from pathlib import Path

from openpyxl import Workbook
from playwright.sync_api import Page, expect
from sqlalchemy import MetaData, select

from gatehouse.core.rules.persons import PersonLists, check_character, id_hash
from gatehouse.hub.console import people
from gatehouse.hub.console.accounts import Accounts
from gatehouse.hub.console.booths import add_booth
from gatehouse.hub.console.pages import ZONE
from gatehouse.hub.service import Hub
from gatehouse.store import Ledger
from gatehouse.sync import protocol
from gatehouse.sync.enrolment import enrol_booth
from gatehouse.sync.worker import SyncWorker
from tests.hub.console.conftest import LIST_SECRET, log_in, submit

LI_SI = "61010219800101001" + check_character("61010219800101001")
WANG = "61010219851111002" + check_character("61010219851111002")
WRONG_CHECK = LI_SI[:17] + ("1" if LI_SI[17] != "1" else "2")


def published_lists(hub: Hub) -> PersonLists:
    latest = hub.latest_bundle("lists")
    assert latest is not None
    content = protocol.open_bundle(latest.signed, hub.bundle_key.public_key(), "lists").content
    return PersonLists.from_json(json.dumps(content))


def everything_stored(hub: Hub, tmp_path: Path) -> bytes:
    """The hub database's bytes: the SQLite file itself, or every PostgreSQL row as text."""
    if hub.engine.dialect.name == "sqlite":
        hub.engine.dispose()
        return b"".join(p.read_bytes() for p in tmp_path.glob("hub.sqlite3*"))
    tables = MetaData()
    tables.reflect(hub.engine)
    with hub.engine.connect() as conn:
        rows = [repr(tuple(r)) for t in tables.sorted_tables for r in conn.execute(select(t))]
    return "\n".join(rows).encode("utf-8")


def test_staff_keep_the_isolation_list_and_every_change_is_published_with_its_history(
    page: Page, office_url: str, accounts: Accounts, hub: Hub, tmp_path: Path
) -> None:
    log_in(page, office_url, "staff")
    page.click("#nav-lists")
    page.fill("#name", "李四")
    page.fill("#id_number", WRONG_CHECK)
    submit(page, "#add")
    expect(page.locator("#error")).to_contain_text("check digit is wrong")
    expect(page.locator("#entries")).not_to_contain_text("李四")

    page.fill("#id_number", LI_SI)
    page.fill("#until", "2026-12-20")
    submit(page, "#add")
    expect(page.locator("#notice")).to_be_visible()
    row = page.locator("#entries tbody tr").first
    expect(row).to_contain_text("李四")
    expect(row).to_contain_text("6101**********" + LI_SI[-4:])
    expect(row).to_contain_text("2026-12-20")

    # The change itself was signed and published: nobody pressed the button.
    expect(page.locator('#history tr[data-version="1"]')).to_contain_text("isolation: added")
    held = published_lists(hub)
    entry = held.isolation[id_hash(LIST_SECRET, LI_SI)]
    assert str(entry.until) == "2026-12-20" and held.hashed_with(LIST_SECRET)

    with page.expect_navigation():
        row.locator("a.edit").click()
    page.fill("#until", "2026-12-25")
    submit(page, "#save")
    expect(page.locator("#entries")).to_contain_text("2026-12-25")
    expect(page.locator('#history tr[data-version="2"]')).to_contain_text("changed")
    assert str(published_lists(hub).isolation[id_hash(LIST_SECRET, LI_SI)].until) == "2026-12-25"
    with page.expect_navigation():
        page.locator("#entries a.edit").first.click()
    submit(page, "#end")
    expect(page.locator("#entries")).not_to_contain_text("李四")
    expect(page.locator('#history tr[data-version="3"] td').nth(4)).to_have_text("0")
    assert published_lists(hub).isolation == {}

    page.fill("#why", "12月6日隔离名单")  # a publish with a note, as before
    submit(page, "#publish")
    expect(page.locator('#history tr[data-version="4"]')).to_contain_text("12月6日隔离名单")

    stored = everything_stored(hub, tmp_path)
    assert LI_SI.encode() not in stored and LI_SI[6:14].encode() not in stored
    assert "李四".encode() in stored  # the scan does see what the hub keeps


def test_an_import_with_one_bad_row_imports_nothing_and_shows_the_row(
    page: Page, office_url: str, accounts: Accounts, hub: Hub, tmp_path: Path
) -> None:
    bad = tmp_path / "contractors.csv"
    with bad.open("w", encoding="utf-8", newline="") as out:
        rows = [
            ("姓名", "身份证号", "单位", "项目"),
            ("王五", WANG, "中煤建设", "主井检修"),
            ("李四", WRONG_CHECK, "中煤建设", "主井检修"),
        ]
        csv.writer(out).writerows(rows)
    log_in(page, office_url, "staff")
    page.goto(f"{office_url}/console/lists/contractors")
    page.set_input_files("#list_file", str(bad))
    page.fill("#import_valid_from", "2026-12-01")
    page.fill("#import_valid_until", "2026-12-31")
    submit(page, "#import")
    expect(page.locator("#import-refused")).to_be_visible()
    expect(page.locator('#row-errors tr[data-row="3"]')).to_contain_text("身份证号")
    expect(page.locator('#row-errors tr[data-row="3"]')).to_contain_text("check digit")
    expect(page.locator("#row-errors tbody tr")).to_have_count(1)
    expect(page.locator("#entries")).not_to_contain_text("王五")

    good = tmp_path / "contractors.xlsx"
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for cells in rows[:2]:
        sheet.append(cells)
    book.save(good)
    page.set_input_files("#list_file", str(good))
    page.fill("#import_valid_from", "2026-12-01")
    page.fill("#import_valid_until", "2026-12-31")
    submit(page, "#import")
    expect(page.locator("#notice")).to_be_visible()
    expect(page.locator("#entries")).to_contain_text("中煤建设")
    expect(page.locator("#entries tbody tr")).to_have_count(1)

    page.set_input_files("#list_file", str(good))  # the same people again: refused, row 2
    page.fill("#import_valid_from", "2026-12-01")
    page.fill("#import_valid_until", "2026-12-31")
    submit(page, "#import")
    expect(page.locator('#row-errors tr[data-row="2"]')).to_contain_text("Already on the list")


def test_contractors_show_whether_their_days_have_come_and_ended_ones_go_with_their_days(
    page: Page, office_url: str, accounts: Accounts, hub: Hub
) -> None:
    today = hub.clock().astimezone(ZONE).date()
    log_in(page, office_url, "staff")
    page.goto(f"{office_url}/console/lists/contractors")
    for name, number, first, last in (
        ("李四", LI_SI, today - timedelta(days=30), today - timedelta(days=1)),
        ("王五", WANG, today + timedelta(days=1), today + timedelta(days=30)),
    ):
        page.fill("#name", name)
        page.fill("#id_number", number)
        page.fill("#company", "中煤建设")
        page.fill("#project", "主井检修")
        page.fill("#valid_from", first.isoformat())
        page.fill("#valid_until", last.isoformat())
        submit(page, "#add")
    ended = page.locator(f'#entries tr[data-masked="{LI_SI[:4]}**********{LI_SI[-4:]}"]')
    expect(ended.locator("td.state")).to_contain_text("已到期")
    coming = page.locator(f'#entries tr[data-masked="{WANG[:4]}**********{WANG[-4:]}"]')
    expect(coming.locator("td.state")).to_contain_text("未开始")
    # The booths get both with their days: the one still to come, and the one that ended (to
    # refer as ended, which a mine's undated row for them cannot undo).
    held = published_lists(hub)
    assert set(held.contractors) == {id_hash(LIST_SECRET, n) for n in (WANG, LI_SI)}
    assert held.contractors[id_hash(LIST_SECRET, WANG)].valid_from == today + timedelta(days=1)
    assert held.contractors[id_hash(LIST_SECRET, LI_SI)].valid_until == today - timedelta(days=1)


def test_a_supervisor_reads_the_lists_but_cannot_change_them(
    page: Page, office_url: str, accounts: Accounts
) -> None:
    log_in(page, office_url, "north")
    page.click("#nav-lists")
    expect(page.locator("h1")).to_contain_text("居家隔离")
    expect(page.locator("#add-form")).to_have_count(0)
    expect(page.locator("#publish-form")).to_have_count(0)


def test_a_real_booth_takes_an_added_person_at_its_sync_without_a_publish(
    page: Page, office_url: str, accounts: Accounts, hub: Hub, tmp_path: Path
) -> None:
    log_in(page, office_url, "staff")
    page.click("#nav-lists")
    page.fill("#name", "李四")
    page.fill("#id_number", LI_SI)
    submit(page, "#add")  # published at once: no button pressed
    expect(page.locator('#history tr[data-version="1"]')).to_be_visible()

    fresh = add_booth(hub, "north-gate-2", "北矿 North", "mine_gate", "staff")
    with Ledger.open(tmp_path / "booth" / "ledger.sqlite3") as ledger:
        worker = SyncWorker(ledger, enrol_booth(ledger, office_url, "north-gate-2", fresh))
        assert "lists" in worker.sync_once().bundles_updated
        held = ledger.bundle("lists")
        assert held is not None and held.version == 1
        taken = PersonLists.from_json(json.dumps(held.content))
        match = taken.match(id_hash(LIST_SECRET, LI_SI))
        assert match.isolation is not None and match.isolation.until is None


def test_without_the_list_secret_the_pages_say_so_and_take_nothing(
    page: Page, hub_url: str, accounts: Accounts, hub: Hub
) -> None:
    log_in(page, hub_url, "staff")  # a hub started without --list-secret
    page.click("#nav-lists")
    expect(page.locator("#error")).to_contain_text("--list-secret")
    expect(page.locator("#add-form")).to_have_count(0)
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    form: dict[str, str | float | bool] = {
        "csrf_token": token or "",
        "name": "李四",
        "id_number": LI_SI,
    }
    reply = page.request.post(f"{hub_url}/console/lists/isolation/add", form=form)
    assert reply.status == 503
    assert people.entries(hub.engine, "isolation") == []
