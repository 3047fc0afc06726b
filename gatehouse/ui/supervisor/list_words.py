"""The words a supervisor reads about a list change: which list, how, and what it will do."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from gatehouse.store.list_changes import ListChange, ListMode

translate = QCoreApplication.translate  # lupdate finds translate("ListWords", "…") calls


def list_name(kind: str) -> str:
    return {
        "isolation": translate("ListWords", "Home isolation list"),
        "visitors": translate("ListWords", "Visitor approvals"),
        "contractors": translate("ListWords", "Contractor ledger"),
        "employees": translate("ListWords", "Employee roster"),
    }.get(kind, kind)


def mode_name(mode: ListMode) -> str:
    """How a version came about, as the history table shows it."""
    return {
        ListMode.REPLACE: translate("ListWords", "Replaced the list"),
        ListMode.ADD: translate("ListWords", "Added people"),
        ListMode.REMOVE: translate("ListWords", "Removed people"),
        ListMode.RESTORE: translate("ListWords", "Restored a version"),
    }[mode]


def mode_choice(mode: ListMode) -> str:
    """The import choices, as the supervisor picks one."""
    return {
        ListMode.REPLACE: translate("ListWords", "Replace the whole list with the file"),
        ListMode.ADD: translate("ListWords", "Add the file's people to the list"),
        ListMode.REMOVE: translate("ListWords", "Remove the file's people from the list"),
    }[mode]


def change_summary(change: ListChange) -> str:
    """One line: the counts the preview found and the list's size afterwards."""
    return (
        translate(
            "ListWords",
            "Added %1 · removed %2 · changed %3 · unchanged %4 — %5 people on the list afterwards.",
        )
        .replace("%1", str(len(change.added)))
        .replace("%2", str(len(change.removed)))
        .replace("%3", str(len(change.changed)))
        .replace("%4", str(change.unchanged))
        .replace("%5", str(change.people_after))
    )


def confirmation(change: ListChange, source: str) -> tuple[str, str, str]:
    """The title, the text and the confirming button's label of the question asked before a
    change is applied; it names the list, how it changes, and what removals mean."""
    name = list_name(change.kind)
    question, button = {
        ListMode.REPLACE: (
            translate("ListWords", "Replace the %1 with the people in %2?"),
            translate("ListWords", "&Replace the list"),
        ),
        ListMode.ADD: (
            translate("ListWords", "Add the people in %2 to the %1?"),
            translate("ListWords", "&Add to the list"),
        ),
        ListMode.REMOVE: (
            translate("ListWords", "Remove the people in %2 from the %1?"),
            translate("ListWords", "Re&move from the list"),
        ),
        ListMode.RESTORE: (
            translate("ListWords", "Make %2 the %1 again?"),
            translate("ListWords", "Re&store this version"),
        ),
    }[change.mode]
    lines = [question.replace("%1", name.lower()).replace("%2", source), change_summary(change)]
    if change.removed:
        lines.append(
            translate(
                "ListWords", "%1 people leave the list and are no longer matched against it."
            ).replace("%1", str(len(change.removed)))
        )
    if change.not_on_list:
        lines.append(
            translate(
                "ListWords", "%1 people in the file are not on the list; nothing changes for them."
            ).replace("%1", str(len(change.not_on_list)))
        )
    lines.append(translate("ListWords", "The current version is kept and can be restored."))
    return name, "\n\n".join(lines), button
