"""The cart, the quick-order paste box and re-order: what a buyer collects before placing an
order, and the per-line rules (active, minimum, pack size, stock) that the cart and
place_order both apply."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from portal.auth.constants import Permission
from portal.auth.schemas import CurrentUser
from portal.db import write_transaction
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.lib.i18n import localized
from portal.orders import credit, stock
from portal.orders.catalog import products_by_sku
from portal.orders.constants import MAX_CART_ITEMS, MAX_LINE_QUANTITY, StockDisplay
from portal.orders.deal_prices import load_deal_terms, parts_reason, split
from portal.orders.prices import load_pricing
from portal.orders.tables import CartItem, OrderLine
from portal.partners import addresses
from portal.tenancy import NotFound


@dataclass(frozen=True)
class LineRequest:
    sku: str
    quantity: int


@dataclass(frozen=True)
class LineProblem:
    """Why one requested line cannot be ordered (line_no counts from 1, as the user wrote it)."""

    line_no: int
    sku: str
    message: str


def require_purchaser(actor: CurrentUser) -> int:
    """The actor's partner id; FormError unless the actor may order for a partner."""
    if not actor.has(Permission.PURCHASING) or actor.partner_id is None:
        raise FormError({"": _("You need the purchasing permission to order.")})
    return actor.partner_id


# ---- quick order ---------------------------------------------------------------------------

QUICK_LINE = re.compile(
    r"^(?P<sku>[A-Za-z0-9][A-Za-z0-9_.\-]*)\s*(?:[,;:\t ]+|\s*[x*]\s*)(?P<qty>\d+)$"
)


def parse_quick_order(text: str) -> tuple[list[tuple[int, LineRequest]], list[LineProblem]]:
    """'SKU quantity' lines pasted from e-mail or Excel (tabs, commas, 'x', full-width digits).
    Returns ([(line number, request)], [problems]); blank lines are skipped."""
    parsed: list[tuple[int, LineRequest]] = []
    problems: list[LineProblem] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = unicodedata.normalize("NFKC", raw).strip().replace("×", "x")
        if not line:
            continue
        match = QUICK_LINE.match(line)
        if not match:
            problems.append(
                LineProblem(number, line[:40], _("Write a SKU and a quantity, such as “AB-100 5”."))
            )
            continue
        quantity = int(match["qty"])
        if not 1 <= quantity <= MAX_LINE_QUANTITY:
            problems.append(
                LineProblem(
                    number,
                    match["sku"],
                    _("Enter a quantity from 1 to %(n)s.", n=MAX_LINE_QUANTITY),
                )
            )
            continue
        parsed.append((number, LineRequest(match["sku"], quantity)))
    return parsed, problems


# ---- the cart ------------------------------------------------------------------------------


async def add_to_cart(actor: CurrentUser, sku: str, quantity: int) -> None:
    """Add units of an active product to the actor's cart (added to what is there)."""
    await add_lines_to_cart(actor, [(1, LineRequest(sku, quantity))])


async def add_lines_to_cart(
    actor: CurrentUser, lines: list[tuple[int, LineRequest]]
) -> list[LineProblem]:
    """Add several lines (quick order, re-order); unknown or inactive SKUs come back as problems
    and the others are added."""
    require_purchaser(actor)
    products = await products_by_sku([r.sku for _n, r in lines])
    problems: list[LineProblem] = []
    wanted: dict[int, int] = {}
    for number, request in lines:
        product = products.get(request.sku)
        if product is None or not product["is_active"]:
            problems.append(LineProblem(number, request.sku, _("No product has this SKU.")))
            continue
        wanted[product["id"]] = wanted.get(product["id"], 0) + request.quantity
    if not wanted:
        return problems
    async with write_transaction():
        existing = {
            r["product"]: r
            for r in await CartItem.select(CartItem.id, CartItem.product, CartItem.quantity).where(
                CartItem.user == actor.id
            )
        }
        if len(set(existing) | set(wanted)) > MAX_CART_ITEMS:
            raise FormError({"": _("A cart holds at most %(n)s products.", n=MAX_CART_ITEMS)})
        for product_id, quantity in wanted.items():
            if product_id in existing:
                total = min(existing[product_id]["quantity"] + quantity, MAX_LINE_QUANTITY)
                await CartItem.update({CartItem.quantity: total}).where(
                    CartItem.id == existing[product_id]["id"]
                )
            else:
                await CartItem.insert(
                    CartItem(user=actor.id, product=product_id, quantity=quantity, added_at=now())
                )
    return problems


async def set_cart_quantities(actor: CurrentUser, quantities: dict[int, int]) -> None:
    """Change quantities of products in the cart; 0 removes the product."""
    require_purchaser(actor)
    async with write_transaction():
        for product_id, quantity in quantities.items():
            where = (CartItem.user == actor.id) & (CartItem.product == product_id)
            if quantity <= 0:
                await CartItem.delete().where(where)
            else:
                await CartItem.update({CartItem.quantity: min(quantity, MAX_LINE_QUANTITY)}).where(
                    where
                )


async def clear_cart(actor: CurrentUser) -> None:
    """Empty the actor's cart."""
    await CartItem.delete().where(CartItem.user == actor.id)


async def cart_count(user_id: int) -> int:
    """How many products are in a user's cart."""
    return await CartItem.count().where(CartItem.user == user_id)


async def cart_requests(actor: CurrentUser) -> list[LineRequest]:
    """The cart as order line requests, in the order the products were added."""
    rows = (
        await CartItem.select(CartItem.product.sku, CartItem.quantity)
        .where(CartItem.user == actor.id)
        .order_by(CartItem.id)
    )
    return [LineRequest(r["product.sku"], r["quantity"]) for r in rows]


def line_warnings(product: dict[str, Any], quantity: int, available: int) -> list[str]:
    """What stands between this line and a successful order, in the user's words."""
    warnings = []
    if not product["is_active"]:
        warnings.append(_("This product can no longer be ordered."))
    warnings += quantity_warnings(product, quantity)
    if available < quantity:
        warnings.append(stock_message(product, available))
    return warnings


def quantity_warnings(product: dict[str, Any], quantity: int) -> list[str]:
    """The product's minimum and pack size rules this quantity breaks, in the user's words."""
    warnings = []
    if quantity < product["min_order_quantity"]:
        warnings.append(_("The minimum order quantity is %(n)s.", n=product["min_order_quantity"]))
    pack = product["pack_size"]
    if pack > 1 and quantity % pack:
        lower, upper = quantity - quantity % pack, quantity - quantity % pack + pack
        warnings.append(
            _(
                "Order in packs of %(pack)s (for example %(lower)s or %(upper)s).",
                pack=pack,
                lower=lower or pack,
                upper=upper,
            )
        )
    return warnings


async def cart_quantity_warnings(
    actor: CurrentUser, product_ids: list[int] | None = None, skus: list[str] | None = None
) -> dict[str, str]:
    """SKU -> the first quantity rule its cart line breaks, for the products just added (by SKU)
    or changed (by id): the cart says so at once instead of only when the order is refused."""
    if not product_ids and not skus:
        return {}
    which = (
        CartItem.product.is_in(product_ids)
        if product_ids
        else CartItem.product.sku.is_in(skus or [])
    )
    rows = await CartItem.select(
        CartItem.quantity,
        CartItem.product.sku,
        CartItem.product.min_order_quantity,
        CartItem.product.pack_size,
    ).where((CartItem.user == actor.id) & which)
    out: dict[str, str] = {}
    for row in rows:
        product = {k.removeprefix("product."): v for k, v in row.items()}
        warnings = quantity_warnings(product, row["quantity"])
        if warnings:
            out[product["sku"]] = warnings[0]
    return out


def stock_message(product: dict[str, Any], available: int) -> str:
    """Why a line cannot have its quantity, without revealing quantities the vendor shows as bands."""
    if available <= 0:
        return _("Out of stock.")
    if product["stock_display"] == StockDisplay.EXACT:
        return _("Only %(n)s available.", n=available)
    return _("Not enough in stock for this quantity.")


async def cart_view(actor: CurrentUser, deal_id: int | None = None) -> dict[str, Any]:
    """The cart with each line's net price at its quantity, the reason, warnings and totals;
    with `deal_id` as the order against that deal would be priced (FormError on 'deal_id' for
    a deal the partner cannot order against)."""
    partner_id = require_purchaser(actor)
    terms = await load_deal_terms(partner_id, deal_id) if deal_id else None
    items = (
        await CartItem.select(
            CartItem.quantity,
            CartItem.product.id,
            CartItem.product.sku,
            CartItem.product.name_zh,
            CartItem.product.name_en,
            CartItem.product.unit,
            CartItem.product.list_price_amount,
            CartItem.product.currency,
            CartItem.product.min_order_quantity,
            CartItem.product.pack_size,
            CartItem.product.is_active,
            CartItem.product.stock_display,
            CartItem.product.restock_on,
        )
        .where(CartItem.user == actor.id)
        .order_by(CartItem.id)
    )
    ids = [i["product.id"] for i in items]
    totals = await stock.totals(ids)
    pricing = await load_pricing(partner_id, ids)
    lines = []
    total = 0
    for item in items:
        product = {k.removeprefix("product."): v for k, v in item.items()}
        quantity = item["quantity"]
        on_hand, reserved, safety = totals.get(product["id"], (0, 0, 0))
        quote = pricing.quote(product["id"], product["list_price_amount"], quantity)
        parts = split(terms, product["id"], quote, quantity)
        amount = sum(p.quote.line_amount(p.quantity) for p in parts)
        total += amount
        lines.append(
            {
                **product,
                "name": localized(product, "name"),
                "quantity": quantity,
                "quote": parts[0].quote,
                "unit_amount": parts[0].quote.unit_amount,
                "line_amount": amount,
                "reason": parts_reason(parts, pricing.reason),
                "availability": stock.band(on_hand - reserved, safety),
                "available": on_hand - reserved,
                "warnings": line_warnings(product, quantity, on_hand - reserved),
            }
        )
    context = await credit.context(partner_id)
    offer = await credit.rebate_offer(partner_id)
    return {
        # unused rebate credit the checkout may deduct (at most the total), with its reason
        "rebate_credit": (
            {"amount": offer[0], "reason": offer[1], "deduction_amount": min(offer[0], total)}
            if offer
            else None
        ),
        "lines": lines,
        "total_amount": total,
        "currency": lines[0]["currency"] if lines else context["currency"],
        "credit": context,
        "over_credit": total > context["available_amount"],
        "hold": await credit.hold(partner_id),
        "has_warnings": any(line["warnings"] for line in lines),
    }


async def delivery_address(actor: CurrentUser, address_id: int | None, typed: str) -> str:
    """The delivery address an order keeps: the text of the chosen address-book entry (partners'
    door: another company's id is refused on 'delivery_address_id'), or the typed one."""
    if address_id is None:
        return typed
    if typed.strip():
        raise FormError(
            {"delivery_address": _("Choose an address from the book or type one, not both.")}
        )
    try:
        return await addresses.address_text_for_user(actor, address_id)
    except NotFound:
        raise FormError(
            {"delivery_address_id": _("Choose one of your company's delivery addresses.")}
        ) from None


async def address_options(actor: CurrentUser) -> tuple[list[tuple[str, str]], int | None]:
    """The cart's address picker: [(id, "label · address")] and the default's id."""
    partner_id = actor.partner_id or 0
    return (
        await addresses.address_choices(partner_id),
        await addresses.default_address_id(partner_id),
    )


async def reorder(actor: CurrentUser, order: dict[str, Any]) -> list[LineProblem]:
    """Put the lines of a past order (from access.get_order_for_user) into the cart again."""
    lines = (
        await OrderLine.select(OrderLine.line_no, OrderLine.sku, OrderLine.quantity)
        .where(OrderLine.order == order["id"])
        .order_by(OrderLine.line_no)
    )
    return await add_lines_to_cart(
        actor, [(r["line_no"], LineRequest(r["sku"], r["quantity"])) for r in lines]
    )


# ---- placing an order ----------------------------------------------------------------------
