"""Recognising text a keyboard-wedge scanner garbled, so it reads as a scanner fault.

A USB scanner "types" what it reads; when the PC's keyboard layout or Caps Lock differs from
the scanner's, characters come out changed: HC1: becomes hc1; (Caps Lock), HC1Ö (a German
layout), HC&M (French). The text is recognised as mangled only when undoing one of those
changes turns it back into a well-formed code of a kind we know, so a random string is never
blamed on the scanner.
"""

from __future__ import annotations

from collections.abc import Callable

from gatehouse.core.base45 import ALPHABET

_BASE45 = frozenset(ALPHABET)

# For each cause: what the scanner typed -> what the code said. Letters not listed keep their
# case except under "caps-lock", which swaps all of them.
_US_SCANNER_ON_GERMAN = {"Z": "Y", "Y": "Z", "Ö": ":", "-": "/", "ß": "-", "(": "*", "`": "+"}
_US_SCANNER_ON_FRENCH = {
    **dict(zip("&é\"'(-è_çà", "1234567890", strict=True)),
    "Q": "A",
    "A": "Q",
    "W": "Z",
    "Z": "W",
    "M": ":",
    "!": "/",
    "?": ".",
}
_SHIFT_INVERTED = {
    **dict(zip("!@#$%^&*()", "1234567890", strict=True)),
    **dict(zip("1234567890", "!@#$%^&*()", strict=True)),
    ";": ":",
    ":": ";",
    "?": "/",
    "/": "?",
    ">": ".",
    ".": ">",
    "_": "-",
    "-": "_",
    "=": "+",
    "+": "=",
}


def _mapping(table: dict[str, str]) -> Callable[[str], str]:
    return lambda text: "".join(table.get(char, char) for char in text)


_REPAIRS: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("caps-lock", str.swapcase),
    ("shift-inverted", lambda text: _mapping(_SHIFT_INVERTED)(text).swapcase()),
    ("german-layout", _mapping(_US_SCANNER_ON_GERMAN)),
    ("french-layout", _mapping(_US_SCANNER_ON_FRENCH)),
)


def _well_formed(text: str) -> bool:
    """Prefix and alphabet of a code we read: base45 after HC1:/GH1:, digits after shc:/."""
    for prefix in ("HC1:", "GH1:"):
        if text.startswith(prefix):
            body = text[len(prefix) :]
            return bool(body) and set(body) <= _BASE45 and len(body) % 3 != 1
    if text.startswith("shc:/"):
        body = text[len("shc:/") :].replace("/", "")
        return body.isdecimal()
    return False


def mangling_cause(text: str) -> str | None:
    """Which scanner mix-up turns a known code into ``text``, or None if none does."""
    if _well_formed(text):
        return None
    for cause, repair in _REPAIRS:
        if _well_formed(repair(text)):
            return cause
    return None
