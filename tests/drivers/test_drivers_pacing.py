"""FramePacer on a simulated clock: the pacing logic, deterministically."""

from __future__ import annotations

import pytest

from drivers.pacing import FramePacer


class SimulatedClock:
    """Time that only moves when slept through or advanced explicitly."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds > 0
        self.now += seconds


def pacer(rate_hz: float, clock: SimulatedClock) -> FramePacer:
    return FramePacer(rate_hz, clock=clock, sleep=clock.sleep)


def release_times(frame_pacer: FramePacer, clock: SimulatedClock, frames: int) -> list[float]:
    times = []
    for _ in range(frames):
        frame_pacer.wait()
        times.append(round(clock.now - 100.0, 9))
    return times


def test_spaces_frames_at_the_rate() -> None:
    clock = SimulatedClock()
    assert release_times(pacer(10, clock), clock, 4) == [0.0, 0.1, 0.2, 0.3]


def test_rate_is_fps_times_speed() -> None:
    clock = SimulatedClock()
    assert release_times(pacer(25 * 4, clock), clock, 3) == [0.0, 0.01, 0.02]


def test_slow_consumer_is_not_slept_and_catches_up_on_schedule() -> None:
    clock = SimulatedClock()
    frame_pacer = pacer(10, clock)
    frame_pacer.wait()
    clock.now += 0.25  # consumer took 2.5 frame periods
    frame_pacer.wait()  # frame 1 is late: released at once
    frame_pacer.wait()  # frame 2 was due at 0.2: also at once
    assert clock.now == pytest.approx(100.25)
    frame_pacer.wait()  # frame 3 due at 0.3
    assert clock.now == pytest.approx(100.3)


def test_long_stall_restarts_the_schedule_instead_of_bursting() -> None:
    clock = SimulatedClock()
    frame_pacer = pacer(10, clock)
    frame_pacer.wait()
    clock.now += 5.0
    assert release_times(frame_pacer, clock, 3) == [5.0, 5.1, 5.2]


@pytest.mark.parametrize("rate", [0.0, -1.0, float("nan"), float("inf")])
def test_rejects_unusable_rates(rate: float) -> None:
    with pytest.raises(ValueError):
        FramePacer(rate)
