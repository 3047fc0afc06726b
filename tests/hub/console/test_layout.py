"""Every page in both languages: no untranslated key, and usable on a tablet and at 1366x768
(the page itself never scrolls sideways; a wide table scrolls in its own box)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from gatehouse.core.rules.dry_run_rows import Change
from gatehouse.core.rules.policy_dry_run import CHECKS
from gatehouse.core.rules.risk_areas import RiskLevel
from gatehouse.hub.console import policies
from gatehouse.hub.console.accounts import Accounts, Role
from gatehouse.hub.console.booths import CHECKPOINT_TYPES
from gatehouse.hub.console.i18n import TEXTS
from gatehouse.hub.console.people import KINDS
from gatehouse.hub.console.person_lists import NOTICES
from gatehouse.hub.console.search import OUTCOMES, ROLES
from gatehouse.hub.console.visits import Status
from gatehouse.hub.service import Hub
from tests.hub.console.conftest import PASSWORD, WAIT_MS
from tests.hub.console.seed import enrolled_booth

TEMPLATES = Path(__file__).parents[3] / "gatehouse" / "hub" / "console" / "templates"
PAGES = (
    *("booths", "booths/new", "passages", "live", "reports", "reports/contractors"),
    *("users", "audit"),
    *("lists/isolation", "lists/contractors", "visits", "visits/new", "revocations"),
    *("risk-areas?q=xa", "risk-areas/dry-run", "risk-areas/history", "policies", "keys"),
)
PEOPLE_PREFIXES = {  # the person-list and visitor pages' keys made from a kind or a state
    "list_": KINDS,
    "import_help_": KINDS,
    "done_": NOTICES,
    "visit_": tuple(status.value for status in Status),
}


def test_every_key_the_templates_name_has_both_languages() -> None:
    named = set()
    for template in TEMPLATES.glob("*.html"):
        named |= set(re.findall(r"\bt\('([a-z_]+)'", template.read_text(encoding="utf-8")))
    assert named, "no t('key') found: the pattern no longer matches the templates"
    prefixes = {
        "cp_": CHECKPOINT_TYPES,
        "role_": (*ROLES, *(role.value for role in Role)),
        **PEOPLE_PREFIXES,
        "level_": tuple(level.name.lower() for level in RiskLevel),
        "dry_": tuple(change.value for change in Change),
        "policy_": (*policies.NUMBERS, *policies.SWITCHES),
        "policy_effect_": tuple(change.value for change in Change),
        "policy_check_": CHECKS,
    }
    assert {"cp_", "role_"} <= named
    named |= {prefix + value for prefix, values in prefixes.items() for value in values}
    named |= set(OUTCOMES)  # the outcome names are keys of their own
    assert named - set(prefixes) - set(TEXTS) == set()
    assert all(zh and en and zh != en for zh, en in TEXTS.values())


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (768, 1024)])
def test_every_page_fits_the_screen(
    browser: Browser, hub_url: str, accounts: Accounts, hub: Hub, width: int, height: int
) -> None:
    enrolled_booth(hub, hub_url, "north-gate-1", "北矿 North")
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(WAIT_MS)
    try:
        page = context.new_page()
        page.goto(f"{hub_url}/console/login")
        page.fill("#username", "admin")
        page.fill("#password", PASSWORD)
        with page.expect_navigation():
            page.click("#submit")
        for language in ("zh", "en"):
            page.goto(f"{hub_url}/console/language?to={language}&back=/console/booths")
            for name in PAGES:
                page.goto(f"{hub_url}/console/{name}")
                expect(page.locator("h1")).to_be_visible()
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow <= 0, f"/console/{name} ({language}) is {overflow}px too wide"
    finally:
        context.close()
