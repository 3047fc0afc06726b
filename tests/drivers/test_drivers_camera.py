"""Frame sources against real video files, image folders, real HTTP streams (one that goes
away mid-run) and absent webcams."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np
import pytest

from drivers.camera import (
    CameraError,
    FrameSource,
    ImageFolderSource,
    OpenCVSource,
    open_source,
    probe_webcam,
)
from tests.drivers.drivers_testkit import SampleVideo, write_sample_video
from tests.mjpeg_server import MjpegServer

ABSENT_WEBCAM = 99
"""No machine has a /dev/video99 or a hundredth camera."""


def read_all(source: FrameSource, limit: int = 1000) -> list[int]:
    """Frame indexes until the source ends (or `limit` frames)."""
    indexes: list[int] = []
    while len(indexes) < limit and (frame := source.read()) is not None:
        indexes.append(SampleVideo.frame_index(frame))
    return indexes


def test_reads_every_frame_in_order_then_ends(sample_video: SampleVideo) -> None:
    with OpenCVSource(sample_video.path) as source:
        first = source.read()
        assert first is not None
        assert first.shape == (360, 480, 3)
        assert first.dtype.name == "uint8"
        assert [0, *read_all(source)] == list(range(sample_video.frame_count))
        assert source.read() is None
        assert source.fps == sample_video.fps
        assert source.description == f"video file {sample_video.path}"


def test_loop_restarts_at_the_end(sample_video: SampleVideo) -> None:
    count = sample_video.frame_count
    with OpenCVSource(sample_video.path, loop=True) as source:
        assert read_all(source, limit=2 * count + 5) == [i % count for i in range(2 * count + 5)]


def test_realtime_plays_at_file_fps_times_speed(sample_video: SampleVideo) -> None:
    speed = 10.0
    paced = (sample_video.frame_count - 1) / (sample_video.fps * speed)
    unsped = (sample_video.frame_count - 1) / sample_video.fps
    with OpenCVSource(sample_video.path, realtime=True, speed=speed) as source:
        started = time.monotonic()
        assert len(read_all(source)) == sample_video.frame_count
        elapsed = time.monotonic() - started
    assert elapsed >= paced  # sleeps never end early, so this bound is safe under load
    assert elapsed < unsped, "speed factor ignored"


def test_webcam_size_request_is_ignored_for_files(sample_video: SampleVideo) -> None:
    """One camera config (1280x720 by default) must serve a demo video too."""
    with OpenCVSource(sample_video.path, width=1280, height=720) as source:
        frame = source.read()
        assert frame is not None
        assert frame.shape == (360, 480, 3)


def test_closed_source_reads_nothing(sample_video: SampleVideo) -> None:
    source = OpenCVSource(sample_video.path)
    source.close()
    source.close()
    assert source.read() is None


@pytest.fixture
def http_video(tmp_path: Path) -> Iterator[tuple[str, SampleVideo]]:
    """A video served over local HTTP, as a network camera or remote demo would be.

    MJPG AVI only: http.server has no range requests, which MP4 (index at the end) needs.
    """
    video = write_sample_video(tmp_path / "stream.avi", "MJPG")

    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    handler = functools.partial(QuietHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://guard:secret@127.0.0.1:{server.server_address[1]}/stream.avi", video
    finally:
        server.shutdown()
        server.server_close()


def test_reads_a_stream_url_and_hides_its_password(http_video: tuple[str, SampleVideo]) -> None:
    url, video = http_video
    with OpenCVSource(url) as source:
        assert read_all(source) == list(range(video.frame_count))
        assert "secret" not in source.description
        assert source.description.startswith("stream http://127.0.0.1:")


def test_unreachable_stream_is_a_camera_error_without_password() -> None:
    with pytest.raises(CameraError, match=r"^Cannot open stream rtsp://127\.0\.0\.1:1/") as error:
        OpenCVSource("rtsp://admin:secret@127.0.0.1:1/live")
    assert "secret" not in str(error.value)


def test_missing_file_is_a_camera_error(tmp_path: Path) -> None:
    missing = tmp_path / "demo.mp4"
    with pytest.raises(CameraError, match="not found") as error:
        OpenCVSource(missing)
    assert str(error.value) == f"Cannot open video file {missing}: not found"


def test_file_that_is_no_video_is_a_camera_error(tmp_path: Path) -> None:
    fake = tmp_path / "demo.mp4"
    fake.write_text("this is not a video\n")
    with pytest.raises(CameraError, match=r"^Cannot open video file .*: not a video$"):
        OpenCVSource(fake)


def test_absent_webcam_is_a_camera_error() -> None:
    with pytest.raises(CameraError, match=f"^Cannot open camera {ABSENT_WEBCAM}$"):
        OpenCVSource(ABSENT_WEBCAM)


def test_probe_reports_absent_webcam_quickly() -> None:
    started = time.monotonic()
    assert probe_webcam(ABSENT_WEBCAM) is False
    assert time.monotonic() - started < 10


@pytest.mark.parametrize(
    ("source", "options"),
    [
        (0, {"loop": True}),
        (0, {"realtime": True}),
        ("demo.mp4", {"speed": 0.0}),
    ],
)
def test_options_that_do_not_fit_the_source_are_rejected(
    source: int | str, options: dict[str, object]
) -> None:
    with pytest.raises(ValueError):
        OpenCVSource(source, **options)  # type: ignore[arg-type]  # each case its own option


def test_network_camera_that_goes_away_ends_the_source_and_comes_back() -> None:
    frames = [np.full((240, 320, 3), 40 * i, dtype=np.uint8) for i in range(5)]
    camera = MjpegServer(frames)
    camera.start()
    try:
        with OpenCVSource(camera.url) as source:
            assert source.read() is not None
            camera.stop()
            read_all(source)  # what was in flight, then the end
            assert source.read() is None
        with pytest.raises(CameraError, match="Cannot open stream"):
            OpenCVSource(camera.url)
        camera.start()
        with OpenCVSource(camera.url) as source:
            assert source.read() is not None
    finally:
        camera.stop()


def write_images(folder: Path, count: int) -> None:
    folder.mkdir(exist_ok=True)
    for index in range(count):
        frame = np.full((60, 80, 3), SampleVideo.brightness(index), dtype=np.uint8)
        cv2.imwrite(str(folder / f"frame-{index:03d}.png"), frame)


def test_image_folder_yields_images_in_name_order_skipping_other_files(tmp_path: Path) -> None:
    write_images(tmp_path, 4)
    (tmp_path / "notes.txt").write_text("not an image")
    (tmp_path / "frame-002b.png").write_text("broken image")
    with ImageFolderSource(tmp_path) as source:
        assert read_all(source) == [0, 1, 2, 3]
        assert source.description == f"image folder {tmp_path}"


def test_image_folder_loops_and_ends_when_removed(tmp_path: Path) -> None:
    folder = tmp_path / "session"
    write_images(folder, 3)
    source = ImageFolderSource(folder, loop=True)
    assert read_all(source, limit=7) == [0, 1, 2, 0, 1, 2, 0]
    shutil.rmtree(folder)
    assert read_all(source) == []  # the rest of this round is gone, and no new round starts
    source.close()


def test_image_folder_paced_like_a_camera(tmp_path: Path) -> None:
    write_images(tmp_path, 5)
    with ImageFolderSource(tmp_path, fps=100.0, realtime=True) as source:
        started = time.monotonic()
        assert len(read_all(source)) == 5
        assert time.monotonic() - started >= 4 / 100


@pytest.mark.parametrize(("content", "message"), [(0, "no images"), (None, "not found")])
def test_unusable_image_folder_is_a_camera_error(
    tmp_path: Path, content: int | None, message: str
) -> None:
    folder = tmp_path / "frames"
    if content is not None:
        folder.mkdir()
    with pytest.raises(CameraError, match=f"Cannot open image folder .*: {message}"):
        ImageFolderSource(folder)


def test_open_source_picks_the_source_from_the_setting(
    tmp_path: Path, sample_video: SampleVideo
) -> None:
    write_images(tmp_path / "frames", 2)
    folder = open_source(str(tmp_path / "frames"), realtime=False)
    video = open_source(str(sample_video.path), realtime=False)
    try:
        assert isinstance(folder, ImageFolderSource)
        assert isinstance(video, OpenCVSource)
        assert video.description == f"video file {sample_video.path}"
    finally:
        folder.close()
        video.close()
    with pytest.raises(CameraError, match=f"^Cannot open camera {ABSENT_WEBCAM}$"):
        open_source(str(ABSENT_WEBCAM), width=640, height=480, exposure=-6.0)
