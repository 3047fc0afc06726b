"""The region search behind the guard's travel dialog: the work one keystroke costs.

The dialog searches the whole region table on the GUI thread at every keystroke; if a keystroke
cost more than about 5 ms it would have to move to a worker or get an index.
"""

from __future__ import annotations

import functools

from bench.report import Section, ms, summary_ms, table, time_calls
from gatehouse.bundles.policy import region_table
from gatehouse.core.rules.regions import RegionTable
from gatehouse.ui.guard.travel_dialog import MATCHES_SHOWN

# What guards type, keystroke by keystroke: pinyin, initials, Chinese names, single letters.
TYPED = ("beijing", "bj", "taiyuan", "ty", "xian", "xa", "eerduosi", "zhungeer", "北京", "鄂尔多斯")


def _keystrokes() -> list[str]:
    return sorted({word[:end] for word in TYPED for end in range(1, len(word) + 1)})


def _one_keystroke(regions: RegionTable, typed: str) -> None:
    """What the dialog does per keystroke: search, then the full name of every match shown."""
    for region in regions.search(typed, limit=MATCHES_SHOWN):
        regions.display(region.code)


def run(quick: bool) -> list[Section]:
    regions = region_table()
    repeats = 5 if quick else 100
    per_prefix = {
        typed: time_calls(functools.partial(_one_keystroke, regions, typed), repeats, warmup=1)
        for typed in _keystrokes()
    }
    samples = [s for values in per_prefix.values() for s in values]
    median, p95 = summary_ms(samples)
    slowest = max(per_prefix, key=lambda typed: max(per_prefix[typed]))
    rows = [
        [
            len(regions),
            len(per_prefix),
            median,
            p95,
            ms(max(samples)),
            f"“{slowest}”",
        ]
    ]
    return [
        Section(
            title="Region search per keystroke (travel dialog)",
            method=(
                f"RegionTable.search over the whole GB/T 2260 table, then the full name of each "
                f"of the {MATCHES_SHOWN} matches shown, for every prefix of {len(TYPED)} words "
                f"guards type ({', '.join(TYPED)}), {repeats} times each; one core. Above "
                "~5 ms a keystroke would have to leave the GUI thread."
            ),
            body=table(
                [
                    "regions",
                    "prefixes",
                    "median ms",
                    "p95 ms",
                    "max ms",
                    "slowest prefix",
                ],
                rows,
            ),
        )
    ]
