"""One-time PIN recovery codes the office issues for one booth, checked offline at the booth.

A code is 16 base32 characters (typed as four groups of four): the day it was issued, a random
nonce, and an HMAC over both and the booth's id keyed with the hash of the booth's token, which
the hub keeps and the booth can compute from its own token. It is valid for ``VALID_DAYS`` from
its day; the booth spends its nonce in the same transaction that sets the new PIN, so each code
works once.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from datetime import date

VALID_DAYS = 7
_EPOCH = date(2020, 1, 1)
_NONCE_BYTES, _MAC_BYTES = 3, 5
# Letters and digits a person may type for the base32 ones they resemble.
_LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B"})


class RecoveryCodeError(ValueError):
    """Not a valid recovery code for this booth today; the message says which check failed."""


@dataclass(frozen=True)
class RecoveryCode:
    issued: date
    nonce: str  # hex, what the booth remembers as spent


def issue_code(key: bytes, booth_id: str, issued: date, nonce: bytes) -> str:
    """The code for ``booth_id`` issued on ``issued``; ``nonce`` must be fresh random bytes."""
    if len(nonce) != _NONCE_BYTES:
        raise ValueError(f"the nonce must be {_NONCE_BYTES} bytes")
    day = (issued - _EPOCH).days.to_bytes(2, "big")
    raw = day + nonce + _mac(key, booth_id, day + nonce)
    text = base64.b32encode(raw).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def read_code(text: str, key: bytes, booth_id: str, today: date) -> RecoveryCode:
    """The code's day and nonce if it was issued for ``booth_id`` and is still valid."""
    cleaned = "".join(text.split()).replace("-", "").upper().translate(_LOOKALIKES)
    try:
        raw = base64.b32decode(cleaned)
    except ValueError:
        raise RecoveryCodeError("not a recovery code (16 letters and digits)") from None
    if len(raw) != 2 + _NONCE_BYTES + _MAC_BYTES:
        raise RecoveryCodeError("not a recovery code (16 letters and digits)")
    body, mac = raw[: 2 + _NONCE_BYTES], raw[2 + _NONCE_BYTES :]
    if not hmac.compare_digest(mac, _mac(key, booth_id, body)):
        raise RecoveryCodeError("the code was not issued for this booth (or is mistyped)")
    issued = date.fromordinal(_EPOCH.toordinal() + int.from_bytes(body[:2], "big"))
    if not issued <= today <= date.fromordinal(issued.toordinal() + VALID_DAYS):
        raise RecoveryCodeError(f"the code was issued on {issued} and is no longer valid")
    return RecoveryCode(issued, body[2:].hex())


def _mac(key: bytes, booth_id: str, body: bytes) -> bytes:
    message = b"gatehouse-pin-recovery\x00" + booth_id.encode("utf-8") + b"\x00" + body
    return hmac.new(key, message, hashlib.sha256).digest()[:_MAC_BYTES]
