"""The risk-area draft in a real browser when the published list moved under it: a publish
with ``gatehouse hub publish`` is shown, rebased onto, never undone; a draft changed after its
dry run is not signed; a stale draft can be discarded, its changes kept in the audit."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from gatehouse.cli import main
from gatehouse.core.china_time import china_day
from gatehouse.core.keys import private_key_to_pem
from gatehouse.core.rules.risk_areas import RiskArea, RiskAreaList, RiskLevel
from gatehouse.hub.console import risk_areas
from gatehouse.hub.console.accounts import Accounts
from gatehouse.hub.service import Hub
from tests.hub.console.conftest import log_in, other_staff, submit
from tests.hub.console.risk_area_steps import XIAN, add_xian_to_draft

XIANYANG = "610400"


def _cli_publish(hub: Hub, tmp_path: Path) -> None:
    """``gatehouse hub publish risk_areas FILE`` on this hub's database and signing key:
    Xianyang, a medium-risk area, goes out without the console."""
    state = tmp_path / "hub-state"
    state.mkdir()
    (state / "bundle-key.pem").write_bytes(private_key_to_pem(hub.bundle_key))
    since = china_day(datetime.now(UTC)) - timedelta(days=2)
    areas = RiskAreaList("cli-1", datetime.now(UTC), (RiskArea(XIANYANG, RiskLevel.MEDIUM, since),))
    file = tmp_path / "risk_areas.json"
    file.write_text(json.dumps(areas.to_json_data()), encoding="utf-8")
    database = hub.engine.url.render_as_string(hide_password=False)
    command = ["hub", "publish", "risk_areas", str(file), "--state", str(state)]
    assert main([*command, "--database", database]) == 0


def _published_codes(hub: Hub) -> list[str]:
    latest = risk_areas.published(hub)
    assert latest is not None
    return sorted(area.region_code for area in latest.areas.areas)


def test_a_draft_made_stale_by_a_command_line_publish_is_rebased_and_both_published(
    page: Page, hub_url: str, hub: Hub, accounts: Accounts, tmp_path: Path
) -> None:
    log_in(page, hub_url, "staff")
    add_xian_to_draft(page, hub_url)
    page.goto(f"{hub_url}/console/risk-areas/dry-run")  # opened before the other publish
    _cli_publish(hub, tmp_path)
    assert hub.latest_version(risk_areas.BUNDLE) == 1

    submit(page, "#publish")
    expect(page.locator("#error")).to_contain_text("现为第 1 版")
    assert hub.latest_version(risk_areas.BUNDLE) == 1  # not signed over it

    page.goto(f"{hub_url}/console/risk-areas/dry-run")
    stale = page.locator("#stale")
    expect(stale).to_contain_text("草稿开始编辑时尚未发布过名单,现已发布第 1 版")
    expect(stale.locator("li.added")).to_contain_text("陕西省咸阳市 中风险")
    expect(page.locator("#publish")).to_have_count(0)  # rebase or discard first

    page.click("#back")
    expect(page.locator("#stale")).to_be_visible()
    submit(page, "#rebase")
    expect(page.locator("#rebased")).to_contain_text("草稿已改为基于第 1 版")
    expect(page.locator("#rebased li.added")).to_contain_text("陕西省西安市")
    expect(page.locator("#left-out")).to_have_count(0)
    expect(page.locator("#stale")).to_have_count(0)
    expect(page.locator(f'#areas tr[data-region="{XIANYANG}"]')).to_be_visible()

    submit(page, "#dry-run")
    submit(page, "#publish")
    expect(page.locator("#published")).to_contain_text("已发布版本 2")
    assert _published_codes(hub) == [XIAN, XIANYANG]
    audit = [(e["action"], e["detail"]) for e in accounts.audit_log() if e["username"] == "staff"]
    rebased = [detail for action, detail in audit if action == "risk_area.rebase"]
    assert len(rebased) == 1 and rebased[0].startswith(f"onto version 1; kept: {XIAN} medium")


def test_a_draft_changed_after_its_dry_run_is_refused_until_reviewed_again(
    page: Page, browser: Browser, hub_url: str, hub: Hub, accounts: Accounts
) -> None:
    log_in(page, hub_url, "staff")
    add_xian_to_draft(page, hub_url)
    page.goto(f"{hub_url}/console/risk-areas/dry-run")
    other, second = other_staff(browser, hub_url, accounts)
    second.goto(f"{hub_url}/console/risk-areas?q=xianyang")
    submit(second, f'#found tr[data-region="{XIANYANG}"] .add-button')  # after the review

    submit(page, "#publish")
    expect(page.locator("#error")).to_contain_text("预演页打开后草稿又被修改过")
    assert hub.latest_version(risk_areas.BUNDLE) == 0
    submit(page, "#publish")  # pressing again without reviewing again is refused again
    expect(page.locator("#error")).to_contain_text("草稿又被修改过")

    submit(page, "#reload")
    expect(page.locator("#draft-changes")).to_contain_text("陕西省咸阳市")
    submit(page, "#publish")
    expect(page.locator("#published")).to_contain_text("已发布版本 1")
    assert _published_codes(hub) == [XIAN, XIANYANG]
    other.close()


def test_a_stale_draft_can_be_discarded_and_the_audit_keeps_what_it_changed(
    page: Page, hub_url: str, hub: Hub, accounts: Accounts, tmp_path: Path
) -> None:
    log_in(page, hub_url, "staff")
    add_xian_to_draft(page, hub_url)
    _cli_publish(hub, tmp_path)
    page.goto(f"{hub_url}/console/risk-areas")
    submit(page, "#discard")
    expect(page.locator("#stale")).to_have_count(0)
    expect(page.locator(f'#areas tr[data-region="{XIAN}"]')).to_have_count(0)
    expect(page.locator(f'#areas tr[data-region="{XIANYANG}"]')).to_be_visible()
    discarded = [e["detail"] for e in accounts.audit_log() if e["action"] == "risk_area.discard"]
    assert len(discarded) == 1 and discarded[0].startswith(f"added: {XIAN} medium")
    assert f"removed: {XIANYANG} medium" in discarded[0]
