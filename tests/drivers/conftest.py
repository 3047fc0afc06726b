"""Fixtures for driver tests: real video files written with OpenCV, and the shared QR photos."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.drivers.drivers_testkit import TESTDATA, SampleVideo, write_sample_video


@pytest.fixture(scope="session")
def blackbox() -> Path:
    """The zxing blackbox photos, read in place from the shared test data."""
    folder = TESTDATA / "zxing-blackbox"
    if not folder.is_dir():
        pytest.skip(f"shared test data not found at {folder}")
    return folder


@pytest.fixture(params=[("MJPG", ".avi"), ("mp4v", ".mp4")], ids=["mjpg-avi", "mp4v-mp4"])
def sample_video(request: pytest.FixtureRequest, tmp_path: Path) -> SampleVideo:
    """The sample video in both containers this OpenCV build writes and reads back."""
    fourcc, suffix = request.param
    return write_sample_video(tmp_path / f"sample{suffix}", fourcc)
