"""The text the reader returns from a resident ID card (read base information, 30 01).

The answer's data is the text length and the photo length (two bytes each, big-endian), the
text block, then the photo (in the card's own encrypted format, 1024 bytes). The text block is
256 bytes of UCS-2 little-endian in fixed-width fields, padded with spaces (HslCommunication's
``ExtractIdentityCard``; docs/id-card-reader.md):

=============  =====  ==============================================
field          chars  content
=============  =====  ==============================================
name           15     姓名
sex            1      1 male, 2 female
nation         2      民族 code (GB 3304), 01 汉 ...
birth          8      YYYYMMDD
address        35     住址
ID number      18     公民身份号码
authority      15     签发机关
valid from     8      YYYYMMDD
valid until    8      YYYYMMDD, or 长期 (long-term) padded with spaces
reserved       18
=============  =====  ==============================================

Only the name, the ID number and the validity are kept in ``IdCardText``: the booth needs
nothing else (minimum collection), and the photo is never even sliced out of the answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

TEXT_BYTES = 256
PHOTO_BYTES = 1024
LONG_TERM = "长期"
_FIELDS = (
    ("name", 15),
    ("sex", 1),
    ("nation", 2),
    ("birth", 8),
    ("address", 35),
    ("id_number", 18),
    ("authority", 15),
    ("valid_from", 8),
    ("valid_until", 8),
    ("reserved", 18),
)


class CardDataError(ValueError):
    """The reader said success but the text is not a card's: the message says what is wrong."""


@dataclass(frozen=True)
class IdCardText:
    """What the booth takes from a card: who it names, their number, how long it is valid."""

    name: str
    id_number: str
    valid_from: date
    valid_until: date | None  # None: long-term (长期)


def parse_base_information(data: bytes) -> IdCardText:
    """The card in a successful read-base-information answer's data; CardDataError if the
    data does not hold a card's text block."""
    if len(data) < 4:
        raise CardDataError("the answer is too short to hold the text and photo lengths")
    text_length = int.from_bytes(data[0:2], "big")
    if text_length != TEXT_BYTES or len(data) < 4 + text_length:
        raise CardDataError(f"the text block is {text_length} bytes, not {TEXT_BYTES}")
    try:
        text = data[4 : 4 + TEXT_BYTES].decode("utf-16-le")
    except UnicodeDecodeError as exc:
        raise CardDataError(f"the text block is not UCS-2: {exc.reason}") from None
    fields = _split(text)
    name = fields["name"]
    if not name:
        raise CardDataError("the card names nobody")
    return IdCardText(
        name=name,
        id_number=fields["id_number"],
        valid_from=_date(fields["valid_from"], "valid from"),
        valid_until=None
        if fields["valid_until"] == LONG_TERM
        else _date(fields["valid_until"], "valid until"),
    )


def base_information(card: IdCardText, photo: bytes = bytes(PHOTO_BYTES)) -> bytes:
    """The answer data a reader sends for ``card``: parse_base_information in reverse."""
    values = {
        "name": card.name,
        "sex": "1",
        "nation": "01",
        "birth": card.id_number[6:14],
        "address": "",
        "id_number": card.id_number,
        "authority": "",
        "valid_from": card.valid_from.strftime("%Y%m%d"),
        "valid_until": LONG_TERM
        if card.valid_until is None
        else card.valid_until.strftime("%Y%m%d"),
        "reserved": "",
    }
    text = "".join(values[name][:width].ljust(width) for name, width in _FIELDS)
    block = text.encode("utf-16-le")
    return TEXT_BYTES.to_bytes(2, "big") + len(photo).to_bytes(2, "big") + block + photo


def _split(text: str) -> dict[str, str]:
    fields, at = {}, 0
    for name, width in _FIELDS:
        fields[name] = text[at : at + width].strip(" \x00")
        at += width
    return fields


def _date(text: str, what: str) -> date:
    try:
        if len(text) != 8 or not text.isdigit():
            raise ValueError
        return date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise CardDataError(f"the card's {what} date {text!r} is not YYYYMMDD") from None
