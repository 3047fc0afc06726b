"""DCC document signer key usage, per the DCC technical specification: a DSC may limit what it
signs with the DGC extended key usages (test ...1847.2021.1.1, vaccination ...1.2, recovery
...1.3, in the official arc 1.3.6.1.4.1.1847.2021.1.x or the alternative 1.3.6.1.4.1.0.1847.
2021.1.x); a DSC with none of them, whatever else it lists, may sign every type."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from gatehouse.core.dcc.verify import read_dcc

from .dcc_factory import (
    TLS_CLIENT,
    TLS_SERVER,
    certificate,
    dsc,
    hc1,
    naat_entry,
    recovery_entry,
    signer,
    vaccination_entry,
)

NOW = datetime(2021, 6, 1, 12, tzinfo=UTC)
ARCS = {"official": "1.3.6.1.4.1.1847.2021.1", "alternative": "1.3.6.1.4.1.0.1847.2021.1"}
USAGE = {"t": "1", "v": "2", "r": "3"}


def _entries() -> dict[str, dict[str, Any]]:
    return {
        "t": naat_entry(NOW.replace(hour=8)),
        "v": vaccination_entry(),
        "r": recovery_entry(),
    }


def _problems(usages: tuple[str, ...], group: str) -> list[str]:
    key, der = signer(NOW, usages)
    text = hc1(key, der, NOW, certificate(group, _entries()[group]))
    return [problem.code for problem in read_dcc(text, [dsc(der)], NOW).problems]


@pytest.mark.parametrize("arc", sorted(ARCS))
@pytest.mark.parametrize("allowed", sorted(USAGE))
@pytest.mark.parametrize("group", sorted(USAGE))
def test_each_dgc_usage_oid_form_allows_only_its_type(arc: str, allowed: str, group: str) -> None:
    usage = f"{ARCS[arc]}.{USAGE[allowed]}"
    expected = [] if allowed == group else ["dcc.key_usage"]
    assert _problems((usage,), group) == expected


@pytest.mark.parametrize("group", sorted(USAGE))
def test_signer_without_extended_key_usage_signs_every_type(group: str) -> None:
    assert _problems((), group) == []


@pytest.mark.parametrize("group", sorted(USAGE))
def test_signer_with_only_unrelated_usages_signs_every_type(group: str) -> None:
    assert _problems((TLS_SERVER, TLS_CLIENT), group) == []


@pytest.mark.parametrize("group", sorted(USAGE))
def test_unrelated_usages_beside_a_dgc_one_do_not_widen_it(group: str) -> None:
    usages = (TLS_CLIENT, f"{ARCS['official']}.1")
    assert _problems(usages, group) == ([] if group == "t" else ["dcc.key_usage"])


def test_both_arcs_together_allow_the_union() -> None:
    usages = (f"{ARCS['official']}.2", f"{ARCS['alternative']}.3")
    assert [_problems(usages, group) for group in ("t", "v", "r")] == [["dcc.key_usage"], [], []]
