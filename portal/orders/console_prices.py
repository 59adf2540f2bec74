"""Vendor console for prices: tier price lists (discount and explicit SKU prices), contract
prices and volume breaks. Vendor staff read; vendor admins change (VENDOR_ADMIN per handler)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from portal.auth.constants import Access
from portal.lib.forms import FormError, id_filter, read_form
from portal.lib.i18n import gettext as _
from portal.lib.money import AmountError, parse_amount
from portal.orders import price_rules, prices
from portal.orders.console_catalog import ADMIN, _flash_errors
from portal.orders.schemas import (
    ContractPriceData,
    ContractPriceForm,
    PriceListData,
    PriceListForm,
    PriceListItemForm,
    QuantityBreakData,
    QuantityBreakForm,
)
from portal.partners.access import partners_in_scope
from portal.partners.services import list_tiers, tier_label
from portal.web import current_user, page, redirect


def _price_list_data(form: PriceListForm) -> tuple[PriceListData | None, dict[str, str]]:
    try:
        discount_bp = prices.parse_percent(form.discount)
    except ValueError as exc:
        return None, {"discount": str(exc)}
    data = PriceListData(
        code=form.code,
        name=form.name,
        tier_id=form.tier_id,
        discount_bp=discount_bp,
        valid_from=form.valid_from,
        valid_until=form.valid_until,
        is_active=form.is_active,
    )
    return data, {}


class PriceConsole(Controller):
    """Tier price lists (discount and explicit SKU prices), contract prices, volume breaks."""

    path = "/console/catalog"
    opt = {"access": Access.VENDOR}

    async def _tiers(self) -> list[tuple[int, str]]:
        return [(t["id"], tier_label(t)) for t in await list_tiers()]

    async def _lists_page(self, request: Request, status_code: int = 200, **extra: Any) -> Template:
        extra.setdefault("values", {"is_active": True, "discount": "0"})
        return page(
            request,
            "console/orders/price_lists.html",
            status_code=status_code,
            price_lists=await price_rules.list_price_lists(),
            tiers=await self._tiers(),
            **extra,
        )

    @get("/price-lists", name="console_catalog:price_lists")
    async def price_lists(self, request: Request) -> Template:
        return await self._lists_page(request)

    @post("/price-lists", name="console_catalog:price_list_create", opt=ADMIN)
    async def price_list_create(self, request: Request) -> Template | Redirect:
        form, errors, values = read_form(PriceListForm, await request.form())
        if form is not None:
            data, errors = _price_list_data(form)
            if data is not None:
                try:
                    price_list_id = await price_rules.save_price_list(
                        current_user(request), None, data
                    )
                except FormError as exc:
                    errors = exc.errors
                else:
                    return redirect(
                        request,
                        "console_catalog:price_list",
                        flash=("success", _("The price list has been created.")),
                        price_list_id=price_list_id,
                    )
        return await self._lists_page(request, 400, errors=errors, values=values)

    async def _list_page(
        self, request: Request, price_list_id: int, status_code: int = 200, **extra: Any
    ) -> Template:
        price_list = await price_rules.get_price_list(price_list_id)
        values = extra.pop("values", None) or {
            **price_list,
            "tier_id": price_list["tier"],
            "discount": prices.bp_to_text(price_list["discount_bp"]),
        }
        return page(
            request,
            "console/orders/price_list.html",
            status_code=status_code,
            price_list=price_list,
            items=await price_rules.list_price_list_items(price_list_id),
            tiers=await self._tiers(),
            values=values,
            **extra,
        )

    @get("/price-lists/{price_list_id:int}", name="console_catalog:price_list")
    async def price_list(self, request: Request, price_list_id: FromPath[int]) -> Template:
        return await self._list_page(request, price_list_id)

    @post("/price-lists/{price_list_id:int}", name="console_catalog:price_list_update", opt=ADMIN)
    async def price_list_update(
        self, request: Request, price_list_id: FromPath[int]
    ) -> Template | Redirect:
        form, errors, values = read_form(PriceListForm, await request.form())
        if form is not None:
            data, errors = _price_list_data(form)
            if data is not None:
                try:
                    await price_rules.save_price_list(current_user(request), price_list_id, data)
                except FormError as exc:
                    errors = exc.errors
                else:
                    return redirect(
                        request,
                        "console_catalog:price_list",
                        flash=("success", _("The price list has been saved.")),
                        price_list_id=price_list_id,
                    )
        return await self._list_page(request, price_list_id, 400, errors=errors, values=values)

    @post(
        "/price-lists/{price_list_id:int}/items", name="console_catalog:price_list_item", opt=ADMIN
    )
    async def price_list_item(self, request: Request, price_list_id: FromPath[int]) -> Redirect:
        form, errors, _values = read_form(PriceListItemForm, await request.form())
        message: tuple[str, str]
        if form is None:
            message = ("error", "; ".join(errors.values()))
        else:
            try:
                amount = parse_amount(form.price)
                await price_rules.set_price_list_item(
                    current_user(request), price_list_id, form.sku, amount
                )
            except AmountError as exc:
                message = ("error", _(str(exc)))
            except FormError as exc:
                message = _flash_errors(exc)
            else:
                message = ("success", _("The price of %(sku)s has been saved.", sku=form.sku))
        return redirect(
            request, "console_catalog:price_list", flash=message, price_list_id=price_list_id
        )

    @post(
        "/price-lists/{price_list_id:int}/items/{item_id:int}/delete",
        name="console_catalog:price_list_item_delete",
        opt=ADMIN,
    )
    async def price_list_item_delete(
        self, request: Request, price_list_id: FromPath[int], item_id: FromPath[int]
    ) -> Redirect:
        await price_rules.delete_price_list_item(current_user(request), price_list_id, item_id)
        return redirect(
            request,
            "console_catalog:price_list",
            flash=("info", _("The explicit price has been removed.")),
            price_list_id=price_list_id,
        )

    async def _contracts_page(
        self, request: Request, status_code: int = 200, partner_id: int | None = None, **extra: Any
    ) -> Template:
        extra.setdefault("values", {"partner_id": partner_id})
        return page(
            request,
            "console/orders/contract_prices.html",
            status_code=status_code,
            contracts=await price_rules.list_contract_prices(partner_id),
            partners=await partners_in_scope(current_user(request)),
            partner_id=partner_id,
            **extra,
        )

    @get("/contract-prices", name="console_catalog:contract_prices")
    async def contract_prices(self, request: Request, partner_id: FromQuery[str] = "") -> Template:
        return await self._contracts_page(request, partner_id=id_filter(partner_id))

    @post("/contract-prices", name="console_catalog:contract_price_create", opt=ADMIN)
    async def contract_price_create(self, request: Request) -> Template | Redirect:
        form, errors, values = read_form(ContractPriceForm, await request.form())
        if form is not None:
            try:
                data = ContractPriceData(
                    partner_id=form.partner_id,
                    sku=form.sku,
                    price_amount=parse_amount(form.price),
                    valid_from=form.valid_from,
                    valid_until=form.valid_until,
                    note=form.note,
                )
                await price_rules.add_contract_price(current_user(request), data)
            except AmountError as exc:
                errors = {"price": _(str(exc))}
            except FormError as exc:
                errors = exc.errors
            else:
                return redirect(
                    request,
                    f"/console/catalog/contract-prices?partner_id={form.partner_id}",
                    flash=("success", _("The contract price has been saved.")),
                )
        return await self._contracts_page(request, 400, errors=errors, values=values)

    @post(
        "/contract-prices/{contract_id:int}/delete",
        name="console_catalog:contract_price_delete",
        opt=ADMIN,
    )
    async def contract_price_delete(self, request: Request, contract_id: FromPath[int]) -> Redirect:
        await price_rules.delete_contract_price(current_user(request), contract_id)
        return redirect(
            request,
            "console_catalog:contract_prices",
            flash=("info", _("The contract price has been removed.")),
        )

    async def _breaks_page(
        self, request: Request, status_code: int = 200, **extra: Any
    ) -> Template:
        extra.setdefault("values", {})
        return page(
            request,
            "console/orders/volume_breaks.html",
            status_code=status_code,
            breaks=await price_rules.list_quantity_breaks(),
            **extra,
        )

    @get("/volume-breaks", name="console_catalog:volume_breaks")
    async def volume_breaks(self, request: Request) -> Template:
        return await self._breaks_page(request)

    @post("/volume-breaks", name="console_catalog:volume_break_create", opt=ADMIN)
    async def volume_break_create(self, request: Request) -> Template | Redirect:
        form, errors, values = read_form(QuantityBreakForm, await request.form())
        if form is not None:
            try:
                data = QuantityBreakData(
                    sku=form.sku,
                    min_quantity=form.min_quantity,
                    discount_bp=prices.parse_percent(form.discount),
                    valid_from=form.valid_from,
                    valid_until=form.valid_until,
                )
                await price_rules.add_quantity_break(current_user(request), data)
            except ValueError as exc:
                errors = {"discount": str(exc)}
            except FormError as exc:
                errors = exc.errors
            else:
                return redirect(
                    request,
                    "console_catalog:volume_breaks",
                    flash=("success", _("The volume break has been saved.")),
                )
        return await self._breaks_page(request, 400, errors=errors, values=values)

    @post(
        "/volume-breaks/{break_id:int}/delete",
        name="console_catalog:volume_break_delete",
        opt=ADMIN,
    )
    async def volume_break_delete(self, request: Request, break_id: FromPath[int]) -> Redirect:
        await price_rules.delete_quantity_break(current_user(request), break_id)
        return redirect(
            request,
            "console_catalog:volume_breaks",
            flash=("info", _("The volume break has been removed.")),
        )


PAGES = [PriceConsole]
