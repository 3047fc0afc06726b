"""The console's CSV download (China time, a named zone) in a real browser session is the
general path's file byte for byte, whether or not the zone is fixed over the passages."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from gatehouse.hub.console.accounts import Accounts
from gatehouse.hub.service import Hub, PassageQuery
from tests.hub.console.conftest import log_in
from tests.hub.test_export_zone import NOW, SHANGHAI, _general, _moved
from tests.hub.test_exports import _odd_records


@pytest.mark.parametrize("summer_time", [None, "1988-06-01T02:03:04+00:00"])
def test_the_consoles_download_is_the_general_paths(
    page: Page,
    hub: Hub,
    hub_url: str,
    accounts: Accounts,
    tmp_path: Path,
    summer_time: str | None,
) -> None:
    _odd_records(hub, tmp_path)  # sixteen of booth-01's, most of them careful
    if summer_time is not None:  # Shanghai at +09:00: not one offset over the passages
        _moved(hub, "odd-00", summer_time)
    hub.clock = lambda: NOW
    log_in(page, hub_url, "staff")

    exported = page.request.get(f"{hub_url}/console/export.csv")

    filename, general = _general(hub, PassageQuery(), SHANGHAI, tmp_path)
    assert exported.status == 200
    assert exported.body() == general
    assert exported.headers["content-disposition"].endswith(f'filename="{filename}"')
