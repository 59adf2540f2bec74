"""The conflict check: another partner holding the same end customer for overlapping products.

The keys of a deal (normalised name, credit code, phone, e-mail domain) are indexed columns of
`deal`, so the check is one query of index look-ups (any key equal, another partner, a holding
status) joined to the lines for the product overlap. The partner is told only that a conflict
exists; the names are for vendor staff (`conflicting_deals`).
"""

from __future__ import annotations

from typing import Any

from portal.deals.constants import HOLDING
from portal.deals.tables import Deal, DealLine
from portal.lib.i18n import gettext as _


def conflict_message() -> str:
    """What the partner sees: never who holds the customer."""
    return _("This customer is already registered by another partner for some of these products.")


def _same_customer(deal: dict[str, Any]) -> Any:
    condition = None
    for column, key in (
        (Deal.customer_key, deal["customer_key"]),
        (Deal.credit_code, deal["credit_code"]),
        (Deal.phone_key, deal["phone_key"]),
        (Deal.email_domain, deal["email_domain"]),
    ):
        if key:
            term = column == key
            condition = term if condition is None else condition | term
    return condition


async def conflicting_ids(deal: dict[str, Any], product_ids: list[int]) -> list[int]:
    """Ids of other partners' holding deals for the same customer and an overlapping product."""
    same = _same_customer(deal)
    if same is None or not product_ids:
        return []
    rows = await (
        DealLine.select(DealLine.deal)
        .where(
            DealLine.product.is_in(sorted(set(product_ids)))
            & (DealLine.deal.partner != deal["partner"])
            & DealLine.deal.status.is_in(list(HOLDING))
            & (DealLine.deal.id != deal["id"])
        )
        .where(
            DealLine.deal.is_in(Deal.select(Deal.id).where(same))  # type: ignore[arg-type]
        )
        .distinct()
        .limit(20)
    )
    return sorted({int(r["deal"]) for r in rows})


async def conflicting_deals(deal: dict[str, Any], product_ids: list[int]) -> list[dict[str, Any]]:
    """The conflicting deals with partner names, for vendor staff's side-by-side view."""
    ids = await conflicting_ids(deal, product_ids)
    if not ids:
        return []
    rows = await (
        Deal.select(
            *Deal.all_columns(),
            Deal.partner.name.as_alias("partner_name"),
            Deal.partner.code.as_alias("partner_code"),
        )
        .where(Deal.id.is_in(ids))
        .order_by(Deal.submitted_at)
    )
    lines = await DealLine.select().where(DealLine.deal.is_in(ids)).order_by(DealLine.id)
    for row in rows:
        row["lines"] = [line for line in lines if line["deal"] == row["id"]]
    return rows
