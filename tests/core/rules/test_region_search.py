"""The region search the guard types into: what a travel card lists comes first."""

from __future__ import annotations

import pytest

from tests.core.policies import REGIONS


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("bj", "北京市"),  # a province-level city ranks as the city it is
        ("beijing", "北京市"),
        ("北京", "北京市"),
        ("tj", "天津市"),
        ("cq", "重庆市"),
        ("ty", "太原市"),
        ("taiyuan", "太原市"),
        ("TaiYuan ", "太原市"),
        ("eeds", "鄂尔多斯市"),
    ],
)
def test_the_city_the_guard_means_comes_first(typed: str, first: str) -> None:
    assert REGIONS.search(typed)[0].name == first


def test_a_search_gives_at_most_the_limit() -> None:
    assert len(REGIONS.search("x", limit=8)) == 8
    assert REGIONS.search("qqqqq") == []
