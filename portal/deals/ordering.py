"""Deal prices: vendor staff grant a special unit price per product on an approved deal, and an
order placed against the deal gets it for the registered quantities.

The orders domain sits below deals: it asks through `hooks.deal_terms` and `hooks.deal_choices`
(filled with the two functions below in portal.worker.wire()), and deals read the orders placed
against a deal through portal.orders.deal_prices.
"""

from __future__ import annotations

import datetime as dt

from portal.auth.schemas import CurrentUser
from portal.core.audit import record
from portal.db import write_transaction
from portal.deals.access import get_deal_for_user
from portal.deals.constants import DealStatus
from portal.deals.registration import NotAllowed
from portal.deals.tables import Deal, DealLine
from portal.lib.clock import now, today
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.orders.deal_prices import DealTerms
from portal.tenancy import NotFound

# The deal's special prices stand while the partner may order against it.
ORDERABLE = (DealStatus.APPROVED,)


def _orderable(status: str, until: dt.date | None) -> bool:
    return status in ORDERABLE and until is not None and until >= today()


async def deal_terms(partner_id: int, deal_id: int) -> DealTerms:
    """hooks.deal_terms: the special prices of the partner's protected deal, with the quantities
    registered (orders.deal_prices subtracts what live orders took). Another partner's deal
    reads as one that does not exist; FormError on 'deal_id' for either."""
    deal = (
        await Deal.select(
            Deal.id,
            Deal.number,
            Deal.status,
            Deal.protection_until,
            Deal.customer,
            Deal.customer_name,
        )
        .where((Deal.id == deal_id) & (Deal.partner == partner_id))
        .first()
    )
    if deal is None:
        raise FormError({"deal_id": _("No deal registration of yours has this id.")})
    if not _orderable(deal["status"], deal["protection_until"]):
        raise FormError(
            {
                "deal_id": _(
                    "Deal %(number)s is not protected now; orders can be placed only against "
                    "an approved deal within its protection period.",
                    number=deal["number"],
                )
            }
        )
    lines = await DealLine.select(
        DealLine.product, DealLine.quantity, DealLine.special_price_amount
    ).where((DealLine.deal == deal_id) & DealLine.special_price_amount.is_not_null())
    return DealTerms(
        id=int(deal["id"]),
        number=str(deal["number"]),
        customer_id=deal["customer"],
        customer_name=str(deal["customer_name"] or ""),
        prices={
            int(r["product"]): (int(r["special_price_amount"]), int(r["quantity"])) for r in lines
        },
    )


async def deal_choices(partner_id: int | None) -> list[tuple[int, str]]:
    """hooks.deal_choices: the partner's protected deals, newest first, as 'number · project'."""
    if partner_id is None:
        return []
    rows = (
        await Deal.select(Deal.id, Deal.number, Deal.name)
        .where(
            (Deal.partner == partner_id)
            & Deal.status.is_in(list(ORDERABLE))
            & (Deal.protection_until >= today())
        )
        .order_by(Deal.id, ascending=False)
        .limit(100)
    )
    return [(int(r["id"]), f"{r['number']} · {r['name']}") for r in rows]


async def set_deal_prices(actor: CurrentUser, deal_id: int, prices: dict[int, int | None]) -> int:
    """Vendor staff (the partner's channel manager, vendor admins) set or clear the special
    unit price of deal lines (line id -> minor units, None clears) on an approved deal; one
    audit entry per changed line. Returns how many lines changed."""
    if not actor.is_vendor:
        raise NotFound
    deal = await get_deal_for_user(actor, deal_id)
    if deal["status"] != DealStatus.APPROVED:
        raise NotAllowed(_("Special prices can be granted only on an approved deal."))
    lines = {
        int(r["id"]): r
        for r in await DealLine.select(
            DealLine.id, DealLine.sku, DealLine.special_price_amount
        ).where(DealLine.deal == deal_id)
    }
    for line_id, amount in prices.items():
        if line_id not in lines:
            raise FormError({"": _("This product is not on the deal.")})
        if amount is not None and amount <= 0:
            raise FormError({f"price_{line_id}": _("Enter a price above zero.")})
    changed = 0
    async with write_transaction():
        for line_id, amount in prices.items():
            before = lines[line_id]["special_price_amount"]
            if before == amount:
                continue
            await DealLine.update({DealLine.special_price_amount: amount}).where(
                DealLine.id == line_id
            )
            await record(
                "deal.price_set",
                actor=actor,
                partner_id=deal["partner"],
                target_type="deal",
                target_id=deal_id,
                before={"sku": lines[line_id]["sku"], "price_amount": before},
                after={"sku": lines[line_id]["sku"], "price_amount": amount},
            )
            changed += 1
        if changed:
            await Deal.update({Deal.updated_at: now()}).where(Deal.id == deal_id)
    return changed
