"""The deployment files in packaging/ (docs/deploy-hub.md) agree with the hub they front."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gatehouse.hub.app import MAX_BODY_BYTES
from gatehouse.sync import protocol

ROOT = Path(__file__).resolve().parents[2]
UNIT = ROOT / "packaging" / "systemd" / "gatehouse-hub.service"
NGINX = ROOT / "packaging" / "nginx" / "gatehouse-hub.conf"
INSTALLED = "/opt/gatehouse/bin/gatehouse"


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="no systemd-analyze here")
def test_the_systemd_unit_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    """``verify`` checks that ExecStart is executable: this environment's ``gatehouse``
    stands in for the installed one; every other line is verified as shipped."""
    gatehouse = Path(sys.executable).with_name("gatehouse")
    unit = tmp_path / UNIT.name
    unit.write_text(UNIT.read_text(encoding="utf-8").replace(INSTALLED, str(gatehouse)))
    done = subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=120
    )
    about_the_unit = [
        line for line in (done.stdout + done.stderr).splitlines() if UNIT.name in line
    ]
    assert INSTALLED in UNIT.read_text(encoding="utf-8")
    assert done.returncode == 0 and not about_the_unit, done.stdout + done.stderr


def test_nginx_takes_every_body_the_hub_takes_and_no_larger() -> None:
    match = re.search(r"client_max_body_size (\d+)m;", NGINX.read_text(encoding="utf-8"))
    assert match is not None
    assert int(match.group(1)) * 1024 * 1024 == MAX_BODY_BYTES


def test_nginx_streams_exports_and_only_exports() -> None:
    match = re.search(r"location ~ (\S+) \{", NGINX.read_text(encoding="utf-8"))
    assert match is not None
    exports = re.compile(match.group(1))
    assert all(exports.search(protocol.EXPORT_PATH.format(fmt=f)) for f in ("csv", "xlsx"))
    assert not any(exports.search(p) for p in (protocol.UPLOAD_PATH, protocol.PASSAGES_PATH))
