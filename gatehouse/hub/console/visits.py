"""Visits, without HTTP: a host's request, the office's approval (which signs the visitor's
pass) or refusal, and the revocation of an approved visit's pass.

Who does what: a mine supervisor requests visits to their own mine (they know the host);
office staff request for any mine, and only office staff approve, refuse or revoke. The
visitor's ID number is kept like a list entry's (keyed hash and masked form), so the pass is
made from those: ``PassClaims`` signed by ``encode_pass``, its card drawn by ``card.render_card``.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from enum import StrEnum
from typing import Any

import segno
from sqlalchemy import Engine, select

from gatehouse.core.gatehouse_pass import encode_pass, verify_pass
from gatehouse.core.keys import TrustedKey, TrustStore
from gatehouse.core.models import HealthCodeColour, PassClaims, Role
from gatehouse.core.rules.persons import key_check
from gatehouse.core.trust_list import TrustList, unverified_trust_list
from gatehouse.hub.console.people import EntryError, day, hashed_id, visit_end, visit_start
from gatehouse.hub.issuing import HubIssuer
from gatehouse.hub.service import Hub, iso, retried_on_stale
from gatehouse.hub.tables import visits
from gatehouse.sync.protocol import open_bundle

MAX_VISIT_DAYS = 31
TRUST_BUNDLE = "trusted_keys"


class Status(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REFUSED = "refused"
    REVOKED = "revoked"


@dataclass(frozen=True)
class Visit:
    visit_id: str
    holder_name: str
    id_masked: str
    purpose: str
    mine: str
    host: str
    first_day: str
    last_day: str
    status: str
    requested_by: str
    requested_at: str
    decided_by: str | None
    decided_at: str | None
    refusal: str | None
    pass_id: str | None
    pass_text: str | None
    revoked_by: str | None
    revoked_at: str | None


_COLUMNS = [visits.c[name] for name in Visit.__dataclass_fields__]


def request_visit(
    hub: Hub, secret: bytes, form: Mapping[str, str], mine: str, by: str, zone: tzinfo
) -> str:
    """Record the request; its visit id. EntryError saying what is wrong with the form."""
    text = {name: (form.get(name) or "").strip() for name in ("name", "purpose", "host")}
    for name, words in (("name", "姓名"), ("purpose", "来访事由"), ("host", "接待人")):
        if not text[name]:
            raise EntryError(f"请填写{words} · {name} is required")
    if not mine.strip():
        raise EntryError("请填写矿井 · mine is required")
    hashed, masked = hashed_id(secret, form.get("id_number", ""))
    now = hub.clock()
    today = now.astimezone(zone).date()
    first = day(form.get("first_day") or "", "来访日期 first day")
    last = day(form.get("last_day") or "", "离开日期 last day")
    if first < today.isoformat():
        raise EntryError("来访日期已过 · The first day has passed")
    span = (date.fromisoformat(last) - date.fromisoformat(first)).days
    if not 0 <= span < MAX_VISIT_DAYS:
        raise EntryError(
            f"离开日期须在来访日期后{MAX_VISIT_DAYS}天内 · The last day must be on or after the "
            f"first, within {MAX_VISIT_DAYS} days"
        )
    visit_id = f"V{today:%Y%m%d}-{secrets.token_hex(3).upper()}"
    with hub.engine.begin() as conn:
        conn.execute(
            visits.insert().values(
                visit_id=visit_id,
                holder_name=text["name"],
                id_hash=hashed,
                id_masked=masked,
                purpose=text["purpose"],
                mine=mine.strip(),
                host=text["host"],
                first_day=first,
                last_day=last,
                status=Status.REQUESTED,
                requested_by=by,
                requested_at=iso(now),
            )
        )
    return visit_id


def visits_of(engine: Engine, mine: str | None) -> list[Visit]:
    """Every visit (``mine``: that mine's), the latest first day first."""
    statement = select(*_COLUMNS).order_by(visits.c.first_day.desc(), visits.c.visit_id)
    if mine is not None:
        statement = statement.where(visits.c.mine == mine)
    with engine.connect() as conn:
        return [Visit(**row._mapping) for row in conn.execute(statement)]


def visit(engine: Engine, visit_id: str) -> Visit | None:
    with engine.connect() as conn:
        row = conn.execute(select(*_COLUMNS).where(visits.c.visit_id == visit_id)).first()
    return Visit(**row._mapping) if row else None


def approve(hub: Hub, issuer: HubIssuer, visit_id: str, by: str, zone: tzinfo) -> str:
    """Approve a requested visit and sign its pass (the office checked the visitor's health
    code green now); the pass's text. EntryError when the visit is not awaiting a decision."""
    if issuer.list_secret is None:
        raise EntryError("本中心没有名单密钥 · This hub has no list secret")
    now = hub.clock().replace(microsecond=0)
    with hub.engine.begin() as conn:
        row = conn.execute(
            select(visits).where(visits.c.visit_id == visit_id, visits.c.status == Status.REQUESTED)
        ).first()
        if row is None:
            raise EntryError("此来访不在待审批状态 · This visit is not awaiting a decision")
        claims = PassClaims(
            pass_id=row.visit_id,
            holder_name=row.holder_name,
            id_masked=row.id_masked,
            role=Role.VISITOR,
            health_code=HealthCodeColour.GREEN,
            health_code_checked_at=now,
            test=None,
            travel=(),
            issued_at=now,
            valid_from=visit_start(row.first_day, zone),  # the visit's days, as on the lists
            valid_until=visit_end(row.last_day, zone),
            id_hash=row.id_hash,
            id_key_check=key_check(issuer.list_secret),
            host=row.host,
            approval_id=row.visit_id,
        )
        text = encode_pass(claims, issuer.key, issuer.name)
        conn.execute(
            visits.update()
            .where(visits.c.visit_id == visit_id)
            .values(
                status=Status.APPROVED,
                decided_by=by,
                decided_at=iso(now),
                pass_id=claims.pass_id,
                pass_text=text,
            )
        )
    return text


def refuse(hub: Hub, visit_id: str, reason: str, by: str) -> None:
    if not reason.strip():
        raise EntryError("请填写拒绝理由 · Give the reason for the refusal")
    _move(hub, visit_id, Status.REQUESTED, decided_by=by, refusal=reason.strip())


def revoke(hub: Hub, visit_id: str, by: str) -> None:
    _move(hub, visit_id, Status.APPROVED, revoked_by=by)


def _move(hub: Hub, visit_id: str, from_status: Status, **values: Any) -> None:
    stamp = "revoked_at" if "revoked_by" in values else "decided_at"
    target = Status.REVOKED if stamp == "revoked_at" else Status.REFUSED
    with hub.engine.begin() as conn:
        done = conn.execute(
            visits.update()
            .where(visits.c.visit_id == visit_id, visits.c.status == from_status)
            .values(status=target, **{stamp: iso(hub.clock())}, **values)
        )
    if done.rowcount != 1:
        raise EntryError("此来访的状态已变,请刷新 · The visit's state has changed: reload")


def qr_png(text: str) -> bytes:
    """The pass's QR code as the visitor's phone shows it (error level M, as ``issue-pass``)."""
    out = io.BytesIO()
    segno.make_qr(text, error="m").save(out, kind="png", scale=8, border=4)
    return out.getvalue()


def card_pdf(text: str, issuer: HubIssuer) -> bytes:
    """The printable card (``gatehouse.office.card``) as a PDF, read back from the signed pass."""
    from gatehouse.office.card import DPI, render_card  # Pillow loads only when a card is asked for

    key = TrustedKey(issuer.key.public_key(), issuer.name, datetime(2000, 1, 1, tzinfo=UTC), None)
    claims = verify_pass(text, TrustStore((key,))).claims
    out = io.BytesIO()
    render_card(text, claims, issuer.name).save(out, format="PDF", resolution=DPI)
    return out.getvalue()


def revoked_pass_ids(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        found = conn.execute(
            select(visits.c.pass_id).where(visits.c.status == Status.REVOKED).order_by("pass_id")
        )
        return [row.pass_id for row in found]


def published_trust_list(hub: Hub) -> TrustList | None:
    """The signed trust list the hub publishes (its signature is the booths' to check);
    ``None``: none, or a plain trust file, which carries no revocations."""
    latest = hub.latest_bundle(TRUST_BUNDLE)
    if latest is None:
        return None
    content = open_bundle(latest.signed, hub.bundle_key.public_key(), TRUST_BUNDLE).content
    return unverified_trust_list(content) if isinstance(content, str) else None


def publish_trust_list(hub: Hub, text: str) -> int:
    """Publish a trust list the office signed offline with its root key; its bundle version.
    EntryError when it is not one, is not newer than the list published, or leaves out a pass
    revoked here (publishing it would bring that pass back to life). The checks are made
    against the version read first and the publish is based on it, so a list another member
    of staff published meanwhile is checked against, never silently replaced by an older one."""
    try:
        offered = unverified_trust_list(text)
    except ValueError as exc:
        raise EntryError(
            f"不是可用的签名信任列表 · Not a usable signed trust list: {exc}"
        ) from None
    return retried_on_stale(lambda: _publish_checked(hub, text, offered))


def _publish_checked(hub: Hub, text: str, offered: TrustList) -> int:
    based_on = hub.latest_version(TRUST_BUNDLE)
    held = published_trust_list(hub)
    if held is not None and not offered.supersedes(held):
        raise EntryError(
            f"序号须大于 {held.sequence} · Its sequence must be higher than {held.sequence}"
        )
    missing = sorted(set(revoked_pass_ids(hub.engine)) - offered.store.revoked_pass_ids)
    if missing:
        raise EntryError(f"缺少已注销的通行证 · It leaves out revoked passes: {', '.join(missing)}")
    return hub.publish(TRUST_BUNDLE, text, based_on=based_on).version
