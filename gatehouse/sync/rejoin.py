"""A restored booth takes back from the hub its own links past the backup, page by page.

Whatever stops it (hub unreachable, a refusal, a link that does not continue the chain) ends
the recovery where it got to and is reported: the restore then declares a new chain segment
from there, which the hub accepts as such. So does a kept link (``protocol.KEPT``): its record,
made under an earlier booth id, never left the booth that made it, and a link adopted without
its record would be a deleted record to every later check of this ledger.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

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
            usable, stop = _before_kept(items)
            recovered += ledger.adopt_links(usable).result()
            if stop is not None:
                return Recovery(recovered, stop)
        except (HubUnavailableError, HubRefusedError, RecoveryError) as exc:
            return Recovery(recovered, str(exc))
        except sqlite3.IntegrityError as exc:
            return Recovery(recovered, f"a record from the hub is already in the ledger: {exc}")
    return Recovery(recovered, "the hub kept sending links")


def _before_kept(items: list[Any]) -> tuple[list[Any], str | None]:
    """The items before the first kept link, and why the read-back stops there (if it does)."""
    for index, item in enumerate(items):
        try:
            note = protocol.kept_from_json(item) if isinstance(item, Mapping) else None
        except ValueError as exc:
            return items[:index], f"the hub sent a malformed link: {exc}"
        if note is not None:
            seq = item["link"].get("seq") if isinstance(item.get("link"), Mapping) else "?"
            return items[:index], (
                f"link {seq} was kept at the booth that made it ({note.reason}): the hub holds "
                "only its link, not its record, so the read-back stops before it"
            )
    return items, None
