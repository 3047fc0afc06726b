"""Runs the benchmark modules and writes BENCHMARKS.md; every figure in it comes from here.

.venv/bin/python -m bench            # all, full size
.venv/bin/python -m bench --quick    # all, small sizes (a smoke run, figures not kept)
.venv/bin/python -m bench decode     # only modules whose name contains "decode"
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import sys
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from bench.report import Section

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = (
    "opencv-python-headless",
    "zxing-cpp",
    "pyzbar",
    "PySide6-Essentials",
    "sqlite-utils",
    "cryptography",
    "cbor2",
)


def _modules(selector: str | None) -> list[str]:
    names = sorted(p.stem for p in (ROOT / "bench").glob("bench_*.py"))
    return [n for n in names if selector is None or selector in n]


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    versions = []
    for package in PACKAGES:
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} (not installed)")
    return (
        f"{cpu}, {os.cpu_count()} cores; Python {platform.python_version()} on "
        f"{platform.system()} {platform.release()}; " + ", ".join(versions)
    )


def _render(sections: list[Section], seconds: float) -> str:
    parts = [
        "# Benchmarks",
        "",
        "Written by `.venv/bin/python -m bench` (do not edit by hand). Shared machines vary in "
        "absolute speed: compare the ratios between alternatives measured in the same run.",
        "",
        f"- Run: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {seconds:.0f} s",
        f"- Machine: {_machine()}",
    ]
    for section in sections:
        parts += ["", f"## {section.title}", "", section.method, "", section.body]
    return "\n".join(parts) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("selector", nargs="?", help="run only modules whose name contains this")
    parser.add_argument("--quick", action="store_true", help="small sizes; BENCHMARKS.md untouched")
    args = parser.parse_args()
    started = time.perf_counter()
    sections = []
    for name in _modules(args.selector):
        print(f"running {name} ...", file=sys.stderr, flush=True)
        module = importlib.import_module(f"bench.{name}")
        sections.extend(module.run(quick=args.quick))
    text = _render(sections, time.perf_counter() - started)
    if args.quick or args.selector:
        print(text)
    else:
        (ROOT / "BENCHMARKS.md").write_text(text, encoding="utf-8")
        print(f"wrote {ROOT / 'BENCHMARKS.md'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
