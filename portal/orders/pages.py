"""Partner pages: prices & stock, the cart with the quick-order box, checkout, and the orders
list and detail with the timeline (users with the purchasing permission)."""

from __future__ import annotations

import secrets
from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from portal.auth.constants import Access
from portal.auth.schemas import CurrentUser
from portal.lib import hooks
from portal.lib.forms import FormError, optional_date, read_form
from portal.lib.i18n import gettext as _
from portal.lib.i18n import ngettext
from portal.lib.inputs import parse_id
from portal.orders import catalog, catalog_listing, services
from portal.orders.access import get_order_for_user
from portal.orders.constants import STATUS_LABELS, Availability, OrderStatus
from portal.orders.schemas import (
    CartAddForm,
    CatalogFilters,
    CheckoutForm,
    OrderFilters,
    QuickOrderForm,
    ReasonForm,
)
from portal.tenancy import NotFound
from portal.web import Page, current_user, page, page_number, redirect, safe_next

BUYERS = {"access": Access.PARTNER_PURCHASING}
PER_PAGE = 50


async def _order(user: CurrentUser, order_id: int) -> dict[str, Any]:
    return await get_order_for_user(user, order_id)


def availability_options() -> list[tuple[str, str]]:
    """(value, label) pairs for the availability filter."""
    return [
        (Availability.IN_STOCK.value, _("In stock")),
        (Availability.LOW.value, _("Low stock")),
        (Availability.OUT.value, _("Out of stock")),
    ]


def status_options() -> list[tuple[str, str]]:
    """(value, label) pairs for the order status filter."""
    return [(s.value, _(STATUS_LABELS[s])) for s in OrderStatus]


class CatalogPages(Controller):
    """Prices & stock: the partner's net price, why, and availability, for every product."""

    path = "/catalog"
    opt = BUYERS

    @get("/", name="catalog:list")
    async def index(
        self,
        request: Request,
        q: FromQuery[str] = "",
        category: FromQuery[str] = "",
        availability: FromQuery[str] = "",
        sort: FromQuery[str] = "sku",
    ) -> Template:
        user = current_user(request)
        number = page_number(request.query_params.get("page"))
        filters = CatalogFilters(
            q=q.strip()[:100],
            category=category,
            availability=availability,
            sort=sort,
            page=number,
            per_page=PER_PAGE,
        )
        items, total = await catalog_listing.list_catalog(user, filters)
        params = {"q": filters.q, "category": category, "availability": availability, "sort": sort}
        return page(
            request,
            "catalog/list.html",
            items=items,
            categories=await catalog.list_categories(),
            availability_options=availability_options(),
            params=params,
            values=params,
            pager=Page(number, PER_PAGE, total),
            cart_count=await services.cart_count(user.id),
            here=str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""),
        )

    @get("/{sku:str}", name="catalog:show")
    async def show(self, request: Request, sku: FromPath[str]) -> Template:
        user = current_user(request)
        item = await catalog_listing.catalog_item(user, sku)
        return page(
            request,
            "catalog/show.html",
            item=item,
            cart_count=await services.cart_count(user.id),
            values={"quantity": item["min_order_quantity"]},
        )


class CartPages(Controller):
    """The cart, the quick-order paste box and checkout (one order per form token)."""

    path = "/cart"
    opt = BUYERS

    async def _page(
        self,
        request: Request,
        status_code: int = 200,
        errors: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
        problems: list[services.LineProblem] | None = None,
    ) -> Template:
        user = current_user(request)
        values = dict(values or {})
        errors = dict(errors or {})
        # The deal the buyer picked (?deal_id=, then kept in the checkout form): the cart shows
        # its prices; one the partner can no longer order against is said beside the picker.
        raw_deal = str(values.get("deal_id") or request.query_params.get("deal_id") or "")
        deal_id = parse_id(raw_deal)
        try:
            view = await services.cart_view(user, deal_id)
        except FormError as exc:
            errors.setdefault("deal_id", next(iter(exc.errors.values()), ""))
            deal_id = None
            view = await services.cart_view(user)
        values["deal_id"] = str(deal_id) if deal_id else ""
        values.setdefault("form_token", secrets.token_urlsafe(16))
        address_options, default_address = await services.address_options(user)
        if default_address and "delivery_address_id" not in values and not errors:
            values["delivery_address_id"] = str(default_address)
        line_errors = {key: message for key, message in errors.items() if key.startswith("line.")}
        return page(
            request,
            "orders/cart.html",
            status_code=status_code,
            cart=view,
            customer_options=[
                (str(i), name) for i, name in await hooks.customer_choices(user, limit=200)
            ],
            address_options=address_options,
            deal_options=[
                (str(i), label) for i, label in await hooks.deal_choices(user.partner_id)
            ],
            errors=errors,
            values=values,
            problems=problems or [],
            line_errors=line_errors,
        )

    @get("/", name="cart:show")
    async def show(self, request: Request) -> Template:
        return await self._page(request)

    @post("/add", name="cart:add")
    async def add(self, request: Request) -> Redirect:
        user = current_user(request)
        data = await request.form()
        back = safe_next(str(data.get("next", "")), request.app.route_reverse("catalog:list"))
        form, errors, _values = read_form(CartAddForm, data)
        if form is None:
            return redirect(request, back, flash=("error", next(iter(errors.values()))))
        problems = await services.add_lines_to_cart(
            user, [(1, services.LineRequest(form.sku, form.quantity))]
        )
        if problems:
            return redirect(request, back, flash=("error", problems[0].message))
        added = _("%(sku)s × %(n)s added to the cart.", sku=form.sku, n=form.quantity)
        warning = (await services.cart_quantity_warnings(user, skus=[form.sku])).get(form.sku)
        if warning:  # below the minimum or off the pack size: say so now, not at checkout
            return redirect(request, back, flash=("warning", f"{added} {warning}"))
        return redirect(request, back, flash=("success", added))

    @post("/update", name="cart:update")
    async def update(self, request: Request) -> Redirect:
        user = current_user(request)
        data = await request.form()
        quantities: dict[int, int] = {}
        for key, value in data.items():
            if key.startswith("qty_"):
                try:
                    quantities[int(key[4:])] = max(int(str(value).strip() or 0), 0)
                except ValueError:
                    continue
        await services.set_cart_quantities(user, quantities)
        changed = [pid for pid, quantity in quantities.items() if quantity > 0]
        if warnings := await services.cart_quantity_warnings(user, changed):
            message = ngettext(
                "The cart has been updated; one line breaks a quantity rule (see below).",
                "The cart has been updated; %(num)s lines break a quantity rule (see below).",
                len(warnings),
            )
            return redirect(request, "cart:show", flash=("warning", message))
        return redirect(request, "cart:show", flash=("success", _("The cart has been updated.")))

    @post("/remove/{product_id:int}", name="cart:remove")
    async def remove(self, request: Request, product_id: FromPath[int]) -> Redirect:
        await services.set_cart_quantities(current_user(request), {product_id: 0})
        return redirect(request, "cart:show", flash=("info", _("The product has been removed.")))

    @post("/clear", name="cart:clear")
    async def clear(self, request: Request) -> Redirect:
        await services.clear_cart(current_user(request))
        return redirect(request, "cart:show", flash=("info", _("The cart is empty.")))

    @post("/quick", name="cart:quick")
    async def quick(self, request: Request) -> Template | Redirect:
        user = current_user(request)
        form, errors, values = read_form(QuickOrderForm, await request.form())
        if form is None:
            return await self._page(request, 400, errors=errors, values=values)
        parsed, problems = services.parse_quick_order(form.lines)
        if parsed:
            problems += await services.add_lines_to_cart(user, parsed)
        if problems:
            return await self._page(
                request,
                400,
                errors={"lines": _("Some lines could not be added; they are listed below.")},
                values=values if not parsed else {"lines": _unparsed(form.lines, problems)},
                problems=sorted(problems, key=lambda p: p.line_no),
            )
        return redirect(
            request,
            "cart:show",
            flash=("success", _("%(n)s lines added to the cart.", n=len(parsed))),
        )

    @post("/submit", name="cart:submit")
    async def submit(self, request: Request) -> Template | Redirect:
        user = current_user(request)
        form, errors, values = read_form(CheckoutForm, await request.form())
        if form is None:
            return await self._page(request, 400, errors=errors, values=values)
        end_customer_name = form.end_customer_name
        if form.end_customer_id is not None:
            try:
                end_customer_name = await hooks.customer_name_for_user(user, form.end_customer_id)
            except NotFound:
                return await self._page(
                    request,
                    400,
                    errors={"end_customer_id": _("Choose one of your customers.")},
                    values=values,
                )
        try:
            address = await services.delivery_address(
                user, form.delivery_address_id, form.delivery_address
            )
            placed = await services.place_order(
                user,
                await services.cart_requests(user),
                note=form.note,
                delivery_address=address,
                end_customer_name=end_customer_name,
                end_customer_id=form.end_customer_id,
                idempotency_key=form.form_token,
                from_cart=True,
                deal_id=form.deal_id,
                use_rebate_credit=form.use_rebate_credit,
            )
        except services.OrderRefused as refused:
            return await self._page(
                request, 400, errors=refused.errors, values=values, problems=refused.lines
            )
        except FormError as exc:
            return await self._page(request, 400, errors=exc.errors, values=values)
        message = (
            _("Order %(number)s was already submitted.", number=placed.number)
            if placed.replayed
            else _("Order %(number)s has been submitted.", number=placed.number)
        )
        return redirect(
            request, "orders:show", flash=("success", message), order_id=placed.order_id
        )


def _unparsed(text: str, problems: list[services.LineProblem]) -> str:
    """Keep only the pasted lines that failed, so the user can fix them and paste again."""
    bad = {p.line_no for p in problems}
    return "\n".join(line for n, line in enumerate(text.splitlines(), start=1) if n in bad)


class OrderPages(Controller):
    """The partner's orders: list with filters, detail with timeline, cancel, receive, re-order."""

    path = "/orders"
    opt = BUYERS

    @get("/", name="orders:list")
    async def index(
        self,
        request: Request,
        status: FromQuery[str] = "",
        q: FromQuery[str] = "",
        since: FromQuery[str] = "",
        until: FromQuery[str] = "",
        approved_from: FromQuery[str] = "",
        approved_until: FromQuery[str] = "",
    ) -> Template:
        user = current_user(request)
        number = page_number(request.query_params.get("page"))
        filters = OrderFilters(
            status=status,
            q=q.strip()[:100],
            since=optional_date(since),
            until=optional_date(until),
            # the orders behind a scorecard figure (performance drill-down): approved on these days
            approved_from=optional_date(approved_from),
            approved_until=optional_date(approved_until),
            page=number,
            per_page=PER_PAGE,
        )
        rows, total = await services.list_orders(user, filters)
        params = {"status": status, "q": filters.q, "since": since, "until": until}
        if approved_from or approved_until:
            params.update(approved_from=approved_from, approved_until=approved_until)
        return page(
            request,
            "orders/list.html",
            orders=rows,
            status_options=status_options(),
            params=params,
            values=params,
            pager=Page(number, PER_PAGE, total),
            cart_count=await services.cart_count(user.id),
        )

    @get("/{order_id:int}", name="orders:show")
    async def show(self, request: Request, order_id: FromPath[int]) -> Template:
        user = current_user(request)
        order = await _order(user, order_id)
        return page(request, "orders/show.html", order=order, **await services.order_detail(order))

    @post("/{order_id:int}/cancel", name="orders:cancel")
    async def cancel(self, request: Request, order_id: FromPath[int]) -> Redirect:
        user = current_user(request)
        order = await _order(user, order_id)
        form, _errors, _values = read_form(ReasonForm, await request.form())
        try:
            await services.cancel_order(user, order, form.reason if form else "")
        except FormError as exc:
            return redirect(
                request,
                "orders:show",
                flash=("error", next(iter(exc.errors.values()))),
                order_id=order_id,
            )
        return redirect(
            request,
            "orders:show",
            flash=("success", _("The order has been cancelled.")),
            order_id=order_id,
        )

    @post("/{order_id:int}/receive", name="orders:receive")
    async def receive(self, request: Request, order_id: FromPath[int]) -> Redirect:
        user = current_user(request)
        order = await _order(user, order_id)
        try:
            await services.deliver_order(user, order)
        except FormError as exc:
            return redirect(
                request,
                "orders:show",
                flash=("error", next(iter(exc.errors.values()))),
                order_id=order_id,
            )
        return redirect(
            request,
            "orders:show",
            flash=("success", _("Thank you: the delivery is confirmed.")),
            order_id=order_id,
        )

    @post("/{order_id:int}/reorder", name="orders:reorder")
    async def reorder(self, request: Request, order_id: FromPath[int]) -> Redirect:
        user = current_user(request)
        order = await _order(user, order_id)
        problems = await services.reorder(user, order)
        if problems:
            skus = ", ".join(p.sku for p in problems)
            return redirect(
                request,
                "cart:show",
                flash=(
                    "warning",
                    _("Added to the cart, except products no longer sold: %(skus)s.", skus=skus),
                ),
            )
        return redirect(
            request,
            "cart:show",
            flash=(
                "success",
                _("The lines of %(number)s are in the cart.", number=order["number"]),
            ),
        )


PAGES = [CatalogPages, CartPages, OrderPages]
