"""``gatehouse decode IMAGE...``: what the booth's QR decoder reads in given photos (diagnosis).

One JSON line per image, in the order given: ``{"file", "texts", "ms"}``, or ``{"file",
"error"}`` for a file that is no image; the exit status is 1 when any file could not be read.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

BACKENDS = ("auto", "zxing", "pyzbar")


def _decode(args: argparse.Namespace) -> int:
    import cv2  # OpenCV loads only for the commands that need it
    import numpy as np

    from drivers.qr import DecoderUnavailable, make_decoder
    from gatehouse.commands.errors import CommandError

    try:
        decoder = make_decoder(args.backend)
    except DecoderUnavailable as missing:
        raise CommandError(str(missing)) from missing
    status = 0
    for path in args.images:
        image = cv2.imread(str(path), cv2.IMREAD_COLOR) if path.is_file() else None
        if image is None:
            reason = "not an image OpenCV can read" if path.is_file() else "not found"
            print(json.dumps({"file": str(path), "error": reason}, ensure_ascii=False))
            status = 1
            continue
        started = time.perf_counter()
        texts = decoder.decode(np.asarray(image, dtype=np.uint8))
        elapsed_ms = (time.perf_counter() - started) * 1000
        line = {"file": str(path), "texts": texts, "ms": round(elapsed_ms, 3)}
        print(json.dumps(line, ensure_ascii=False), flush=True)
    return status


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    decode = sub.add_parser(
        "decode", help="print, as JSON lines, the QR texts the booth's decoder reads in images"
    )
    decode.add_argument(
        "images", nargs="+", type=Path, metavar="IMAGE", help="image files to read QR codes from"
    )
    decode.add_argument(
        "--backend", choices=BACKENDS, default="auto", help="QR decoder (default: auto)"
    )
    decode.set_defaults(handler=_decode)
