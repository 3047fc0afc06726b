"""Logging in to the console in a real browser: roles, lockout, CSRF, language, the audit."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from playwright.sync_api import Page, expect

from gatehouse.hub.console.accounts import MAX_FAILURES, Accounts
from gatehouse.hub.server import HubState, open_hub
from gatehouse.hub.service import Hub
from tests.hub.console.conftest import PASSWORD, log_in, submit


def test_the_login_page_is_chinese_by_default_and_english_on_request(
    page: Page, hub_url: str, accounts: Accounts
) -> None:
    page.goto(f"{hub_url}/console/booths")  # not logged in: sent to the login page
    expect(page.locator("h1")).to_have_text("登录")
    page.click("a.lang")
    expect(page.locator("h1")).to_have_text("Log in")
    log_in(page, hub_url, "admin")
    expect(page.locator("h1")).to_have_text("Booths")
    page.click("a.lang")
    expect(page.locator("h1")).to_have_text("岗亭")
    expect(page.locator("header .who")).to_contain_text("防疫办管理员")


def test_a_wrong_password_is_refused_and_audited(
    page: Page, hub_url: str, accounts: Accounts
) -> None:
    log_in(page, hub_url, "admin", "not-the-password")
    expect(page.locator("#error")).to_have_text("用户名或密码错误。")
    log_in(page, hub_url, "nobody", PASSWORD)
    expect(page.locator("#error")).to_have_text("用户名或密码错误。")
    log_in(page, hub_url, "admin")
    page.click("#nav-audit")
    audit = page.locator("#audit tbody")
    expect(audit).to_contain_text("login.failed")
    expect(audit).to_contain_text("nobody")
    expect(audit).to_contain_text("view.booths")


def test_repeated_failures_lock_the_account_even_against_the_right_password(
    page: Page, hub_url: str, accounts: Accounts
) -> None:
    for _ in range(MAX_FAILURES):
        log_in(page, hub_url, "staff", "wrong-password-000")
    expect(page.locator("#error")).to_contain_text("账户已锁定")
    log_in(page, hub_url, "staff")
    expect(page.locator("#error")).to_contain_text("账户已锁定")
    assert "/console/login" in page.url
    log_in(page, hub_url, "admin")  # another account is not affected
    page.click("#nav-users")
    expect(page.locator('#users tr[data-user="staff"] td').nth(3)).not_to_be_empty()


def test_a_form_posted_without_its_csrf_token_is_refused_and_does_nothing(
    page: Page, hub_url: str, accounts: Accounts, hub: Hub
) -> None:
    log_in(page, hub_url, "admin")
    page.goto(f"{hub_url}/console/booths/new")
    page.fill("#booth_id", "booth-forged")
    page.fill("#mine", "北矿 North")
    page.evaluate("document.querySelector('#booth-form input[name=csrf_token]').remove()")
    submit(page, "#submit")
    expect(page.locator("#message")).to_contain_text("表单已过期或来源不明")
    # a cross-site post carries the session cookie but cannot know the token
    reply = page.request.post(
        f"{hub_url}/console/users",
        form={"username": "intruder", "password": "x" * 12, "role": "admin", "mine": ""},
    )
    assert reply.status == 403
    page.goto(f"{hub_url}/console/booths")
    expect(page.locator("#booths")).not_to_contain_text("booth-forged")
    assert "intruder" not in {u["username"] for u in accounts.users()}
    assert {"refused.csrf"} <= {e["action"] for e in accounts.audit_log()}


def test_the_login_form_itself_needs_its_token(
    page: Page, hub_url: str, accounts: Accounts
) -> None:
    reply = page.request.post(
        f"{hub_url}/console/login", form={"username": "admin", "password": PASSWORD}
    )
    assert reply.status == 403
    page.goto(f"{hub_url}/console/booths")
    assert "/console/login" in page.url


def test_the_administrator_adds_a_supervisor_who_logs_in_and_out(
    page: Page, hub_url: str, accounts: Accounts
) -> None:
    log_in(page, hub_url, "admin")
    page.click("#nav-users")
    for password in ("short", "east-password-1"):
        page.fill("#new-username", "east")
        page.fill("#new-password", password)
        page.select_option("#new-role", "supervisor")
        page.fill("#new-mine", "东矿 East")
        submit(page, "#create-user")
        if password == "short":
            expect(page.locator("#error")).to_contain_text("at least 10 characters")
    expect(page.locator("#created")).to_contain_text("east")
    submit(page, "#logout")
    log_in(page, hub_url, "east", "east-password-1")
    expect(page.locator("header .who")).to_contain_text("东矿 East")
    expect(page.locator("#nav-users")).to_have_count(0)
    page.goto(f"{hub_url}/console/users")
    expect(page.locator("#message")).to_have_text("您的账户无权查看此页面。")
    submit(page, "#logout")
    page.goto(f"{hub_url}/console/booths")
    assert "/console/login" in page.url


def test_the_first_administrator_is_made_by_the_command_with_no_default_password(
    tmp_path: Path,
) -> None:
    state = tmp_path / "state"
    command = [sys.executable, "-m", "gatehouse", "hub", "add-user", "chief", "--state", str(state)]
    short = subprocess.run(
        [*command, "--password-stdin"], input="short\n", capture_output=True, text=True
    )
    assert short.returncode != 0
    assert "at least 10 characters" in short.stderr
    made = subprocess.run(
        [*command, "--password-stdin"], input="chief-password-1\n", capture_output=True, text=True
    )
    assert made.returncode == 0, made.stderr
    hub = open_hub(HubState(state), None)
    try:
        accounts = Accounts(hub.engine, hub.clock)
        _, session = accounts.log_in("chief", "chief-password-1")
        assert session.user.role.value == "admin"
        assert accounts.audit_log()[0]["action"] == "user.add"
    finally:
        hub.engine.dispose()
