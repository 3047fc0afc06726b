"""The frozen build: its size, and cold start to first frame from source and frozen, side by side.

Builds the one-folder app with pyinstaller.spec into a temporary folder, so the figures are of
the spec as it is now.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.report import Section, table

ROOT = Path(__file__).resolve().parent.parent


def _folder_mib(folder: Path) -> float:
    """Bytes on disk once: PyInstaller links some libraries, and a link must not count twice."""
    files = (p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    return sum(p.stat().st_size for p in files) / 2**20


def _seconds(command: list[str], repeats: int) -> float:
    """Median wall time of a whole process, launch to exit; fails loudly if it fails."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    samples = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env, timeout=300)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def run(quick: bool) -> list[Section]:
    repeats = 2 if quick else 7
    with tempfile.TemporaryDirectory() as folder:
        dist, work = Path(folder) / "dist", Path(folder) / "build"
        start = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "PyInstaller",
                "--noconfirm",
                "--log-level",
                "ERROR",
                "--distpath",
                str(dist),
                "--workpath",
                str(work),
                str(ROOT / "pyinstaller.spec"),
            ],
            check=True,
            capture_output=True,
            cwd=ROOT,
            timeout=1800,
        )
        build_s = time.perf_counter() - start
        frozen = dist / "gatehouse" / ("gatehouse.exe" if os.name == "nt" else "gatehouse")
        size = _folder_mib(dist / "gatehouse")
        source = [sys.executable, "-m", "gatehouse"]
        rows = []
        for label, args in (
            ("`--version`", ["--version"]),
            ("to first camera frame", ["self-test", "--first-frame"]),
        ):
            from_source = _seconds([*source, *args], repeats)
            from_frozen = _seconds([str(frozen), *args], repeats)
            rows.append(
                (
                    label,
                    f"{from_source:.2f}",
                    f"{from_frozen:.2f}",
                    f"{from_frozen / from_source:.2f}",
                )
            )
    return [
        Section(
            title="Frozen build and cold start",
            method=(
                "`bench/bench_startup.py`: builds `pyinstaller.spec` (one folder) into a temporary "
                f"folder, then times whole processes from launch to exit, median of {repeats}: "
                "`gatehouse --version`, and `gatehouse self-test --first-frame` (the booth window "
                "offscreen on the demo, exiting when the first camera frame reaches it). Source = "
                "`python -m gatehouse` in the venv. The OS file cache is warm after the first run."
            ),
            body=table(("start-up", "source s", "frozen s", "frozen / source"), rows)
            + f"\n\nBuild: {size:.0f} MiB in one folder, built in {build_s:.0f} s.",
        )
    ]
