"""The vendor's verbs on price rules: tier price lists and their explicit prices, contract prices
and volume breaks (the loader that reads them for a partner is prices.py, the maths pricing.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from piccolo.columns import Column

from portal.auth.schemas import CurrentUser
from portal.core import audit
from portal.db import write_transaction
from portal.lib import clock
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.orders import pricing
from portal.orders.constants import BASIS_POINTS
from portal.orders.schemas import ContractPriceData, PriceListData, QuantityBreakData
from portal.orders.tables import ContractPrice, PriceList, PriceListItem, Product, QuantityBreak
from portal.partners.tables import Partner, Tier
from portal.tenancy import NotFound


def require_vendor_admin(actor: CurrentUser) -> None:
    """FormError unless the actor is a vendor admin (catalog and price changes)."""
    if not actor.is_vendor_admin:
        raise FormError({"": _("Only a vendor administrator can do this.")})


def _check_dates(valid_from: dt.date | None, valid_until: dt.date | None) -> None:
    if valid_from and valid_until and valid_until < valid_from:
        raise FormError({"valid_until": _("The end date is before the start date.")})


async def product_id_for_sku(sku: str, field_name: str = "sku") -> int:
    """The id of the product with this SKU; FormError on `field_name` when there is none."""
    row = await Product.select(Product.id).where(Product.sku == sku.strip()).first()
    if row is None:
        raise FormError({field_name: _("No product has the SKU %(sku)s.", sku=sku.strip())})
    return int(row["id"])


async def list_price_lists() -> list[dict[str, Any]]:
    """Price lists by tier with their explicit-price count and whether they are in force today."""
    rows = (
        await PriceList.select(
            *PriceList.all_columns(),
            PriceList.tier.code,
            PriceList.tier.name_zh,
            PriceList.tier.name_en,
            PriceList.tier.rank,
        )
        .order_by(PriceList.tier.rank)
        .order_by(PriceList.valid_from, ascending=False)
    )
    counts: dict[int, int] = {}
    for r in await PriceListItem.select(PriceListItem.price_list):
        counts[r["price_list"]] = counts.get(r["price_list"], 0) + 1
    on = clock.today()
    for row in rows:
        row["item_count"] = counts.get(row["id"], 0)
        row["in_force"] = row["is_active"] and pricing.in_force(
            row["valid_from"], row["valid_until"], on
        )
    return rows


async def get_price_list(price_list_id: int) -> dict[str, Any]:
    """A price list with its tier; NotFound when there is none."""
    row = (
        await PriceList.select(
            *PriceList.all_columns(),
            PriceList.tier.code,
            PriceList.tier.name_zh,
            PriceList.tier.name_en,
        )
        .where(PriceList.id == price_list_id)
        .first()
    )
    if row is None:
        raise NotFound
    return row


async def list_price_list_items(price_list_id: int) -> list[dict[str, Any]]:
    """The explicit prices of a price list, by SKU."""
    return (
        await PriceListItem.select(
            PriceListItem.id,
            PriceListItem.price_amount,
            PriceListItem.product.sku,
            PriceListItem.product.name_zh,
            PriceListItem.product.name_en,
            PriceListItem.product.list_price_amount,
        )
        .where(PriceListItem.price_list == price_list_id)
        .order_by(PriceListItem.product.sku)
    )


async def save_price_list(
    actor: CurrentUser, price_list_id: int | None, data: PriceListData
) -> int:
    """Create or change a tier price list; raises FormError for a taken code or bad dates."""
    require_vendor_admin(actor)
    _check_dates(data.valid_from, data.valid_until)
    if not await Tier.exists().where(Tier.id == data.tier_id):
        raise FormError({"tier_id": _("Choose one of the options.")})
    clash = PriceList.exists().where(PriceList.code == data.code)
    if price_list_id is not None:
        clash = clash.where(PriceList.id != price_list_id)
    if await clash:
        raise FormError({"code": _("Another price list has this code.")})
    values: dict[Column | str, Any] = {
        PriceList.code: data.code,
        PriceList.name: data.name,
        PriceList.tier: data.tier_id,
        PriceList.discount_bp: data.discount_bp,
        PriceList.valid_from: data.valid_from,
        PriceList.valid_until: data.valid_until,
        PriceList.is_active: bool(data.is_active),
        PriceList.updated_at: now(),
    }
    async with write_transaction():
        if price_list_id is None:
            rows = await PriceList.insert(
                PriceList({**values, PriceList.created_at: now()})  # type: ignore[dict-item]
            ).returning(PriceList.id)
            price_list_id = int(rows[0]["id"])
            action = "price_list.create"
        else:
            await PriceList.update(values).where(PriceList.id == price_list_id)
            action = "price_list.update"
        await audit.record(
            action,
            actor=actor,
            target_type="price_list",
            target_id=price_list_id,
            after=msgspec.structs.asdict(data),
        )
    return price_list_id


async def set_price_list_item(
    actor: CurrentUser, price_list_id: int, sku: str, price_amount: int
) -> None:
    """Give a SKU an explicit price in a price list (replacing any earlier one)."""
    require_vendor_admin(actor)
    await get_price_list(price_list_id)
    product_id = await product_id_for_sku(sku)
    async with write_transaction():
        earlier = await (
            PriceListItem.select(PriceListItem.price_amount)
            .where(
                (PriceListItem.price_list == price_list_id) & (PriceListItem.product == product_id)
            )
            .first()
        )
        await PriceListItem.insert(
            PriceListItem(price_list=price_list_id, product=product_id, price_amount=price_amount)
        ).on_conflict(
            target=(PriceListItem.price_list, PriceListItem.product),
            action="DO UPDATE",
            values=[PriceListItem.price_amount],
        )
        await audit.record(
            "price_list.item_set",
            actor=actor,
            target_type="price_list",
            target_id=price_list_id,
            before={"sku": sku, "price_amount": earlier["price_amount"]} if earlier else None,
            after={"sku": sku, "price_amount": price_amount},
        )


async def delete_price_list_item(actor: CurrentUser, price_list_id: int, item_id: int) -> None:
    """Remove an explicit price from a price list; NotFound when it is not there."""
    require_vendor_admin(actor)
    async with write_transaction():
        deleted = (
            await PriceListItem.delete()
            .where((PriceListItem.id == item_id) & (PriceListItem.price_list == price_list_id))
            .returning(PriceListItem.id)
        )
        if not deleted:
            raise NotFound
        await audit.record(
            "price_list.item_delete",
            actor=actor,
            target_type="price_list",
            target_id=price_list_id,
            detail=str(item_id),
        )


async def list_contract_prices(partner_id: int | None = None) -> list[dict[str, Any]]:
    """Contract prices (of one partner, if given) with whether each is in force today."""
    query = (
        ContractPrice.select(
            *ContractPrice.all_columns(),
            ContractPrice.partner.name,
            ContractPrice.partner.code,
            ContractPrice.product.sku,
            ContractPrice.product.name_zh,
            ContractPrice.product.name_en,
            ContractPrice.product.list_price_amount,
        )
        .order_by(ContractPrice.partner.name)
        .order_by(ContractPrice.product.sku)
    )
    if partner_id:
        query = query.where(ContractPrice.partner == partner_id)
    rows = await query
    on = clock.today()
    for row in rows:
        row["in_force"] = pricing.in_force(row["valid_from"], row["valid_until"], on)
    return rows


async def add_contract_price(actor: CurrentUser, data: ContractPriceData) -> int:
    """A partner's contract price for a SKU with optional validity dates."""
    require_vendor_admin(actor)
    _check_dates(data.valid_from, data.valid_until)
    if not await Partner.exists().where(Partner.id == data.partner_id):
        raise FormError({"partner_id": _("Choose one of the options.")})
    product_id = await product_id_for_sku(data.sku)
    async with write_transaction():
        rows = await ContractPrice.insert(
            ContractPrice(
                partner=data.partner_id,
                product=product_id,
                price_amount=data.price_amount,
                valid_from=data.valid_from,
                valid_until=data.valid_until,
                note=data.note,
                created_by_id=actor.id,
                created_at=now(),
            )
        ).returning(ContractPrice.id)
        contract_id = int(rows[0]["id"])
        await audit.record(
            "contract_price.create",
            actor=actor,
            partner_id=data.partner_id,
            target_type="contract_price",
            target_id=contract_id,
            after={
                "sku": data.sku,
                "price_amount": data.price_amount,
                "valid_from": data.valid_from,
                "valid_until": data.valid_until,
            },
        )
    return contract_id


async def delete_contract_price(actor: CurrentUser, contract_id: int) -> None:
    """Remove a contract price; NotFound when there is none."""
    require_vendor_admin(actor)
    async with write_transaction():
        rows = (
            await ContractPrice.delete()
            .where(ContractPrice.id == contract_id)
            .returning(ContractPrice.partner, ContractPrice.price_amount)
        )
        if not rows:
            raise NotFound
        await audit.record(
            "contract_price.delete",
            actor=actor,
            partner_id=rows[0]["partner"],
            target_type="contract_price",
            target_id=contract_id,
            before={"price_amount": rows[0]["price_amount"]},
        )


async def list_quantity_breaks() -> list[dict[str, Any]]:
    """Every volume break, by SKU (blank: every product) and threshold."""
    return (
        await QuantityBreak.select(
            *QuantityBreak.all_columns(),
            QuantityBreak.product.sku,
            QuantityBreak.product.name_zh,
            QuantityBreak.product.name_en,
        )
        .order_by(QuantityBreak.product.sku)
        .order_by(QuantityBreak.min_quantity)
    )


async def add_quantity_break(actor: CurrentUser, data: QuantityBreakData) -> int:
    """A volume break for one SKU (or every product when the SKU is blank)."""
    require_vendor_admin(actor)
    _check_dates(data.valid_from, data.valid_until)
    if not 0 < data.discount_bp < BASIS_POINTS:
        raise FormError({"discount": _("Enter a percentage between 0 and 100.")})
    product_id = await product_id_for_sku(data.sku) if data.sku else None
    async with write_transaction():
        rows = await QuantityBreak.insert(
            QuantityBreak(
                product=product_id,
                min_quantity=data.min_quantity,
                discount_bp=data.discount_bp,
                valid_from=data.valid_from,
                valid_until=data.valid_until,
                created_at=now(),
            )
        ).returning(QuantityBreak.id)
        break_id = int(rows[0]["id"])
        await audit.record(
            "quantity_break.create",
            actor=actor,
            target_type="quantity_break",
            target_id=break_id,
            after={
                "sku": data.sku,
                "min_quantity": data.min_quantity,
                "discount_bp": data.discount_bp,
            },
        )
    return break_id


async def delete_quantity_break(actor: CurrentUser, break_id: int) -> None:
    """Remove a volume break; NotFound when there is none."""
    require_vendor_admin(actor)
    async with write_transaction():
        rows = (
            await QuantityBreak.delete()
            .where(QuantityBreak.id == break_id)
            .returning(QuantityBreak.id)
        )
        if not rows:
            raise NotFound
        await audit.record(
            "quantity_break.delete",
            actor=actor,
            target_type="quantity_break",
            target_id=break_id,
        )
