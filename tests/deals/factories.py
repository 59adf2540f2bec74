"""Deal factories: a registered (and optionally submitted / approved) deal with one product."""

from __future__ import annotations

import itertools
from typing import Any

from portal.auth.schemas import CurrentUser
from portal.deals import services
from portal.deals.schemas import DealData
from tests.customers.factories import make_customer
from tests.orders.factories import make_product

_seq = itertools.count(1)


async def product_sku(sku: str) -> str:
    """The SKU, created as a product when it does not exist yet."""
    from portal.orders.tables import Product

    if not await Product.exists().where(Product.sku == sku):
        await make_product(sku)
    return sku


async def make_deal(
    actor: CurrentUser,
    customer: str | None = None,
    *,
    sku: str = "DEAL-CAM",
    quantity: int = 40,
    status: str = "draft",
    vendor: CurrentUser | None = None,
    **fields: Any,
) -> int:
    """A deal of the actor's partner for a new customer named `customer`; `status` submitted or
    approved (by `vendor`) takes it that far."""
    n = next(_seq)
    customer_id = await make_customer(actor, customer or f"测试终端客户 {n} 有限公司")
    data = DealData(
        name=fields.pop("name", f"项目 {n} Project {n}"),
        customer_id=customer_id,
        lines=[(await product_sku(sku), quantity)],
        estimated_amount=fields.pop("estimated_amount", 120_000_00),
        **fields,
    )
    deal_id = await services.save_deal(actor, data)
    if status in ("submitted", "approved"):
        await services.submit_deal(actor, deal_id)
    if status == "approved":
        assert vendor is not None
        await services.approve_deal(vendor, deal_id)
    return deal_id
