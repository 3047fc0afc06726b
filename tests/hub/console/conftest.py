"""Console tests: Debian's chromium driven by Playwright against a real hub on 127.0.0.1,
on SQLite and on PostgreSQL (the ``engine`` fixture of tests/hub/conftest.py)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from gatehouse.core.keys import generate_issuer_key
from gatehouse.hub.console.accounts import Accounts, Role
from gatehouse.hub.issuing import HubIssuer
from gatehouse.hub.server import serve_in_thread
from gatehouse.hub.service import Hub
from tests.hub.live import ADMIN_TOKEN, free_socket

CHROMIUM = "/usr/bin/chromium"
WAIT_MS = 60_000  # a loaded 2-core machine: wait long for conditions, never assert speed
PASSWORD = "correct-horse-battery"
expect.set_options(timeout=WAIT_MS)


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One browser for the console's tests, closed when they end: Playwright's sync API keeps
    an event loop running on the main thread while it is open, which would break any later
    test that runs its own loop (``asyncio.run``)."""
    if shutil.which(CHROMIUM) is None:
        pytest.fail(f"{CHROMIUM} is missing: scripts/bootstrap.sh installs Debian's chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    opened = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    opened.set_default_timeout(WAIT_MS)
    yield opened
    opened.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def accounts(hub: Hub) -> Accounts:
    """The console's accounts over the test hub, with an administrator, office staff and the
    supervisors of two mines (all with ``PASSWORD``)."""
    made = Accounts(hub.engine, hub.clock)
    made.add_user("admin", PASSWORD, Role.ADMIN, None)
    made.add_user("staff", PASSWORD, Role.STAFF, None)
    made.add_user("north", PASSWORD, Role.SUPERVISOR, "北矿 North")
    made.add_user("south", PASSWORD, Role.SUPERVISOR, "南矿 South")
    return made


def log_in(page: Page, hub_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{hub_url}/console/login")
    page.fill("#username", username)
    page.fill("#password", password)
    submit(page)


def other_staff(browser: Browser, hub_url: str, accounts: Accounts) -> tuple[BrowserContext, Page]:
    """A second member of staff (``staff2``), logged in at their own desk: a browser context
    of their own, which the caller closes."""
    accounts.add_user("staff2", PASSWORD, Role.STAFF, None)
    opened = browser.new_context()
    second = opened.new_page()
    second.set_default_timeout(WAIT_MS)
    log_in(second, hub_url, "staff2")
    return opened, second


def submit(page: Page, button: str = "#submit") -> None:
    """Click a form's button and wait for the page the server answers with."""
    with page.expect_navigation():
        page.click(button)


LIST_SECRET = bytes.fromhex("5e" * 32)


@pytest.fixture
def issuer() -> HubIssuer:
    """The office's pass key, issuer name and person-list secret."""
    return HubIssuer(generate_issuer_key(), "煤业集团防疫办 Group Epidemic Office", LIST_SECRET)


@pytest.fixture
def office_url(hub: Hub, issuer: HubIssuer) -> Iterator[str]:
    """The hub on 127.0.0.1 started with the issuer key and list secret (as ``hub serve
    --issuer-key --list-secret``), so its console keeps lists and issues visitors' passes."""
    sock = free_socket()
    try:
        with serve_in_thread(hub, ADMIN_TOKEN, sock, issuer) as url:
            yield url
    finally:
        sock.close()
