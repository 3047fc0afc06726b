"""What a dry run says of each logged passage: the one row type of the risk-area and policy dry
runs (``risk_dry_run``, ``policy_dry_run``) and of the console pages that show them.

A row says whether the passage would now be decided more strictly (referred or turned away),
more loosely (no longer stopped for what changed; other checks still decide), the same, or
cannot be judged again from its record, and why: what now stops it and what no longer does
(the risk visits a list finds, or the names of the checks a policy changes).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Generic, TypeVar

Why = TypeVar("Why")


class Change(StrEnum):
    STRICTER = "stricter"
    LOOSER = "looser"
    UNCHANGED = "unchanged"
    NOT_CHECKABLE = "not_checkable"


@dataclass(frozen=True)
class DryRunRow(Generic[Why]):
    record: Mapping[str, Any]
    change: Change
    stricter: tuple[Why, ...] = ()  # what now stops the passage
    looser: tuple[Why, ...] = ()  # what stopped it and no longer does
    note: str = ""  # why it cannot be judged again


@dataclass(frozen=True)
class DryRunResult(Generic[Why]):
    rows: tuple[DryRunRow[Why], ...]

    def count(self, change: Change) -> int:
        return sum(1 for row in self.rows if row.change is change)

    def counts(self) -> dict[str, int]:
        """Each change's number of passages, by the change's value (as pages name them)."""
        return {change.value: self.count(change) for change in Change}

    @property
    def changed(self) -> tuple[DryRunRow[Why], ...]:
        return tuple(row for row in self.rows if row.change in (Change.STRICTER, Change.LOOSER))
