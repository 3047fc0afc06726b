"""The person's own ID against the pass: what a typed number or a card adds to a decision.

A card on the reader is the guard's F7 without typing: its number is the person's ID for the
lists (only ever as the keyed hash). Either way, typed or read, a number that is not the one
whose keyed hash the pass carries means the pass belongs to someone else: the lists would
otherwise be checked against one person while the pass is another's. A card also says who the
person is, so a different name on it than on the pass refers the same way, and an expired
card is not a valid ID. These checks hold at every checkpoint, whatever the rule pack says: a
pack cannot make a borrowed pass good.

Nothing else from the card (address, photo, birth date, nation) ever reaches the booth's
decision or its ledger (docs/id-card-reader.md).
"""

from __future__ import annotations

import hmac
import unicodedata
from dataclasses import dataclass
from datetime import date

from gatehouse.core.models import PassClaims
from gatehouse.core.reasons import Reason, ReasonCode, reason
from gatehouse.core.rules.persons import key_check, normalise_id_number

CARD_READER = "card_reader"  # read through the SAM protocol: name and validity known
WEDGE_READER = "wedge_reader"  # typed by a keyboard-wedge reader: the number only
HOLDER_CHECK = "holder"
"""The rule id these reasons carry: a check built into the booth, in no rule pack."""


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


def holder_reasons(
    card: IdCard | None,
    number_hash: str | None,
    claims: PassClaims | None,
    list_secret: bytes,
    today: date,
) -> tuple[Reason, ...]:
    """Whether the person's ID (typed, or ``card`` when read) is the pass holder's, and whether
    the card is valid at ``today`` (China time); () when neither a card nor a differing number.

    ``number_hash`` is the keyed hash of the number the guard typed or the card gave (None: no
    valid number), under the booth's ``list_secret``.
    """
    found: list[Reason] = []
    if card is not None and card.valid_until is not None and card.valid_until < today:
        found.append(reason(ReasonCode.ID_CARD_EXPIRED, until=card.valid_until.isoformat()))
    if (
        claims is not None
        and card is not None
        and card.name is not None
        and not same_name(card.name, claims.holder_name)
    ):
        found.append(
            reason(
                ReasonCode.ID_CARD_NAME_MISMATCH, card_name=card.name, pass_name=claims.holder_name
            )
        )
    elif _another_holder(number_hash, claims, list_secret):
        found.append(reason(ReasonCode.HOLDER_NUMBER_MISMATCH))
    if card is not None and not found:
        found.append(
            reason(ReasonCode.ID_CARD_CHECKED if claims is not None else ReasonCode.ID_CARD_READ)
        )
    return tuple(found)


def _another_holder(number_hash: str | None, claims: PassClaims | None, list_secret: bytes) -> bool:
    """The pass carries its holder's keyed hash under the booth's list secret and the given
    number's differs. A hash under another secret, or one that does not say which, cannot be
    compared (it would differ for everyone), exactly as the lists treat it."""
    if number_hash is None or claims is None or claims.id_hash is None:
        return False
    pass_key = claims.id_key_check
    if pass_key is None or not hmac.compare_digest(pass_key, key_check(list_secret)):
        return False
    return not hmac.compare_digest(claims.id_hash, number_hash)


def _name_key(name: str) -> str:
    folded = unicodedata.normalize("NFKC", name)
    return "".join(ch for ch in folded if not ch.isspace() and ch not in "·・•‧.")
