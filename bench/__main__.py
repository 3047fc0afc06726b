"""Runs the benchmark modules and writes BENCHMARKS.md; every figure in it comes from here.

.venv/bin/python -m bench            # all, full size, BENCHMARKS.md rewritten
.venv/bin/python -m bench decode     # only modules whose name contains "decode"; their
                                     # sections in BENCHMARKS.md are replaced, the rest kept
.venv/bin/python -m bench --quick    # small sizes, printed only (a smoke run, figures not kept)
.venv/bin/python -m bench console --size 200000   # a module that takes a size, at that size

Each module's sections sit between markers naming the module and when it ran, so a section
always says which run produced it.
"""

from __future__ import annotations

import argparse
import importlib
import inspect
import os
import platform
import re
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


_BLOCK = re.compile(r"<!-- begin (bench_\w+): (.*?) -->\n(.*?)<!-- end \1 -->\n", re.S)


def _block(module: str, sections: list[Section], stamp: str) -> str:
    body = "".join(
        f"\n## {section.title}\n\n{section.method}\n\n{section.body}\n" for section in sections
    )
    run = f"\n_`bench/{module}.py`, run {stamp}._\n"
    return f"<!-- begin {module}: {stamp} -->{run}{body}<!-- end {module} -->\n"


def _kept_blocks(path: Path, modules: list[str]) -> dict[str, str]:
    """Blocks of the existing file for modules that still exist and were not run now."""
    if not path.exists():
        return {}
    text = path.read_text(encoding="utf-8")
    existing = _modules(None)
    return {
        m.group(1): m.group(0)
        for m in _BLOCK.finditer(text)
        if m.group(1) in existing and m.group(1) not in modules
    }


def _render(blocks: dict[str, str]) -> str:
    parts = [
        "# Benchmarks",
        "",
        "Written by `.venv/bin/python -m bench` (do not edit by hand). Each part names the run "
        "that produced it. Shared machines vary in absolute speed: compare the ratios between "
        "alternatives measured in the same run.",
        "",
        f"Machine of the latest run: {_machine()}",
        "",
        "",
    ]
    return "\n".join(parts) + "\n".join(blocks[name] for name in sorted(blocks))


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("selector", nargs="?", help="run only modules whose name contains this")
    parser.add_argument("--quick", action="store_true", help="small sizes; BENCHMARKS.md untouched")
    parser.add_argument(
        "--size", type=int, help="the size, for modules whose run() takes one (bench_console)"
    )
    args = parser.parse_args()
    modules = _modules(args.selector)
    target = ROOT / "BENCHMARKS.md"
    blocks = {} if args.quick else _kept_blocks(target, modules)
    for name in modules:
        print(f"running {name} ...", file=sys.stderr, flush=True)
        started = time.perf_counter()
        module = importlib.import_module(f"bench.{name}")
        sized = args.size and "size" in inspect.signature(module.run).parameters
        sections = module.run(quick=args.quick, **({"size": args.size} if sized else {}))
        stamp = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {time.perf_counter() - started:.0f} s"
        blocks[name] = _block(name, sections, stamp)
        if args.quick:
            print(blocks[name])
        else:  # written after every module, so a long run that stops keeps what it measured
            target.write_text(_render(blocks), encoding="utf-8")
    if not args.quick:
        print(f"wrote {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
