"""Read-only commands leave the machine as they found it: run as a user runs them, in a fresh
home, they create no configuration, no ledger, no log, nothing at all."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.policies import RESOURCES

BLACKBOX = Path(__file__).resolve().parents[2] / "shared" / "testdata" / "zxing-blackbox"
EVIDENCE = {
    "pass": {
        "valid_from": "2026-11-19T00:00:00+08:00",
        "valid_until": "2026-12-19T00:00:00+08:00",
        "test": {"sampled_at": "2026-11-19T20:00:00+08:00"},
        "travel": [["150602", "2026-11-18"]],
    },
    "temperature": 36.6,
    "at": "2026-11-20T08:00:00+08:00",
}


def fresh_home(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "GATEHOUSE_"))}
    env["HOME"] = str(home)  # platformdirs then answers ~/.config, ~/.local/share, ...
    return home, env


def everything_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@pytest.mark.parametrize(
    ("command", "status", "says"),
    [
        (["decide", "{evidence}"], 0, '"outcome"'),
        (["verify-ledger"], 3, "the ledger file is missing"),  # said so, and none created
        (["dry-run", "--pack", str(RESOURCES / "policy" / "default_pack.json")], 1, "no ledger"),
        (["inspect-code", "--text", "HC1:NOT-A-REAL-CERTIFICATE"], 3, "damaged"),
        (["decode", str(BLACKBOX / "qrcode-1" / "1.png")], 0, '"texts"'),
    ],
    ids=["decide", "verify-ledger", "dry-run", "inspect-code", "decode"],
)
def test_a_read_only_command_writes_nothing(
    tmp_path: Path, command: list[str], status: int, says: str
) -> None:
    home, env = fresh_home(tmp_path)
    evidence = tmp_path / "evidence.json"
    evidence.write_text(json.dumps(EVIDENCE), encoding="utf-8")
    argv = [part.replace("{evidence}", str(evidence)) for part in command]
    done = subprocess.run(
        [sys.executable, "-m", "gatehouse", *argv],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == status, done.stderr
    assert says in done.stdout + done.stderr
    assert everything_in(home) == []
    assert everything_in(tmp_path) == ["evidence.json", "home"]
