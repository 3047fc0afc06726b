"""QR decoding backends: turn a camera frame into the texts of the QR codes in it.

Two interchangeable libraries, because neither is guaranteed on every booth PC: zxing-cpp (a
pip wheel, the more tolerant decoder) and pyzbar (needs the zbar shared library). Only the
classic QR Code symbology is accepted; Micro QR, rMQR and other barcodes are never passes and
excluding them keeps false positives down.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

import cv2
import numpy as np
import numpy.typing as npt


class DecoderUnavailable(RuntimeError):  # noqa: N818 - the name the callers were promised
    """A QR backend's library is missing; the message says what to install."""


class QrDecoder(Protocol):
    """Finds QR codes in one frame. Implementations are stateless between calls."""

    @property
    def name(self) -> str: ...

    def decode(self, frame: npt.NDArray[np.uint8]) -> list[str]:
        """Texts of all QR codes found in a BGR or grayscale frame; [] if none."""
        ...


@dataclass(frozen=True)
class ZxingPass:
    """One zxing-cpp attempt: at what scale, with which binarizer, trying light-on-dark or not."""

    half_size: bool = False
    global_histogram: bool = False
    try_invert: bool = True
    try_downscale: bool = False


LIBRARY_DEFAULTS = (ZxingPass(try_downscale=True),)
"""zxing-cpp exactly as the library reads by default: the baseline the cascade is measured on."""

CASCADE = (
    ZxingPass(try_invert=False),
    ZxingPass(half_size=True, global_histogram=True),
    ZxingPass(half_size=True, try_invert=False),
)
"""The booth's default, tuned on the zxing blackbox photos (bench/bench_decoders.py).

The first pass is the library's, minus the two retries that cost the most on an empty frame
(its own downscaled and inverted re-reads, which read nothing more on the blackbox set). The
saved time buys two passes on a half-size image (averaging also smooths texture and noise): a
global-histogram threshold, which reads designer codes with photo texture and, trying inverted
too, light-on-dark codes; and the local threshold again, for coarse photos (a code printed on a
biscuit) and codes whose modules are too big for the full-size local threshold. A pass runs only
when the ones before it found nothing: a frame with a code usually costs one pass, an empty frame
less than the library's default read (measured: about 0.85x at 640x480 and 1280x720).
"""


class ZxingDecoder:
    """zxing-cpp: decoded the most of the zxing blackbox photos (blur, perspective, bad light)."""

    name = "zxing"

    def __init__(self, passes: Sequence[ZxingPass] = CASCADE) -> None:
        _require(
            "zxingcpp", "QR backend 'zxing' needs the zxing-cpp package: pip install zxing-cpp"
        )
        if not passes:
            raise ValueError("a zxing decoder needs at least one pass")
        self.passes = tuple(passes)

    def decode(self, frame: npt.NDArray[np.uint8]) -> list[str]:
        """Texts found by the first pass that finds any; [] when every pass found nothing."""
        gray = to_grayscale(frame)
        half: npt.NDArray[np.uint8] | None = None
        for attempt in self.passes:
            image = gray
            if attempt.half_size:
                if half is None:
                    half = _half_size(gray)
                image = half
            texts = _zxing_read(image, attempt)
            if texts:
                return texts
        return []


class PyzbarDecoder:
    """pyzbar/zbar: the fallback when zxing-cpp is not installed."""

    name = "pyzbar"

    def __init__(self) -> None:
        _require(
            "pyzbar.pyzbar",
            "QR backend 'pyzbar' needs pip install pyzbar plus the zbar shared library "
            "(Debian/Ubuntu: apt install libzbar0; on Windows the wheel bundles zbar but needs "
            "the Visual C++ 2013 runtime)",
        )

    def decode(self, frame: npt.NDArray[np.uint8]) -> list[str]:
        """Decode; zbar only takes 8-bit grayscale and returns its own charset guess as UTF-8."""
        from pyzbar.pyzbar import ZBarSymbol
        from pyzbar.pyzbar import decode as zbar_decode

        found = zbar_decode(to_grayscale(frame), symbols=[ZBarSymbol.QRCODE])
        return [undo_zbar_charset_guess(symbol.data.decode("utf-8", "replace")) for symbol in found]


_BACKENDS: dict[str, Callable[[], QrDecoder]] = {"zxing": ZxingDecoder, "pyzbar": PyzbarDecoder}
"""Known backends, in the order "auto" prefers them."""

_ZBAR_GUESSES = ("big5", "shift_jis", "latin-1")
"""Legacy charsets zbar picks for QR byte segments that carry no ECI marker."""


def available_backends() -> list[str]:
    """Names of the backends that can be used on this machine, preferred first."""
    names = []
    for name, factory in _BACKENDS.items():
        try:
            factory()
        except DecoderUnavailable:
            continue
        names.append(name)
    return names


def make_decoder(backend: str = "auto") -> QrDecoder:
    """Create the named backend; "auto" takes zxing if installed, else pyzbar."""
    if backend == "auto":
        for factory in _BACKENDS.values():
            try:
                return factory()
            except DecoderUnavailable:
                continue
        raise DecoderUnavailable(
            "No QR decoder is installed: pip install zxing-cpp (recommended) or pyzbar"
        )
    if backend not in _BACKENDS:
        raise ValueError(f"Unknown QR backend {backend!r}; choose auto, {', '.join(_BACKENDS)}")
    return _BACKENDS[backend]()


def to_grayscale(frame: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    """8-bit, single-channel, C-contiguous copy or view of a frame: what both libraries accept."""
    if frame.ndim == 3 and frame.shape[2] == 3:
        return np.asarray(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY), dtype=np.uint8)
    if frame.ndim == 2:
        return np.ascontiguousarray(frame, dtype=np.uint8)
    raise ValueError(f"Expected a BGR or grayscale image, got an array of shape {frame.shape}")


def undo_zbar_charset_guess(text: str) -> str:
    """Recover UTF-8 text that zbar decoded with a wrong legacy charset.

    Without an ECI marker (most generators omit it) zbar guesses the charset of QR byte data and
    often picks Big5 or Shift-JIS for UTF-8: measured, UTF-8 "測試" comes back as Big5 "皜祈岫"
    and "Müller" as Shift-JIS "Mﾃｼller". Passes are UTF-8, so re-encode with each charset zbar
    may have used and keep the first result that is valid UTF-8. Genuine Big5/Shift-JIS/Latin-1
    text almost never also forms valid multi-byte UTF-8, so it is left as zbar read it.
    """
    if text.isascii():
        return text
    for charset in _ZBAR_GUESSES:
        try:
            raw = text.encode(charset)
            if not raw.isascii():
                return raw.decode("utf-8")
        except UnicodeError:
            continue
    return text


def _zxing_read(image: npt.NDArray[np.uint8], attempt: ZxingPass) -> list[str]:
    """One read in Plain text mode: the default (HRI) renders control characters as "<SOH>"."""
    import zxingcpp

    binarizer = (
        zxingcpp.Binarizer.GlobalHistogram
        if attempt.global_histogram
        else zxingcpp.Binarizer.LocalAverage
    )
    found = zxingcpp.read_barcodes(
        image,
        formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCodeModel2),
        try_invert=attempt.try_invert,
        try_downscale=attempt.try_downscale,
        binarizer=binarizer,
        text_mode=zxingcpp.TextMode.Plain,
    )
    return [barcode.text for barcode in found]


def _half_size(gray: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    """Half width and height, averaging pixels (which also smooths sensor noise and texture)."""
    height, width = gray.shape
    size = (max(1, width // 2), max(1, height // 2))
    return np.asarray(cv2.resize(gray, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)


def _require(module: str, install_hint: str) -> None:
    """Import `module` or raise DecoderUnavailable; OSError covers a broken shared library."""
    try:
        importlib.import_module(module)
    except (ImportError, OSError) as exc:
        raise DecoderUnavailable(install_hint) from exc
