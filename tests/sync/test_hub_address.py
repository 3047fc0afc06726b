"""The hub's address as people type it: host:port is enough."""

from __future__ import annotations

import pytest

from gatehouse.sync.enrolment import hub_address


@pytest.mark.parametrize(
    ("typed", "url"),
    [
        ("127.0.0.1:8750", "http://127.0.0.1:8750"),
        (" hub.mine.local:8750/ ", "http://hub.mine.local:8750"),
        ("https://hub.example", "https://hub.example"),
        ("http://[::1]:8750", "http://[::1]:8750"),
    ],
)
def test_host_and_port_mean_http(typed: str, url: str) -> None:
    assert hub_address(typed) == url


@pytest.mark.parametrize("typed", ["", "ftp://hub:21", "hub:port", "http://", "http://:8750"])
def test_what_cannot_be_a_hub_is_refused_saying_what_to_give(typed: str) -> None:
    with pytest.raises(ValueError, match="give host:port or http"):
        hub_address(typed)
