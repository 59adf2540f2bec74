"""Checking the rows of a catalog import (products, prices, stock) against the references the
import looked up; pure Python, no database, so it can run in a worker thread."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from portal.lib.i18n import gettext as _
from portal.lib.money import AmountError, parse_amount
from portal.orders.constants import MAX_LINE_QUANTITY, StockDisplay
from portal.orders.schemas import SKU_PATTERN

TRUE = {"1", "yes", "y", "true", "是", "启用", "on"}
FALSE = {"0", "no", "n", "false", "否", "停用", "off"}


def _int(text: str, default: int | None = None, minimum: int = 0) -> int:
    if text == "" and default is not None:
        return default
    value = int(text.replace(",", ""))
    if value < minimum or value > MAX_LINE_QUANTITY * 100:
        raise ValueError
    return value


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _bool(text: str, default: bool = True) -> bool:
    lowered = text.lower()
    if lowered == "":
        return default
    if lowered in TRUE:
        return True
    if lowered in FALSE:
        return False
    raise ValueError


def check_rows(
    kind: str,
    rows: list[tuple[int, dict[str, str]]],
    refs: dict[str, Any],
    add: Callable[[int, str], None],
) -> list[dict[str, Any]]:
    """The clean rows ready to write; every bad or repeated row reported through `add(line,
    message)`. Pure Python (no database): the import runs it in a worker thread."""
    checker = {"products": _check_product, "prices": _check_price, "stock": _check_stock}[kind]
    clean: list[dict[str, Any]] = []
    seen: dict[tuple[Any, ...], int] = {}
    for line, row in rows:
        try:
            item = checker(row, refs)
        except _RowProblem as problem:
            add(line, str(problem))
            continue
        key = item.pop("_key")
        if key in seen:
            add(line, _("Same as line %(n)s.", n=seen[key]))
            continue
        seen[key] = line
        item["_line"] = line
        clean.append(item)
    return clean


class _RowProblem(ValueError):
    pass


def _money(text: str, column: str) -> int:
    try:
        return parse_amount(text)
    except AmountError as exc:
        raise _RowProblem(f"{column}: {_(str(exc))}") from None


def _check_product(row: dict[str, str], refs: dict[str, Any]) -> dict[str, Any]:
    sku = row.get("sku", "")
    if not sku or len(sku) > 40 or not re.match(SKU_PATTERN, sku):
        raise _RowProblem(_("sku: use at most 40 letters, digits, dots, dashes or underscores."))
    if not row.get("name_zh"):
        raise _RowProblem(_("name_zh: the Chinese name is required."))
    category = row.get("category", "")
    if category and category not in refs["categories"]:
        raise _RowProblem(_("category: no category has the code %(code)s.", code=category))
    try:
        min_qty = _int(row.get("min_order_quantity", ""), 1, 1)
        pack = _int(row.get("pack_size", ""), 1, 1)
    except ValueError:
        raise _RowProblem(
            _("min_order_quantity and pack_size must be whole numbers from 1.")
        ) from None
    if min_qty % pack:
        raise _RowProblem(_("min_order_quantity must be a multiple of pack_size."))
    display = (row.get("stock_display") or StockDisplay.BANDS).lower()
    if display not in set(StockDisplay):
        raise _RowProblem(_("stock_display: write exact or bands."))
    try:
        active = _bool(row.get("active", ""))
    except ValueError:
        raise _RowProblem(_("active: write yes or no.")) from None
    try:
        restock = _date(row.get("restock_on", ""))
    except ValueError:
        raise _RowProblem(_("restock_on: write the date as YYYY-MM-DD.")) from None
    return {
        "_key": (sku,),
        "id": refs["products"].get(sku),
        "sku": sku,
        "name_zh": row["name_zh"][:200],
        "name_en": row.get("name_en", "")[:200],
        "category": refs["categories"].get(category) if category else None,
        "unit": (row.get("unit") or "pcs")[:20],
        "list_price_amount": _money(row.get("list_price", ""), "list_price"),
        "min_order_quantity": min_qty,
        "pack_size": pack,
        "is_active": active,
        "stock_display": display,
        "restock_on": restock,
        "description_zh": row.get("description_zh", ""),
        "description_en": row.get("description_en", ""),
        "image_url": row.get("image_url", "")[:500],
    }


def _check_price(row: dict[str, str], refs: dict[str, Any]) -> dict[str, Any]:
    sku = row.get("sku", "")
    product_id = refs["products"].get(sku)
    if product_id is None:
        raise _RowProblem(_("sku: no product has the SKU %(sku)s.", sku=sku))
    amount = _money(row.get("price", ""), "price")
    price_list, partner = row.get("price_list", ""), row.get("partner", "")
    if bool(price_list) == bool(partner):
        raise _RowProblem(_("Fill in either price_list or partner, not both."))
    try:
        valid_from, valid_until = (
            _date(row.get("valid_from", "")),
            _date(row.get("valid_until", "")),
        )
    except ValueError:
        raise _RowProblem(_("valid_from and valid_until: write dates as YYYY-MM-DD.")) from None
    if valid_from and valid_until and valid_until < valid_from:
        raise _RowProblem(_("valid_until is before valid_from."))
    if price_list:
        list_id = refs["price_lists"].get(price_list)
        if list_id is None:
            raise _RowProblem(
                _("price_list: no price list has the code %(code)s.", code=price_list)
            )
        return {
            "_key": ("list", list_id, product_id),
            "price_list": list_id,
            "product": product_id,
            "price_amount": amount,
        }
    partner_id = refs["partners"].get(partner)
    if partner_id is None:
        raise _RowProblem(_("partner: no partner has the code %(code)s.", code=partner))
    return {
        "_key": ("contract", partner_id, product_id, valid_from, valid_until),
        "partner": partner_id,
        "product": product_id,
        "price_amount": amount,
        "valid_from": valid_from,
        "valid_until": valid_until,
    }


def _check_stock(row: dict[str, str], refs: dict[str, Any]) -> dict[str, Any]:
    sku = row.get("sku", "")
    product_id = refs["products"].get(sku)
    if product_id is None:
        raise _RowProblem(_("sku: no product has the SKU %(sku)s.", sku=sku))
    code = row.get("warehouse", "").upper()
    warehouse_id = refs["warehouses"].get(code)
    if warehouse_id is None:
        raise _RowProblem(_("warehouse: no warehouse has the code %(code)s.", code=code))
    try:
        on_hand = _int(row.get("on_hand", ""))
        safety = _int(row.get("safety_stock", ""), -1, 0) if row.get("safety_stock") else None
    except ValueError:
        raise _RowProblem(_("on_hand and safety_stock must be whole numbers from 0.")) from None
    reserved = refs["reserved"].get((product_id, warehouse_id), 0)
    if on_hand < reserved:
        raise _RowProblem(
            _(
                "on_hand: %(n)s units are reserved for open orders; on hand cannot be less.",
                n=reserved,
            )
        )
    return {
        "_key": (product_id, warehouse_id),
        "product": product_id,
        "warehouse": warehouse_id,
        "on_hand": on_hand,
        "safety_stock": safety,
    }
