"""The console's keys page: what the hub signs with, and whether the offline root key is needed.

The hub holds its bundle key only. The trust list (which pass issuers booths trust, and the
revocations) is signed with the office's root key, kept offline; the page says when the
published trusted_keys bundle needs such a signature (docs/keys.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from starlette.concurrency import run_in_threadpool
from starlette.responses import Response
from starlette.routing import Route

from gatehouse.core.keys import fingerprint
from gatehouse.core.trust_list import TrustListError, unverified_trust_list
from gatehouse.hub.console.pages import local
from gatehouse.hub.console.web import Console, Context
from gatehouse.hub.service import Hub
from gatehouse.sync.protocol import open_bundle


@dataclass(frozen=True)
class TrustListState:
    """The published trust list: its sequence and date, or why the root key must sign one."""

    sequence: int | None
    issued_at: datetime | None
    root_signature_needed: str | None  # a message key; None: a signed list is published


def trust_list_state(hub: Hub) -> TrustListState:
    latest = hub.latest_bundle("trusted_keys")
    if latest is None:
        return TrustListState(None, None, "root_none_published")
    content = open_bundle(latest.signed, hub.bundle_key.public_key(), "trusted_keys").content
    if not isinstance(content, str):
        return TrustListState(None, None, "root_plain_file")
    try:
        listed = unverified_trust_list(content)
    except TrustListError:
        return TrustListState(None, None, "root_plain_file")
    return TrustListState(listed.sequence, listed.issued_at, None)


async def keys_page(context: Context) -> Response:
    state = await run_in_threadpool(trust_list_state, context.hub)
    await context.audit("view.keys", "")
    public = context.hub.bundle_key.public_key()
    return context.render(
        "keys.html", trust=state, bundle_key=fingerprint(public).hex(), local=local
    )


def routes(console: Console) -> list[Route]:
    return [Route("/keys", console.guarded(keys_page, office=True))]
