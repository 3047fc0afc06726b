"""QR decoders on the zxing blackbox photos and on phone screens: what each reads, what it costs.

Tuning discipline: the shared photos are split by a fixed rule (the first byte of the SHA-256 of
"folder/name": even is the tuning half, odd the validation half). Decoder passes were chosen
looking at the tuning half and at phone screens of seed TUNING_SEED only; the validation half and
the phone screens of PHONE_SEED are data they were not tuned on. The library's default read,
the booth's default, the alternative not taken and pyzbar are measured side by side in one run.
"""

from __future__ import annotations

import hashlib
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt

from bench.phone_screens import MODULE_SIZES, phone_frames
from bench.report import Section, ms, percentile, table
from drivers.qr import PyzbarDecoder, QrDecoder, ZxingDecoder, ZxingLibraryDecoder, to_grayscale

BLACKBOX = Path(__file__).resolve().parents[2] / "shared" / "testdata" / "zxing-blackbox"
FOLDERS = ("qrcode-1", "qrcode-2", "qrcode-3", "qrcode-5", "qrcode-6")
TUNING_SEED = 7
"""Phone screens looked at while choosing passes."""
PHONE_SEED = 2026
"""Phone screens only measured: the booth's passes were not tuned on them."""
PHONE_FRAMES = 48
"""Frames per mode (light, dark): 8 at each module size."""
FRAME_SIZES = ((640, 480), (1280, 720))
IDLE_BUDGET = 1.0
CODE_BUDGET = 2.0
LIBRARY = "zxing-cpp library default"
DEFAULT = "default (library + rescue)"

Image = npt.NDArray[np.uint8]


@dataclass(frozen=True)
class Labelled:
    folder: str
    name: str
    image: Image
    expected: str

    @property
    def tuning(self) -> bool:
        """In the tuning half: a fixed rule on the name, blind to what the image shows."""
        return hashlib.sha256(f"{self.folder}/{self.name}".encode()).digest()[0] % 2 == 0


def labelled(folder: Path) -> list[Labelled]:
    """(image, expected text) pairs; the .txt is read as bytes: CRLF can be part of the text."""
    found = []
    for text_file in sorted(folder.glob("*.txt")):
        if text_file.name.endswith(".metadata.txt"):
            continue
        (path,) = (p for p in folder.glob(f"{text_file.stem}.*") if p.suffix != ".txt")
        image = cv2.imread(str(path), cv2.IMREAD_COLOR)
        if image is None:
            raise OSError(f"OpenCV cannot read {path}")
        found.append(
            Labelled(
                folder.name,
                path.name,
                np.asarray(image, np.uint8),
                text_file.read_bytes().decode("utf-8"),
            )
        )
    return found


def shared_photos(blackbox: Path = BLACKBOX) -> list[Labelled]:
    """Every single-code photo of FOLDERS, in a fixed order."""
    return [sample for folder in FOLDERS for sample in labelled(blackbox / folder)]


def negatives(blackbox: Path = BLACKBOX) -> list[Image]:
    paths = sorted(p for p in (blackbox / "_negative").rglob("*") if p.is_file())
    images = [cv2.imread(str(p), cv2.IMREAD_COLOR) for p in paths]
    return [np.asarray(image, np.uint8) for image in images if image is not None]


class HalfSizeOnEveryMiss:
    """The alternative not taken: the default, then on every frame still unread the old
    cascade's two half-size re-reads (global histogram with inversion, local threshold)."""

    name = "alternative: + half-size re-reads"

    def __init__(self) -> None:
        self.default = ZxingDecoder()

    def decode(self, frame: Image) -> list[str]:
        import zxingcpp

        texts = self.default.decode(frame)
        if texts:
            return texts
        gray = to_grayscale(frame)
        size = (gray.shape[1] // 2, gray.shape[0] // 2)
        half = cv2.resize(gray, size, interpolation=cv2.INTER_AREA)
        qr_only = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCodeModel2)
        for options in ({"binarizer": zxingcpp.Binarizer.GlobalHistogram}, {"try_invert": False}):
            found = zxingcpp.read_barcodes(
                half, formats=qr_only, text_mode=zxingcpp.TextMode.Plain, **options
            )
            if found:
                return [barcode.text for barcode in found]
        return []


class ZbarOnce:
    """pyzbar without the booth's inverted retry: what zbar alone makes of a frame."""

    name = "pyzbar, no inverted retry"

    def decode(self, frame: Image) -> list[str]:
        from pyzbar.pyzbar import ZBarSymbol
        from pyzbar.pyzbar import decode as zbar_decode

        found = zbar_decode(to_grayscale(frame), symbols=[ZBarSymbol.QRCODE])
        return [symbol.data.decode("utf-8", "replace") for symbol in found]


class LibraryOnGrey:
    """The library's default read of OpenCV's grey image: where the default's saving on an empty
    frame comes from (zxing-cpp converts BGR to grey itself, more slowly)."""

    name = "library default, OpenCV grey in"

    def __init__(self) -> None:
        self.library = ZxingLibraryDecoder()

    def decode(self, frame: Image) -> list[str]:
        return self.library.decode(to_grayscale(frame))


def decoders() -> dict[str, QrDecoder]:
    return {
        LIBRARY: ZxingLibraryDecoder(),
        DEFAULT: ZxingDecoder(),
        HalfSizeOnEveryMiss.name: HalfSizeOnEveryMiss(),
        "pyzbar (booth: inverted retry)": PyzbarDecoder(),
        ZbarOnce.name: ZbarOnce(),
    }


def read_count(decoder: QrDecoder, samples: list[tuple[Image, str]]) -> int:
    """Images whose expected text is among the texts the decoder found."""
    return sum(expected in decoder.decode(image) for image, expected in samples)


@dataclass(frozen=True)
class Sample:
    set_name: str
    image: Image
    expected: str
    module_px: float | None = None  # phone screens only


def _outcomes(
    decoders: dict[str, QrDecoder], samples: list[Sample]
) -> tuple[dict[str, list[bool]], dict[str, int]]:
    """Per decoder: read or not, per sample; and how many samples gave only other texts."""
    read: dict[str, list[bool]] = {name: [] for name in decoders}
    wrong = dict.fromkeys(decoders, 0)
    for sample in samples:
        for name, decoder in decoders.items():
            texts = decoder.decode(sample.image)
            read[name].append(sample.expected in texts)
            wrong[name] += bool(texts) and sample.expected not in texts
    return read, wrong


def _read_rates(decoders: dict[str, QrDecoder], samples: list[Sample]) -> list[Section]:
    read, wrong = _outcomes(decoders, samples)
    set_names = list(dict.fromkeys(sample.set_name for sample in samples))
    counts = {
        set_name: {
            name: sum(r for r, s in zip(read[name], samples, strict=True) if s.set_name == set_name)
            for name in decoders
        }
        for set_name in set_names
    }
    rows: list[list[object]] = [
        [set_name, sum(s.set_name == set_name for s in samples), *counts[set_name].values()]
        for set_name in set_names
    ]
    rows.append(["misread (other text)", "", *wrong.values()])
    lost = sum(lib and not ours for lib, ours in zip(read[LIBRARY], read[DEFAULT], strict=True))
    by_size = []
    for set_name in (n for n in set_names if n.startswith("phone")):
        for size in MODULE_SIZES:
            chosen = [
                i for i, s in enumerate(samples) if s.set_name == set_name and s.module_px == size
            ]
            by_size.append(
                [set_name, size, len(chosen), *(sum(read[n][i] for i in chosen) for n in decoders)]
            )
    return [
        Section(
            "QR decoding: read rate on data tuned on and not tuned on",
            "Counted when the expected text is among the texts found. Shared photos: each "
            f"single-code image of {', '.join(FOLDERS)} at its own size, split into halves by "
            "the SHA-256 of 'folder/name' (first byte even: tuning); qrcode-2/13 encodes "
            "'photography' where its label says 'photograph', so no decoder matches it. Phone "
            f"screens: `bench/phone_screens.py`, seed {PHONE_SEED} (passes were chosen looking "
            f"at seed {TUNING_SEED} only), 1280x720 frames, {PHONE_FRAMES} per mode. Images "
            f"the library default reads and the default does not, over all sets: {lost}.",
            table(["set", "images", *decoders], rows),
        ),
        Section(
            "QR decoding: phone screens by module size",
            "The phone-screen frames above by mode and frame pixels per code module.",
            table(["set", "px/module", "frames", *decoders], by_size),
        ),
    ]


def _false_positives(decoders: dict[str, QrDecoder], empties: list[Image]) -> Section:
    rows = [
        [name, len(empties), sum(bool(d.decode(image)) for image in empties)]
        for name, d in decoders.items()
    ]
    return Section(
        "QR decoding: false positives on _negative",
        "Images of other symbologies, partial crops and known false-positive traps; an image "
        "counts when a decoder returns any text for it. Target: 0.",
        table(["decoder", "images", "with a text found"], rows),
    )


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
    return np.asarray(cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR), dtype=np.uint8)


@contextmanager
def _one_core() -> Iterator[None]:
    """OpenCV's resize may use every core; the budget is per frame on one core."""
    threads = cv2.getNumThreads()
    cv2.setNumThreads(1)
    try:
        yield
    finally:
        cv2.setNumThreads(threads)


def _timings(
    decoders: dict[str, QrDecoder], codes: list[Image], empties: list[Image], repeats: int
) -> Section:
    rows = []
    verdicts = []
    names = list(decoders)
    for width, height in FRAME_SIZES:
        for kind, images, budget in (
            ("no code", empties, IDLE_BUDGET),
            ("one code", codes, CODE_BUDGET),
        ):
            frames = [fit_to_frame(image, width, height) for image in images]
            samples: dict[str, list[float]] = {name: [] for name in decoders}
            for _ in range(repeats):
                for index, frame in enumerate(frames):
                    # Interleaved so each decoder sees the machine in the same state, in an
                    # order that rotates so none always runs after zbar has flushed the caches.
                    shift = index % len(names)
                    for name in names[shift:] + names[:shift]:
                        started = time.perf_counter()
                        decoders[name].decode(frame)
                        samples[name].append(time.perf_counter() - started)
            base = statistics.median(samples[LIBRARY])
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
            ratio = statistics.median(samples[DEFAULT]) / base
            verdicts.append(
                f"{width}x{height} {kind}: {ratio:.2f}x (budget {budget}x, "
                f"{'met' if ratio <= budget else 'EXCEEDED'})"
            )
    return Section(
        "QR decoding: time per camera frame",
        "Every positive shared photo (one code) and every _negative image (no code) scaled to "
        "fit the frame on a plain background, BGR in, one core (cv2.setNumThreads(1)), "
        f"{repeats} round(s), decoders interleaved frame by frame in rotating order. Ratio: "
        "median over the library default's median, same run. The last row of each group, the "
        "library's read of OpenCV's grey image, is where the default's saving comes from. "
        "Default vs library: " + "; ".join(verdicts) + ".",
        table(["frame", "content", "decoder", "median ms", "p95 ms", "vs library"], rows),
    )


def run(quick: bool) -> list[Section]:
    if not BLACKBOX.is_dir():
        raise FileNotFoundError(f"zxing blackbox photos not found at {BLACKBOX}")
    photos = shared_photos()
    empties = negatives()
    chosen = decoders()
    per_mode = len(MODULE_SIZES) if quick else PHONE_FRAMES
    samples = [
        Sample(f"shared {'tuning' if p.tuning else 'validation'} half", p.image, p.expected)
        for p in sorted(photos, key=lambda p: not p.tuning)
    ]
    for dark in (False, True):
        samples += [
            Sample(f"phone {'dark' if dark else 'light'}", f.image, f.text, f.module_px)
            for f in phone_frames(per_mode, PHONE_SEED, dark)
        ]
    with _one_core():
        sections = _read_rates(chosen, samples)
        sections.append(_false_positives(chosen, empties))
        step = 6 if quick else 1
        sections.append(
            _timings(
                {**chosen, LibraryOnGrey.name: LibraryOnGrey()},
                [p.image for p in photos[::step]],
                empties[::step],
                repeats=1 if quick else 3,
            )
        )
    return sections
