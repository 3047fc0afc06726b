"""The setup's writes: the configuration file, the PIN, and enrolment with a real hub."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from gatehouse import config
from gatehouse.hub.service import Hub
from gatehouse.setup.configure import (
    BoothSetup,
    EnrolmentError,
    EnrolmentProblem,
    SetupChoices,
    booth_id_problem,
    opening,
    sharing,
)
from gatehouse.store.ledger import Ledger
from gatehouse.store.pins import PinCheck, PinError, pin_store_for
from tests.hub.live import free_socket
from tests.setup.testkit import live_hub
from tests.ui.supervisor.conftest import FAST_ARGON2

CHOICES = SetupChoices(
    booth_id="north-gate-2",
    mine_name="王庄煤矿",
    checkpoint_type="canteen",
    camera_source="1",
    thermometer_port="usb:1a86:7523",
    thermometer_protocol="modbus",
    thermometer_baudrate=19200,
)


@pytest.fixture
def hub_and_url(tmp_path: Path) -> Iterator[tuple[Hub, str]]:
    with live_hub(tmp_path) as served:
        yield served


@pytest.fixture
def setup(tmp_path: Path) -> BoothSetup:
    return BoothSetup(
        tmp_path / "gatehouse.toml", opening(tmp_path / "ledger.sqlite3"), hasher=FAST_ARGON2
    )


def _audit(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT kind, details FROM audit_events ORDER BY rowid").fetchall()


def test_saving_writes_the_choices_and_keeps_other_settings(
    setup: BoothSetup, tmp_path: Path
) -> None:
    setup.config_path.write_text(
        'schema_version = 1\n[ui]\nlanguage = "zh"\n[sync]\ninterval_seconds = 30\n',
        encoding="utf-8",
    )
    setup.save(CHOICES)
    loaded = config.load(setup.config_path, environ={})
    assert loaded.booth == config.BoothSettings("north-gate-2", "canteen", "王庄煤矿")
    assert loaded.camera.source == "1"
    assert (loaded.thermometer.port, loaded.thermometer.protocol) == ("usb:1a86:7523", "modbus")
    assert loaded.thermometer.baudrate == 19200
    assert (loaded.ui.language, loaded.sync.interval_seconds) == ("zh", 30)
    ((kind, details),) = _audit(tmp_path / "ledger.sqlite3")
    assert kind == "policy_change" and '"booth.checkpoint_type"' in details


def test_environment_overrides_are_never_written_into_the_file(
    setup: BoothSetup, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GATEHOUSE_UI_VERDICT_SECONDS", "99")
    setup.save(CHOICES)
    assert config.load(setup.config_path, environ={}).ui.verdict_seconds == 6


def test_a_bad_choice_writes_nothing(setup: BoothSetup) -> None:
    with pytest.raises(config.ConfigError, match="checkpoint_type"):
        setup.save(SetupChoices(**{**CHOICES.__dict__, "checkpoint_type": "airport"}))
    assert not setup.config_path.exists()


def test_the_pin_is_set_with_the_file_and_audited(setup: BoothSetup, tmp_path: Path) -> None:
    assert not setup.pin_is_set()
    with pytest.raises(PinError, match="6"):
        setup.save(CHOICES, pin="123")
    setup.save(CHOICES, pin="246802")
    assert setup.pin_is_set()
    with Ledger.open(tmp_path / "ledger.sqlite3") as ledger:
        assert pin_store_for(ledger, hasher=FAST_ARGON2).verify("246802").check is PinCheck.ACCEPTED
    assert [kind for kind, _ in _audit(tmp_path / "ledger.sqlite3")][:1] == ["login"]


def test_enrolment_with_a_real_hub(setup: BoothSetup, hub_and_url: tuple[Hub, str]) -> None:
    hub, hub_url = hub_and_url
    code = hub.create_enrolment_code("north-gate-2")
    assert setup.enrolment() is None
    setup.enrol(hub_url.removeprefix("http://") + "/", "north-gate-2", f" {code} ")  # host:port
    enrolment = setup.enrolment()
    assert enrolment is not None and (enrolment.hub_url, enrolment.booth_id) == (
        hub_url,
        "north-gate-2",
    )
    assert [b["booth_id"] for b in hub.booths()] == ["north-gate-2"]


def test_a_refused_code_an_absent_hub_and_a_bad_address(
    setup: BoothSetup, hub_and_url: tuple[Hub, str]
) -> None:
    hub, hub_url = hub_and_url
    code = hub.create_enrolment_code("another-booth")
    with pytest.raises(EnrolmentError) as refused:
        setup.enrol(hub_url, "north-gate-2", code)
    assert refused.value.problem is EnrolmentProblem.REFUSED
    assert "already used, or for another booth" in refused.value.detail
    closed = free_socket()  # bound, never listening: nothing answers there
    try:
        port = closed.getsockname()[1]
        with pytest.raises(EnrolmentError) as absent:
            setup.enrol(f"http://127.0.0.1:{port}", "north-gate-2", code)
    finally:
        closed.close()
    assert absent.value.problem is EnrolmentProblem.UNREACHABLE
    with pytest.raises(EnrolmentError) as bad:
        setup.enrol("ftp://hub.example:8750", "north-gate-2", code)
    assert bad.value.problem is EnrolmentProblem.BAD_ADDRESS
    assert setup.enrolment() is None


def test_a_running_booths_ledger_is_shared_not_opened_twice(tmp_path: Path) -> None:
    with Ledger.open(tmp_path / "ledger.sqlite3") as ledger:
        setup = BoothSetup(tmp_path / "g.toml", sharing(ledger), hasher=FAST_ARGON2, running=True)
        setup.save(CHOICES, pin="246802")
        assert setup.pin_is_set()
        assert len(_audit(ledger.path)) == 2
        ledger.save_settings({"still": "open"}).result()  # the setup did not close its writer


@pytest.mark.parametrize(
    ("booth_id", "problem"),
    [("north-gate-2", None), ("", "empty"), ("north gate", "format"), ("x" * 65, "format")],
)
def test_booth_ids(booth_id: str, problem: str | None) -> None:
    assert booth_id_problem(booth_id) == problem
