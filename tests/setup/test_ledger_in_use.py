"""Once the booth has a ledger, nothing quietly makes a new one in its place: not the setup,
not ``gatehouse hub enrol``; each says the ledger is missing and what to do."""

from __future__ import annotations

from pathlib import Path

import pytest

from gatehouse import config
from gatehouse.setup.configure import BoothSetup, opening
from gatehouse.store.integrity import LedgerMissingError
from tests.gatehouse_process import run_gatehouse
from tests.setup.test_configure import CHOICES
from tests.ui.supervisor.conftest import FAST_ARGON2


def _set_up(tmp_path: Path) -> tuple[Path, Path]:
    cfg, ledger = tmp_path / "gatehouse.toml", tmp_path / "data" / "ledger.sqlite3"
    config.save(config.from_mapping({"store": {"database": str(ledger)}}, environ={}), cfg)
    BoothSetup(cfg, opening(ledger), hasher=FAST_ARGON2).save(CHOICES, pin="246802")
    return cfg, ledger


def test_the_setup_notes_the_ledger_and_then_refuses_to_recreate_it(tmp_path: Path) -> None:
    cfg, ledger = _set_up(tmp_path)
    assert config.load(cfg).store.ledger_in_use
    ledger.unlink()

    setup = BoothSetup(cfg, opening(ledger, existing=True), hasher=FAST_ARGON2)
    with pytest.raises(LedgerMissingError):
        setup.pin_is_set()

    assert not ledger.exists()


def test_enrolling_a_booth_whose_ledger_was_emptied_is_refused(tmp_path: Path) -> None:
    cfg, ledger = _set_up(tmp_path)
    ledger.write_bytes(b"")

    done = run_gatehouse(
        "hub",
        "enrol",
        "--config",
        str(cfg),
        "--hub",
        "http://127.0.0.1:9",
        "--code",
        "X",
        home=tmp_path / "home",
    )

    assert done.returncode == 3
    assert "is empty" in done.stderr and "gatehouse restore" in done.stderr
    assert "Traceback" not in done.stderr
    assert ledger.stat().st_size == 0
