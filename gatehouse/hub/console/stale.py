"""Compare-and-set for the console's publish forms: a page carries the bundle version it was
made from, so a publish from a page opened before someone else's is refused, never signed over
their change (``Hub.publish(based_on=...)``)."""

from __future__ import annotations

from gatehouse.hub.console.web import Context
from gatehouse.hub.service import StalePublishError

ERROR = "publish_stale"  # the pages' message, with the reload link (templates/_error.html)


def submitted_based_on(context: Context, bundle: str, latest: int) -> int:
    """The version of ``bundle`` the submitted page was made from; a form without one (a page
    from before this field) counts as stale, since what it was based on is unknown."""
    text = context.form.get("based_on", "")
    if not text.isdigit():
        raise StalePublishError(bundle, -1, latest)
    return int(text)


def stale_error(exc: StalePublishError) -> tuple[str, str]:
    """The page's error for a refused publish: the version now published."""
    return ERROR, str(exc.latest)
