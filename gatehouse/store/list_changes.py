"""What an import would do to a list, worked out before anything is written.

A supervisor who means to add three people must never delete everyone else by accident, so
every import names how it applies (replace the list, add to it, remove from it, or restore a
kept version) and is previewed as the people added, removed, changed and unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class ListMode(StrEnum):
    REPLACE = "replace"  # the file is the whole new list
    ADD = "add"  # the file's people join the list (or update their entry)
    REMOVE = "remove"  # the file's people leave the list
    RESTORE = "restore"  # a kept version becomes the list again


@dataclass(frozen=True)
class Person:
    """A person as the desk shows them: masked ID number and name, never the full number."""

    id_masked: str
    name: str


@dataclass(frozen=True)
class ListChange:
    kind: str
    mode: ListMode
    base_version: int  # the version the change was worked out against (0: no list yet)
    added: tuple[Person, ...]
    removed: tuple[Person, ...]
    changed: tuple[Person, ...]  # on the list before and after, with other details
    unchanged: int
    not_on_list: tuple[Person, ...]  # REMOVE only: people in the file the list does not hold
    people_after: int


Row = Mapping[str, Any]  # a local_list_entries row: id_hash, id_masked, name, details, …


def apply_mode(mode: ListMode, current: Iterable[Row], incoming: Iterable[Row]) -> list[Row]:
    """The list after applying ``incoming`` to ``current`` the way ``mode`` says."""
    before = {row["id_hash"]: row for row in current}
    given = {row["id_hash"]: row for row in incoming}
    if mode is ListMode.ADD:
        return list({**before, **given}.values())
    if mode is ListMode.REMOVE:
        return [row for key, row in before.items() if key not in given]
    return list(given.values())


def describe(
    kind: str,
    mode: ListMode,
    base_version: int,
    current: Iterable[Row],
    incoming: Iterable[Row],
) -> ListChange:
    """The preview of applying ``incoming`` to ``current``."""
    before = {row["id_hash"]: row for row in current}
    given = {row["id_hash"]: row for row in incoming}
    after = {row["id_hash"]: row for row in apply_mode(mode, before.values(), given.values())}
    both = [key for key in after if key in before]
    changed = [key for key in both if _content(before[key]) != _content(after[key])]
    missing = [row for key, row in given.items() if key not in before]
    return ListChange(
        kind=kind,
        mode=mode,
        base_version=base_version,
        added=_people(row for key, row in after.items() if key not in before),
        removed=_people(row for key, row in before.items() if key not in after),
        changed=_people(after[key] for key in changed),
        unchanged=len(both) - len(changed),
        not_on_list=_people(missing) if mode is ListMode.REMOVE else (),
        people_after=len(after),
    )


def _content(row: Row) -> tuple[Any, Any]:
    return row.get("name"), row["details"]


def _people(rows: Iterable[Row]) -> tuple[Person, ...]:
    return tuple(
        sorted(
            (Person(row["id_masked"], row.get("name") or "") for row in rows),
            key=lambda person: (person.id_masked, person.name),
        )
    )
