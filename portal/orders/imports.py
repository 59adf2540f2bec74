"""Imports of products, prices and stock levels from CSV or XLSX (console and `portal import`).

Every row is validated first and every bad row reported with its line number and reason; nothing
is written until the whole file is clean, and then everything is written in one transaction (so a
failure half-way leaves nothing behind). Files are read by portal.lib.spreadsheets (capped in size,
rows, cells; off the event loop); openpyxl uses defusedxml (a dependency) against XML bombs.

Columns (first row; names are case-insensitive, Chinese headers accepted where listed):
- products: sku, name_zh, name_en, category (code), unit, list_price (yuan), min_order_quantity,
  pack_size, active (yes/no), stock_display (exact/bands), restock_on (YYYY-MM-DD),
  description_zh, description_en, image_url. Existing SKUs are updated, new ones created.
- prices: sku, price (yuan), and either price_list (code: an explicit price in that tier list) or
  partner (partner code: a contract price, with optional valid_from, valid_until).
- stock: sku, warehouse (code), on_hand, safety_stock (optional): counted quantities.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import anyio.to_thread
from piccolo.columns import Column

from portal.auth.schemas import CurrentUser
from portal.core import audit
from portal.db import write_transaction
from portal.lib import spreadsheets
from portal.lib.clock import now
from portal.lib.i18n import gettext as _
from portal.orders import stock
from portal.orders.constants import MovementKind
from portal.orders.import_checks import check_rows
from portal.orders.tables import (
    Category,
    ContractPrice,
    PriceList,
    PriceListItem,
    Product,
    StockLevel,
    StockMovement,
    Warehouse,
)
from portal.partners.tables import Partner

# one reader for the portal (lib.spreadsheets); its refusal and row error are this module's too
FileRefused = spreadsheets.FileRefused
RowError = spreadsheets.RowError

KINDS = ("products", "prices", "stock")
MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
MAX_REPORTED = 200  # errors listed; the count says how many more
XLSX_MAGIC = spreadsheets.XLSX_MAGIC

# Accepted header spellings -> column name.
ALIASES = {
    "sku": "sku",
    "料号": "sku",
    "编码": "sku",
    "name_zh": "name_zh",
    "name": "name_zh",
    "名称": "name_zh",
    "中文名称": "name_zh",
    "name_en": "name_en",
    "英文名称": "name_en",
    "category": "category",
    "类别": "category",
    "分类": "category",
    "unit": "unit",
    "单位": "unit",
    "list_price": "list_price",
    "价格": "list_price",
    "目录价": "list_price",
    "min_order_quantity": "min_order_quantity",
    "min_qty": "min_order_quantity",
    "最小起订量": "min_order_quantity",
    "pack_size": "pack_size",
    "包装数量": "pack_size",
    "active": "active",
    "启用": "active",
    "stock_display": "stock_display",
    "restock_on": "restock_on",
    "预计到货": "restock_on",
    "description_zh": "description_zh",
    "description_en": "description_en",
    "image_url": "image_url",
    "price": "price",
    "单价": "price",
    "price_list": "price_list",
    "价格表": "price_list",
    "partner": "partner",
    "伙伴": "partner",
    "valid_from": "valid_from",
    "valid_until": "valid_until",
    "warehouse": "warehouse",
    "仓库": "warehouse",
    "on_hand": "on_hand",
    "库存": "on_hand",
    "safety_stock": "safety_stock",
    "安全库存": "safety_stock",
}
REQUIRED = {
    "products": ("sku", "name_zh", "list_price"),
    "prices": ("sku", "price"),
    "stock": ("sku", "warehouse", "on_hand"),
}


@dataclass
class ImportResult:
    """What a run found or did: errors (nothing written) or counts of written rows."""

    kind: str
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    created: int = 0
    updated: int = 0
    written: bool = False

    def add(self, line: int, message: str, column: str = "") -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED:
            self.errors.append(RowError(line, message, column))


# ---- reading -------------------------------------------------------------------------------

LIMITS = spreadsheets.Limits(max_bytes=MAX_BYTES, max_rows=MAX_ROWS)


def read_rows(filename: str, data: bytes) -> list[tuple[int, dict[str, str]]]:
    """(line number, {column: text}) for every non-empty data row; raises FileRefused.
    Blocking: requests call `load_rows`."""
    table = spreadsheets.read_table(filename, data, limits=LIMITS, aliases=ALIASES)
    if not table.header:
        raise FileRefused(_("The file is empty."))
    return table.records()


async def load_rows(filename: str, data: bytes) -> list[tuple[int, dict[str, str]]]:
    """`read_rows` in a worker thread: parsing a large file never holds up other requests."""
    return await anyio.to_thread.run_sync(read_rows, filename, data)


# ---- validation (the row checks themselves: import_checks.py) ------------------------------


async def validate(
    kind: str, rows: list[tuple[int, dict[str, str]]]
) -> tuple[ImportResult, list[dict[str, Any]]]:
    """Check every row; returns the result (with errors) and the clean rows ready to write."""
    if kind not in KINDS:
        raise FileRefused(_("Choose products, prices or stock."))
    result = ImportResult(kind=kind, rows=len(rows))
    present = set().union(*(r.keys() for _n, r in rows)) if rows else set()
    missing = [c for c in REQUIRED[kind] if c not in present]
    if missing:
        raise FileRefused(_("Missing columns: %(columns)s.", columns=", ".join(missing)))
    refs = await _references(kind, rows)
    # pure Python over up to 50,000 rows: in a worker thread, so other requests are served
    clean = await anyio.to_thread.run_sync(check_rows, kind, rows, refs, result.add)
    return result, clean


async def _references(kind: str, rows: list[tuple[int, dict[str, str]]]) -> dict[str, Any]:
    skus = sorted({r.get("sku", "") for _n, r in rows if r.get("sku")})
    refs: dict[str, Any] = {"products": {}}
    for start in range(0, len(skus), 500):  # IN lists in chunks (SQLite variable limit)
        chunk = skus[start : start + 500]
        for p in await Product.select(Product.id, Product.sku).where(Product.sku.is_in(chunk)):
            refs["products"][p["sku"]] = p["id"]
    if kind == "products":
        refs["categories"] = {
            c["code"]: c["id"] for c in await Category.select(Category.id, Category.code)
        }
    if kind == "prices":
        refs["price_lists"] = {
            p["code"]: p["id"] for p in await PriceList.select(PriceList.id, PriceList.code)
        }
        refs["partners"] = {
            p["code"]: p["id"] for p in await Partner.select(Partner.id, Partner.code)
        }
    if kind == "stock":
        refs["warehouses"] = {
            w["code"]: w["id"] for w in await Warehouse.select(Warehouse.id, Warehouse.code)
        }
        refs["reserved"] = {
            (s["product"], s["warehouse"]): s["reserved"]
            for s in await StockLevel.select(
                StockLevel.product, StockLevel.warehouse, StockLevel.reserved
            ).where(StockLevel.reserved > 0)
        }
    return refs


# ---- writing -------------------------------------------------------------------------------

Progress = Callable[[int], None]


async def run_import(
    actor: CurrentUser | None,
    kind: str,
    filename: str,
    data: bytes,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Read, validate and (when every row is clean and not dry_run) write a file.
    Raises FileRefused when the file itself is unusable. `actor` None: the CLI (no user)."""
    if actor is not None and not actor.is_vendor_admin:
        raise FileRefused(_("Only a vendor administrator can do this."))
    rows = await load_rows(filename, data)
    result, clean = await validate(kind, rows)
    if result.error_count or dry_run:
        return result
    return await write_clean(actor, filename, result, clean, progress)


async def write_clean(
    actor: CurrentUser | None,
    filename: str,
    result: ImportResult,
    clean: list[dict[str, Any]],
    progress: Progress | None = None,
) -> ImportResult:
    """Write validated rows in one transaction (all or nothing) with one audit entry."""
    assert not result.error_count, "write_clean needs a file without errors"
    writer = {"products": _write_products, "prices": _write_prices, "stock": _write_stock}[
        result.kind
    ]
    async with write_transaction():
        await writer(actor, clean, result, progress or (lambda n: None))
        await audit.record(
            f"import.{result.kind}",
            actor=actor,
            actor_email="cli" if actor is None else "",
            target_type="import",
            target_id=filename[:40],
            after={"rows": result.rows, "created": result.created, "updated": result.updated},
        )
    result.written = True
    return result


async def _write_products(
    actor: CurrentUser | None, rows: list[dict[str, Any]], result: ImportResult, progress: Progress
) -> None:
    moment = now()
    for row in rows:
        row.pop("_line")
        product_id = row.pop("id")
        if product_id is None:
            await Product.insert(Product(**row, created_at=moment, updated_at=moment))
            result.created += 1
        else:
            changes: dict[Column | str, Any] = {k: v for k, v in row.items()}
            changes["updated_at"] = moment
            await Product.update(changes).where(Product.id == product_id)
            result.updated += 1
        progress(1)


async def _write_prices(
    actor: CurrentUser | None, rows: list[dict[str, Any]], result: ImportResult, progress: Progress
) -> None:
    moment = now()
    for row in rows:
        row.pop("_line")
        if "price_list" in row:
            existing = (
                await PriceListItem.select(PriceListItem.id)
                .where(
                    (PriceListItem.price_list == row["price_list"])
                    & (PriceListItem.product == row["product"])
                )
                .first()
            )
            if existing:
                await PriceListItem.update({PriceListItem.price_amount: row["price_amount"]}).where(
                    PriceListItem.id == existing["id"]
                )
                result.updated += 1
            else:
                await PriceListItem.insert(PriceListItem(**row))
                result.created += 1
        else:
            same = ContractPrice.select(ContractPrice.id).where(
                (ContractPrice.partner == row["partner"])
                & (ContractPrice.product == row["product"])
            )
            for column in ("valid_from", "valid_until"):
                value = row[column]
                col = getattr(ContractPrice, column)
                same = same.where(col.is_null() if value is None else col == value)
            existing = await same.first()
            if existing:
                await ContractPrice.update({ContractPrice.price_amount: row["price_amount"]}).where(
                    ContractPrice.id == existing["id"]
                )
                result.updated += 1
            else:
                await ContractPrice.insert(
                    ContractPrice(
                        **row,
                        note=_("Imported"),
                        created_by_id=actor.id if actor else None,
                        created_at=moment,
                    )
                )
                result.created += 1
        progress(1)


async def _write_stock(
    actor: CurrentUser | None, rows: list[dict[str, Any]], result: ImportResult, progress: Progress
) -> None:
    moment = now()
    for row in rows:
        line = row.pop("_line")
        changed = await stock.set_on_hand(
            row["product"], row["warehouse"], row["on_hand"], row["safety_stock"]
        )
        if changed is None:  # an order reserved more since validation: refuse the whole file
            raise FileRefused(
                _(
                    "Line %(line)s: more units were reserved meanwhile; nothing was imported.",
                    line=line,
                )
            )
        before, after, _reserved = changed
        if after != before:
            await StockMovement.insert(
                StockMovement(
                    product=row["product"],
                    warehouse=row["warehouse"],
                    quantity=after - before,
                    on_hand_after=after,
                    kind=MovementKind.IMPORT,
                    note=_("Import"),
                    actor_id=actor.id if actor else None,
                    actor_name=actor.name if actor else "cli",
                    at=moment,
                )
            )
            result.updated += 1
        progress(1)
