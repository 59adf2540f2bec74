"""Vendor console for the catalog: products, stock per warehouse, categories, warehouses,
imports and exports (prices are in console_prices.py). Vendor staff read; vendor admins change
(each write handler declares VENDOR_ADMIN)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Response, Template

from portal.auth.constants import Access
from portal.lib import clock
from portal.lib.forms import FormError, id_filter, optional_int, read_form, struct_values
from portal.lib.i18n import gettext as _
from portal.lib.money import AmountError, minor_to_text, parse_amount
from portal.orders import catalog, catalog_listing, exports, imports
from portal.orders.console import _amount
from portal.orders.constants import MovementKind
from portal.orders.pages import availability_options
from portal.orders.schemas import (
    CatalogFilters,
    CategoryForm,
    OrderFilters,
    ProductData,
    ProductForm,
    StockForm,
    WarehouseForm,
)
from portal.web import Page, current_user, not_found, page, page_number, redirect

ADMIN = {"access": Access.VENDOR_ADMIN}
PER_PAGE = 50


def _flash_errors(exc: FormError) -> tuple[str, str]:
    return ("error", "; ".join(dict.fromkeys(exc.errors.values())))


def _product_data(form: ProductForm) -> tuple[ProductData | None, dict[str, str]]:
    try:
        price = parse_amount(form.list_price)
    except AmountError as exc:
        return None, {"list_price": _(str(exc))}
    values = struct_values(form)
    del values["list_price"]
    values["stock_display"] = form.stock_display.value
    return ProductData(**values, list_price_amount=price), {}


def _product_values(product: dict[str, Any]) -> dict[str, Any]:
    values = dict(product)
    values["list_price"] = minor_to_text(product["list_price_amount"])
    values["category_id"] = product["category"]
    return values


class CatalogConsole(Controller):
    """Products and their stock."""

    path = "/console/catalog"
    opt = {"access": Access.VENDOR}

    @get("/", name="console_catalog:products")
    async def index(
        self,
        request: Request,
        q: FromQuery[str] = "",
        category: FromQuery[str] = "",
        availability: FromQuery[str] = "",
    ) -> Template:
        user = current_user(request)
        number = page_number(request.query_params.get("page"))
        filters = CatalogFilters(
            q=q.strip()[:100],
            category=category,
            availability=availability,
            page=number,
            per_page=PER_PAGE,
            include_inactive=True,
        )
        items, total = await catalog_listing.list_catalog(user, filters)
        params = {"q": filters.q, "category": category, "availability": availability}

        return page(
            request,
            "console/orders/products.html",
            items=items,
            categories=await catalog.list_categories(),
            availability_options=availability_options(),
            params=params,
            values=params,
            pager=Page(number, PER_PAGE, total),
        )

    async def _form(
        self,
        request: Request,
        product: dict[str, Any] | None,
        status_code: int = 200,
        errors: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
    ) -> Template:
        extra: dict[str, Any] = {}
        if product is not None:
            extra["levels"] = await catalog.stock_for_product(product["id"])
            extra["movements"] = await catalog.list_movements(product["id"], 20)
        return page(
            request,
            "console/orders/product.html",
            status_code=status_code,
            product=product,
            categories=await catalog.list_categories(),
            errors=errors or {},
            values=values
            if values is not None
            else (
                _product_values(product)
                if product
                else {
                    "is_active": True,
                    "unit": "pcs",
                    "min_order_quantity": 1,
                    "pack_size": 1,
                    "stock_display": "bands",
                }
            ),
            **extra,
        )

    @get("/new", name="console_catalog:new", opt=ADMIN)
    async def new(self, request: Request) -> Template:
        return await self._form(request, None)

    @post("/new", name="console_catalog:create", opt=ADMIN)
    async def create(self, request: Request) -> Template | Redirect:
        form, errors, values = read_form(ProductForm, await request.form())
        if form is None:
            return await self._form(request, None, 400, errors, values)
        data, errors = _product_data(form)
        if data is None:
            return await self._form(request, None, 400, errors, values)
        try:
            product_id = await catalog.save_product(current_user(request), None, data)
        except FormError as exc:
            return await self._form(request, None, 400, exc.errors, values)
        return redirect(
            request,
            "console_catalog:edit",
            flash=("success", _("The product has been created.")),
            product_id=product_id,
        )

    async def _product(self, product_id: int) -> dict[str, Any]:
        return await catalog.get_product(product_id)

    @get("/{product_id:int}", name="console_catalog:edit")
    async def edit(self, request: Request, product_id: FromPath[int]) -> Template:
        return await self._form(request, await self._product(product_id))

    @post("/{product_id:int}", name="console_catalog:update", opt=ADMIN)
    async def update(self, request: Request, product_id: FromPath[int]) -> Template | Redirect:
        product = await self._product(product_id)
        form, errors, values = read_form(ProductForm, await request.form())
        if form is None:
            return await self._form(request, product, 400, errors, values)
        data, errors = _product_data(form)
        if data is None:
            return await self._form(request, product, 400, errors, values)
        try:
            await catalog.save_product(current_user(request), product_id, data)
        except FormError as exc:
            return await self._form(request, product, 400, exc.errors, values)
        return redirect(
            request,
            "console_catalog:edit",
            flash=("success", _("The product has been saved.")),
            product_id=product_id,
        )

    @post("/{product_id:int}/stock", name="console_catalog:set_stock", opt=ADMIN)
    async def set_stock(self, request: Request, product_id: FromPath[int]) -> Redirect:
        await self._product(product_id)
        form, errors, _values = read_form(StockForm, await request.form())
        if form is None:
            return redirect(
                request,
                "console_catalog:edit",
                flash=("error", "; ".join(errors.values())),
                product_id=product_id,
            )
        try:
            change = await catalog.set_stock(
                current_user(request),
                product_id,
                form.warehouse_id,
                form.on_hand,
                safety_stock=form.safety_stock,
                kind=MovementKind.ADJUSTMENT,
                note=form.note,
            )
        except FormError as exc:
            return redirect(
                request, "console_catalog:edit", flash=_flash_errors(exc), product_id=product_id
            )
        return redirect(
            request,
            "console_catalog:edit",
            flash=("success", _("Stock saved (change: %(n)s).", n=f"{change:+d}")),
            product_id=product_id,
        )

    @get("/stock", name="console_catalog:stock")
    async def stock_list(
        self, request: Request, q: FromQuery[str] = "", availability: FromQuery[str] = ""
    ) -> Template:
        user = current_user(request)
        number = page_number(request.query_params.get("page"))
        filters = CatalogFilters(
            q=q.strip()[:100],
            availability=availability,
            page=number,
            per_page=PER_PAGE,
            include_inactive=True,
            sort="sku",
        )
        items, total = await catalog_listing.list_catalog(user, filters)
        warehouses = await catalog.list_warehouses(include_inactive=False)
        levels = await catalog.levels_for([i["id"] for i in items])
        params = {"q": filters.q, "availability": availability}

        return page(
            request,
            "console/orders/stock.html",
            items=items,
            warehouses=warehouses,
            levels=levels,
            availability_options=availability_options(),
            params=params,
            values=params,
            pager=Page(number, PER_PAGE, total),
        )

    @get("/export/{kind:str}", name="console_catalog:export")
    async def export(self, request: Request, kind: FromPath[str]) -> Response[bytes]:
        """An .xlsx download (products, prices, stock, or orders with the queue's filters)."""
        user = current_user(request)
        if kind == "products":
            data = await exports.products_xlsx()
        elif kind == "prices":
            data = await exports.prices_xlsx()
        elif kind == "stock":
            data = await exports.stock_xlsx()
        elif kind == "orders":
            query = request.query_params
            filters = OrderFilters(
                status=query.get("status", ""),
                q=query.get("q", ""),
                partner_id=id_filter(query.get("partner_id", "")),
                older_than_days=optional_int(query.get("older_than", "")),
                min_amount=_amount(query.get("min_amount", "")),
                max_amount=_amount(query.get("max_amount", "")),
            )
            data = await exports.orders_xlsx(user, filters)
        else:
            raise not_found()
        stamp = f"{clock.today():%Y%m%d}"
        return Response(
            content=data,
            media_type=exports.XLSX_TYPE,
            headers={
                "Content-Disposition": f'attachment; filename="{kind}-{stamp}.xlsx"',
                "X-Content-Type-Options": "nosniff",
            },
        )

    @get("/import", name="console_catalog:import", opt=ADMIN)
    async def import_form(self, request: Request) -> Template:
        return page(request, "console/orders/import.html", result=None, values={"kind": "products"})

    @post("/import", name="console_catalog:import_submit", opt=ADMIN)
    async def import_submit(self, request: Request) -> Template:
        user = current_user(request)
        data = await request.form()
        kind = str(data.get("kind", ""))
        dry_run = data.get("dry_run") in ("on", "1", "true")
        upload = data.get("file")
        values = {"kind": kind, "dry_run": dry_run}
        if not isinstance(upload, UploadFile) or not upload.filename:
            return page(
                request,
                "console/orders/import.html",
                status_code=400,
                result=None,
                values=values,
                errors={"file": _("Choose a file to upload.")},
            )
        content = await upload.read(imports.MAX_BYTES + 1)
        try:
            result = await imports.run_import(user, kind, upload.filename, content, dry_run=dry_run)
        except imports.FileRefused as exc:
            return page(
                request,
                "console/orders/import.html",
                status_code=400,
                result=None,
                values=values,
                errors={"file": str(exc)},
            )
        return page(
            request,
            "console/orders/import.html",
            status_code=200 if not result.error_count else 400,
            result=result,
            values=values,
            filename=upload.filename,
        )


class ReferenceConsole(Controller):
    """Categories and warehouses."""

    path = "/console/catalog"
    opt = {"access": Access.VENDOR}

    @get("/categories", name="console_catalog:categories")
    async def categories(self, request: Request) -> Template:
        return page(
            request, "console/orders/categories.html", categories=await catalog.list_categories()
        )

    async def _save_category(
        self, request: Request, category_id: int | None
    ) -> Template | Redirect:
        form, errors, values = read_form(CategoryForm, await request.form())
        if form is not None:
            try:
                await catalog.save_category(current_user(request), category_id, form)
            except FormError as exc:
                errors = exc.errors
        if errors:
            return page(
                request,
                "console/orders/categories.html",
                status_code=400,
                categories=await catalog.list_categories(),
                errors=errors,
                values=values,
                editing=category_id,
            )
        return redirect(
            request,
            "console_catalog:categories",
            flash=("success", _("The category has been saved.")),
        )

    @post("/categories", name="console_catalog:category_create", opt=ADMIN)
    async def category_create(self, request: Request) -> Template | Redirect:
        return await self._save_category(request, None)

    @post("/categories/{category_id:int}", name="console_catalog:category_update", opt=ADMIN)
    async def category_update(
        self, request: Request, category_id: FromPath[int]
    ) -> Template | Redirect:
        return await self._save_category(request, category_id)

    @get("/warehouses", name="console_catalog:warehouses")
    async def warehouses(self, request: Request) -> Template:
        return page(
            request,
            "console/orders/warehouses.html",
            warehouses=await catalog.list_warehouses(),
            values={"is_active": True},
        )

    async def _save_warehouse(
        self, request: Request, warehouse_id: int | None
    ) -> Template | Redirect:
        form, errors, values = read_form(WarehouseForm, await request.form())
        if form is not None:
            try:
                await catalog.save_warehouse(current_user(request), warehouse_id, form)
            except FormError as exc:
                errors = exc.errors
        if errors:
            return page(
                request,
                "console/orders/warehouses.html",
                status_code=400,
                warehouses=await catalog.list_warehouses(),
                errors=errors,
                values=values,
                editing=warehouse_id,
            )
        return redirect(
            request,
            "console_catalog:warehouses",
            flash=("success", _("The warehouse has been saved.")),
        )

    @post("/warehouses", name="console_catalog:warehouse_create", opt=ADMIN)
    async def warehouse_create(self, request: Request) -> Template | Redirect:
        return await self._save_warehouse(request, None)

    @post("/warehouses/{warehouse_id:int}", name="console_catalog:warehouse_update", opt=ADMIN)
    async def warehouse_update(
        self, request: Request, warehouse_id: FromPath[int]
    ) -> Template | Redirect:
        return await self._save_warehouse(request, warehouse_id)


PAGES = [CatalogConsole, ReferenceConsole]
