"""The booth list and adding a booth, in a real browser against a real hub."""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import zxingcpp
from PIL import Image
from playwright.sync_api import Page, expect

from gatehouse.core.models import Outcome
from gatehouse.hub.console.accounts import Accounts
from gatehouse.hub.console.booths import add_booth
from gatehouse.hub.service import Hub
from gatehouse.resources import resource_path
from gatehouse.store.audit import AuditKind
from gatehouse.sync import protocol
from gatehouse.sync.client import HubClient
from tests.factories import make_passage
from tests.hub.console.conftest import log_in, submit
from tests.hub.console.seed import enrolled_booth, upload
from tests.sync.hub_process import HubProcess

NORTH, SOUTH = "北矿 North", "南矿 South"


def _row(page: Page, booth_id: str) -> str:
    return page.locator(f'#booths tr[data-booth="{booth_id}"]').inner_text()


def test_staff_add_a_booth_whose_code_and_qr_code_enrol_it(
    page: Page, hub_url: str, accounts: Accounts
) -> None:
    log_in(page, hub_url, "staff")
    page.click("#add-booth")
    page.fill("#booth_id", "north-gate-1")
    page.fill("#mine", NORTH)
    page.select_option("#checkpoint_type", "vehicle_gate")
    submit(page)
    code = page.locator("#code").inner_text().strip()
    shot = Image.open(io.BytesIO(page.locator("#code-qr").screenshot()))
    scanned = [
        protocol.parse_enrolment_qr(r.text)
        for r in zxingcpp.read_barcodes(
            shot, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
        )
    ]
    assert scanned == [protocol.EnrolmentQr(hub_url, "north-gate-1", code)]
    expect(page.locator("#hub-url")).to_have_text(hub_url)

    page.goto(f"{hub_url}/console/booths")
    row = page.locator('#booths tr[data-booth="north-gate-1"]')
    expect(row).to_contain_text("尚未用注册码注册")
    expect(row).to_contain_text("车辆卡口")
    HubClient(hub_url).enrol("north-gate-1", code)  # the booth's own enrolment call
    page.reload()
    expect(row).to_contain_text("超过120分钟未联系")  # enrolled, never uploaded
    expect(row.locator('td[data-field="version"]')).to_have_text("未知")  # never reported
    expect(page.locator("#not-reported")).to_contain_text("时钟偏差")
    expect(page.locator("#nav-audit")).to_have_count(0)  # the audit is the administrator's


def test_the_list_shows_the_bundle_versions_the_hub_publishes(
    page: Page, hub_url: str, accounts: Accounts, hub: Hub
) -> None:
    # the hub publishes only what a booth would take (core/bundle_checks.py)
    hub.publish("privacy", {"retention_days": 30})
    hub.publish("privacy", {"retention_days": 60})
    hub.publish("policy", json.loads(resource_path("policy", "default_pack.json").read_text()))
    log_in(page, hub_url, "north")
    expect(page.locator('#bundles tr[data-bundle="privacy"] td').nth(1)).to_have_text("2")
    expect(page.locator('#bundles tr[data-bundle="policy"] td').nth(1)).to_have_text("1")


def test_the_list_shows_what_each_booth_reported_and_unknown_for_one_that_did_not(
    page: Page, hub_url: str, accounts: Accounts, hub: Hub, tmp_path: Path
) -> None:
    hub.publish("privacy", {"retention_days": 30})
    hub.publish("privacy", {"retention_days": 60})
    hub.publish("policy", json.loads(resource_path("policy", "default_pack.json").read_text()))
    reporting = enrolled_booth(hub, hub_url, "north-gate-1", NORTH)
    report = protocol.BoothReport(
        booth_time=datetime.now(UTC) - timedelta(minutes=3),
        backlog=42,
        app_version="0.1.0",
        bundle_versions={"privacy": 1},
        checkpoint_type="mine_gate",
    )
    reporting.upload([], report)
    old = enrolled_booth(hub, hub_url, "north-gate-2", NORTH)
    upload(old, tmp_path, [make_passage(booth_id="north-gate-2", decided_at=datetime.now(UTC))])
    log_in(page, hub_url, "admin")
    row = page.locator('#booths tr[data-booth="north-gate-1"]')
    expect(row.locator('td[data-field="backlog"]')).to_have_text("42")
    expect(row.locator('td[data-field="skew"]')).to_contain_text("+18")  # +180.x s
    expect(row.locator('td[data-field="version"]')).to_have_text("0.1.0")
    expect(row.locator('span.behind[data-bundle="privacy"]')).to_have_text("privacy 1")
    expect(row.locator('span.behind[data-bundle="policy"]')).to_have_text("policy –")  # none held
    expect(row).to_contain_text("岗亭时钟与中心相差超过120秒")
    older = page.locator('#booths tr[data-booth="north-gate-2"]')
    expect(older.locator('td[data-field="backlog"]')).to_have_text("未知")
    expect(older).to_contain_text("正常")
    page.goto(f"{hub_url}/console/live")
    expect(page.locator("#alarms")).to_contain_text("岗亭时钟与中心相差超过120秒")


def test_hub_serve_is_told_how_long_a_booth_may_be_silent(
    page: Page, accounts: Accounts, hub: Hub, tmp_path: Path
) -> None:
    code = add_booth(hub, "north-gate-1", NORTH, "mine_gate", "admin")
    database = hub.engine.url.render_as_string(hide_password=False)
    with HubProcess(database, tmp_path, "--silent-minutes", "45") as served:
        HubClient(served.url).enrol("north-gate-1", code)  # enrolled, never heard from since
        log_in(page, served.url, "admin")
        row = page.locator('#booths tr[data-booth="north-gate-1"]')
        expect(row).to_contain_text("超过45分钟未联系")


def test_a_booth_form_with_no_mine_is_refused_saying_so(
    page: Page, hub_url: str, accounts: Accounts, hub: Hub
) -> None:
    log_in(page, hub_url, "admin")
    page.goto(f"{hub_url}/console/booths/new")
    page.fill("#booth_id", "gate-x")
    page.fill("#mine", "   ")
    submit(page)
    expect(page.locator("#error")).to_have_text("请填写矿井。")
    page.goto(f"{hub_url}/console/booths")
    expect(page.locator("#booths")).not_to_contain_text("gate-x")


def test_the_list_raises_the_alarms_the_uploads_show(
    page: Page, hub_url: str, accounts: Accounts, hub: Hub, tmp_path: Path
) -> None:
    client = enrolled_booth(hub, hub_url, "north-gate-1", NORTH)
    first = make_passage(booth_id="north-gate-1", decided_at=datetime.now(UTC))
    answer = {"passage_id": first.passage_id, "attested": "green", "alert_supervisor": True}
    upload(client, tmp_path, [first], [(AuditKind.REVERIFICATION, answer)])
    quiet = enrolled_booth(hub, hub_url, "north-gate-2", NORTH)
    upload(quiet, tmp_path, [make_passage(booth_id="north-gate-2", decided_at=datetime.now(UTC))])
    log_in(page, hub_url, "admin")
    row = page.locator('#booths tr[data-booth="north-gate-1"]')
    expect(row).to_contain_text("发码方答复为黄/红码")
    expect(page.locator('#booths tr[data-booth="north-gate-2"]')).to_contain_text("正常")

    late = make_passage(
        booth_id="north-gate-1", decided_at=datetime.now(UTC), outcome=Outcome.TURN_AWAY
    )
    upload(client, tmp_path, [late], tamper=True)  # the same ledger: first, answer, late
    page.reload()
    expect(row).to_contain_text("24小时内有上传被隔离")
    expect(row.locator("td").nth(5)).to_have_text("1 (1)")


def test_a_supervisor_sees_only_their_mines_booths_and_adds_none(
    page: Page, hub_url: str, accounts: Accounts, hub: Hub
) -> None:
    enrolled_booth(hub, hub_url, "north-gate-1", NORTH)
    enrolled_booth(hub, hub_url, "south-gate-1", SOUTH)
    log_in(page, hub_url, "north")
    expect(page.locator("#booths tbody tr")).to_have_count(1)
    expect(page.locator("#booths")).to_contain_text("north-gate-1")
    expect(page.locator("#add-booth")).to_have_count(0)
    page.goto(f"{hub_url}/console/booths/new")
    expect(page.locator("#message")).to_have_text("您的账户无权查看此页面。")
    reply = page.request.get(f"{hub_url}/console/booths/new")
    assert reply.status == 403
