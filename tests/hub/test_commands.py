"""``gatehouse hub add-booth / publish / enrol`` (``serve`` runs in the fault-injection test)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gatehouse.cli import main
from gatehouse.hub.server import HubState, open_hub
from gatehouse.store import Ledger
from gatehouse.sync.enrolment import load_settings
from tests.hub.live import serving


def test_office_adds_a_booth_that_then_enrols_itself(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "hub-state"
    assert main(["hub", "add-booth", "gate-7", "--state", str(state)]) == 0
    code = capsys.readouterr().out.strip().rsplit(" ", 1)[-1]
    content = tmp_path / "privacy.json"
    content.write_text(json.dumps({"retention_days": 60}), encoding="utf-8")
    assert main(["hub", "publish", "privacy", str(content), "--state", str(state)]) == 0
    assert "version 1" in capsys.readouterr().out

    hub = open_hub(HubState(state), None)
    ledger_path = tmp_path / "booth.sqlite3"
    booth_args = ["--booth-id", "gate-7", "--ledger", str(ledger_path)]
    booth_args += ["--config", str(tmp_path / "gatehouse.toml")]
    with serving(hub) as url:
        refused = main(["hub", "enrol", "--hub", url, "--code", "WRONG-CODE", *booth_args])
        host_port = url.removeprefix("http://")  # as the office writes it on the slip
        enrolled = main(["hub", "enrol", "--hub", host_port, "--code", code, *booth_args])
    hub.engine.dispose()

    assert (refused, enrolled) == (1, 0)
    assert "enrolment failed" in capsys.readouterr().err
    with Ledger.open(ledger_path) as ledger:
        settings = load_settings(ledger)
    assert settings is not None
    assert settings.booth_id == "gate-7"
    assert settings.hub_url == url
    assert settings.bundle_key == HubState(state).bundle_key().public_key()


def test_a_publish_based_on_a_version_published_over_since_signs_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    state = tmp_path / "hub-state"
    content = tmp_path / "privacy.json"
    content.write_text(json.dumps({"retention_days": 60}), encoding="utf-8")
    publish = ["hub", "publish", "privacy", str(content), "--state", str(state)]
    assert main([*publish, "--based-on", "0"]) == 0
    assert main(publish) == 0  # someone else's publish, made without a base: version 2
    capsys.readouterr()

    assert main([*publish, "--based-on", "1"]) == 1  # the file was made from version 1
    error = capsys.readouterr().err
    assert "privacy is at version 2, not 1" in error and "已有人发布了第 2 版" in error
    hub = open_hub(HubState(state), None)
    assert hub.latest_version("privacy") == 2
    hub.engine.dispose()
    assert main([*publish, "--based-on", "2"]) == 0
    assert "version 3" in capsys.readouterr().out
