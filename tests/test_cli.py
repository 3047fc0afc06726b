"""The gatehouse command as a user runs it: a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np

from drivers.qr import make_decoder
from gatehouse import __version__
from gatehouse.core.gatehouse_pass import verify_pass
from gatehouse.core.keys import TrustStore


def gatehouse(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gatehouse", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_version_and_help() -> None:
    version = gatehouse("--version")
    assert version.returncode == 0
    assert version.stdout.strip() == f"gatehouse {__version__}"
    usage = gatehouse("--help")
    assert usage.returncode == 0
    for command in ("run", "demo", "keygen", "issue-pass"):
        assert command in usage.stdout


def test_keygen_then_issue_pass_verifies_with_the_trust_file(tmp_path: Path) -> None:
    key, trust_file, png = tmp_path / "office.pem", tmp_path / "trust.json", tmp_path / "pass.png"
    made = gatehouse("keygen", "--out", key, "--issuer", "准能矿防疫办", "--trust-file", trust_file)
    assert made.returncode == 0, made.stderr
    assert json.loads(made.stdout)["keys"][0]["issuer"] == "准能矿防疫办"

    issued = gatehouse(
        "issue-pass",
        "--key",
        key,
        "--issuer",
        "准能矿防疫办",
        "--pass-id",
        "ZN-0001",
        "--name",
        "王伟",
        "--id-number",
        "610102199001011231",
        "--role",
        "contractor",
        "--test-sampled",
        "2026-11-22T08:00+08:00",
        "--travel",
        "610100:2026-11-20",
        "--png",
        png,
    )
    assert issued.returncode == 0, issued.stderr
    text = issued.stdout.strip()
    verified = verify_pass(text, TrustStore.from_json(trust_file.read_text(encoding="utf-8")))
    assert verified.claims.holder_name == "王伟"
    assert verified.claims.id_masked == "6101**********1231"
    image = cv2.imread(str(png))
    assert image is not None
    assert make_decoder("zxing").decode(np.asarray(image, np.uint8)) == [text]


def test_keygen_refuses_to_overwrite_a_key(tmp_path: Path) -> None:
    key = tmp_path / "office.pem"
    key.write_text("precious", encoding="utf-8")
    result = gatehouse("keygen", "--out", key, "--issuer", "office")
    assert result.returncode == 1
    assert "refusing to overwrite" in result.stderr
    assert key.read_text(encoding="utf-8") == "precious"


def test_bad_configuration_is_reported_without_traceback(tmp_path: Path) -> None:
    config_file = tmp_path / "gatehouse.toml"
    config_file.write_text('[booth]\ncheckpoint_type = "moon"\n', encoding="utf-8")
    result = gatehouse("run", "--config", config_file)
    assert result.returncode == 2
    assert "configuration error" in result.stderr
    assert "Traceback" not in result.stderr


def test_self_test_passes_on_the_demo() -> None:
    result = gatehouse("self-test", "--speed", "4")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test passed" in result.stdout
    assert "6 passages logged" in result.stdout
