"""The resident ID card held to the reader: what it adds to a decision.

A card on the reader is the guard's F7 without typing: its number is the person's ID for the
lists (only ever as the keyed hash). It also says who the person is, so a pass that names its
holder is checked against it: a different name, or a different number where the pass carries
the holder's keyed hash, means the pass belongs to someone else, and an expired card is not a
valid ID. These checks hold at every checkpoint, whatever the rule pack says: a pack cannot
make a borrowed pass good.

Nothing else from the card (address, photo, birth date, nation) ever reaches the booth's
decision or its ledger (docs/id-card-reader.md).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date

from gatehouse.core.models import PassClaims
from gatehouse.core.reasons import Reason, reason
from gatehouse.core.rules.persons import normalise_id_number

CARD_READER = "card_reader"  # read through the SAM protocol: name and validity known
WEDGE_READER = "wedge_reader"  # typed by a keyboard-wedge reader: the number only
ID_CARD_CHECK = "id_card"
"""The rule id the card's reasons carry: a check built into the booth, in no rule pack."""


@dataclass(frozen=True)
class IdCard:
    """What the booth uses of a card: the number (normalised on creation, ValueError if it is
    not a valid ID number), the name and the last day of validity when the reader gives them."""

    id_number: str
    name: str | None = None  # None: a wedge reader types only the number
    valid_until: date | None = None  # None: long-term (长期), or not given
    source: str = CARD_READER

    def __post_init__(self) -> None:
        object.__setattr__(self, "id_number", normalise_id_number(self.id_number))


def same_name(first: str, second: str) -> bool:
    """Names compared as printed: full-width forms, spaces and the middle-dot variants of
    minority names (·, ・, •) do not make two names differ."""
    return _name_key(first) == _name_key(second)


def card_reasons(
    card: IdCard | None, claims: PassClaims | None, card_hash: str | None, today: date
) -> tuple[Reason, ...]:
    """What the card says about this person at ``today`` (China time); () without a card.

    ``card_hash`` is the keyed hash of the card's number, compared with the hash a pass
    carries.
    """
    if card is None:
        return ()
    found: list[Reason] = []
    if card.valid_until is not None and card.valid_until < today:
        found.append(reason("id_card.expired", until=card.valid_until.isoformat()))
    if (
        claims is not None
        and card.name is not None
        and not same_name(card.name, claims.holder_name)
    ):
        found.append(
            reason("id_card.name_mismatch", card_name=card.name, pass_name=claims.holder_name)
        )
    elif (
        claims is not None
        and None not in (claims.id_hash, card_hash)
        and claims.id_hash != card_hash
    ):
        found.append(reason("id_card.number_mismatch"))
    if not found:
        found.append(reason("id_card.checked" if claims is not None else "id_card.read"))
    return tuple(found)


def _name_key(name: str) -> str:
    folded = unicodedata.normalize("NFKC", name)
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "·・•‧.")
