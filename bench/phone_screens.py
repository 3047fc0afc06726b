"""Camera frames of health-code-like QR codes on phone screens, generated from code.

The booth's real job is a phone held up to a webcam, and no shared photo set shows one in dark
mode (light modules on a dark screen). Each frame is rendered as physics would make it, so the
decoders meet the same difficulties as at the booth window: the app screen (light or dark mode, a
coloured code, a card, header and text lines) lit at some screen brightness with room light
reflected off the glass, the screen's sub-pixel grid (which the camera's pixel grid aliases into
moire), a glare spot, the phone tilted in the frame and turned away from the camera
(perspective), lens and hand blur, exposure, sensor noise and the MJPG compression of a webcam.
The size of a code module in the frame (2.5 to 6 px at the code's centre, before the phone is
turned away from the camera) is chosen first; the rest follows.

Deterministic: frame `index` of `seed` is the same image on every machine with the same OpenCV.
``python -m bench.phone_screens DIR`` writes a set as PNG files to look at.
"""

from __future__ import annotations

import argparse
import string
import sys
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
import segno

Image = npt.NDArray[np.uint8]
Radiance = npt.NDArray[np.float32]

FRAME = (1280, 720)
MODULE_SIZES = (2.5, 3.0, 3.5, 4.0, 5.0, 6.0)
"""Frame pixels per code module: 2.5-4 is a phone at arm's length from a 720p webcam."""

SUBPIXELS = 3
"""Plane samples per screen pixel: one per R, G, B stripe, which is what makes the moire."""

_LIGHT_CODE_COLOURS = ((0, 0, 0), (40, 150, 30), (0, 120, 215), (40, 40, 200))
"""BGR of the modules in light mode: black, and the green / amber / red of a health code."""
_DARK_CODE_COLOURS = ((235, 235, 235), (150, 225, 150), (120, 200, 245), (160, 160, 250))
"""BGR of the modules in dark mode: light grey and pale versions of the code colours."""
_TOKEN = string.ascii_letters + string.digits
_HOSTS = ("jkm.sx.gov.cn", "hc.nmg.gov.cn", "ykm.sn.gov.cn", "jkm.hebei.gov.cn", "hm.gs.gov.cn")


@dataclass(frozen=True)
class PhoneFrame:
    """One 1280x720 BGR camera frame showing one code, and what went into it."""

    image: Image
    text: str
    dark: bool
    module_px: float
    conditions: str


def phone_frames(
    count: int, seed: int, dark: bool, module_sizes: tuple[float, ...] = MODULE_SIZES
) -> list[PhoneFrame]:
    """`count` frames in one mode, module sizes taken in turn; each frame has its own stream."""
    return [
        phone_frame(seed, index, dark, module_sizes[index % len(module_sizes)])
        for index in range(count)
    ]


def phone_frame(seed: int, index: int, dark: bool, module_px: float) -> PhoneFrame:
    """Frame `index` of the set `seed`: a code of `module_px` frame pixels per module."""
    rng = np.random.default_rng([seed, index, int(dark)])
    text = _health_code_text(rng)
    screen, code_centre, module = _screen(rng, text, dark)
    plane, bezel, notes = _lit_phone(rng, screen)
    centre = (code_centre[0] * SUBPIXELS + bezel, code_centre[1] * SUBPIXELS + bezel)
    frame_radiance, geometry = _photograph(rng, plane, centre, module, module_px)
    image, camera = _camera(rng, frame_radiance)
    conditions = ", ".join([*notes, geometry, camera])
    return PhoneFrame(image, text, dark, module_px, conditions)


def _health_code_text(rng: np.random.Generator) -> str:
    """A URL with an opaque token, as provincial health codes encode (GUIDE section 2)."""
    token = "".join(rng.choice(list(_TOKEN), size=int(rng.integers(24, 72))))
    return f"https://{rng.choice(_HOSTS)}/v2/c?t={token}"


def _screen(
    rng: np.random.Generator, text: str, dark: bool
) -> tuple[Radiance, tuple[float, float], int]:
    """The app's screen, one value per screen pixel (BGR, 0..1): code centre and module size."""
    qr = segno.make_qr(text, error=str(rng.choice(["m", "q"])))
    border = int(rng.integers(2, 5))  # apps often draw a quiet zone narrower than 4 modules
    matrix = np.array(list(qr.matrix_iter(scale=1, border=border)), dtype=bool)
    module = int(rng.integers(5, 10))
    code_side = matrix.shape[0] * module
    width = int(code_side / rng.uniform(0.55, 0.8))
    height = int(width * rng.uniform(1.9, 2.2))
    palette = _DARK_CODE_COLOURS if dark else _LIGHT_CODE_COLOURS
    ink = np.array(palette[int(rng.integers(len(palette)))], dtype=np.float32) / 255
    page = np.float32(rng.uniform(0.05, 0.09) if dark else rng.uniform(0.93, 1.0))
    card = np.float32(rng.uniform(0.11, 0.16) if dark else 1.0)
    screen = np.full((height, width, 3), page, dtype=np.float32)
    screen[: height // 9] = ink * 0.8 + (1 - 0.8) * page  # the app's coloured header
    top = int(height * rng.uniform(0.3, 0.38))
    left = (width - code_side) // 2
    pad = module * 2
    screen[top - pad : top + code_side + pad, left - pad : left + code_side + pad] = card
    code = np.where(matrix[..., None], ink, card).astype(np.float32)
    screen[top : top + code_side, left : left + code_side] = np.kron(
        code, np.ones((module, module, 1), dtype=np.float32)
    )
    stamp = f"2026-12-0{rng.integers(1, 8)} {rng.integers(6, 22):02d}:{rng.integers(60):02d}"
    lines = np.zeros((height, width), dtype=np.uint8)  # putText draws on 8-bit images only
    for line, y in (
        ("Health Code", int(height * 0.22)),
        ("ZHANG *  ID 1426**********0012", int(height * 0.27)),
        (stamp, top + code_side + 6 * module),
    ):
        cv2.putText(lines, line, (left, y), 0, width / 600, 255, 2)
    screen[lines > 0] = 0.85 if dark else 0.15
    return screen, (left + code_side / 2, top + code_side / 2), module


def _lit_phone(rng: np.random.Generator, screen: Radiance) -> tuple[Radiance, int, list[str]]:
    """Screen light as the camera sees it on the sub-pixel grid, in a dark bezel, with glare;
    one sample per sub-pixel (linear light), and the bezel's width in samples."""
    brightness = rng.uniform(0.35, 1.0)
    reflection = rng.uniform(0.0, 0.06)
    moire = rng.uniform(0.0, 1.0)
    bezel = int(screen.shape[1] * 0.05)
    body = cv2.copyMakeBorder(screen, bezel, bezel, bezel, bezel, cv2.BORDER_CONSTANT, value=0)
    linear = np.power(body, np.float32(2.2))  # the app's sRGB colours as emitted light
    plane = np.asarray(
        cv2.resize(linear, None, fx=SUBPIXELS, fy=SUBPIXELS, interpolation=cv2.INTER_NEAREST),
        dtype=np.float32,
    )
    height, width = body.shape[:2]
    pixels = plane.reshape(height, SUBPIXELS, width, SUBPIXELS, 3)  # a view: no tiled copy
    pixels *= _pixel_grid(moire, brightness)[None, :, None]
    plane += np.float32(0.005 + reflection)  # room light off the glass, bezel included
    notes = [f"brightness {brightness:.2f}", f"reflection {reflection:.2f}", f"moire {moire:.2f}"]
    if rng.random() < 0.5:
        strength = rng.uniform(0.2, 1.0)
        plane += _glare_spot(rng, plane.shape[1], plane.shape[0], strength)[..., None]
        notes.append(f"glare {strength:.2f}")
    return plane, bezel * SUBPIXELS, notes


def _pixel_grid(moire: float, brightness: float) -> Radiance:
    """Light of one screen pixel per sub-pixel sample: R, G, B stripes and a dark row gap,
    mixed with a flat pixel by `moire` (0: no structure), mean `brightness`."""
    grid = np.zeros((SUBPIXELS, SUBPIXELS, 3), dtype=np.float32)
    for channel, column in ((2, 0), (1, 1), (0, 2)):  # R, G, B stripes in BGR order
        grid[:, column, channel] = 1.0
    grid[-1] *= 0.5
    grid /= grid.mean(axis=(0, 1))
    return np.asarray((1 + moire * (grid - 1)) * brightness, dtype=np.float32)


def _glare_spot(rng: np.random.Generator, width: int, height: int, strength: float) -> Radiance:
    """A lamp's reflection on the glass: a soft spot, computed coarse and scaled up."""
    radius = rng.uniform(0.05, 0.2) * width / 8
    centre = (rng.uniform(0.2, 0.8) * width / 8, rng.uniform(0.3, 0.6) * height / 8)
    ys, xs = np.ogrid[: height // 8 + 1, : width // 8 + 1]
    spot = strength * np.exp(-((xs - centre[0]) ** 2 + (ys - centre[1]) ** 2) / (2 * radius**2))
    return np.asarray(
        cv2.resize(spot.astype(np.float32), (width, height), interpolation=cv2.INTER_LINEAR)
    )


def _photograph(
    rng: np.random.Generator,
    plane: Radiance,
    code_centre: tuple[float, float],
    module: int,
    module_px: float,
) -> tuple[Radiance, str]:
    """The phone in front of a room, placed by a pinhole camera; rendered at 2x and averaged
    over each frame pixel, as a sensor integrates light. `code_centre` is in plane samples."""
    width, height = FRAME
    scale = module_px / (module * SUBPIXELS)  # frame pixels per plane sample at the code
    tilt = np.radians(rng.uniform(-30, 30))
    pitch, yaw = np.radians(rng.uniform(-30, 30, size=2))
    focal = 1000.0
    offset = rng.uniform(-0.15, 0.15, size=2) * (width, height)
    plane_h, plane_w = plane.shape[:2]
    centre = np.array(code_centre)
    corners = np.array([[0, 0], [plane_w, 0], [plane_w, plane_h], [0, plane_h]], np.float32)
    points = np.column_stack([(corners - centre) * scale, np.zeros(4)])
    rotation = _rotation(tilt, pitch, yaw)
    moved = points @ rotation.T + (0, 0, focal)
    projected = focal * moved[:, :2] / moved[:, 2:] + (width / 2, height / 2) + offset
    left, top = np.clip(np.floor(projected.min(axis=0)), 0, None).astype(int)
    right, bottom = np.minimum(np.ceil(projected.max(axis=0)), (width, height)).astype(int)
    frame = np.asarray(cv2.resize(_room(rng), FRAME, interpolation=cv2.INTER_LINEAR), np.float32)
    if right > left and bottom > top:  # only the phone's bounding box is rendered finely
        target = ((projected - (left, top)) * 2).astype(np.float32)
        homography = cv2.getPerspectiveTransform(corners, target)
        size = (int(right - left) * 2, int(bottom - top) * 2)
        phone = cv2.warpPerspective(plane, homography, size, flags=cv2.INTER_LINEAR)
        cover = cv2.warpPerspective(
            np.ones(plane.shape[:2], np.float32), homography, size, flags=cv2.INTER_LINEAR
        )
        half = (size[0] // 2, size[1] // 2)
        phone = cv2.resize(phone, half, interpolation=cv2.INTER_AREA)
        cover = cv2.resize(cover, half, interpolation=cv2.INTER_AREA)[..., None]
        room = frame[top:bottom, left:right]
        frame[top:bottom, left:right] = room * (1 - cover) + phone
    degrees = np.degrees([tilt, pitch, yaw])
    return frame, "tilt {:.0f}, turned {:.0f}/{:.0f} deg".format(*degrees)


def _rotation(tilt: float, pitch: float, yaw: float) -> npt.NDArray[np.float64]:
    """Rotation in the frame plane by `tilt`, then turned about the x and y axes."""
    c, s = np.cos(tilt), np.sin(tilt)
    about_z = np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])
    c, s = np.cos(pitch), np.sin(pitch)
    about_x = np.array([[1, 0, 0], [0, c, -s], [0, s, c]])
    c, s = np.cos(yaw), np.sin(yaw)
    about_y = np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])
    return np.asarray(about_y @ about_x @ about_z)


def _room(rng: np.random.Generator) -> Radiance:
    """A blurred room behind the phone: a lit gradient and a few out-of-focus objects."""
    width, height = FRAME[0] // 4, FRAME[1] // 4
    base = rng.uniform(0.1, 0.5, size=3).astype(np.float32)
    ramp = np.linspace(0.6, 1.2, width, dtype=np.float32)[None, :, None]
    room = np.broadcast_to(base * ramp, (height, width, 3)).copy()
    for _ in range(int(rng.integers(2, 6))):
        x, y = int(rng.integers(width)), int(rng.integers(height))
        w, h = int(rng.integers(10, width // 2)), int(rng.integers(10, height // 2))
        colour = tuple(float(v) for v in rng.uniform(0.05, 0.8, size=3))
        cv2.rectangle(room, (x, y), (x + w, y + h), colour, -1)
    return np.asarray(cv2.GaussianBlur(room, (0, 0), 3), dtype=np.float32)


def _camera(rng: np.random.Generator, radiance: Radiance) -> tuple[Image, str]:
    """Lens and hand blur, exposure, gamma, sensor noise and MJPG: what the webcam delivers."""
    exposure = rng.uniform(0.7, 1.5)
    sigma = rng.uniform(0.3, 1.0)
    image = cv2.GaussianBlur(radiance * exposure, (0, 0), sigma)
    notes = [f"exposure {exposure:.2f}", f"blur {sigma:.1f}"]
    if rng.random() < 0.3:
        length = int(rng.integers(1, 4))
        line = np.zeros((length * 2 + 1, length * 2 + 1), np.float32)
        cv2.line(line, (0, length), (2 * length, length), 1.0, 1)
        turn = cv2.getRotationMatrix2D((length, length), float(rng.uniform(0, 180)), 1.0)
        kernel = np.asarray(cv2.warpAffine(line, turn, line.shape[::-1]), np.float32)
        image = cv2.filter2D(image, -1, kernel / kernel.sum())
        notes.append(f"shake {length} px")
    encoded = np.power(np.clip(image, 0, 1), np.float32(1 / 2.2)) * 255
    noise = rng.standard_normal(size=encoded.shape, dtype=np.float32)
    encoded += noise * np.float32(rng.uniform(1, 4))
    pixels = np.clip(encoded, 0, 255).astype(np.uint8)
    quality = int(rng.integers(60, 92))
    ok, jpeg = cv2.imencode(".jpg", pixels, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise RuntimeError("OpenCV could not encode a JPEG")
    notes.append(f"jpeg {quality}")
    return np.asarray(cv2.imdecode(jpeg, cv2.IMREAD_COLOR), dtype=np.uint8), ", ".join(notes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.phone_screens")
    parser.add_argument("folder", type=Path, help="where to write the PNG files (created)")
    parser.add_argument("--count", type=int, default=12, help="frames per mode")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    args.folder.mkdir(parents=True, exist_ok=True)
    for dark in (False, True):
        for index, frame in enumerate(phone_frames(args.count, args.seed, dark)):
            name = f"{'dark' if dark else 'light'}-{index:03d}-{frame.module_px}px.png"
            cv2.imwrite(str(args.folder / name), frame.image)
            print(f"{name}: {frame.conditions}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
