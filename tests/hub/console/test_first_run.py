"""The README's procedure, as an office would follow it: create the first administrator with
the command, start the hub with the command, log in to the console in a browser."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.hub.console.conftest import WAIT_MS, log_in

PASSWORD = "chief-password-1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """``gatehouse hub serve`` in its own process, the first administrator made beforehand."""
    state = tmp_path / "state"
    gatehouse = [sys.executable, "-m", "gatehouse", "hub"]
    made = subprocess.run(
        [*gatehouse, "add-user", "chief", "--state", str(state), "--password-stdin"],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr
    port = _free_port()
    server = subprocess.Popen(
        [*gatehouse, "serve", "--state", str(state), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, "GATEHOUSE_HUB_ADMIN_TOKEN": ""},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + WAIT_MS / 1000
        while True:
            try:
                urllib.request.urlopen(f"{url}/v1/time", timeout=5).close()
                break
            except (urllib.error.URLError, ConnectionError):
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError("the hub did not start") from None
                time.sleep(0.2)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=60)
        assert server.stderr is not None
        server.stderr.close()


def test_the_first_administrator_logs_in_to_the_console_of_a_served_hub(
    page: Page, served: str
) -> None:
    page.goto(f"{served}/console/")
    expect(page.locator("h1")).to_have_text("登录")
    log_in(page, served, "chief", PASSWORD)
    expect(page.locator("h1")).to_contain_text("岗亭")
    expect(page.locator("header .who")).to_contain_text("chief · 防疫办管理员")
