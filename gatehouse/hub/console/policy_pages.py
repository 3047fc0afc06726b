"""The checkpoint-policy form: office staff change and publish, supervisors read."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from gatehouse.hub.console import policies, risk_areas
from gatehouse.hub.console.pages import ZONE, local
from gatehouse.hub.console.policies import PolicyForm, PolicyFormError, Scheduled
from gatehouse.hub.console.risk_area_pages import shown_dry_run
from gatehouse.hub.console.stale import stale_error, submitted_based_on
from gatehouse.hub.console.web import ROOT, Console, Context
from gatehouse.hub.service import StalePublishError


def _page(context: Context, form: PolicyForm, status: int, **extra: Any) -> Response:
    now = context.hub.clock().astimezone(ZONE).strftime("%Y-%m-%dT%H:%M")
    return context.render(
        "policies.html",
        status,
        form=form,
        numbers=policies.NUMBERS,
        switches=policies.SWITCHES,
        published=context.request.query_params.get("published", ""),
        local=local,
        **{
            "effective": context.form.get("effective_at", now),
            "replaces": context.form.get("replaces", ""),
            **extra,
        },
    )


async def policy_form(context: Context) -> Response:
    # The version first: a publish between the two reads makes the form's base older than what
    # it shows, so it is refused rather than undone.
    based_on = await run_in_threadpool(context.hub.latest_version, policies.BUNDLE)
    pack = await run_in_threadpool(policies.pack_in_force, context.hub)
    waiting = await run_in_threadpool(policies.scheduled, context.hub)
    refused = await run_in_threadpool(policies.refused_chain, context.hub)
    current = policies.form_of(pack)
    shown = {
        "version": pack["version"],
        "waiting": waiting,
        "refused": refused,
        "based_on": based_on,
    }
    if context.request.method == "GET":
        edit = context.request.query_params.get("edit", "")
        await context.audit("view.policies", edit)
        return _editing(context, edit, waiting, shown) or _page(context, current, 200, **shown)
    replaces = context.form.get("replaces", "")
    shown["based_on"] = context.form.get("based_on", "")  # a refused form stays refused
    try:
        form = policies.read_form(context.form, list(current.checkpoints))
        if context.request.url.path.endswith("/dry-run"):
            return await _dry_run(context, form, shown)
        effective = _effective(context.form.get("effective_at", ""))
        user = context.session.user.username
        number = await run_in_threadpool(
            policies.publish,
            context.hub,
            form,
            effective,
            user,
            replaces,
            submitted_based_on(context, policies.BUNDLE, based_on),
        )
    except PolicyFormError as exc:
        submitted = _as_submitted(context.form, current)
        return _page(context, submitted, 400, error=(exc.key, exc.field), **shown)
    except StalePublishError as exc:  # kept as typed, and refused again until reloaded
        submitted = _as_submitted(context.form, current)
        return _page(context, submitted, 409, error=stale_error(exc), **shown)
    except ValueError as exc:  # the booth's own parser refused the pack
        return _page(context, current, 400, error=("refused_by_booths", str(exc)), **shown)
    replaced = f", replacing scheduled {replaces}" if replaces else ""
    await context.audit(
        "policy.publish", f"version {number} effective {effective.isoformat()}{replaced}"
    )
    return RedirectResponse(f"{ROOT}/policies?published={number}", status_code=303)


def _editing(
    context: Context, version: str, waiting: list[Scheduled], shown: dict[str, Any]
) -> Response | None:
    """The form filled with a scheduled pack's values and time, to change it in its place."""
    item = next((item for item in waiting if item.version == version), None)
    if item is None:
        return None
    effective = item.effective_from.astimezone(ZONE).strftime("%Y-%m-%dT%H:%M")
    form = policies.form_of(item.document)
    return _page(context, form, 200, effective=effective, replaces=item.version, **shown)


async def _dry_run(context: Context, form: PolicyForm, shown: dict[str, Any]) -> Response:
    replaces = context.form.get("replaces", "")
    run = await run_in_threadpool(policies.dry_run, context.hub, form, replaces)
    preview = shown_dry_run(run.result)
    compared = f"refused version {run.against}" if run.refused else run.against
    detail = f"{preview['checked']} passages, {len(run.result.changed)} changed vs {compared}"
    await context.audit("policy.dry_run", detail)
    days = risk_areas.DRY_RUN_DAYS
    against = {"against": run.against, "against_refused": run.refused}
    return _page(context, form, 200, days=days, **against, **preview, **shown)


def _effective(text: str) -> datetime:
    try:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M").replace(tzinfo=ZONE)
    except ValueError:
        raise PolicyFormError("bad_time", "effective_at") from None


def _as_submitted(fields: dict[str, str], current: PolicyForm) -> PolicyForm:
    """The form as the person filled it in, so a refusal loses nothing they typed."""
    checkpoints = {
        name: {
            **{field: fields.get(f"{name}.{field}", "") for field in policies.NUMBERS},
            **{field: fields.get(f"{name}.{field}") == "on" for field in policies.SWITCHES},
        }
        for name in current.checkpoints
    }
    return PolicyForm(checkpoints, tuple(fields.get("home_regions", "").split()))


def routes(console: Console) -> list[Route]:
    return [
        Route("/policies", console.guarded(policy_form), methods=["GET"]),
        Route("/policies/publish", console.guarded(policy_form, office=True), methods=["POST"]),
        Route("/policies/dry-run", console.guarded(policy_form, office=True), methods=["POST"]),
    ]
