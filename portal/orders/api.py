"""The orders part of the JSON API (/api/v1): products with the caller's price, orders, and stock
sync for the vendor's ERP. Refusals answer 409 (stock, credit, status) or 422 (the request itself)
with a message per line: {"error": "...", "status": 409, "lines": [{"line": 2, "sku": "...",
"message": "..."}]}."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post, put
from litestar.exceptions import HTTPException
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.response import Response

from portal.auth.constants import Access
from portal.auth.schemas import CurrentUser
from portal.lib import hooks
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.lib.inputs import PageNo, PerPage, QueryId
from portal.orders import catalog, catalog_listing, services
from portal.orders.access import get_order_for_user
from portal.orders.constants import MovementKind
from portal.orders.schemas import (
    BreakOut,
    CancelIn,
    CatalogFilters,
    EventOut,
    OrderFilters,
    OrderIn,
    OrderLineIn,
    OrderLineOut,
    OrderListOut,
    OrderOut,
    ProductListOut,
    ProductOut,
    RejectIn,
    ShipIn,
    ShipmentOut,
    StockIn,
    StockLevelOut,
    StockOut,
)
from portal.web import current_user

BUYERS = {"access": Access.PARTNER_PURCHASING}
READERS = {"access": (Access.PARTNER_PURCHASING, Access.VENDOR)}
VENDOR = {"access": Access.VENDOR}


def refusal(exc: FormError) -> HTTPException:
    """A service refusal as a JSON error: 409 for stock, credit and status, 422 otherwise."""
    if isinstance(exc, services.OrderRefused):
        return HTTPException(
            status_code=409 if exc.conflict else 422,
            detail=exc.message,
            extra={
                "lines": [
                    {"line": p.line_no, "sku": p.sku, "message": p.message} for p in exc.lines
                ]
            },
        )
    if isinstance(exc, services.StatusConflict):
        return HTTPException(status_code=409, detail=exc.message)
    message = exc.errors.get("") or "; ".join(exc.errors.values())
    fields = {k: v for k, v in exc.errors.items() if k}
    return HTTPException(
        status_code=422, detail=message, extra={"fields": fields} if fields else {}
    )


def product_out(item: dict[str, Any]) -> ProductOut:
    """A catalog item as the API shows it (quantity only where the vendor shows quantities)."""
    return ProductOut(
        sku=item["sku"],
        name=item["name"],
        name_zh=item["name_zh"],
        name_en=item["name_en"],
        category=item.get("category.code"),
        unit=item["unit"],
        currency=item["currency"],
        list_price_amount=item["list_price_amount"],
        net_price_amount=item["net_price_amount"],
        price_rule=item["price_rule"],
        price_reason=item["price_reason"] or None,
        availability=item["availability"].value,
        available_quantity=max(item["available"], 0) if item["show_quantity"] else None,
        min_order_quantity=item["min_order_quantity"],
        pack_size=item["pack_size"],
        restock_on=item["restock_on"],
        quantity_breaks=[
            BreakOut(
                min_quantity=b["min_quantity"],
                discount_bp=b["discount_bp"],
                unit_price_amount=b["unit_amount"],
            )
            for b in item.get("breaks", [])
        ],
    )


def order_out(order: dict[str, Any], detail: dict[str, Any] | None = None) -> OrderOut:
    """An order row (and, with `detail`, its lines, timeline and shipments) for the API."""
    out = OrderOut(
        id=order["id"],
        number=order["number"],
        status=order["status"],
        partner_code=order.get("partner_code", ""),
        partner_name=order.get("partner_name", ""),
        currency=order["currency"],
        total_amount=order["total_amount"],
        line_count=order["line_count"],
        note=order.get("note", ""),
        delivery_address=order.get("delivery_address", ""),
        end_customer_name=order.get("end_customer_name", ""),
        end_customer_id=order.get("end_customer_id"),
        submitted_by=order.get("submitted_by_name", ""),
        submitted_at=order["submitted_at"],
        reject_reason=order.get("reject_reason", ""),
        cancel_reason=order.get("cancel_reason", ""),
        deal_id=order.get("deal_id"),
        deduction_amount=int(order.get("deduction_amount") or 0),
        deduction_reason=order.get("deduction_reason", ""),
    )
    if detail is not None:
        out.lines = [
            OrderLineOut(
                line_no=ln["line_no"],
                sku=ln["sku"],
                name=ln["name"],
                unit=ln["unit"],
                quantity=ln["quantity"],
                shipped_quantity=ln["shipped_quantity"],
                list_price_amount=ln["list_price_amount"],
                unit_price_amount=ln["unit_price_amount"],
                line_amount=ln["line_amount"],
                price_rule=ln["price_rule"],
                price_reason=ln["reason"],
            )
            for ln in detail["lines"]
        ]
        out.events = [
            EventOut(
                kind=e["kind"],
                status=e["to_status"],
                at=e["at"],
                actor=e["actor_name"],
                detail=e["detail"],
            )
            for e in detail["events"]
        ]
        out.shipments = [
            ShipmentOut(
                id=s["id"],
                carrier=s["carrier"],
                tracking_number=s["tracking_number"],
                shipped_at=s["shipped_at"],
                lines=[OrderLineIn(sku=x["sku"], quantity=x["quantity"]) for x in s["lines"]],
            )
            for s in detail["shipments"]
        ]
    return out


async def _order(user: CurrentUser, order_id: int) -> dict[str, Any]:
    return await get_order_for_user(user, order_id)


async def _full(user: CurrentUser, order_id: int) -> OrderOut:
    order = await _order(user, order_id)
    return order_out(order, await services.order_detail(order))


class ProductApi(Controller):
    """GET /api/v1/products and /api/v1/products/{sku}: the caller's prices and availability."""

    path = "/products"
    opt = READERS
    tags = ["orders"]

    @get("/", name="api:products")
    async def index(
        self,
        request: Request,
        q: FromQuery[str] = "",
        category: FromQuery[str] = "",
        availability: FromQuery[str] = "",
        sort: FromQuery[str] = "sku",
        page: PageNo = 1,
        per_page: PerPage = 50,
    ) -> ProductListOut:
        """Products with, for a partner user, their net price, its reason and availability.
        Filters: q (SKU or name), category (code), availability (in_stock, low, out)."""
        user = current_user(request)
        filters = CatalogFilters(
            q=q,
            category=category,
            availability=availability,
            sort=sort,
            page=max(page, 1),
            per_page=min(max(per_page, 1), 200),
        )
        items, total = await catalog_listing.list_catalog(user, filters)
        return ProductListOut(
            [product_out(i) for i in items], total, filters.page, filters.per_page
        )

    @get("/{sku:str}", name="api:product")
    async def show(self, request: Request, sku: FromPath[str]) -> ProductOut:
        """One product with its volume breaks and the price at each."""
        item = await catalog_listing.catalog_item(current_user(request), sku)
        return product_out(item)


class OrderApi(Controller):
    """Orders: place (Idempotency-Key), list, read, cancel; vendor staff approve, reject, ship."""

    path = "/orders"
    tags = ["orders"]

    @post("/", name="api:orders_create", opt=BUYERS, status_code=201)
    async def create(self, request: Request, data: JSONBody[OrderIn]) -> Response[OrderOut]:
        """Place an order. Send an Idempotency-Key header: a repeat with the same key answers
        with the order the first request created (header Idempotent-Replayed: true)."""
        user = current_user(request)
        lines = [services.LineRequest(line.sku.strip(), line.quantity) for line in data.lines]
        key = request.headers.get("idempotency-key")
        end_customer_name = data.end_customer_name
        if data.end_customer_id is not None:
            # the customers access door: another partner's customer is not found
            end_customer_name = await hooks.customer_name_for_user(user, data.end_customer_id)
        try:
            address = await services.delivery_address(
                user, data.delivery_address_id, data.delivery_address
            )
            placed = await services.place_order(
                user,
                lines,
                note=data.note,
                delivery_address=address,
                end_customer_name=end_customer_name,
                end_customer_id=data.end_customer_id,
                deal_id=data.deal_id,
                use_rebate_credit=data.use_rebate_credit,
                idempotency_key=key,
                request_hash=services.request_fingerprint(
                    lines,
                    data.note,
                    address,
                    end_customer_name
                    if data.end_customer_id is None
                    else f"{end_customer_name}#{data.end_customer_id}",
                    data.deal_id,
                    data.use_rebate_credit,
                ),
            )
        except FormError as exc:
            raise refusal(exc) from None
        headers = {"Location": f"/api/v1/orders/{placed.order_id}"}
        if placed.replayed:
            headers["Idempotent-Replayed"] = "true"
        return Response(await _full(user, placed.order_id), status_code=201, headers=headers)

    @get("/", name="api:orders", opt=READERS)
    async def index(
        self,
        request: Request,
        status: FromQuery[str] = "",
        q: FromQuery[str] = "",
        partner_id: QueryId = None,
        page: PageNo = 1,
        per_page: PerPage = 50,
    ) -> OrderListOut:
        """Orders the caller may see, newest first (status may list several, comma-separated)."""
        user = current_user(request)
        filters = OrderFilters(
            status=status,
            q=q,
            partner_id=partner_id if user.is_vendor else None,
            page=max(page, 1),
            per_page=min(max(per_page, 1), 200),
        )
        rows, total = await services.list_orders(user, filters)
        return OrderListOut([order_out(r) for r in rows], total, filters.page, filters.per_page)

    @get("/{order_id:int}", name="api:order", opt=READERS)
    async def show(self, request: Request, order_id: FromPath[int]) -> OrderOut:
        """The order with lines (unit price and reason), shipments and its timeline."""
        return await _full(current_user(request), order_id)

    @post("/{order_id:int}/cancel", name="api:order_cancel", opt=READERS, status_code=200)
    async def cancel(
        self,
        request: Request,
        order_id: FromPath[int],
        data: JSONBody[CancelIn | None] = None,
    ) -> OrderOut:
        """Partners cancel before approval; vendor staff until everything has shipped."""
        user = current_user(request)
        order = await _order(user, order_id)
        try:
            await services.cancel_order(user, order, data.reason if data else "")
        except FormError as exc:
            raise refusal(exc) from None
        return await _full(user, order_id)

    @post("/{order_id:int}/approve", name="api:order_approve", opt=VENDOR, status_code=200)
    async def approve(self, request: Request, order_id: FromPath[int]) -> OrderOut:
        user = current_user(request)
        order = await _order(user, order_id)
        try:
            await services.approve_order(user, order)
        except FormError as exc:
            raise refusal(exc) from None
        return await _full(user, order_id)

    @post("/{order_id:int}/reject", name="api:order_reject", opt=VENDOR, status_code=200)
    async def reject(
        self, request: Request, order_id: FromPath[int], data: JSONBody[RejectIn]
    ) -> OrderOut:
        user = current_user(request)
        order = await _order(user, order_id)
        try:
            await services.reject_order(user, order, data.reason)
        except FormError as exc:
            raise refusal(exc) from None
        return await _full(user, order_id)

    @post("/{order_id:int}/ship", name="api:order_ship", opt=VENDOR, status_code=200)
    async def ship(
        self, request: Request, order_id: FromPath[int], data: JSONBody[ShipIn]
    ) -> OrderOut:
        """Record a shipment; `lines` ([{sku, quantity}]) ships part, no lines ships the rest."""
        user = current_user(request)
        order = await _order(user, order_id)
        quantities = None
        if data.lines is not None:
            # A SKU may be on two lines (the deal's price, then the normal price beyond it):
            # its quantity ships from the first line's open units, then the next one's.
            by_sku: dict[str, list[tuple[int, int]]] = {}
            for ln in await services.list_lines(order_id):
                open_units = ln["quantity"] - ln["shipped_quantity"]
                by_sku.setdefault(ln["sku"], []).append((ln["id"], open_units))
            unknown = [line.sku for line in data.lines if line.sku not in by_sku]
            if unknown:
                raise HTTPException(
                    status_code=422,
                    detail=_("Not on this order: %(skus)s.", skus=", ".join(unknown)),
                )
            quantities = {}
            for line in data.lines:
                wanted, slots = line.quantity, by_sku[line.sku]
                for i, (line_id, open_units) in enumerate(slots):
                    take = wanted if i == len(slots) - 1 else min(wanted, open_units)
                    if take:
                        quantities[line_id] = take
                    wanted -= take
        try:
            await services.ship_order(
                user,
                order,
                carrier=data.carrier,
                tracking_number=data.tracking_number,
                note=data.note,
                quantities=quantities,
            )
        except FormError as exc:
            raise refusal(exc) from None
        return await _full(user, order_id)


class StockApi(Controller):
    """Vendor only: stock per warehouse, and the ERP's counted on-hand quantities."""

    path = "/stock"
    tags = ["orders"]

    async def _out(self, product: dict[str, Any]) -> StockOut:
        levels = [
            StockLevelOut(
                warehouse=lv["warehouse_code"],
                on_hand=lv["on_hand"],
                reserved=lv["reserved"],
                available=lv["available"],
                safety_stock=lv["safety_stock"],
            )
            for lv in await catalog.stock_for_product(product["id"])
            if lv["warehouse_active"]
        ]
        return StockOut(
            sku=product["sku"], available=sum(lv.available for lv in levels), levels=levels
        )

    @get("/{sku:str}", name="api:stock", opt=VENDOR)
    async def show(self, request: Request, sku: FromPath[str]) -> StockOut:
        """On hand, reserved and available per warehouse code."""
        product = await catalog.get_product_by_sku(sku)
        return await self._out(product)

    @put("/{sku:str}", name="api:stock_set", opt={"access": Access.VENDOR_ADMIN})
    async def set(self, request: Request, sku: FromPath[str], data: JSONBody[StockIn]) -> StockOut:
        """Set the counted on-hand quantity in one warehouse (409 if below the reserved units)."""
        user = current_user(request)
        product = await catalog.get_product_by_sku(sku)
        warehouse = await catalog.warehouse_by_code(data.warehouse)
        if warehouse is None:
            raise HTTPException(
                status_code=422,
                detail=_("warehouse: no warehouse has the code %(code)s.", code=data.warehouse),
            )
        try:
            await catalog.set_stock(
                user,
                product["id"],
                warehouse["id"],
                data.on_hand,
                safety_stock=data.safety_stock,
                kind=MovementKind.SYNC,
                note="API",
            )
        except FormError as exc:
            raise HTTPException(
                status_code=409, detail=exc.errors.get("on_hand") or next(iter(exc.errors.values()))
            ) from None
        return await self._out(product)


API = [ProductApi, OrderApi, StockApi]
