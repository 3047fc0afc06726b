"""Visitors in the console, in a real browser against a real hub: a supervisor requests, office
staff approve (the pass downloaded as PNG and PDF) or refuse; a supervisor cannot approve;
the pass's passages show on the visit; a revoked pass reaches the signed trust list, signed
offline by the real ``gatehouse trust-list sign`` command."""

from __future__ import annotations

import io
import os
import shlex
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import zxingcpp
from PIL import Image
from playwright.sync_api import Page, expect

from gatehouse.core.gatehouse_pass import verify_pass
from gatehouse.core.keys import TrustedKey, TrustStore, public_key_from_pem
from gatehouse.core.models import Role
from gatehouse.core.rules.persons import check_character, id_hash
from gatehouse.core.trust_list import verify_trust_list
from gatehouse.hub.console.accounts import Accounts
from gatehouse.hub.console.pages import ZONE
from gatehouse.hub.issuing import HubIssuer
from gatehouse.hub.service import Hub
from gatehouse.sync import protocol
from tests.factories import make_passage
from tests.hub.console.conftest import LIST_SECRET, log_in, submit
from tests.hub.console.seed import enrolled_booth, upload
from tests.hub.console.test_person_lists import published_lists

ZHAO = "11010519491231002" + check_character("11010519491231002")


def request_visit(page: Page, url: str, mine: str | None = None) -> str:
    """Fill the request form (as whoever is logged in); the new visit's id."""
    today = datetime.now(ZONE).date()
    page.goto(f"{url}/console/visits")
    with page.expect_navigation():
        page.click("#request-visit")
    page.fill("#name", "赵六")
    page.fill("#id_number", ZHAO)
    page.fill("#purpose", "设备验收 equipment acceptance")
    if mine is not None:
        page.fill("#mine", mine)
    page.fill("#host", "张工 Zhang")
    page.fill("#first_day", today.isoformat())
    page.fill("#last_day", (today + timedelta(days=2)).isoformat())
    submit(page)
    expect(page.locator("#status")).to_have_text("待审批")
    return page.url.rsplit("/", 1)[1]


def cli(folder: Path, *args: str) -> None:
    """The real command line, run in ``folder`` with its home there too."""
    env = {**os.environ, "HOME": str(folder), "XDG_CONFIG_HOME": str(folder / "config")}
    env["XDG_DATA_HOME"] = str(folder / "data")
    subprocess.run([sys.executable, "-m", "gatehouse", *args], cwd=folder, env=env, check=True)


def switch_user(page: Page, url: str, username: str) -> None:
    submit(page, "#logout")
    log_in(page, url, username)


def test_a_requested_visit_is_approved_and_its_pass_downloaded_and_seen_at_a_booth(
    page: Page, office_url: str, accounts: Accounts, hub: Hub, issuer: HubIssuer, tmp_path: Path
) -> None:
    log_in(page, office_url, "north")
    visit_id = request_visit(page, office_url)
    expect(page.locator("#awaiting")).to_be_visible()
    expect(page.locator("#approve-form")).to_have_count(0)
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    forged = page.request.post(
        f"{office_url}/console/visits/{visit_id}/decide",
        form={"csrf_token": token or "", "decision": "approve", "code_green": "yes"},
    )
    assert forged.status == 403  # a supervisor cannot approve, even by posting the form

    switch_user(page, office_url, "staff")
    page.goto(f"{office_url}/console/visits/{visit_id}")
    submit(page, "#approve")
    expect(page.locator("#error")).to_contain_text("health code")
    page.check("#code_green")
    submit(page, "#approve")
    expect(page.locator("#status")).to_have_text("已批准")

    with page.expect_download() as png:
        page.click("#download-png")
    shot = Image.open(io.BytesIO(Path(png.value.path()).read_bytes()))
    # QR only: one run read two codes from this one-QR PNG (all symbologies were on)
    qr_only = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
    (text,) = [r.text for r in zxingcpp.read_barcodes(shot, formats=qr_only)]
    key = TrustedKey(issuer.key.public_key(), issuer.name, datetime(2020, 1, 1, tzinfo=UTC), None)
    claims = verify_pass(text, TrustStore((key,))).claims
    assert (claims.role, claims.approval_id, claims.host) == (Role.VISITOR, visit_id, "张工 Zhang")
    assert claims.id_hash == id_hash(LIST_SECRET, ZHAO)
    today = datetime.now(ZONE).date()
    assert claims.valid_from.astimezone(ZONE).date() == today  # from the first day's start
    assert claims.valid_until.astimezone(ZONE).date() == today + timedelta(days=3)
    with page.expect_download() as pdf:
        page.click("#download-pdf")
    assert Path(pdf.value.path()).read_bytes().startswith(b"%PDF")

    approval = published_lists(hub).visitors[id_hash(LIST_SECRET, ZHAO)]
    assert approval.approval_id == visit_id and approval.host == "张工 Zhang"

    booth = enrolled_booth(hub, office_url, "north-gate-1", "北矿 North")
    seen = make_passage(booth_id="north-gate-1", pass_id=visit_id, decided_at=datetime.now(UTC))
    upload(booth, tmp_path, [seen])
    page.reload()
    expect(page.locator(f'#visit-passages tr[data-passage="{seen.passage_id}"]')).to_contain_text(
        "north-gate-1"
    )


def test_a_refused_visit_says_why_and_issues_no_pass(
    page: Page, office_url: str, accounts: Accounts
) -> None:
    log_in(page, office_url, "staff")
    request_visit(page, office_url, mine="南矿 South")
    submit(page, "#refuse")
    expect(page.locator("#error")).to_contain_text("reason")
    page.fill("#reason", "行程经过中风险地区 · travelled through a medium-risk area")
    submit(page, "#refuse")
    expect(page.locator("#status")).to_have_text("已拒绝")
    expect(page.locator("#refusal")).to_contain_text("中风险")
    expect(page.locator("#download-png")).to_have_count(0)
    visit_url = page.url
    switch_user(page, office_url, "north")  # another mine's supervisor: as if there were none
    page.goto(visit_url)
    expect(page.locator("#message")).to_have_text("未找到。")
    expect(page.locator("#visits tbody")).to_have_count(0)


def test_a_revoked_pass_goes_on_the_trust_list_the_root_key_signs_offline(
    page: Page, office_url: str, accounts: Accounts, hub: Hub, issuer: HubIssuer, tmp_path: Path
) -> None:
    log_in(page, office_url, "staff")
    visit_id = request_visit(page, office_url, mine="北矿 North")
    page.check("#code_green")
    submit(page, "#approve")
    submit(page, "#revoke")
    expect(page.locator(f'#revoked tr[data-pass="{visit_id}"]')).to_contain_text("尚未列入")
    assert published_lists(hub).visitors == {}  # off the booths' lists at once

    command = shlex.split(page.locator("#command").inner_text())
    assert command[:3] == ["gatehouse", "trust-list", "sign"]
    trust = tmp_path / "trust.json"
    valid_from = datetime(2020, 1, 1, tzinfo=UTC)
    trust.write_text(
        TrustStore((TrustedKey(issuer.key.public_key(), issuer.name, valid_from, None),)).to_json()
    )
    root_public = tmp_path / "root.pub.pem"
    cli(tmp_path, "trust-list", "root-key", "--out", "root.pem", "--public", root_public.name)
    cli(tmp_path, *command[1:])  # as the page says, on the computer holding the root key

    page.set_input_files("#trust_file", str(tmp_path / "trusted_keys.json"))
    submit(page, "#upload-trust")
    expect(page.locator(f'#revoked tr[data-pass="{visit_id}"]')).to_contain_text("已列入")
    expect(page.locator("#root-needed")).to_have_count(0)

    latest = hub.latest_bundle("trusted_keys")
    assert latest is not None
    content = protocol.open_bundle(latest.signed, hub.bundle_key.public_key(), "trusted_keys")
    roots = [public_key_from_pem(root_public.read_bytes())]
    assert visit_id in verify_trust_list(content.content, roots).store.revoked_pass_ids

    page.set_input_files("#trust_file", str(tmp_path / "trusted_keys.json"))  # not newer
    submit(page, "#upload-trust")
    expect(page.locator("#error")).to_contain_text("sequence must be higher than 1")
