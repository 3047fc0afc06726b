"""The shared test data (EU DCC cases, SMART Health Card examples), read in place, never copied."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from drivers.qr import make_decoder

TESTDATA = Path(__file__).resolve().parents[2].parent / "shared" / "testdata"
DGC_ROOT = TESTDATA / "dgc-testdata"
SHC_ROOT = TESTDATA / "shc" / "examples-gh-pages"


def case_files() -> list[Path]:
    """Every test case: <CC>/.../2DCode/raw/*.json, whatever the folder's case."""
    return sorted(
        path for path in DGC_ROOT.rglob("*.json") if "2dcode" in (p.lower() for p in path.parts)
    )


def case_id(path: Path) -> str:
    return path.relative_to(DGC_ROOT).as_posix()


def load_case(path: Path) -> dict[str, Any]:
    return dict(json.loads(path.read_text(encoding="utf-8")))


def picture_reader(path: Path) -> Callable[[Mapping[str, Any]], list[str] | None]:
    """Reads the case's QR picture: its 2DCODE field, else <CC>/png/<n>_qr.png (IE)."""
    decoder = make_decoder("zxing")

    def read(case: Mapping[str, Any]) -> list[str] | None:
        image = case.get("2DCODE") or case.get("_2DCODE")
        if isinstance(image, str):
            data = base64.b64decode(image)
        else:
            beside = path.parents[2] / "png" / f"{path.stem}_qr.png"
            if not beside.exists():
                return None
            data = beside.read_bytes()
        frame = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
        return [] if frame is None else decoder.decode(np.asarray(frame, np.uint8))

    return read
