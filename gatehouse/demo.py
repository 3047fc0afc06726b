"""Demo mode: the booth as a newcomer first meets it, with no webcam and no thermometer.

``resources/demo/`` holds a video of passes being shown (made by ``tools/make_demo_media.py``,
never by hand), the demo issuer's trust file, and a manifest saying when the passes were made
and what the gate must decide for each. The demo issuer is trusted only in demo mode.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from gatehouse.core.models import Outcome
from gatehouse.resources import resource_path

DEMO_DIR = ("demo",)


@dataclass(frozen=True)
class DemoPass:
    pass_id: str
    holder: str
    expected: Outcome
    why: str
    forged: bool  # refused before its contents are believed: logged without a pass id


@dataclass(frozen=True)
class DemoManifest:
    clock_start: datetime
    video: Path
    trust_file: Path
    temperatures: tuple[float, ...]
    passes: tuple[DemoPass, ...]

    @classmethod
    def load(cls, directory: Path | None = None) -> DemoManifest:
        directory = directory or resource_path(*DEMO_DIR)
        data = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
        return cls(
            clock_start=datetime.fromisoformat(data["clock_start"]),
            video=directory / data["video"],
            trust_file=directory / data["trust_file"],
            temperatures=tuple(float(t) for t in data["temperatures"]),
            passes=tuple(
                DemoPass(p["pass_id"], p["holder"], Outcome[p["expected"]], p["why"], p["forged"])
                for p in data["passes"]
            ),
        )
