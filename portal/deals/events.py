"""Deal events: one row per step (the timeline), and the bell and e-mails they cause.

A step's row is written in the transaction of the step; its notification job is enqueued after
the commit. The job claims the event (notified_at set where still empty) in the same transaction
as the bell rows and outbox e-mails it writes, so a notice is written once or not at all; the
protection job re-enqueues events left unnotified (a worker died before the job ran).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from portal.auth.constants import Role
from portal.auth.schemas import CurrentUser
from portal.auth.tables import User
from portal.core import email
from portal.core.notifications import notify
from portal.db import write_transaction
from portal.deals.constants import EVENT_LABELS, TO_PARTNER, TO_VENDOR, EventKind
from portal.deals.tables import Deal, DealEvent
from portal.lib import jobs
from portal.lib.clock import now
from portal.lib.i18n import gettext as _
from portal.lib.i18n import use_locale
from portal.settings import get_settings

STALE_AFTER = dt.timedelta(minutes=2)


def actor_name(actor: CurrentUser | None) -> str:
    return (actor.name or actor.email) if actor else ""


async def add_event(
    deal_id: int,
    kind: EventKind,
    actor: CurrentUser | None,
    *,
    from_status: str = "",
    to_status: str = "",
    detail: str = "",
) -> int:
    """One step of a deal (inside the step's transaction); returns the event id."""
    notified = None if kind in TO_PARTNER or kind in TO_VENDOR else now()
    rows = await DealEvent.insert(
        DealEvent(
            deal=deal_id,
            kind=kind,
            from_status=from_status,
            to_status=to_status,
            actor_id=actor.id if actor else None,
            actor_name=actor_name(actor),
            actor_is_vendor=bool(actor and actor.is_vendor),
            detail=detail[:4000],
            at=now(),
            notified_at=notified,
        )
    ).returning(DealEvent.id)
    return int(rows[0]["id"])


async def announce(event_ids: Sequence[int]) -> None:
    """After the commit: queue the notification job of each event."""
    for event_id in event_ids:
        await jobs.enqueue("notify_deal_event", event_id, job_id=f"deal-event:{event_id}")


async def _partner_recipients(deal: dict[str, Any]) -> list[dict[str, Any]]:
    """The deal's owner and the partner's admins (active)."""
    condition = (User.partner == deal["partner"]) & (User.is_active == True)  # noqa: E712
    owner = deal["owner"]
    who = User.role == Role.PARTNER_ADMIN
    if owner is not None:
        who = who | (User.id == owner)
    return await User.select(User.id, User.email, User.name, User.locale).where(condition & who)


async def _vendor_recipients(deal: dict[str, Any]) -> list[int]:
    """The partner's channel manager, or every vendor admin when it has none."""
    if deal.get("partner.channel_manager_id"):
        return [int(deal["partner.channel_manager_id"])]
    rows = await User.select(User.id).where(
        (User.role == Role.VENDOR_ADMIN) & (User.is_active == True)  # noqa: E712
    )
    return [int(r["id"]) for r in rows]


def _titles(kind: str, number: str, name: str) -> tuple[str, str]:
    label = EVENT_LABELS[EventKind(kind)]
    with use_locale("en"):
        en = f"{_(label)}: {number} {name}"
    with use_locale("zh_CN"):
        zh = f"{_(label)}：{number} {name}"
    return en, zh


async def notify_event(event_id: int) -> list[int]:
    """The bell and (for the partner) e-mails of one event, once; the e-mail ids queued."""
    event = await DealEvent.select().where(DealEvent.id == event_id).first()
    if event is None or event["notified_at"] is not None:
        return []
    deal = await (
        Deal.select(*Deal.all_columns(), Deal.partner.locale, Deal.partner.channel_manager_id)
        .where(Deal.id == event["deal"])
        .first()
    )
    if deal is None:
        return []
    base = get_settings().base_url
    title_en, title_zh = _titles(event["kind"], deal["number"], deal["name"])
    email_ids: list[int] = []
    async with write_transaction():
        claimed = (
            await DealEvent.update({DealEvent.notified_at: now()})
            .where((DealEvent.id == event_id) & DealEvent.notified_at.is_null())
            .returning(DealEvent.id)
        )
        if not claimed:
            return []
        ref = f"deal-event:{event_id}"
        if event["kind"] in TO_PARTNER:
            users = await _partner_recipients(deal)
            await notify(
                [u["id"] for u in users],
                kind="deal",
                title_en=title_en,
                title_zh=title_zh,
                link=f"/deals/{deal['id']}",
                ref=ref,
            )
            for user in users:
                locale = user["locale"] or deal["partner.locale"] or get_settings().default_locale
                context = {
                    "name": user["name"],
                    "number": deal["number"],
                    "deal_name": deal["name"],
                    "customer_name": deal["customer_name"],
                    "kind": event["kind"],
                    "detail": event["detail"],
                    "protection_until": deal["protection_until"],
                    "link": f"{base}/deals/{deal['id']}",
                }
                email_ids.append(
                    await email.queue_email(user["email"], "deal_event", context, locale)
                )
        else:
            await notify(
                await _vendor_recipients(deal),
                kind="deal",
                title_en=title_en,
                title_zh=title_zh,
                link=f"/console/deals/{deal['id']}",
                ref=ref,
            )
    for email_id in email_ids:
        await jobs.enqueue("deliver_email", email_id, job_id=f"email:{email_id}")
    return email_ids


async def stale_event_ids(limit: int = 500) -> list[int]:
    """Events older than two minutes whose notification never ran."""
    rows = await (
        DealEvent.select(DealEvent.id)
        .where(DealEvent.notified_at.is_null() & (DealEvent.at < now() - STALE_AFTER))
        .order_by(DealEvent.id)
        .limit(limit)
    )
    return [int(r["id"]) for r in rows]
