"""Screenshots of the console's visitor approval and person lists for the README, made as
``tools.console_screenshots`` makes the others (headless chromium, a throwaway hub).

    .venv/bin/python -m tools.visitor_screenshots   (from the repository root)

The hub runs with an issuer key and list secret; a mine supervisor's visit request waits for
the office; writes docs/screenshots/console-visit-approval.png and console-lists.png at
1366x768, in Chinese.
"""

from __future__ import annotations

import socket
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from gatehouse.core.keys import generate_issuer_key
from gatehouse.core.rules.persons import check_character
from gatehouse.hub.console import people, visits
from gatehouse.hub.console.accounts import Accounts
from gatehouse.hub.console.accounts import Role as AccountRole
from gatehouse.hub.console.booths import add_booth
from gatehouse.hub.console.pages import ZONE
from gatehouse.hub.database import open_database
from gatehouse.hub.issuing import HubIssuer
from gatehouse.hub.server import serve_in_thread
from gatehouse.hub.service import Hub
from tools.console_screenshots import OUT, PASSWORD, launch

SECRET = bytes.fromhex("a7" * 32)


def _id(first17: str) -> str:
    return first17 + check_character(first17)


def _seed(hub: Hub) -> str:
    """Lists with a few people, and the visit the screenshot shows awaiting approval."""
    add_booth(hub, "north-gate-1", "北矿", "mine_gate", "office")
    now = hub.clock()
    for name, number, until in (
        ("孙丽", "61010219900305002", "2026-12-18"),
        ("周强", "61042219781120003", "2026-12-15"),
        ("吴敏", "61011319850630004", ""),
    ):
        form = {"name": name, "id_number": _id(number), "until": until}
        people.add_entry(hub.engine, SECRET, "isolation", form, "office", now)
    people.publish(hub, SECRET, "office", "12月6日隔离名单", ZONE)
    today = now.astimezone(ZONE).date()
    form = {
        "name": "赵六",
        "id_number": _id("11010519491231002"),
        "purpose": "主井提升机验收 hoist acceptance",
        "host": "机电科 张工",
        "first_day": (today + timedelta(days=1)).isoformat(),
        "last_day": (today + timedelta(days=2)).isoformat(),
    }
    return visits.request_visit(hub, SECRET, form, "北矿", "north", ZONE)


def _log_in(page: Page, url: str) -> None:
    page.goto(f"{url}/console/login")
    page.fill("#username", "office")
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("#submit")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    issuer = HubIssuer(generate_issuer_key(), "煤业集团防疫办", SECRET)
    with tempfile.TemporaryDirectory() as folder:
        hub = Hub(open_database(f"sqlite:///{folder}/hub.sqlite3"), generate_issuer_key())
        Accounts(hub.engine, hub.clock).add_user("office", PASSWORD, AccountRole.STAFF, None)
        visit_id = _seed(hub)
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        with (
            serve_in_thread(hub, "screenshot-admin-token", sock, issuer) as url,
            sync_playwright() as p,
        ):
            browser = launch(p, Path(folder))
            page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
            _log_in(page, url)
            page.goto(f"{url}/console/visits/{visit_id}")
            page.check("#code_green")
            page.screenshot(path=OUT / "console-visit-approval.png")
            page.goto(f"{url}/console/lists/isolation")
            page.screenshot(path=OUT / "console-lists.png")
            browser.close()
        sock.close()
        hub.engine.dispose()
    print(f"wrote {OUT}/console-visit-approval.png and console-lists.png ({datetime.now():%F})")


if __name__ == "__main__":
    main()
