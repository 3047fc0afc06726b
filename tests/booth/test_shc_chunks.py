"""A SMART Health Card shown as several QR codes is decided once, when every chunk is in."""

from __future__ import annotations

from gatehouse.booth.shc_chunks import ShcChunks


class _Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


CARD = ["shc:/1/3/5676", "shc:/2/3/2909", "shc:/3/3/5244"]


def test_chunks_in_any_order_are_joined_in_order() -> None:
    chunks = ShcChunks()
    assert chunks.add(CARD[2]) is None
    assert chunks.add(CARD[0]) is None
    assert chunks.waiting == (2, 3)
    assert chunks.add(CARD[1]) == "\n".join(CARD)
    assert chunks.waiting == (0, 0)


def test_other_texts_pass_straight_through() -> None:
    chunks = ShcChunks()
    for text in ("GH1:ABC", "shc:/56762909", "https://example.org", "shc:/x"):
        assert chunks.add(text) == text


def test_a_stale_or_different_card_starts_again() -> None:
    clock = _Clock()
    chunks = ShcChunks(forget_after=60, monotonic=clock)
    chunks.add(CARD[0])
    clock.now = 61
    assert chunks.add(CARD[1]) is None and chunks.waiting == (1, 3)
    assert chunks.add("shc:/1/2/11") is None and chunks.waiting == (1, 2)
