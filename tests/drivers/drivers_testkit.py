"""Helpers shared by the driver tests (a uniquely named module: tests/ has no packages)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
import segno

TESTDATA = Path(__file__).resolve().parents[3] / "shared" / "testdata"
PASS_TEXT = "GH1:通行证 张三 No.0001"
"""Non-ASCII on purpose: segno stores it as UTF-8 without ECI, as most pass generators do."""


@dataclass(frozen=True)
class SampleVideo:
    """A short real video whose frames carry their index as background brightness."""

    path: Path
    fps: float
    frame_count: int
    qr_frames: range
    qr_text: str

    @staticmethod
    def brightness(index: int) -> int:
        return 20 + 7 * index

    @staticmethod
    def frame_index(frame: npt.NDArray[np.uint8]) -> int:
        """Recover a frame's index from its top-left corner, robust to lossy compression."""
        return round((float(frame[:20, :20].mean()) - 20) / 7)


def qr_image(text: str, scale: int = 5, encoding: str | None = None) -> npt.NDArray[np.uint8]:
    """Grayscale image of a QR code with its quiet zone; segno picks the encoding unless given."""
    rows = segno.make_qr(text, encoding=encoding).matrix_iter(scale=scale, border=4)
    return np.where(np.array(list(rows), dtype=bool), 0, 255).astype(np.uint8)


def write_sample_video(path: Path, fourcc: str) -> SampleVideo:
    """30 frames at 20 fps, 480x360; frames 10-19 show a QR pass in the middle."""
    video = SampleVideo(path, 20.0, 30, range(10, 20), PASS_TEXT)
    code = cv2.cvtColor(qr_image(video.qr_text), cv2.COLOR_GRAY2BGR)
    top, left = (360 - code.shape[0]) // 2, (480 - code.shape[1]) // 2
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*fourcc), video.fps, (480, 360))
    assert writer.isOpened(), f"this OpenCV build cannot write {fourcc} to {path.suffix}"
    try:
        for index in range(video.frame_count):
            frame = np.full((360, 480, 3), video.brightness(index), dtype=np.uint8)
            if index in video.qr_frames:
                frame[top : top + code.shape[0], left : left + code.shape[1]] = code
            writer.write(frame)
    finally:
        writer.release()
    return video


def split(data: bytes, cuts: list[int]) -> list[bytes]:
    """`data` cut at the given offsets (clamped, sorted): any way a port may deliver it."""
    bounds = [0, *sorted(min(c, len(data)) for c in cuts), len(data)]
    return [data[a:b] for a, b in itertools.pairwise(bounds)]
