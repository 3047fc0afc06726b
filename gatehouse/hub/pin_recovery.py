"""The office issues a one-time supervisor-PIN recovery code for one enrolled booth.

The code is keyed with the hash of the booth's token, which only the hub and that booth can
compute, so the booth checks it offline (``core.recovery_codes``). Each issue is logged here;
each use is audited in the booth's chain, which reaches the hub like any passage.
"""

from __future__ import annotations

import logging
import secrets
from datetime import date

from sqlalchemy import Engine, select

from gatehouse.core.recovery_codes import issue_code
from gatehouse.hub.tables import booths

log = logging.getLogger(__name__)


class UnknownBoothError(LookupError):
    """No enrolled booth of that id: a code needs the booth's token."""


def issue_pin_recovery(engine: Engine, booth_id: str, today: date) -> str:
    with engine.connect() as conn:
        key_hex = conn.execute(
            select(booths.c.token_hash).where(booths.c.booth_id == booth_id)
        ).scalar_one_or_none()
    if not key_hex:
        raise UnknownBoothError(f"booth {booth_id!r} is not enrolled with this hub")
    code = issue_code(bytes.fromhex(key_hex), booth_id, today, secrets.token_bytes(3))
    log.info("PIN recovery code issued for booth %s on %s", booth_id, today)
    return code
