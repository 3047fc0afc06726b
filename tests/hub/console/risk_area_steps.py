"""The office's risk-area steps in the console, shared by the end-to-end tests that check a
published area reaches a booth (in this process, and a booth in its own process)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect

from gatehouse.core.china_time import china_day
from tests.hub.console.conftest import WAIT_MS, submit

XIAN = "610100"


def wait_for(condition: Callable[[], bool], what: str, timeout_s: float = WAIT_MS / 1000) -> None:
    """Poll ``condition`` until it holds; fail saying what did not happen in ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, f"waited {timeout_s:.0f} s for {what}"
        time.sleep(0.1)


def publish_draft(page: Page, hub_url: str) -> None:
    """Dry-run, then publish, the office's risk-area draft."""
    page.goto(f"{hub_url}/console/risk-areas")
    submit(page, "#dry-run")
    submit(page, "#publish")
    expect(page.locator("#published")).to_be_visible()


def add_xian_to_draft(page: Page, hub_url: str) -> None:
    """Find Xi'an and add it to the draft, a risk area since ten days ago."""
    page.goto(f"{hub_url}/console/risk-areas?q=xian")
    found = page.locator(f'#found tr[data-region="{XIAN}"]')
    found.locator('input[name="since"]').fill(
        (china_day(datetime.now(UTC)) - timedelta(days=10)).isoformat()
    )
    submit(page, f'#found tr[data-region="{XIAN}"] .add-button')
