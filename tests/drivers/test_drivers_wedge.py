"""KeystrokeBurstDetector: scanner bursts are scans, typing is not, whatever the mix."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.wedge import KeystrokeBurstDetector


def type_text(detector: KeystrokeBurstDetector, text: str, start: float, gap: float) -> float:
    at = start
    for char in text:
        detector.key(char, at)
        at += gap
    return at


def test_a_scanner_burst_ending_in_enter_is_a_scan() -> None:
    detector = KeystrokeBurstDetector()
    at = type_text(detector, "GH1:6BFOXN%TS3DH0", 10.0, 0.004)
    assert detector.enter(at) == "GH1:6BFOXN%TS3DH0"
    assert detector.burst_length == 0


def test_typing_is_not_a_scan() -> None:
    detector = KeystrokeBurstDetector()
    at = type_text(detector, "north gate 2", 10.0, 0.12)
    assert detector.enter(at) is None


def test_a_scan_right_after_typing_is_only_the_burst() -> None:
    detector = KeystrokeBurstDetector()
    at = type_text(detector, "note", 10.0, 0.2)
    at = type_text(detector, "GH1:CODE", at + 0.3, 0.005)
    assert detector.burst_length == len("GH1:CODE")
    assert detector.enter(at) == "GH1:CODE"


def test_enter_long_after_the_burst_is_not_a_scan() -> None:
    detector = KeystrokeBurstDetector()
    at = type_text(detector, "GH1:CODE", 10.0, 0.005)
    assert detector.enter(at + 1.0) is None


def test_too_short_bursts_are_not_scans() -> None:
    detector = KeystrokeBurstDetector()
    at = type_text(detector, "ok", 10.0, 0.005)
    assert detector.enter(at) is None


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.text(min_size=1, max_size=30), st.booleans(), st.floats(0.3, 5.0)),
        max_size=20,
    )
)
def test_only_fast_bursts_come_out(events: list[tuple[str, bool, float]]) -> None:
    detector = KeystrokeBurstDetector()
    at = 0.0
    for text, scanned, pause in events:
        at = type_text(detector, text, at + pause, 0.004 if scanned else 0.15)
        assert detector.enter(at) == (text if scanned and len(text) >= 4 else None)
