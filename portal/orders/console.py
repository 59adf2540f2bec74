"""Vendor console for orders: the approval queue (filters, bulk approve) and the order page with
credit and stock context, where staff approve, reject, ship, cancel and mark delivered.
Channel managers see their assigned partners' orders only (the access helper sees to it)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from portal.auth.constants import Access
from portal.auth.schemas import CurrentUser
from portal.lib.forms import FormError, id_filter, optional_date, optional_int, read_form
from portal.lib.i18n import gettext as _
from portal.lib.money import AmountError, parse_amount
from portal.orders import services
from portal.orders.access import get_order_for_user
from portal.orders.constants import STATUS_LABELS
from portal.orders.schemas import OrderFilters, ReasonForm, ShipForm
from portal.partners.access import partners_in_scope
from portal.web import Page, current_user, page, page_number, redirect

PER_PAGE = 50
TABS = ("submitted", "approved,partially_shipped", "shipped", "delivered", "rejected,cancelled", "")


def _amount(value: str) -> int | None:
    try:
        return parse_amount(value) if value.strip() else None
    except AmountError:
        return None


async def _order(user: CurrentUser, order_id: int) -> dict[str, Any]:
    return await get_order_for_user(user, order_id)


def tab_label(statuses: str) -> str:
    """The label of a queue tab (one status or several, comma-separated)."""
    labels = {
        "submitted": _("Waiting for approval"),
        "approved,partially_shipped": _("To ship"),
        "shipped": _("Shipped"),
        "delivered": _("Delivered"),
        "rejected,cancelled": _("Rejected or cancelled"),
        "": _("All"),
    }
    return labels.get(statuses, statuses)


def _back(request: Request, order_id: int, level: str, message: str) -> Redirect:
    return redirect(request, "console_orders:show", flash=(level, message), order_id=order_id)


def _first_error(exc: FormError) -> str:
    return "; ".join(dict.fromkeys(exc.errors.values()))


class OrderConsole(Controller):
    """The approval queue and the order page for vendor staff."""

    path = "/console/orders"
    opt = {"access": Access.VENDOR}

    @get("/", name="console_orders:list")
    async def index(
        self,
        request: Request,
        status: FromQuery[str] = "submitted",
        q: FromQuery[str] = "",
        partner_id: FromQuery[str] = "",
        older_than: FromQuery[str] = "",
        min_amount: FromQuery[str] = "",
        max_amount: FromQuery[str] = "",
        approved_from: FromQuery[str] = "",
        approved_until: FromQuery[str] = "",
    ) -> Template:
        user = current_user(request)
        number = page_number(request.query_params.get("page"))
        filters = OrderFilters(
            status=status,
            q=q.strip()[:100],
            partner_id=id_filter(partner_id),
            older_than_days=optional_int(older_than),
            min_amount=_amount(min_amount),
            max_amount=_amount(max_amount),
            approved_from=optional_date(approved_from),
            approved_until=optional_date(approved_until),
            page=number,
            per_page=PER_PAGE,
        )
        rows, total = await services.list_orders(user, filters, oldest_first=status == "submitted")
        counts = await services.count_by_status(user, filters=filters)
        params = {
            "status": status,
            "q": filters.q,
            "partner_id": partner_id,
            "older_than": older_than,
            "min_amount": min_amount,
            "max_amount": max_amount,
            "approved_from": approved_from,
            "approved_until": approved_until,
        }
        kept = {k: v for k, v in params.items() if v and k != "status"}  # tabs keep the filters
        tabs = [
            {
                "status": tab,
                "href": "?" + urlencode({**kept, "status": tab or "all"}),
                "label": tab_label(tab),
                "count": sum(counts.values())
                if not tab
                else sum(counts.get(s, 0) for s in tab.split(",")),
            }
            for tab in TABS
        ]
        return page(
            request,
            "console/orders/queue.html",
            orders=rows,
            tabs=tabs,
            partners=await partners_in_scope(user),
            params=params,
            values=params,
            pager=Page(number, PER_PAGE, total),
            status_labels={s.value: _(label) for s, label in STATUS_LABELS.items()},
        )

    @post("/approve", name="console_orders:bulk_approve")
    async def bulk_approve(self, request: Request) -> Redirect:
        user = current_user(request)
        data = await request.form()
        ids = []
        for value in data.getall("order_id", []):
            try:
                ids.append(int(value))
            except ValueError:
                continue
        if not ids:
            return redirect(
                request,
                "/console/orders?status=submitted",
                flash=("warning", _("Select the orders to approve.")),
            )
        approved, problems = await services.approve_orders(user, ids[:200])
        if problems:
            flash = (
                "warning",
                _("%(n)s orders approved.", n=len(approved)) + " " + " ".join(problems),
            )
        else:
            flash = ("success", _("%(n)s orders approved.", n=len(approved)))
        return redirect(request, "/console/orders?status=submitted", flash=flash)

    @get("/{order_id:int}", name="console_orders:show")
    async def show(self, request: Request, order_id: FromPath[int]) -> Template:
        user = current_user(request)
        order = await _order(user, order_id)
        detail = await services.order_detail(order, with_stock=True)
        return page(
            request,
            "console/orders/order.html",
            order=order,
            values={"carrier": "", "tracking_number": ""},
            **detail,
        )

    @post("/{order_id:int}/approve", name="console_orders:approve")
    async def approve(self, request: Request, order_id: FromPath[int]) -> Redirect:
        user = current_user(request)
        order = await _order(user, order_id)
        try:
            await services.approve_order(user, order)
        except FormError as exc:
            return _back(request, order_id, "error", _first_error(exc))
        return _back(
            request, order_id, "success", _("Order %(number)s approved.", number=order["number"])
        )

    @post("/{order_id:int}/reject", name="console_orders:reject")
    async def reject(self, request: Request, order_id: FromPath[int]) -> Redirect:
        user = current_user(request)
        order = await _order(user, order_id)
        form, _errors, _values = read_form(ReasonForm, await request.form())
        try:
            await services.reject_order(user, order, form.reason if form else "")
        except FormError as exc:
            return _back(request, order_id, "error", _first_error(exc))
        return _back(
            request, order_id, "success", _("Order %(number)s rejected.", number=order["number"])
        )

    @post("/{order_id:int}/cancel", name="console_orders:cancel")
    async def cancel(self, request: Request, order_id: FromPath[int]) -> Redirect:
        user = current_user(request)
        order = await _order(user, order_id)
        form, _errors, _values = read_form(ReasonForm, await request.form())
        try:
            await services.cancel_order(user, order, form.reason if form else "")
        except FormError as exc:
            return _back(request, order_id, "error", _first_error(exc))
        return _back(
            request, order_id, "success", _("Order %(number)s cancelled.", number=order["number"])
        )

    @post("/{order_id:int}/ship", name="console_orders:ship")
    async def ship(self, request: Request, order_id: FromPath[int]) -> Redirect:
        user = current_user(request)
        order = await _order(user, order_id)
        data = await request.form()
        form, errors, _values = read_form(ShipForm, data)
        if form is None:
            return _back(request, order_id, "error", "; ".join(errors.values()))
        quantities: dict[int, int] = {}
        for key, value in data.items():
            if key.startswith("qty_"):
                try:
                    quantities[int(key[4:])] = int(str(value).strip() or 0)
                except ValueError:
                    return _back(
                        request, order_id, "error", _("Enter whole numbers as quantities.")
                    )
        try:
            await services.ship_order(
                user,
                order,
                carrier=form.carrier,
                tracking_number=form.tracking_number,
                note=form.note,
                quantities=quantities,
            )
        except FormError as exc:
            return _back(request, order_id, "error", _first_error(exc))
        return _back(request, order_id, "success", _("The shipment has been recorded."))

    @post("/{order_id:int}/deliver", name="console_orders:deliver")
    async def deliver(self, request: Request, order_id: FromPath[int]) -> Redirect:
        user = current_user(request)
        order = await _order(user, order_id)
        try:
            await services.deliver_order(user, order)
        except FormError as exc:
            return _back(request, order_id, "error", _first_error(exc))
        return _back(request, order_id, "success", _("The order is marked as delivered."))


PAGES = [OrderConsole]
