"""QR decoders on the zxing blackbox photos: what each reads, what it costs per camera frame.

The raw libraries (zxing-cpp with its default options, pyzbar) are the baseline, measured in the
same run as the booth's default path (the zxing pass cascade in drivers/qr.py).
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

from bench.report import Section, ms, percentile, table
from drivers.qr import LIBRARY_DEFAULTS, PyzbarDecoder, QrDecoder, ZxingDecoder

BLACKBOX = Path(__file__).resolve().parents[2] / "shared" / "testdata" / "zxing-blackbox"
FOLDERS = ("qrcode-1", "qrcode-2", "qrcode-3", "qrcode-5", "qrcode-6")
FRAME_SIZES = ((640, 480), (1280, 720))
TARGET_READ = 129
IDLE_BUDGET = 1.1
CODE_BUDGET = 2.0

Image = npt.NDArray[np.uint8]


@dataclass(frozen=True)
class Labelled:
    folder: str
    name: str
    image: Image
    expected: str


def _labelled(folder: Path) -> list[Labelled]:
    """(image, expected text) pairs; the .txt is read as bytes: CRLF can be part of the text."""
    found = []
    for text_file in sorted(folder.glob("*.txt")):
        if text_file.name.endswith(".metadata.txt"):
            continue
        (path,) = (p for p in folder.glob(f"{text_file.stem}.*") if p.suffix != ".txt")
        image = cv2.imread(str(path), cv2.IMREAD_COLOR)
        found.append(
            Labelled(folder.name, path.name, image, text_file.read_bytes().decode("utf-8"))
        )
    return found


def _negatives() -> list[Image]:
    paths = sorted(p for p in (BLACKBOX / "_negative").rglob("*") if p.is_file())
    images = [cv2.imread(str(p), cv2.IMREAD_COLOR) for p in paths]
    return [image for image in images if image is not None]


def fit_to_frame(image: Image, width: int, height: int) -> Image:
    """The photo scaled to fit a camera frame and centred on its own median grey, as a code held
    up in front of the camera; the decoders then work at the frame size being measured."""
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    scale = min(width / gray.shape[1], height / gray.shape[0])
    size = (max(1, round(gray.shape[1] * scale)), max(1, round(gray.shape[0] * scale)))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    scaled = cv2.resize(gray, size, interpolation=interpolation)
    frame = np.full((height, width), int(np.median(scaled)), dtype=np.uint8)
    top, left = (height - size[1]) // 2, (width - size[0]) // 2
    frame[top : top + size[1], left : left + size[0]] = scaled
    return cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)


@contextmanager
def _one_core() -> Iterator[None]:
    """OpenCV's resize may use every core; the budget is per frame on one core."""
    threads = cv2.getNumThreads()
    cv2.setNumThreads(1)
    try:
        yield
    finally:
        cv2.setNumThreads(threads)


def _decoders() -> dict[str, QrDecoder]:
    return {
        "zxing-cpp raw": ZxingDecoder(LIBRARY_DEFAULTS),
        "pyzbar raw": PyzbarDecoder(),
        "default (zxing cascade)": ZxingDecoder(),
    }


def _read_rates(decoders: dict[str, QrDecoder], samples: list[Labelled]) -> Section:
    read: dict[str, set[tuple[str, str]]] = {name: set() for name in decoders}
    wrong: dict[str, int] = dict.fromkeys(decoders, 0)
    for sample in samples:
        for name, decoder in decoders.items():
            texts = decoder.decode(sample.image)
            if sample.expected in texts:
                read[name].add((sample.folder, sample.name))
            elif texts:
                wrong[name] += 1
    union = read["zxing-cpp raw"] | read["pyzbar raw"]
    names = [*decoders, "raw union"]
    read["raw union"] = union
    rows = []
    for folder in FOLDERS:
        total = sum(s.folder == folder for s in samples)
        rows.append([folder, total, *(sum(f == folder for f, _ in read[n]) for n in names)])
    rows.append(["**all**", len(samples), *(f"**{len(read[n])}**" for n in names)])
    rows.append(["misread (other text)", "", *(wrong.get(n, "") for n in names)])
    default = len(read["default (zxing cascade)"])
    verdict = "meets" if default >= TARGET_READ else "MISSES"
    return Section(
        "QR decoding: read rate on the zxing blackbox photos",
        f"Each image of {', '.join(FOLDERS)} decoded once at its own size; counted when the "
        "expected text (.txt read as bytes) is among the texts found. qrcode-2/13 encodes "
        "'photography' while its label says 'photograph': no decoder can match it. "
        f"Default path: {default} read, target >= {TARGET_READ}: {verdict}.",
        table(["folder", "images", *names], rows),
    )


def _false_positives(decoders: dict[str, QrDecoder], negatives: list[Image]) -> Section:
    rows = [
        [name, len(negatives), sum(bool(d.decode(image)) for image in negatives)]
        for name, d in decoders.items()
    ]
    return Section(
        "QR decoding: false positives on _negative",
        "Images of other symbologies, partial crops and known false-positive traps; an image "
        "counts when a decoder returns any text for it. Target: 0.",
        table(["decoder", "images", "with a text found"], rows),
    )


def _timings(
    decoders: dict[str, QrDecoder], codes: list[Image], empties: list[Image], repeats: int
) -> Section:
    rows = []
    verdicts = []
    for width, height in FRAME_SIZES:
        for kind, images, budget in (
            ("no code", empties, IDLE_BUDGET),
            ("one code", codes, CODE_BUDGET),
        ):
            frames = [fit_to_frame(image, width, height) for image in images]
            samples: dict[str, list[float]] = {name: [] for name in decoders}
            names = list(decoders)
            for _ in range(repeats):
                for index, frame in enumerate(frames):
                    # Interleaved so each decoder sees the machine in the same state, in an
                    # order that rotates so none always runs after zbar has flushed the caches.
                    shift = index % len(names)
                    for name in names[shift:] + names[:shift]:
                        started = time.perf_counter()
                        decoders[name].decode(frame)
                        samples[name].append(time.perf_counter() - started)
            base = statistics.median(samples["zxing-cpp raw"])
            for name, values in samples.items():
                median = statistics.median(values)
                rows.append(
                    [
                        f"{width}x{height}",
                        kind,
                        name,
                        ms(median),
                        ms(percentile(values, 95)),
                        f"{median / base:.2f}x",
                    ]
                )
            ratio = statistics.median(samples["default (zxing cascade)"]) / base
            verdicts.append(
                f"{width}x{height} {kind}: {ratio:.2f}x (budget {budget}x, "
                f"{'met' if ratio <= budget else 'EXCEEDED'})"
            )
    return Section(
        "QR decoding: time per camera frame",
        f"Every positive photo (one code) and every _negative image (no code) scaled to fit the "
        f"frame on a plain background, BGR in, one core (cv2.setNumThreads(1)), {repeats} "
        "round(s), decoders interleaved frame by frame in rotating order. Ratio: median over "
        "zxing-cpp raw's median. Default path vs raw zxing-cpp: " + "; ".join(verdicts) + ".",
        table(["frame", "content", "decoder", "median ms", "p95 ms", "vs zxing raw"], rows),
    )


def run(quick: bool) -> list[Section]:
    if not BLACKBOX.is_dir():
        raise FileNotFoundError(f"zxing blackbox photos not found at {BLACKBOX}")
    samples = [s for folder in FOLDERS for s in _labelled(BLACKBOX / folder)]
    negatives = _negatives()
    decoders = _decoders()
    with _one_core():
        sections = [_read_rates(decoders, samples), _false_positives(decoders, negatives)]
        step = 6 if quick else 1
        sections.append(
            _timings(
                decoders,
                [s.image for s in samples[::step]],
                negatives[::step],
                repeats=1 if quick else 3,
            )
        )
    return sections
