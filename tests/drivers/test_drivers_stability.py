"""StableReadingDetector: one measurement per plateau, implausible values flagged, fuzzed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.thermometer.reading import RawReading
from drivers.thermometer.stability import Measurement, StableReadingDetector, is_plausible


def feed(detector: StableReadingDetector, values: list[float]) -> list[Measurement]:
    found = [detector.feed(RawReading(v, 21.0)) for v in values]
    return [m for m in found if m is not None]


def test_a_forehead_approaching_holding_and_leaving_is_one_measurement() -> None:
    approach, hold, leave = [24.0, 29.5, 34.8], [36.4, 36.5, 36.5, 36.6, 36.5], [30.1, 23.0]
    found = feed(StableReadingDetector(), approach + hold + leave)
    assert found == [Measurement(36.5, 21.0, plausible=True)]


def test_the_next_person_is_measured_after_the_readings_left_the_band() -> None:
    detector = StableReadingDetector()
    values = [36.5, 36.5, 36.5, 22.0, 22.1, 22.0, 37.8, 37.9, 37.8]
    assert [(m.celsius, m.plausible) for m in feed(detector, values)] == [
        (36.5, True),
        (22.0, False),  # nobody there: the sensor sees the air
        (37.8, True),
    ]


def test_readings_that_keep_moving_never_settle() -> None:
    assert feed(StableReadingDetector(), [35.0, 35.5, 36.0, 36.5, 37.0, 37.5]) == []


@pytest.mark.parametrize(
    ("celsius", "plausible"),
    [(29.9, False), (30.0, True), (34.0, True), (42.0, True), (45.0, True), (60.0, False)],
)
def test_implausible_values_are_flagged(celsius: float, plausible: bool) -> None:
    assert is_plausible(celsius) is plausible


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="window"):
        StableReadingDetector(window=1)
    with pytest.raises(ValueError, match="tolerance"):
        StableReadingDetector(tolerance_c=-0.1)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(-50, 150, allow_nan=False), max_size=200))
def test_every_measurement_ends_a_window_that_agrees(values: list[float]) -> None:
    detector = StableReadingDetector(window=3, tolerance_c=0.2)
    for index, value in enumerate(values):
        found = detector.feed(RawReading(value))
        if found is not None:
            window = values[index - 2 : index + 1]
            assert len(window) == 3
            assert max(window) - min(window) <= 0.2 + 1e-6
            assert found.celsius == value
