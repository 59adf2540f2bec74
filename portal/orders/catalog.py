"""The catalog: categories, products, warehouses and stock levels (vendor verbs), and the prices &
stock listing partners search (their net price, its reason and availability per product)."""

from __future__ import annotations

from typing import Any

import msgspec
from piccolo.columns import Column

from portal.auth.schemas import CurrentUser
from portal.core import audit
from portal.db import write_transaction
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.lib.i18n import localized
from portal.orders import stock
from portal.orders.constants import MovementKind, StockDisplay
from portal.orders.price_rules import require_vendor_admin
from portal.orders.schemas import CategoryForm, ProductData, WarehouseForm
from portal.orders.tables import Category, Product, StockLevel, StockMovement, Warehouse
from portal.tenancy import NotFound

PRODUCT_EDITABLE = (
    "sku",
    "name_zh",
    "name_en",
    "description_zh",
    "description_en",
    "category_id",
    "unit",
    "list_price_amount",
    "min_order_quantity",
    "pack_size",
    "is_active",
    "image_url",
    "stock_display",
    "restock_on",
)


# ---- categories and warehouses ---------------------------------------------------------------


async def list_categories() -> list[dict[str, Any]]:
    """Every category in display order, with its name in the current language."""
    rows = await Category.select().order_by(Category.position).order_by(Category.code)
    for row in rows:
        row["name"] = localized(row, "name")
    return rows


async def save_category(actor: CurrentUser, category_id: int | None, category: CategoryForm) -> int:
    """Create or rename a category; raises FormError for a code already in use."""
    require_vendor_admin(actor)
    data = msgspec.structs.asdict(category)
    clash = Category.exists().where(Category.code == data["code"])
    if category_id is not None:
        clash = clash.where(Category.id != category_id)
    if await clash:
        raise FormError({"code": _("Another category has this code.")})
    async with write_transaction():
        if category_id is None:
            rows = await Category.insert(Category(**data)).returning(Category.id)
            category_id = int(rows[0]["id"])
        else:
            updated = (
                await Category.update({k: v for k, v in data.items()})
                .where(Category.id == category_id)
                .returning(Category.id)
            )
            if not updated:
                raise NotFound
        await audit.record(
            "category.save",
            actor=actor,
            target_type="category",
            target_id=category_id,
            after=data,
        )
    return category_id


async def list_warehouses(include_inactive: bool = True) -> list[dict[str, Any]]:
    """Warehouses by code (active ones only, if asked)."""
    query = Warehouse.select().order_by(Warehouse.code)
    if not include_inactive:
        query = query.where(Warehouse.is_active == True)  # noqa: E712
    return await query


async def warehouse_by_code(code: str) -> dict[str, Any] | None:
    """The warehouse with this code (case-insensitive), or None."""
    return await Warehouse.select().where(Warehouse.code == code.strip().upper()).first()


async def save_warehouse(
    actor: CurrentUser, warehouse_id: int | None, warehouse: WarehouseForm
) -> int:
    """Create or change a warehouse (codes are upper case); FormError for a taken code."""
    require_vendor_admin(actor)
    data = msgspec.structs.asdict(warehouse)
    data["code"] = data["code"].strip().upper()
    clash = Warehouse.exists().where(Warehouse.code == data["code"])
    if warehouse_id is not None:
        clash = clash.where(Warehouse.id != warehouse_id)
    if await clash:
        raise FormError({"code": _("Another warehouse has this code.")})
    async with write_transaction():
        if warehouse_id is None:
            rows = await Warehouse.insert(Warehouse(**data, created_at=now())).returning(
                Warehouse.id
            )
            warehouse_id = int(rows[0]["id"])
        else:
            updated = (
                await Warehouse.update({k: v for k, v in data.items()})
                .where(Warehouse.id == warehouse_id)
                .returning(Warehouse.id)
            )
            if not updated:
                raise NotFound
        await audit.record(
            "warehouse.save",
            actor=actor,
            target_type="warehouse",
            target_id=warehouse_id,
            after=data,
        )
    return warehouse_id


# ---- products --------------------------------------------------------------------------------


async def get_product(product_id: int) -> dict[str, Any]:
    """A product with its category; NotFound when there is none."""
    row = (
        await Product.select(
            *Product.all_columns(),
            Product.category.code,
            Product.category.name_zh,
            Product.category.name_en,
        )
        .where(Product.id == product_id)
        .first()
    )
    if row is None:
        raise NotFound
    row["name"] = localized(row, "name")
    return row


async def get_product_by_sku(sku: str, active_only: bool = False) -> dict[str, Any]:
    """The product with this SKU; NotFound when there is none (or it is inactive, if asked)."""
    query = Product.select(Product.id).where(Product.sku == sku.strip())
    if active_only:
        query = query.where(Product.is_active == True)  # noqa: E712
    row = await query.first()
    if row is None:
        raise NotFound
    return await get_product(row["id"])


async def products_by_sku(skus: list[str]) -> dict[str, dict[str, Any]]:
    """SKU -> product row for the SKUs that exist (one query)."""
    if not skus:
        return {}
    rows = await Product.select().where(Product.sku.is_in(sorted(set(skus))))
    return {r["sku"]: r for r in rows}


async def validate_product(product_id: int | None, product: ProductData) -> None:
    """Raise FormError naming every field that clashes or refers to nothing."""
    errors: dict[str, str] = {}
    clash = Product.exists().where(Product.sku == product.sku.strip())
    if product_id is not None:
        clash = clash.where(Product.id != product_id)
    if await clash:
        errors["sku"] = _("Another product has this SKU.")
    category = product.category_id
    if category is not None and not await Category.exists().where(Category.id == category):
        errors["category_id"] = _("Choose one of the options.")
    if product.stock_display not in set(StockDisplay):
        errors["stock_display"] = _("Choose one of the options.")
    if product.pack_size < 1 or product.min_order_quantity % product.pack_size:
        errors["min_order_quantity"] = _(
            "The minimum quantity must be a multiple of the pack size."
        )
    if errors:
        raise FormError(errors)


def _columns(product: ProductData) -> dict[str, Any]:
    """The product's columns as the table names them (category_id -> category)."""
    values = {**msgspec.structs.asdict(product), "sku": product.sku.strip()}
    out = {k: v for k, v in values.items() if k in PRODUCT_EDITABLE and k != "category_id"}
    out["category"] = product.category_id
    return out


async def save_product(actor: CurrentUser, product_id: int | None, product: ProductData) -> int:
    """Create or change a product (list price in minor units); FormError for bad input."""
    require_vendor_admin(actor)
    await validate_product(product_id, product)
    data = {**msgspec.structs.asdict(product), "sku": product.sku.strip()}
    moment = now()
    async with write_transaction():
        if product_id is None:
            rows = await Product.insert(
                Product(**_columns(product), created_at=moment, updated_at=moment)
            ).returning(Product.id)
            product_id = int(rows[0]["id"])
            await audit.record(
                "product.create",
                actor=actor,
                target_type="product",
                target_id=product_id,
                after={k: data.get(k) for k in ("sku", "name_zh", "list_price_amount")},
            )
        else:
            before = await get_product(product_id)
            before["category_id"] = before["category"]
            old, new = audit.changes(before, {k: data[k] for k in PRODUCT_EDITABLE if k in data})
            changes: dict[Column | str, Any] = {k: v for k, v in _columns(product).items()}
            changes[Product.updated_at] = moment
            await Product.update(changes).where(Product.id == product_id)
            if new:
                await audit.record(
                    "product.update",
                    actor=actor,
                    target_type="product",
                    target_id=product_id,
                    before=old,
                    after=new,
                )
    return product_id


# ---- stock -----------------------------------------------------------------------------------


async def stock_for_product(product_id: int) -> list[dict[str, Any]]:
    """One row per warehouse (zero where the product has no stock row yet)."""
    levels = {
        r["warehouse"]: r for r in await StockLevel.select().where(StockLevel.product == product_id)
    }
    out = []
    for warehouse in await list_warehouses():
        level = levels.get(warehouse["id"], {})
        on_hand, reserved = level.get("on_hand", 0), level.get("reserved", 0)
        out.append(
            {
                "warehouse_id": warehouse["id"],
                "warehouse_code": warehouse["code"],
                "warehouse_name": warehouse["name"],
                "warehouse_active": warehouse["is_active"],
                "on_hand": on_hand,
                "reserved": reserved,
                "available": on_hand - reserved,
                "safety_stock": level.get("safety_stock", 0),
                "updated_at": level.get("updated_at"),
            }
        )
    return out


async def set_stock(
    actor: CurrentUser,
    product_id: int,
    warehouse_id: int,
    on_hand: int,
    *,
    safety_stock: int | None = None,
    kind: MovementKind = MovementKind.ADJUSTMENT,
    note: str = "",
    audited: bool = True,
) -> int:
    """Set the counted on-hand quantity of a product in a warehouse, with a stock movement for
    the difference. Returns the change. FormError when the count is below the reserved units."""
    if not actor.is_vendor:
        raise FormError({"": _("Only vendor staff can change stock.")})
    if on_hand < 0:
        raise FormError({"on_hand": _("Must be at least %(n)s.", n=0)})
    if not await Warehouse.exists().where(Warehouse.id == warehouse_id):
        raise FormError({"warehouse_id": _("Choose one of the options.")})
    async with write_transaction():
        result = await stock.set_on_hand(product_id, warehouse_id, on_hand, safety_stock)
        if result is None:
            reserved = (
                await StockLevel.select(StockLevel.reserved)
                .where((StockLevel.product == product_id) & (StockLevel.warehouse == warehouse_id))
                .first()
            )
            raise FormError(
                {
                    "on_hand": _(
                        "%(n)s units are reserved for open orders; on hand cannot be less.",
                        n=reserved["reserved"] if reserved else 0,
                    )
                }
            )
        before, after, _reserved = result
        if after != before:
            await StockMovement.insert(
                StockMovement(
                    product=product_id,
                    warehouse=warehouse_id,
                    quantity=after - before,
                    on_hand_after=after,
                    kind=kind,
                    note=note[:300],
                    actor_id=actor.id,
                    actor_name=actor.name,
                    at=now(),
                )
            )
        if audited and (after != before or safety_stock is not None):
            await audit.record(
                f"stock.{kind.value}",
                actor=actor,
                target_type="product",
                target_id=product_id,
                before={"on_hand": before},
                after={"on_hand": after, "safety_stock": safety_stock},
                detail=note[:300],
            )
    return after - before


async def levels_for(product_ids: list[int]) -> dict[int, dict[int, dict[str, Any]]]:
    """product id -> warehouse id -> stock level row, for a page of products."""
    out: dict[int, dict[int, dict[str, Any]]] = {}
    if not product_ids:
        return out
    for row in await StockLevel.select().where(StockLevel.product.is_in(product_ids)):
        row["available"] = row["on_hand"] - row["reserved"]
        out.setdefault(row["product"], {})[row["warehouse"]] = row
    return out


async def list_movements(product_id: int, limit: int = 50) -> list[dict[str, Any]]:
    """The latest stock movements of a product, newest first."""
    return (
        await StockMovement.select(*StockMovement.all_columns(), StockMovement.warehouse.code)
        .where(StockMovement.product == product_id)
        .order_by(StockMovement.id, ascending=False)
        .limit(limit)
    )
