"""A restored booth takes back from the hub its own links past the backup, page by page.

Whatever stops it (hub unreachable, a refusal, a link that does not continue the chain) ends
the recovery where it got to and is reported: the restore then declares a new chain segment
from there, which the hub accepts as such.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from gatehouse.store.ledger import Ledger
from gatehouse.store.restore import RecoveryError
from gatehouse.sync import protocol
from gatehouse.sync.client import HubClient, HubRefusedError, HubUnavailableError
from gatehouse.sync.enrolment import SyncSettings

MAX_PAGES = 100_000  # a guard against a hub that keeps answering the same page


@dataclass(frozen=True)
class Recovery:
    recovered: int
    problem: str | None  # why it stopped before the hub had nothing more; None: all taken back


def recover_from_hub(
    ledger: Ledger, settings: SyncSettings, client: HubClient | None = None
) -> Recovery:
    """Append every link the hub holds from this booth past the ledger's head."""
    client = client or HubClient(settings.hub_url, settings.token)
    recovered = 0
    for _ in range(MAX_PAGES):
        head = ledger.chain_head()
        after = head.seq if head else 0
        try:
            body = client.request("GET", f"{protocol.CHAIN_PATH}?after={after}").json()
            items = body.get("items") if isinstance(body, dict) else None
            if not isinstance(items, list):
                return Recovery(recovered, "the hub's reply has no list of links")
            if not items:
                return Recovery(recovered, None)
            recovered += ledger.adopt_links(items).result()
        except (HubUnavailableError, HubRefusedError, RecoveryError) as exc:
            return Recovery(recovered, str(exc))
        except sqlite3.IntegrityError as exc:
            return Recovery(recovered, f"a record from the hub is already in the ledger: {exc}")
    return Recovery(recovered, "the hub kept sending links")
