"""The CSV fast path's row: a passage nothing in ``safe_cell`` or the columns would change,
written from its stored values without going through the columns.

Shared by the booth's export (``passages_csv``, which tests the row in SQL) and the hub's
(``hub.exports``, which tests the stored record in Python); both fall back to the columns and
``safe_cell`` for any other row, so the output never depends on the shortcut.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import timezone
from typing import Any

from gatehouse.reports.cells import (
    DATETIME_TEXT,
    FORMULA_TRIGGERS,
    MAX_CELL_CHARS,
    Cell,
    IdNumbers,
    safe_text,
)
from gatehouse.reports.columns import (
    OUTCOME_WORDS,
    deciding_first,
    deciding_reasons,
    reason_codes_text,
    reason_words_text,
)

# Text shown as stored, in the order of ``passage_columns`` (the tests against ``write_table``
# hold the two together).
TEXT_KEYS = (
    "booth_id",
    "checkpoint_type",
    "holder_name",
    "id_masked",
    "role",
    "pass_id",
    "temperature_source",
    "guard_id",
    "policy_version",
    "passage_id",
)


# A selected row (``plain_select``): the export's cells in column order, then these.
CELLS = 18  # the export's columns (``passage_columns``)
_PASSAGE_ID = 17
_STORED_OUTCOME, _REASONS, _CAREFUL = CELLS, CELLS + 1, CELLS + 2


def plain_select(
    zone: timezone, column: Callable[[str], str], decided: str, careful: str
) -> list[str]:
    """SQLite's columns of a row for ``selected_cells`` (``cells_select``): the local time is
    text arithmetic on ``decided`` (a fixed offset), the temperature SQLite's REAL."""
    when = f"strftime('{DATETIME_TEXT}', {decided}, '{offset_seconds(zone):+d} seconds')"
    return cells_select(when, f"CAST({column('temperature_c')} AS REAL)", column, careful)


def offset_seconds(zone: timezone) -> int:
    """The zone's fixed offset from UTC in seconds."""
    offset = zone.utcoffset(None)
    return int(offset.total_seconds()) if offset is not None else 0


def cells_select(
    when: str, temperature: str, column: Callable[[str], str], careful: str
) -> list[str]:
    """The SQL columns of a row for ``selected_cells``: the export's cells as SQL has them
    (none overridden, no reasons), then the stored outcome and reasons and ``careful``, true
    when the columns or ``safe_cell`` could show the row differently. ``column(key)`` reads a
    stored value, ``when`` is the local time's text and ``temperature`` the stored number (a
    temperature already at one decimal is as ``round`` leaves it; others are careful)."""
    outcome = "CASE {} {} END".format(
        column("outcome"),
        " ".join(
            f"WHEN {quoted(name)} THEN {quoted(f'{zh} {en}')}"
            for name, (zh, en) in OUTCOME_WORDS.items()
        ),
    )
    # a missing text as '' (the csv module writes both alike): ``selected_cells`` then joins
    # the texts as they come, and any that is not text stops the join
    text = [f"coalesce({column(name)}, '')" for name in TEXT_KEYS]
    return [
        when,
        text[0],
        text[1],
        outcome,
        "NULL",  # overridden rows take the columns' path
        "NULL",
        "''",  # the reasons' three columns: filled in by ``selected_cells`` when there are any
        "''",
        "''",
        text[2],
        text[3],
        text[4],
        text[5],
        temperature,
        text[6],
        text[7],
        text[8],
        text[9],
        column("outcome"),
        column("reasons"),
        careful,
    ]


def careful_sql(
    id_numbers: IdNumbers,
    column: Callable[[str], str],
    checks: Sequence[str] = (),
    leading: str = "",
) -> str:
    """SQL: true when ``safe_cell`` or the columns could show the row differently than SQL has
    it: a text starts with a formula's character or one of ``leading``, or any of ``checks``
    holds (the caller's, the time's among them). Left to ``selected_cells``, which does them
    at C speed where SQLite is slow: control characters and lengths, a value that is not text
    and an outcome without words (both stop its join). NULL, not 0, for a row with a missing
    text and nothing else: false all the same.

    This runs once per exported row, on ten texts: one ``GLOB`` each for the first character
    (``typeof`` and ``unicode(...) IN (...)`` each were a third of the SQL's extra time)."""
    text = [column(name) for name in TEXT_KEYS]
    first = quoted(f"[{formula_class(FORMULA_TRIGGERS | set(leading))}]*")
    tests = [
        f"typeof({column('temperature_c')}) NOT IN ('real', 'integer', 'null')",
        # ``round(float(t), 1)`` is ``t`` itself for a value SQLite's round leaves alone
        f"coalesce(abs({column('temperature_c')}) > 1000, 0)",
        f"coalesce({column('temperature_c')} <> round({column('temperature_c')}, 1), 0)",
        *(f"{name} GLOB {first}" for name in text),
        *checks,
    ]
    if id_numbers is IdNumbers.MASKED:  # a full number stored: masked by ``id_number_cell``
        tests.append(
            f"({text[3]} IS NOT NULL AND instr({text[3]}, '*') = 0 AND length({text[3]}) >= 9)"
        )
    return f"({' OR '.join(tests)})"


def formula_class(characters: Iterable[str]) -> str:
    """The inside of a ``GLOB`` character class matching any of ``characters``: ``-`` last,
    where it is no range, and no ``]`` or ``^``, which the class would read as syntax."""
    chosen = set(characters)
    if chosen & {"]", "^"}:
        raise ValueError("a GLOB class here holds no ']' or '^'")
    return "".join(sorted(chosen - {"-"})) + ("-" if "-" in chosen else "")


def quoted(text: str) -> str:
    """An SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def plain_text(texts: Sequence[str | None]) -> bool:
    """Whether these texts (``TEXT_KEYS``' values) go out as they are: each text or nothing,
    none starting a formula, and together printable and short enough for any one cell."""
    for text in texts:
        if text is not None and (type(text) is not str or text[:1] in FORMULA_TRIGGERS):
            return False
    probe = "".join(filter(None, texts))
    return probe.isprintable() and len(probe) <= MAX_CELL_CHARS


def masked_or_short(id_number: str | None) -> bool:
    """Whether ``id_number_cell`` leaves this masked export's ID number as stored."""
    return id_number is None or "*" in id_number or len(id_number) < 9


def selected_cells(
    rows: Iterable[tuple[Any, ...]],
    careful_cells: Callable[[tuple[Any, ...]], Sequence[Cell]],
    overridden: frozenset[str] = frozenset(),
) -> Iterator[Sequence[Cell]]:
    """Each selected row's cells (``plain_select``; the caller's own columns follow): as SQL
    has them when SQL found nothing needing care, the reasons parsed once when there are
    any, else ``careful_cells(row)`` (the columns and ``safe_cell``).

    This loop runs once per exported row, so it does only C-speed work on a plain row.
    """
    for row in rows:
        # Formula triggers and ID numbers were tested in SQL (``careful``); the texts' types,
        # printability and length here, with the time and outcome words, which always pass.
        if row[_CAREFUL] or (overridden and row[_PASSAGE_ID] in overridden):
            yield careful_cells(row)
            continue
        try:  # the texts, then the time and outcome words: SQL's NULL for a bad one
            probe = "".join(row[:4] + row[9:13] + row[14:CELLS])
        except TypeError:  # not text: a number where text goes, or no time or words
            yield careful_cells(row)
            continue
        if not probe.isprintable() or len(probe) > MAX_CELL_CHARS:
            yield careful_cells(row)
        elif row[_REASONS] and row[_REASONS] != "[]":
            reasons = reason_cells(row[_REASONS], row[_STORED_OUTCOME])
            yield (*row[:6], *reasons, *row[9:CELLS])
        else:
            yield row[:CELLS]


def reason_cells(reasons: str, outcome: str | None) -> tuple[str, str, str]:
    """The deciding reasons, all reasons' codes and all reasons' words of stored ``reasons``."""
    stored = {"reasons": reasons, "outcome": outcome}
    ordered = deciding_first(stored)
    return (
        safe_text(reason_words_text(deciding_reasons(stored))),
        safe_text(reason_codes_text(ordered)),
        safe_text(reason_words_text(ordered)),
    )


def plain_cells(
    when: str,
    outcome_words: str,
    stored_outcome: str | None,
    reasons: str | None,
    temperature: float | None,
    texts: Sequence[str | None],
) -> tuple[Cell, ...]:
    """The export's cells of a plain row (``texts`` in ``TEXT_KEYS`` order), with the reasons
    parsed once and not at all when there are none."""
    deciding = codes = words = ""
    if reasons and reasons != "[]":
        deciding, codes, words = reason_cells(reasons, stored_outcome)
    booth, checkpoint, name, id_number, role, pass_id, source, guard, policy, passage_id = texts
    return (
        when,
        booth,
        checkpoint,
        outcome_words,
        None,  # overridden rows take the columns' path
        None,
        deciding,
        codes,
        words,
        name,
        id_number,
        role,
        pass_id,
        None if temperature is None else round(float(temperature), 1),
        source,
        guard,
        policy,
        passage_id,
    )
