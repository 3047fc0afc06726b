"""Screenshots of the hub's web console for the README, in Debian's headless chromium.

    .venv/bin/python -m tools.console_screenshots [overview|risk-areas]   (from the repository root)

A throwaway hub (SQLite in a temporary folder) with booths that enrolled, uploaded and
reported their state through the real API. ``overview`` (the default): three booths of two
mines; writes
docs/screenshots/console-booths.png, console-passages.png and console-reports.png (today's
reports). ``risk-areas``: a north-mine booth whose travellers' passes carry their travel; the
office pastes the Xi'an announcement, adds what matched and looks at the dry run; writes
console-risk-areas.png and console-risk-dry-run.png. All at 1366x768, in Chinese.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from gatehouse import __version__
from gatehouse.core.china_time import china_day
from gatehouse.core.gatehouse_pass import encode_pass
from gatehouse.core.keys import generate_issuer_key
from gatehouse.core.models import Outcome, Role, TravelVisit
from gatehouse.core.reasons import Reason
from gatehouse.hub.console.accounts import Accounts
from gatehouse.hub.console.accounts import Role as AccountRole
from gatehouse.hub.console.booths import add_booth
from gatehouse.hub.console.pages import ZONE
from gatehouse.hub.database import open_database
from gatehouse.hub.server import serve_in_thread
from gatehouse.hub.service import Hub
from gatehouse.resources import resource_path
from gatehouse.sync import protocol
from tests.core.factories import ISSUER, claims
from tests.factories import make_passage
from tests.hub.console.seed import enrolled_booth, upload

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
PASSWORD = "screenshot-password"
NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强"]
FEVER = Reason("temperature_high", Outcome.TURN_AWAY, "Fever", "体温异常", {"rule_id": "R-TEMP"})


def _seed(hub: Hub, url: str, folder: Path) -> None:
    now = datetime.now(UTC).replace(microsecond=0)
    clients = {}
    for booth_id, mine, hours in (("north-gate-1", "北矿", 0), ("north-canteen", "北矿", 5)):
        passages = [
            make_passage(
                booth_id=booth_id,
                decided_at=now - timedelta(hours=hours, minutes=3 * n),
                holder_name=NAMES[n % len(NAMES)],
                id_masked=f"150602********{1000 + n}",
                pass_id=f"P-{booth_id}-{n:03d}",
                temperature_c=38.1 if n == 4 else 36.5,
                role=(Role.EMPLOYEE, Role.CONTRACTOR, Role.VISITOR)[n % 3].value,
                outcome=Outcome.TURN_AWAY if n == 4 else Outcome.ADMIT,
                reasons=(FEVER,) if n == 4 else (),
            )
            for n in range(12)
        ]
        clients[booth_id] = enrolled_booth(hub, url, booth_id, mine)
        upload(clients[booth_id], folder, passages)
    add_booth(hub, "south-gate-1", "南矿", "vehicle_gate", "admin")  # added, not yet enrolled
    # bundles a booth would take (the hub refuses the rest)
    hub.publish("policy", json.loads(resource_path("policy", "default_pack.json").read_text()))
    hub.publish("privacy", {"retention_days": 30})
    hub.publish("privacy", {"retention_days": 60})
    # what each booth says at its next sync: one up to date, one behind on a bundle
    for booth_id, backlog, skew, privacy in (
        ("north-gate-1", 0, 1.2, 2),
        ("north-canteen", 6, -0.4, 1),
    ):
        report = protocol.BoothReport(
            booth_time=datetime.now(UTC) - timedelta(seconds=skew),
            backlog=backlog,
            app_version=__version__,
            bundle_versions={"policy": 1, "privacy": privacy},
            checkpoint_type="mine_gate",
        )
        clients[booth_id].upload([], report)


def _risk_area_seed(hub: Hub, url: str, folder: Path) -> None:
    """Yesterday's travellers at the north gate, some of them from Xi'an, and the published
    list they were admitted under."""
    now = datetime.now(UTC).replace(microsecond=0)
    key = generate_issuer_key()
    cities = ("610113", "110105", "610402", "150602", "610100", "140100")  # 雁塔区 … 太原市
    passages = []
    for n in range(12):
        visit = TravelVisit(cities[n % len(cities)], china_day(now) - timedelta(days=2))
        holder = claims(travel=(visit,), holder_name=NAMES[n % len(NAMES)])
        passages.append(
            make_passage(
                booth_id="north-gate-1",
                decided_at=now - timedelta(hours=20, minutes=7 * n),
                scanned_text=encode_pass(holder, key, ISSUER),
                holder_name=NAMES[n % len(NAMES)],
                id_masked=f"150602********{1000 + n}",
                evidence={"code_verified": True},
            )
        )
    upload(enrolled_booth(hub, url, "north-gate-1", "北矿"), folder, passages)
    empty = {"format": "gatehouse-risk-areas/1", "version": "office-1", "areas": []}
    hub.publish("risk_areas", {**empty, "published_at": now.isoformat()})


def _risk_area_pages(page: Page, url: str) -> list[str]:
    since = (datetime.now(ZONE).date() - timedelta(days=5)).strftime("%-m月%-d日")
    page.goto(f"{url}/console/risk-areas")
    page.fill("#pasted", f"西安市、咸阳市、新城区 自{since}起为中风险地区")
    with page.expect_navigation():
        page.click("#read")
    page.screenshot(path=OUT / "console-risk-areas.png", full_page=True)
    with page.expect_navigation():
        page.click("#add-matched")
    with page.expect_navigation():
        page.click("#dry-run")
    page.screenshot(path=OUT / "console-risk-dry-run.png")
    return ["console-risk-areas.png", "console-risk-dry-run.png"]


def _overview_pages(page: Page, url: str) -> list[str]:
    page.screenshot(path=OUT / "console-booths.png")
    page.goto(f"{url}/console/passages?booth=north-gate-1")
    page.screenshot(path=OUT / "console-passages.png")
    today = datetime.now(ZONE).date().isoformat()
    page.goto(f"{url}/console/reports?day={today}")
    page.screenshot(path=OUT / "console-reports.png")
    return ["console-booths.png", "console-passages.png", "console-reports.png"]


def launch(playwright: Playwright, folder: Path) -> Browser:
    """Debian's chromium with its profile, crash reports and caches in ``folder`` (the run's
    throwaway folder): the tool writes nothing to the home, only its PNGs into the repo."""
    home = {
        "HOME": str(folder),
        "XDG_CONFIG_HOME": str(folder / "config"),
        "XDG_CACHE_HOME": str(folder / "cache"),
    }
    chromium = playwright.chromium
    return chromium.launch(executable_path="/usr/bin/chromium", env={**os.environ, **home})


SETS: dict[str, tuple[Callable[[Hub, str, Path], None], Callable[[Page, str], list[str]]]] = {
    "overview": (_seed, _overview_pages),
    "risk-areas": (_risk_area_seed, _risk_area_pages),
}


def main(which: str = "overview") -> None:
    seed, shoot = SETS[which]
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        hub = Hub(open_database(f"sqlite:///{folder}/hub.sqlite3"), generate_issuer_key())
        Accounts(hub.engine, hub.clock).add_user("office", PASSWORD, AccountRole.ADMIN, None)
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        with serve_in_thread(hub, "screenshot-admin-token", sock) as url, sync_playwright() as p:
            seed(hub, url, Path(folder))
            browser = launch(p, Path(folder))
            page = browser.new_page(viewport={"width": 1366, "height": 768}, locale="zh-CN")
            page.goto(f"{url}/console/login")
            page.fill("#username", "office")
            page.fill("#password", PASSWORD)
            with page.expect_navigation():
                page.click("#submit")
            written = shoot(page, url)
            browser.close()
        sock.close()
        hub.engine.dispose()
    print(f"wrote {', '.join(written)} in {OUT}")


if __name__ == "__main__":
    main(*sys.argv[1:2])
