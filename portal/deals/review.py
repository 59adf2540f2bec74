"""The steps after submission: the vendor's review (approve with a protection period, decline
with a reason, ask for information, grant an extension) and the partner's (stage, one extension
request, won with its orders, lost with a reason).

Each step is a conditional UPDATE on the status it starts from (two reviewers at once: one wins,
the other is told), its event and audit entry in the same write transaction, the notification
after the commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

from portal.auth.constants import Permission
from portal.auth.schemas import CurrentUser
from portal.core.audit import record
from portal.db import write_transaction
from portal.deals.access import get_deal_for_user
from portal.deals.constants import (
    EXTENSION_DAYS,
    OPEN,
    DealStatus,
    EventKind,
    Stage,
)
from portal.deals.events import add_event, announce
from portal.deals.periods import protection_days_for
from portal.deals.registration import NotAllowed
from portal.deals.tables import Deal, DealOrder
from portal.lib.clock import now, today
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.orders.access import order_ref_for_user
from portal.orders.deal_prices import DEAD, orders_against_deal
from portal.tenancy import NotFound

REVIEWABLE = (DealStatus.SUBMITTED, DealStatus.INFO_REQUESTED)


def _staff(actor: CurrentUser) -> None:
    if not actor.is_vendor:
        raise NotFound  # partners never reach the review steps (the routes refuse them first)


def _seller(actor: CurrentUser) -> None:
    if not (actor.is_vendor or (actor.is_partner and actor.has(Permission.SALES))):
        raise FormError({"": _("You do not have permission to do this.")})


async def _step(
    actor: CurrentUser,
    deal: dict[str, Any],
    allowed: tuple[str, ...],
    values: dict[Any, Any],
    kind: EventKind,
    refusal: str,
    detail: str = "",
    extra: Callable[[], Awaitable[Any]] | None = None,
) -> None:
    moment = now()
    to_status = str(values.get(Deal.status, deal["status"]))
    async with write_transaction():
        changed = await (
            Deal.update({**values, Deal.updated_at: moment})
            .where((Deal.id == deal["id"]) & Deal.status.is_in(list(allowed)))
            .returning(Deal.id)
        )
        if not changed:
            raise NotAllowed(refusal)
        if extra is not None:
            await extra()
        event = await add_event(
            deal["id"],
            kind,
            actor,
            from_status=deal["status"],
            to_status=to_status if to_status != deal["status"] else "",
            detail=detail,
        )
        await record(
            f"deal.{kind}",
            actor=actor,
            partner_id=deal["partner"],
            target_type="deal",
            target_id=deal["id"],
            before={"status": deal["status"]},
            after={"status": to_status, "detail": detail[:500]},
        )
    await announce([event])


async def approve_deal(
    actor: CurrentUser, deal_id: int, days: int | None = None, note: str = ""
) -> dt.date:
    """Protect the deal for `days` (default: the protection period of the partner's tier, 90
    unless the vendor set another) from today; returns the last protected day."""
    _staff(actor)
    deal = await get_deal_for_user(actor, deal_id)
    days = days or await protection_days_for(int(deal["partner"]))
    if not 1 <= days <= 365:
        raise FormError({"days": _("Between 1 and 365 days.")})
    start = today()
    until = start + dt.timedelta(days=days - 1)
    await _step(
        actor,
        deal,
        REVIEWABLE,
        {
            Deal.status: DealStatus.APPROVED,
            Deal.protection_from: start,
            Deal.protection_until: until,
            Deal.decided_at: now(),
            Deal.decided_by_id: actor.id,
        },
        EventKind.APPROVED,
        _("This deal is not waiting for a review."),
        detail=note.strip(),
    )
    return until


async def decline_deal(actor: CurrentUser, deal_id: int, reason: str) -> None:
    """Decline with a reason the partner sees."""
    _staff(actor)
    deal = await get_deal_for_user(actor, deal_id)
    if not reason.strip():
        raise FormError({"reason": _("Give the partner a reason.")})
    await _step(
        actor,
        deal,
        REVIEWABLE,
        {
            Deal.status: DealStatus.DECLINED,
            Deal.decline_reason: reason.strip(),
            Deal.decided_at: now(),
            Deal.decided_by_id: actor.id,
        },
        EventKind.DECLINED,
        _("This deal is not waiting for a review."),
        detail=reason.strip(),
    )


async def request_info(actor: CurrentUser, deal_id: int, question: str) -> None:
    """Ask the partner for more information; the partner edits and submits again."""
    _staff(actor)
    deal = await get_deal_for_user(actor, deal_id)
    if not question.strip():
        raise FormError({"reason": _("Say what you need to know.")})
    await _step(
        actor,
        deal,
        (DealStatus.SUBMITTED,),
        {Deal.status: DealStatus.INFO_REQUESTED, Deal.info_request: question.strip()},
        EventKind.INFO_REQUESTED,
        _("This deal is not waiting for a review."),
        detail=question.strip(),
    )


async def request_extension(actor: CurrentUser, deal_id: int, reason: str) -> None:
    """The partner asks once, with a reason, for a longer protection of an approved deal."""
    _seller(actor)
    deal = await get_deal_for_user(actor, deal_id)
    if not reason.strip():
        raise FormError({"reason": _("Say why the deal needs more time.")})
    if deal["extension_requested_at"] is not None:
        raise NotAllowed(_("An extension has already been requested for this deal."))
    moment = now()
    async with write_transaction():
        changed = await (
            Deal.update(
                {
                    Deal.extension_reason: reason.strip(),
                    Deal.extension_requested_at: moment,
                    Deal.updated_at: moment,
                }
            )
            .where(
                (Deal.id == deal_id)
                & (Deal.status == DealStatus.APPROVED)
                & Deal.extension_requested_at.is_null()
            )
            .returning(Deal.id)
        )
        if not changed:
            raise NotAllowed(_("Only a protected deal can be extended, once."))
        event = await add_event(deal_id, EventKind.EXTENSION_REQUESTED, actor, detail=reason)
        await record(
            "deal.extension_requested",
            actor=actor,
            partner_id=deal["partner"],
            target_type="deal",
            target_id=deal_id,
            after={"reason": reason.strip()[:500]},
        )
    await announce([event])


async def grant_extension(actor: CurrentUser, deal_id: int, days: int | None = None) -> dt.date:
    """Vendor staff extend a protected deal whose partner asked; the new last protected day."""
    _staff(actor)
    deal = await get_deal_for_user(actor, deal_id)
    if deal["status"] != DealStatus.APPROVED or deal["protection_until"] is None:
        raise NotAllowed(_("Only a protected deal can be extended, once."))
    if deal["extension_requested_at"] is None or deal["extended_at"] is not None:
        raise NotAllowed(_("The partner has not asked for an extension."))
    until = deal["protection_until"] + dt.timedelta(days=days or EXTENSION_DAYS)
    moment = now()
    async with write_transaction():
        changed = await (
            Deal.update(
                {
                    Deal.protection_until: until,
                    Deal.extended_at: moment,
                    Deal.reminded_14_at: None,  # the reminders count again from the new end
                    Deal.reminded_3_at: None,
                    Deal.updated_at: moment,
                }
            )
            .where(
                (Deal.id == deal_id)
                & (Deal.status == DealStatus.APPROVED)
                & Deal.extended_at.is_null()
            )
            .returning(Deal.id)
        )
        if not changed:
            raise NotAllowed(_("Only a protected deal can be extended, once."))
        event = await add_event(
            deal_id, EventKind.EXTENDED, actor, detail=str(days or EXTENSION_DAYS)
        )
        await record(
            "deal.extended",
            actor=actor,
            partner_id=deal["partner"],
            target_type="deal",
            target_id=deal_id,
            before={"protection_until": deal["protection_until"]},
            after={"protection_until": until},
        )
    await announce([event])
    return until


async def set_stage(actor: CurrentUser, deal_id: int, stage: Stage) -> None:
    """Move an open deal along qualified -> proposal -> negotiation (either way)."""
    _seller(actor)
    deal = await get_deal_for_user(actor, deal_id)
    if deal["stage"] == stage:
        return
    await _step(
        actor,
        deal,
        OPEN,
        {Deal.stage: Stage(stage)},
        EventKind.STAGE,
        _("This deal is closed."),
        detail=str(stage),
    )


async def win_deal(actor: CurrentUser, deal_id: int, order_ids: list[int]) -> None:
    """Won, linked to the partner's orders (each checked through the orders door); without
    order ids, to the live orders placed against the deal."""
    _seller(actor)
    deal = await get_deal_for_user(actor, deal_id)
    if not order_ids:
        order_ids = [
            int(o["id"]) for o in await orders_against_deal(deal_id) if o["status"] not in DEAD
        ]
    for order_id in order_ids:
        try:
            order = await order_ref_for_user(actor, order_id)
        except NotFound:
            raise FormError({"order_ids": _("No such order: %(id)s", id=order_id)}) from None
        if order.partner_id != int(deal["partner"]):
            raise FormError({"order_ids": _("No such order: %(id)s", id=order_id)})

    async def link() -> None:
        await DealOrder.insert(*[DealOrder(deal=deal_id, order=o) for o in sorted(set(order_ids))])

    await _step(
        actor,
        deal,
        (DealStatus.APPROVED, DealStatus.EXPIRED),
        {Deal.status: DealStatus.WON, Deal.closed_at: now()},
        EventKind.WON,
        _("Only a protected (or expired) deal can be won."),
        detail=", ".join(str(o) for o in order_ids),
        extra=link if order_ids else None,
    )


async def lose_deal(actor: CurrentUser, deal_id: int, reason: str) -> None:
    """Lost, with the reason."""
    _seller(actor)
    deal = await get_deal_for_user(actor, deal_id)
    if not reason.strip():
        raise FormError({"reason": _("Say why the deal was lost.")})
    await _step(
        actor,
        deal,
        (*OPEN, DealStatus.EXPIRED),
        {Deal.status: DealStatus.LOST, Deal.lost_reason: reason.strip(), Deal.closed_at: now()},
        EventKind.LOST,
        _("This deal is closed."),
        detail=reason.strip(),
    )
