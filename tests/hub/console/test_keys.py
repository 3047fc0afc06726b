"""The keys page says when the offline root key must sign the trust list."""

from __future__ import annotations

from datetime import UTC, datetime

from playwright.sync_api import Page, expect

from gatehouse.core.keys import TrustStore, fingerprint, generate_issuer_key
from gatehouse.core.trust_list import TrustList, sign_trust_list
from gatehouse.hub.console.accounts import Accounts
from gatehouse.hub.service import Hub
from tests.core.factories import trust_for
from tests.hub.console.conftest import log_in


def test_the_console_asks_for_the_root_key_until_a_signed_trust_list_is_published(
    page: Page, hub_url: str, hub: Hub, accounts: Accounts
) -> None:
    log_in(page, hub_url, "staff")
    page.click("#nav-keys")
    public = hub.bundle_key.public_key()
    expect(page.locator("#bundle-key")).to_have_text(fingerprint(public).hex())
    expect(page.locator("#root-needed")).to_contain_text("离线根密钥")

    issuers = trust_for(generate_issuer_key())
    hub.publish("trusted_keys", {"version": 1, "keys": []})  # a plain file: still needed
    page.reload()
    expect(page.locator("#root-needed")).to_contain_text("未签名")

    signed = sign_trust_list(
        TrustList(7, datetime(2026, 12, 6, 8, 0, tzinfo=UTC), TrustStore(issuers.keys)),
        generate_issuer_key(),  # the root key, on the office's offline machine
    )
    hub.publish("trusted_keys", signed)
    page.reload()
    expect(page.locator("#root-needed")).to_have_count(0)
    expect(page.locator("#trust-list")).to_contain_text("第 7 号信任名单")


def test_supervisors_do_not_see_the_keys(page: Page, hub_url: str, accounts: Accounts) -> None:
    log_in(page, hub_url, "north")
    expect(page.locator("#nav-keys")).to_have_count(0)
    page.goto(f"{hub_url}/console/keys")
    expect(page.locator("#message")).to_contain_text("无权")
