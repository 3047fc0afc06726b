"""The risk-area editor in a real browser against a real hub: search, add, paste an
announcement, lift, dry run over uploaded passages, publish, history and going back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from gatehouse.core.china_time import china_day
from gatehouse.core.gatehouse_pass import encode_pass
from gatehouse.core.keys import generate_issuer_key
from gatehouse.core.models import TravelVisit
from gatehouse.core.passage import Passage
from gatehouse.core.rules.risk_areas import RiskArea, RiskAreaList, RiskLevel
from gatehouse.hub.console import risk_areas
from gatehouse.hub.console.accounts import Accounts
from gatehouse.hub.console.pages import ZONE
from gatehouse.hub.service import Hub
from gatehouse.sync.protocol import open_bundle
from tests.core.factories import ISSUER, claims
from tests.factories import make_passage
from tests.hub.console.conftest import log_in, other_staff, submit
from tests.hub.console.risk_area_steps import XIAN, add_xian_to_draft, publish_draft
from tests.hub.console.seed import enrolled_booth, upload

ANNOUNCEMENT = "西安市、咸阳市、火星市、新城区 自12月4日起为中风险地区"


def _published(hub: Hub) -> RiskAreaList:
    bundle = hub.latest_bundle(risk_areas.BUNDLE)
    assert bundle is not None
    content = open_bundle(bundle.signed, hub.bundle_key.public_key(), risk_areas.BUNDLE).content
    return RiskAreaList.from_json_data(content)


def _codes(areas: RiskAreaList) -> list[str]:
    return sorted(area.region_code for area in areas.areas)


def test_staff_search_add_lift_and_publish_then_go_back(
    page: Page, hub_url: str, hub: Hub, accounts: Accounts
) -> None:
    log_in(page, hub_url, "staff")
    page.click("#nav-risk-areas")
    expect(page.locator("#published-version")).to_contain_text("尚未发布")
    page.fill("#q", "xa")  # initials find 西安市 first
    submit(page, "#search")
    first = page.locator("#found tr").first
    expect(first).to_have_attribute("data-region", "610100")
    first.locator("select").select_option("high")
    first.locator('input[name="since"]').fill("2021-12-04")
    submit(page, "#found tr >> nth=0 >> .add-button")
    row = page.locator('#areas tr[data-region="610100"]')
    expect(row).to_contain_text("西安市")
    expect(row).to_contain_text("高风险")

    page.fill("#q", "咸阳")  # and Chinese; then a second entry for Xi'an is refused
    submit(page, "#search")
    page.fill("#q", "xianshi")
    submit(page, "#search")
    submit(page, '#found tr[data-region="610100"] .add-button')
    expect(page.locator("#error")).to_contain_text("已有有效条目")

    submit(page, "#dry-run")
    submit(page, "#publish")
    expect(page.locator("#published")).to_contain_text("已发布版本 1")
    assert _codes(_published(hub)) == ["610100"]

    page.click("#back")  # lift Xi'an from 20 December: version 2
    lift = page.locator('#areas tr[data-region="610100"] form.lift')
    lift.locator('input[name="on"]').fill("2021-12-20")
    submit(page, '#areas tr[data-region="610100"] .lift-button')
    expect(page.locator('#areas tr[data-region="610100"]')).to_contain_text("2021-12-20")
    submit(page, "#dry-run")
    submit(page, "#publish")
    (lifted,) = _published(hub).areas
    assert lifted.lifted_at is not None and lifted.lifted_at.isoformat() == "2021-12-20"

    version_2 = page.locator('section[data-version="2"]')
    expect(version_2).to_contain_text("+ 陕西省西安市 高风险 2021-12-04 → 解除日期 2021-12-20")
    expect(version_2).to_contain_text("− 陕西省西安市 高风险 2021-12-04")
    submit(page, 'section[data-version="1"] .go-back button')
    expect(page.locator("#published")).to_contain_text("已发布版本 3")
    assert _published(hub).areas[0].lifted_at is None
    audit = [(e["action"], e["detail"]) for e in accounts.audit_log() if e["username"] == "staff"]
    actions = [action for action, _ in audit]
    for expected in ("risk_area.add", "risk_area.lift", "risk_area.publish", "risk_area.go_back"):
        assert expected in actions
    assert ("risk_area.go_back", "version 1 published as 3") in audit


def test_a_pasted_announcement_is_matched_and_the_rest_shown_for_a_decision(
    page: Page, hub_url: str, accounts: Accounts
) -> None:
    log_in(page, hub_url, "admin")
    page.goto(f"{hub_url}/console/risk-areas")
    page.fill("#pasted", ANNOUNCEMENT)
    submit(page, "#read")
    expect(page.locator("#matched tr")).to_have_count(2)
    expect(page.locator("#unmatched tr")).to_have_count(2)
    ambiguous = page.locator('#unmatched tr[data-name="新城区"]')
    expect(ambiguous.locator("form")).to_have_count(
        len(risk_areas.region_table().by_name("新城区"))
    )
    expect(page.locator('#unmatched tr[data-name="火星市"]')).to_contain_text("未找到该地区")
    submit(page, "#add-matched")
    expect(page.locator('#areas tr[data-region="610100"]')).to_contain_text("中风险")
    expect(page.locator('#areas tr[data-region="610400"]')).to_contain_text("-12-04")

    page.fill("#pasted", ANNOUNCEMENT)  # the Xi'an 新城区 is the office's decision
    submit(page, "#read")
    choice = page.locator('#unmatched tr[data-name="新城区"] form', has_text="西安市")
    expect(choice.locator("select")).to_have_value("medium")
    with page.expect_navigation():
        choice.locator("button").click()
    expect(page.locator('#areas tr[data-region="610102"]')).to_contain_text("-12-04")


KEY = generate_issuer_key()


def _travelled(city: str, name: str, now: datetime, days_ago: int = 1) -> Passage:
    """A passage ``days_ago`` of a verified pass whose holder was in ``city`` 3 days ago."""
    travel = (TravelVisit(city, china_day(now) - timedelta(days=3)),)
    text = encode_pass(claims(travel=travel, holder_name=name), KEY, ISSUER)
    return make_passage(
        booth_id="north-gate",
        decided_at=now - timedelta(days=days_ago),
        scanned_text=text,
        holder_name=name,
        evidence={"code_verified": True},
    )


def test_the_dry_run_lists_who_would_now_be_turned_away(
    page: Page, hub_url: str, hub: Hub, accounts: Accounts, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    client = enrolled_booth(hub, hub_url, "north-gate", "北矿 North")
    upload(
        client,
        tmp_path,
        [
            _travelled("610113", "王五", now),  # 雁塔区, inside Xi'an
            _travelled("110105", "李四", now),  # Beijing
            _travelled("610113", "赵六", now, days_ago=20),  # outside the 14 days
            make_passage(booth_id="north-gate", decided_at=now, scanned_text=""),  # purged
        ],
    )
    log_in(page, hub_url, "staff")
    page.goto(f"{hub_url}/console/risk-areas?q=西安市")
    page.locator('#found tr[data-region="610100"] input[name="since"]').fill(
        (china_day(now) - timedelta(days=10)).isoformat()
    )
    submit(page, '#found tr[data-region="610100"] .add-button')
    submit(page, "#dry-run")
    expect(page.locator("#count-stricter")).to_have_text("1")
    expect(page.locator("#count-unchanged")).to_have_text("1")
    expect(page.locator("#count-not_checkable")).to_have_text("1")
    changed = page.locator("#changed tbody tr")
    expect(changed).to_have_count(1)
    expect(changed).to_contain_text("王五")
    expect(changed).to_contain_text("将被劝返")
    expect(changed).to_contain_text("雁塔区")


def test_an_announcement_lifting_an_area_is_applied_and_previewed_in_the_dry_run(
    page: Page, hub_url: str, hub: Hub, accounts: Accounts, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    client = enrolled_booth(hub, hub_url, "north-gate", "北矿 North")
    upload(client, tmp_path, [_travelled("610113", "王五", now)])  # in 雁塔区 3 days ago
    log_in(page, hub_url, "staff")
    add_xian_to_draft(page, hub_url)  # a risk area since ten days ago
    publish_draft(page, hub_url)
    lifted_on = china_day(now) - timedelta(days=5)
    notice = (
        f"经专家研判,自{lifted_on.year}年{lifted_on.month}月{lifted_on.day}日0时起,"
        "将西安市调整为低风险地区;咸阳市秦都区由中风险地区降为低风险地区。"
    )
    page.goto(f"{hub_url}/console/risk-areas")
    page.fill("#pasted", notice)
    submit(page, "#read")
    xian = page.locator('#lifted tr[data-region="610100"]')
    expect(xian).to_contain_text(f"自 {lifted_on.isoformat()} 起解除")
    expect(xian).to_contain_text("中风险")
    expect(page.locator('#lifted tr[data-region="610402"]')).to_have_class("nothing-to-lift")
    expect(page.locator("#add-matched")).to_contain_text("解除 2 个")
    submit(page, "#add-matched")
    expect(page.locator('#areas tr[data-region="610100"]')).to_contain_text(lifted_on.isoformat())
    assert _published(hub).areas[0].lifted_at is None  # the draft only, until published

    submit(page, "#dry-run")
    expect(page.locator("#draft-changes .added")).to_contain_text(lifted_on.isoformat())
    expect(page.locator("#count-looser")).to_have_text("1")
    expect(page.locator("#changed tbody tr")).to_contain_text("王五")
    lifts = [e["detail"] for e in accounts.audit_log() if e["action"] == "risk_area.lift"]
    assert lifts == [f"610100 medium from {china_day(now) - timedelta(days=10)} lifted {lifted_on}"]


def test_supervisors_read_the_list_and_history_but_change_nothing(
    page: Page, hub_url: str, hub: Hub, accounts: Accounts
) -> None:
    log_in(page, hub_url, "north")
    page.goto(f"{hub_url}/console/risk-areas")
    expect(page.locator("#areas")).to_be_visible()
    expect(page.locator("#paste-form")).to_have_count(0)
    expect(page.locator("#dry-run")).to_have_count(0)
    page.goto(f"{hub_url}/console/risk-areas/dry-run")
    expect(page.locator("#message")).to_contain_text("无权")
    page.goto(f"{hub_url}/console/risk-areas/history")
    expect(page.locator("#no-versions")).to_be_visible()
    refused = page.request.post(
        f"{hub_url}/console/risk-areas/add",
        form={"region": "610100", "level": "high", "since": "2021-12-04"},
    )
    assert refused.status == 403
    assert risk_areas.draft(hub).areas == ()


def test_a_publish_from_a_dry_run_opened_before_anothers_publish_is_refused_until_reloaded(
    page: Page, browser: Browser, hub_url: str, hub: Hub, accounts: Accounts
) -> None:
    log_in(page, hub_url, "staff")
    add_xian_to_draft(page, hub_url)
    page.goto(f"{hub_url}/console/risk-areas/dry-run")
    later = (datetime.now(UTC) + timedelta(days=1)).astimezone(ZONE).strftime("%Y-%m-%dT%H:%M")
    page.fill("#effective_at", later)
    other, second = other_staff(browser, hub_url, accounts)
    publish_draft(second, hub_url)  # version 1, Xi'an in it
    assert hub.latest_version(risk_areas.BUNDLE) == 1

    submit(page, "#publish")
    expect(page.locator("#error")).to_contain_text("已有人发布了新版本(现为第 1 版)")
    expect(page.locator("#effective_at")).to_have_value(later)  # what was typed is kept
    submit(page, "#publish")  # pressing again without reloading is refused again
    expect(page.locator("#error")).to_contain_text("第 1 版")
    assert hub.latest_version(risk_areas.BUNDLE) == 1

    submit(page, "#reload")
    submit(page, "#publish")
    expect(page.locator("#published")).to_contain_text("已发布版本 2")
    assert _codes(_published(hub)) == [XIAN]
    other.close()


def test_going_back_from_a_history_opened_before_anothers_publish_cannot_undo_it_unseen(
    page: Page, browser: Browser, hub_url: str, hub: Hub, accounts: Accounts
) -> None:
    now = datetime.now(UTC)
    since = china_day(now) - timedelta(days=3)
    xianyang = RiskArea("610400", RiskLevel.MEDIUM, since)
    risk_areas.publish(hub, RiskAreaList("d", now, ()), now, "staff")
    risk_areas.publish(hub, RiskAreaList("d", now, (xianyang,)), now, "staff")
    log_in(page, hub_url, "staff")
    page.goto(f"{hub_url}/console/risk-areas/history")  # staff means to go back to version 1

    other, second = other_staff(browser, hub_url, accounts)
    add_xian_to_draft(second, hub_url)  # meanwhile Xi'an, a high-risk area, goes out
    publish_draft(second, hub_url)
    assert _codes(_published(hub)) == [XIAN, "610400"]

    submit(page, 'section[data-version="1"] .go-back button')
    expect(page.locator("#error")).to_contain_text("已有人发布了新版本(现为第 3 版)")
    assert hub.latest_version(risk_areas.BUNDLE) == 3
    assert _codes(_published(hub)) == [XIAN, "610400"]  # not undone

    submit(page, "#reload")  # the history now shows version 3 on top: going back is a choice
    expect(page.locator('section[data-version="3"]')).to_contain_text("西安市")
    submit(page, 'section[data-version="1"] .go-back button')
    expect(page.locator("#published")).to_contain_text("已发布版本 4")
    other.close()


def test_an_edit_made_while_a_publish_signs_stays_in_the_draft(hub: Hub) -> None:
    now = datetime.now(UTC)
    since = china_day(now) - timedelta(days=3)
    xianyang = RiskArea("610400", RiskLevel.MEDIUM, since)
    reviewed = risk_areas.add_areas(hub, [xianyang], "staff")
    risk_areas.add_areas(hub, [RiskArea(XIAN, RiskLevel.HIGH, since)], "staff2")  # meanwhile
    assert risk_areas.publish(hub, reviewed, now, "staff", based_on=0) == 1
    assert _codes(risk_areas.draft(hub)) == [XIAN, "610400"]  # the later edit is not dropped
    assert risk_areas.publish(hub, risk_areas.draft(hub), now, "staff2", based_on=1) == 2
    assert _codes(_published(hub)) == [XIAN, "610400"]
    assert _codes(risk_areas.draft(hub)) == [XIAN, "610400"]  # the published list, no draft
