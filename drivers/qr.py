"""QR decoding backends: turn a camera frame into the texts of the QR codes in it.

Two interchangeable libraries, because neither is guaranteed on every booth PC: zxing-cpp (a
pip wheel, the more tolerant decoder) and pyzbar (needs the zbar shared library). Only the
classic QR Code symbology is accepted; Micro QR, rMQR and other barcodes are never passes and
excluding them keeps false positives down.

The zxing default starts with the library's own default read, so it never reads less than
zxing-cpp as shipped. Measured by `python -m bench decoders` (2026-12-06) on what it was not
tuned on: the validation half of the zxing blackbox photos, 66 of 66 (library: 66); generated
phone screens of an unseen seed, 33 of 48 in light mode and 33 of 48 in dark mode (library: 31
and 32; pyzbar with its inverted retry: 27 and 17, without it 27 and 0). On the tuning half, 62
of 65 like the library. An empty 1280x720 frame costs 0.4-0.7x the library's read of it
(three runs on a shared 2-core machine; the grey conversion by OpenCV is the saving).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, Protocol

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


RESCUE_SCALE = 2
"""How much a rescue enlarges the region around a code the first read found but could not
decode: codes at 2.5-4 px per module, blurred or moire-striped, sample cleanly when doubled."""

RESCUE_MARGIN = 0.25
"""Margin around the found code's corners, as a share of its size: room for its quiet zone."""


class ZxingDecoder:
    """zxing-cpp's own default read first, so the booth never reads less than the library as
    shipped; then a closer look at codes that read found but could not decode.

    The closer look runs only when the first read reported such a candidate (zxing-cpp's
    ``return_errors``), never on a frame with nothing in it, so an idle camera costs the
    library's read and no more (less, in fact: OpenCV's grey conversion is cheaper than the
    library's own). For each candidate the region around it is enlarged ``RESCUE_SCALE`` times
    and read with the local threshold, then the global histogram: codes of 2.5-4 px per module,
    blurred or striped by moire, that the library locates but misreads. Chosen on the tuning
    half of the shared photos and phone screens of one seed, judged on the rest (module
    docstring). Not taken: half-size re-reads of every frame the library read found nothing
    in. They add two tuning-half photos (a designer code over an aerial photo, a code on a
    biscuit) and nothing on unseen data, and raise an empty frame from below the library's
    cost to 1.0-1.3x of it.
    """

    name = "zxing"

    def __init__(self) -> None:
        _require(
            "zxingcpp", "QR backend 'zxing' needs the zxing-cpp package: pip install zxing-cpp"
        )

    def decode(self, frame: npt.NDArray[np.uint8]) -> list[str]:
        """Texts the library's read finds; else the texts rescued from its candidates."""
        gray = to_grayscale(frame)
        found = _zxing_read(gray, return_errors=True)
        texts = [barcode.text for barcode in found if barcode.valid]
        if texts:
            return texts
        for candidate in found:
            for text in _rescue(gray, candidate):
                if text not in texts:  # two candidates' regions may hold the same code
                    texts.append(text)
        return texts


class ZxingLibraryDecoder:
    """zxing-cpp exactly as shipped, QR only, on the frame as given: the baseline the booth's
    decoder is measured against (bench/bench_decoders.py, tests)."""

    name = "zxing-library"

    def __init__(self) -> None:
        _require("zxingcpp", "the zxing-cpp baseline needs pip install zxing-cpp")

    def decode(self, frame: npt.NDArray[np.uint8]) -> list[str]:
        return [barcode.text for barcode in _zxing_read(frame)]


class PyzbarDecoder:
    """pyzbar/zbar: the fallback when zxing-cpp is not installed. zbar never reads light-on-dark
    codes (a phone in dark mode), so a frame where it finds nothing is read again inverted."""

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

        gray = to_grayscale(frame)
        found = zbar_decode(gray, symbols=[ZBarSymbol.QRCODE]) or zbar_decode(
            255 - gray, symbols=[ZBarSymbol.QRCODE]
        )
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


def _zxing_read(image: npt.NDArray[np.uint8], **options: Any) -> list[Any]:
    """read_barcodes with the library's defaults, QR Code only, in Plain text mode (the default,
    HRI, renders control characters as "<SOH>"); `options` override defaults for a rescue."""
    import zxingcpp

    return list(
        zxingcpp.read_barcodes(
            image,
            formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCodeModel2),
            text_mode=zxingcpp.TextMode.Plain,
            **options,
        )
    )


def _rescue(gray: npt.NDArray[np.uint8], candidate: Any) -> list[str]:
    """Texts read from the enlarged region around a candidate, local threshold first."""
    import zxingcpp

    region = _around(gray, candidate.position)
    size = (region.shape[1] * RESCUE_SCALE, region.shape[0] * RESCUE_SCALE)
    enlarged = np.asarray(cv2.resize(region, size, interpolation=cv2.INTER_CUBIC), np.uint8)
    for binarizer in (zxingcpp.Binarizer.LocalAverage, zxingcpp.Binarizer.GlobalHistogram):
        texts = [barcode.text for barcode in _zxing_read(enlarged, binarizer=binarizer)]
        if texts:
            return texts
    return []


def _around(gray: npt.NDArray[np.uint8], position: Any) -> npt.NDArray[np.uint8]:
    """The part of the image holding a found code's four corners, plus RESCUE_MARGIN."""
    corners = (position.top_left, position.top_right, position.bottom_right, position.bottom_left)
    xs, ys = [point.x for point in corners], [point.y for point in corners]
    margin_x = (max(xs) - min(xs)) * RESCUE_MARGIN
    margin_y = (max(ys) - min(ys)) * RESCUE_MARGIN
    height, width = gray.shape
    left, right = max(0, int(min(xs) - margin_x)), min(width, int(max(xs) + margin_x) + 1)
    top, bottom = max(0, int(min(ys) - margin_y)), min(height, int(max(ys) + margin_y) + 1)
    return gray[top:bottom, left:right]


def _require(module: str, install_hint: str) -> None:
    """Import `module` or raise DecoderUnavailable; OSError covers a broken shared library."""
    try:
        importlib.import_module(module)
    except (ImportError, OSError) as exc:
        raise DecoderUnavailable(install_hint) from exc
