"""The CSV fast path's row: a passage nothing in ``safe_cell`` or the columns would change,
written from its stored values without going through the columns.

Shared by the booth's export (``passages_csv``, which tests the row in SQL) and the hub's
(``hub.exports``, which tests the stored record in Python); both fall back to the columns and
``safe_cell`` for any other row, so the output never depends on the shortcut.
"""

from __future__ import annotations

from collections.abc import Sequence

from gatehouse.reports.cells import FORMULA_TRIGGERS, MAX_CELL_CHARS, Cell, safe_text
from gatehouse.reports.columns import (
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


def plain_text(texts: Sequence[str | None]) -> bool:
    """Whether these texts (``TEXT_KEYS``' values) go out as they are: each text or nothing,
    none starting a formula, and together printable and short enough for any one cell."""
    for text in texts:
        if text is not None and (type(text) is not str or text[:1] in FORMULA_TRIGGERS):
            return False
    probe = "".join(text for text in texts if text)
    return probe.isprintable() and len(probe) <= MAX_CELL_CHARS


def masked_or_short(id_number: str | None) -> bool:
    """Whether ``id_number_cell`` leaves this masked export's ID number as stored."""
    return id_number is None or "*" in id_number or len(id_number) < 9


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
    if not reasons or reasons == "[]":
        deciding = codes = words = ""
    else:
        stored = {"reasons": reasons, "outcome": stored_outcome}
        ordered = deciding_first(stored)
        deciding = safe_text(reason_words_text(deciding_reasons(stored)))
        codes = safe_text(reason_codes_text(ordered))
        words = safe_text(reason_words_text(ordered))
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
