"""The checkpoint-policy form in a real browser: validated, signed, published with a time."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, expect

from gatehouse.core.gatehouse_pass import encode_pass
from gatehouse.core.keys import generate_issuer_key
from gatehouse.core.passage import Passage
from gatehouse.core.rules.pack import packs_from
from gatehouse.hub.console import policies
from gatehouse.hub.console.accounts import Accounts
from gatehouse.hub.console.booths import CHECKPOINT_TYPES
from gatehouse.hub.console.pages import ZONE
from gatehouse.hub.service import Hub
from gatehouse.resources import resource_path
from gatehouse.sync.protocol import open_bundle
from tests.core.factories import ISSUER, claims
from tests.factories import make_passage
from tests.hub.console.conftest import log_in, other_staff, submit
from tests.hub.console.seed import enrolled_booth, upload
from tests.hub.live import serve_unchecked


def _published(hub: Hub) -> object:
    bundle = hub.latest_bundle("policy")
    assert bundle is not None
    return open_bundle(bundle.signed, hub.bundle_key.public_key(), "policy").content


def test_staff_change_a_checkpoint_and_booths_get_the_signed_pack(
    page: Page, hub_url: str, hub: Hub, accounts: Accounts
) -> None:
    log_in(page, hub_url, "staff")
    page.click("#nav-policies")
    gate = page.locator('tr[data-checkpoint="mine_gate"]')
    gate.locator('input[name="mine_gate.test_max_age_h"]').fill("24")
    gate.locator('input[name="mine_gate.temperature_threshold_c"]').fill("37.0")
    gate.locator('input[name="mine_gate.allow_declared_travel"]').check()
    page.locator('input[name="canteen.require_id"]').uncheck()
    submit(page, "#publish")
    expect(page.locator("#published")).to_contain_text("已发布版本 1")

    (pack,) = packs_from(_published(hub))
    gate_policy = pack.checkpoints["mine_gate"]
    assert gate_policy.test_max_age == timedelta(hours=24)
    assert gate_policy.temperature_threshold_c == 37.0
    assert gate_policy.allow_declared_travel
    assert "R06-isolation-no-id" in pack.checkpoints["canteen"].rules
    assert pack.rules["R06-isolation-no-id"].params["require_id"] is False
    assert "R06-isolation" in gate_policy.rules
    expect(page.locator('input[name="canteen.require_id"]')).not_to_be_checked()
    expect(page.locator('input[name="mine_gate.test_max_age_h"]')).to_have_value("24")
    actions = [entry["action"] for entry in accounts.audit_log()]
    assert "policy.publish" in actions


def _warm(now: datetime) -> Passage:
    """王五 at the north gate three hours ago, 37.1 °C: under 37.3, over 37.0."""
    return make_passage(
        booth_id="north-gate",
        checkpoint_type="mine_gate",
        decided_at=now - timedelta(hours=3),
        holder_name="王五",
        temperature_c=37.1,
    )


def test_the_dry_run_shows_who_a_lower_temperature_limit_would_stop(
    page: Page, hub_url: str, hub: Hub, accounts: Accounts, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    warm = _warm(now)
    cool = make_passage(booth_id="north-gate", checkpoint_type="mine_gate", decided_at=now)
    upload(enrolled_booth(hub, hub_url, "north-gate", "北矿 North"), tmp_path, [warm, cool])
    log_in(page, hub_url, "staff")
    page.goto(f"{hub_url}/console/policies")
    page.fill('input[name="mine_gate.temperature_threshold_c"]', "37.0")
    submit(page, "#dry-run")
    expect(page.locator("#count-stricter")).to_have_text("1")
    expect(page.locator("#count-unchanged")).to_have_text("1")
    row = page.locator("#changed tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("王五")
    expect(row).to_contain_text("体温")
    expect(page.locator('input[name="mine_gate.temperature_threshold_c"]')).to_have_value("37.0")
    assert hub.latest_bundle("policy") is None  # a dry run publishes nothing
    submit(page, "#publish")
    expect(page.locator("#published")).to_contain_text("已发布版本 1")


def test_the_dry_run_shows_who_requiring_the_id_again_would_stop(
    page: Page, hub_url: str, hub: Hub, accounts: Accounts, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    key = generate_issuer_key()
    unidentified, typed = (
        make_passage(
            booth_id="north-gate",
            checkpoint_type="mine_gate",
            decided_at=now - timedelta(hours=hours),
            holder_name=name,
            scanned_text=encode_pass(claims(holder_name=name), key, ISSUER),
            evidence={"code_verified": True, "id_given": id_given},
        )
        for hours, name, id_given in ((2, "王五", False), (1, "李四", True))
    )
    upload(
        enrolled_booth(hub, hub_url, "north-gate", "北矿 North"), tmp_path, [unidentified, typed]
    )
    log_in(page, hub_url, "staff")
    page.goto(f"{hub_url}/console/policies")
    page.locator('input[name="mine_gate.require_id"]').uncheck()
    submit(page, "#publish")
    expect(page.locator('input[name="mine_gate.require_id"]')).not_to_be_checked()
    page.locator('input[name="mine_gate.require_id"]').check()
    submit(page, "#dry-run")
    expect(page.locator("#count-stricter")).to_have_text("1")
    row = page.locator("#changed tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("王五")
    expect(row).to_contain_text("未核对身份证")


def test_a_value_out_of_range_is_refused_and_nothing_is_lost_or_published(
    page: Page, hub_url: str, hub: Hub, accounts: Accounts
) -> None:
    log_in(page, hub_url, "staff")
    page.goto(f"{hub_url}/console/policies")
    page.fill('input[name="dormitory.lookback_days"]', "10")
    page.fill('input[name="canteen.temperature_threshold_c"]', "40")
    submit(page, "#publish")
    expect(page.locator("#error")).to_contain_text("36.0–38.5")
    expect(page.locator('input[name="canteen.temperature_threshold_c"]')).to_have_value("40")
    expect(page.locator('input[name="dormitory.lookback_days"]')).to_have_value("10")
    assert hub.latest_bundle("policy") is None


def test_a_later_effective_time_keeps_the_pack_in_force_until_then(
    page: Page, hub_url: str, hub: Hub, accounts: Accounts
) -> None:
    log_in(page, hub_url, "admin")
    page.goto(f"{hub_url}/console/policies")
    page.fill('input[name="mine_gate.lookback_days"]', "7")
    later = (datetime.now(UTC) + timedelta(days=1)).astimezone(ZONE)
    page.fill("#effective_at", later.strftime("%Y-%m-%dT%H:%M"))
    submit(page, "#publish")
    old, new = packs_from(_published(hub))
    assert old.effective_until == new.effective_from
    assert new.effective_from > datetime.now(UTC)
    assert old.in_force_at(datetime.now(UTC)) and not new.in_force_at(datetime.now(UTC))
    assert (
        old.checkpoints["mine_gate"].lookback_days,
        new.checkpoints["mine_gate"].lookback_days,
    ) == (14, 7)


def test_supervisors_read_the_policies_but_cannot_publish(
    page: Page, hub_url: str, hub: Hub, accounts: Accounts
) -> None:
    log_in(page, hub_url, "north")
    page.click("#nav-policies")
    expect(page.locator('input[name="mine_gate.test_max_age_h"]')).to_be_disabled()
    expect(page.locator("#publish")).to_have_count(0)
    refused = page.request.post(f"{hub_url}/console/policies/publish", form={})
    assert refused.status == 403
    assert hub.latest_bundle("policy") is None


def test_a_second_change_keeps_the_scheduled_pack_which_is_edited_in_its_place(
    page: Page, hub_url: str, hub: Hub, accounts: Accounts
) -> None:
    log_in(page, hub_url, "staff")
    page.goto(f"{hub_url}/console/policies")
    later = (datetime.now(UTC) + timedelta(days=2)).astimezone(ZONE).strftime("%Y-%m-%dT%H:%M")
    page.fill('input[name="mine_gate.lookback_days"]', "7")
    page.fill("#effective_at", later)
    submit(page, "#publish")
    expect(page.locator('#scheduled li[data-version="console-1"]')).to_contain_text("staff")
    page.fill('input[name="canteen.temperature_threshold_c"]', "37.0")
    page.fill("#effective_at", later)
    submit(page, "#publish")
    expect(page.locator("#error")).to_contain_text("console-1")
    expect(page.locator('input[name="canteen.temperature_threshold_c"]')).to_have_value("37.0")
    page.fill("#effective_at", datetime.now(UTC).astimezone(ZONE).strftime("%Y-%m-%dT%H:%M"))
    submit(page, "#publish")
    expect(page.locator("#published")).to_contain_text("已发布版本 2")
    now_pack, scheduled = packs_from(_published(hub))
    assert now_pack.checkpoints["canteen"].temperature_threshold_c == 37.0
    assert (scheduled.version, scheduled.checkpoints["mine_gate"].lookback_days) == ("console-1", 7)

    page.click('#scheduled li[data-version="console-1"] .edit-scheduled')
    expect(page.locator("#editing")).to_contain_text("console-1")
    expect(page.locator('input[name="mine_gate.lookback_days"]')).to_have_value("7")
    expect(page.locator("#effective_at")).to_have_value(later)
    page.fill('input[name="mine_gate.lookback_days"]', "5")
    submit(page, "#publish")
    expect(page.locator("#published")).to_contain_text("已发布版本 3")
    expect(page.locator("#scheduled li")).to_have_count(1)
    _, edited = packs_from(_published(hub))
    assert edited.version == "console-3" and edited.effective_from == scheduled.effective_from
    assert edited.checkpoints["mine_gate"].lookback_days == 5
    assert any("replacing scheduled console-1" in e["detail"] for e in accounts.audit_log())


def test_a_published_pack_this_release_refuses_is_shown_and_staff_publish_a_correction(
    page: Page, hub_url: str, hub: Hub, accounts: Accounts
) -> None:
    """Booths holding a pack this release refuses refer everyone. The page says so and why,
    and publishing is the correction."""
    _refused_pack(hub)
    log_in(page, hub_url, "staff")
    page.click("#nav-policies")
    refused = page.locator("#pack-refused")
    expect(refused).to_contain_text("已发布的规则包(第 1 版)本版本程序无法使用")
    expect(refused).to_contain_text("unknown code kind 'heath_code'")
    expect(page.locator("#pack-version")).to_have_count(0)

    expect(page.locator("#pack-correction")).to_have_text("下表从内置规则包开始,发布即为更正版本。")

    page.locator('input[name="mine_gate.test_max_age_h"]').fill("24")
    submit(page, "#publish")
    expect(page.locator("#published")).to_contain_text("已发布版本 2")
    expect(page.locator("#pack-refused")).to_have_count(0)
    (corrected,) = packs_from(_published(hub))
    assert corrected.checkpoints["mine_gate"].test_max_age == timedelta(hours=24)
    assert "gatehouse-pass" in corrected.checkpoints["mine_gate"].accepted_code_kinds


def test_a_change_made_on_a_page_opened_before_anothers_publish_is_refused_until_reloaded(
    page: Page,
    context: BrowserContext,
    browser: Browser,
    hub_url: str,
    hub: Hub,
    accounts: Accounts,
) -> None:
    log_in(page, hub_url, "staff")
    page.goto(f"{hub_url}/console/policies")
    other, second = other_staff(browser, hub_url, accounts)
    second.goto(f"{hub_url}/console/policies")

    page.fill('input[name="mine_gate.test_max_age_h"]', "24")
    submit(page, "#publish")
    expect(page.locator("#published")).to_contain_text("已发布版本 1")
    second.fill('input[name="canteen.temperature_threshold_c"]', "37.0")
    submit(second, "#publish")
    expect(second.locator("#error")).to_contain_text("已有人发布了新版本(现为第 1 版)")
    expect(second.locator('input[name="canteen.temperature_threshold_c"]')).to_have_value("37.0")
    submit(second, "#publish")  # pressing again without reloading is refused again
    expect(second.locator("#error")).to_contain_text("第 1 版")
    assert hub.latest_version("policy") == 1
    (pack,) = packs_from(_published(hub))
    assert pack.checkpoints["mine_gate"].test_max_age == timedelta(hours=24)  # not undone

    submit(second, "#reload")
    expect(second.locator('input[name="mine_gate.test_max_age_h"]')).to_have_value("24")
    second.fill('input[name="canteen.temperature_threshold_c"]', "37.0")
    submit(second, "#publish")
    expect(second.locator("#published")).to_contain_text("已发布版本 2")
    (pack,) = packs_from(_published(hub))
    assert pack.checkpoints["mine_gate"].test_max_age == timedelta(hours=24)
    assert pack.checkpoints["canteen"].temperature_threshold_c == 37.0
    other.close()


def test_editing_a_scheduled_pack_dry_runs_against_the_pack_booths_hold_just_before_it(
    page: Page, hub_url: str, hub: Hub, accounts: Accounts, tmp_path: Path
) -> None:
    now = datetime.now(UTC)
    warm = _warm(now)
    upload(enrolled_booth(hub, hub_url, "north-gate", "北矿 North"), tmp_path, [warm])
    lower = policies.form_of(policies.pack_in_force(hub))
    lower.checkpoints["mine_gate"]["temperature_threshold_c"] = 37.0
    policies.publish(hub, lower, now + timedelta(days=2), "staff")  # console-1: 37.0 from day 2
    later = policies.form_of(policies.pack_in_force(hub))
    later.checkpoints["mine_gate"]["lookback_days"] = 10
    policies.publish(hub, later, now + timedelta(days=5), "staff")  # console-2: 37.3, day 5

    log_in(page, hub_url, "staff")
    page.goto(f"{hub_url}/console/policies?edit=console-2")
    expect(page.locator('input[name="mine_gate.lookback_days"]')).to_have_value("10")
    page.fill('input[name="mine_gate.temperature_threshold_c"]', "37.0")
    submit(page, "#dry-run")
    # Booths hold console-1 (37.0) when console-2 begins: keeping 37.0 stops nobody new, though
    # against the pack in force today (37.3) 王五 would be counted as newly stopped.
    expect(page.locator("#dry-run-against")).to_contain_text("console-1")
    expect(page.locator("#dry-run-against")).to_contain_text("console-2")
    expect(page.locator("#count-stricter")).to_have_text("0")
    expect(page.locator("#count-unchanged")).to_have_text("1")

    page.fill('input[name="mine_gate.temperature_threshold_c"]', "37.3")
    submit(page, "#dry-run")  # raising it back, from console-1's 37.0, lets 王五 through
    expect(page.locator("#count-looser")).to_have_text("1")
    expect(page.locator("#changed tbody tr")).to_contain_text("王五")
    expect(page.locator('input[name="mine_gate.lookback_days"]')).to_have_value("10")
    expect(page.locator("#editing")).to_contain_text("console-2")  # still editing it
    assert hub.latest_version("policy") == 2  # a dry run publishes nothing

    page.goto(f"{hub_url}/console/policies")  # the pack in force now: compared with today's
    page.fill('input[name="mine_gate.temperature_threshold_c"]', "37.0")
    submit(page, "#dry-run")
    expect(page.locator("#dry-run-against")).to_contain_text("现行版本")
    expect(page.locator("#count-stricter")).to_have_text("1")


def _refused_pack(hub: Hub) -> None:
    """A hub of an older release signed a pack this one refuses (a misspelt code kind)."""
    pack = json.loads(resource_path("policy", "default_pack.json").read_text("utf-8"))
    pack["checkpoints"]["mine_gate"]["params"]["accepted_code_kinds"] = ["heath_code"]
    serve_unchecked(hub, "policy", 1, pack)


def test_supervisors_are_told_who_may_publish_the_correction_of_a_refused_pack(
    page: Page, hub_url: str, hub: Hub, accounts: Accounts
) -> None:
    _refused_pack(hub)
    log_in(page, hub_url, "north")
    page.click("#nav-policies")
    expect(page.locator("#pack-refused")).to_contain_text("持有它的岗亭对所有人员一律交主管处理")
    correction = page.locator("#pack-correction")
    expect(correction).to_have_text(
        "您的账户只能查看规则,不能发布。请联系防疫办工作人员或防疫办管理员发布更正版本。"
    )
    expect(page.locator("#publish")).to_have_count(0)


def test_while_a_pack_is_refused_the_dry_run_compares_with_everyone_referred(
    page: Page, hub_url: str, hub: Hub, accounts: Accounts, tmp_path: Path
) -> None:
    """Booths holding the refused pack refer everyone: 37.0 °C stops 王五 either way (not
    "stricter" than the built-in pack, which no booth uses) and lets the other one through."""
    now = datetime.now(UTC)
    cool = make_passage(booth_id="north-gate", checkpoint_type="mine_gate", decided_at=now)
    upload(enrolled_booth(hub, hub_url, "north-gate", "北矿 North"), tmp_path, [_warm(now), cool])
    _refused_pack(hub)
    log_in(page, hub_url, "staff")
    page.goto(f"{hub_url}/console/policies")
    page.fill('input[name="mine_gate.temperature_threshold_c"]', "37.0")
    submit(page, "#dry-run")
    against = page.locator("#dry-run-against")
    expect(against).to_contain_text("持有被拒用规则包(第 1 版)的岗亭对所有人员一律交主管处理")
    expect(page.locator("#count-stricter")).to_have_text("0")
    expect(page.locator("#count-unchanged")).to_have_text("1")
    expect(page.locator("#count-looser")).to_have_text("1")
    row = page.locator("#changed tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_have_attribute("data-passage", cool.passage_id)
    expect(row).to_contain_text("不再因被拒用的规则包转主管")
    assert any("vs refused version 1" in e["detail"] for e in accounts.audit_log())
    assert hub.latest_version("policy") == 1  # a dry run publishes nothing


def test_a_refused_pack_with_other_checkpoint_types_is_corrected_for_every_type_booths_have(
    page: Page, hub_url: str, hub: Hub, accounts: Accounts
) -> None:
    """The refused pack names only a checkpoint type no booth can have: the form starts from
    the built-in pack, so its correction holds a policy for every booth checkpoint type."""
    pack = json.loads(resource_path("policy", "default_pack.json").read_text("utf-8"))
    gate = pack["checkpoints"]["mine_gate"]
    gate["params"]["accepted_code_kinds"] = ["heath_code"]
    pack["checkpoints"] = {"east_gate": gate}
    serve_unchecked(hub, "policy", 1, pack)
    log_in(page, hub_url, "staff")
    page.goto(f"{hub_url}/console/policies")
    expect(page.locator("#pack-refused")).to_contain_text("heath_code")
    expect(page.locator("#checkpoints tbody tr")).to_have_count(len(CHECKPOINT_TYPES))
    page.fill('input[name="dormitory.lookback_days"]', "10")
    submit(page, "#publish")
    expect(page.locator("#published")).to_contain_text("已发布版本 2")
    (corrected,) = packs_from(_published(hub))
    assert set(corrected.checkpoints) == set(CHECKPOINT_TYPES)
    assert corrected.checkpoints["dormitory"].lookback_days == 10
