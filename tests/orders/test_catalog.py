"""The catalog services: the partner's listing (price, reason, availability), stock counts,
price lists, contract prices and products kept by vendor staff."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.core.tables import AuditEntry
from portal.lib.forms import FormError
from portal.lib.i18n import use_locale
from portal.orders import catalog, catalog_listing, price_rules, prices
from portal.orders.schemas import CatalogFilters, CategoryForm, ProductData
from portal.orders.tables import StockMovement
from tests.orders.factories import (
    make_category,
    make_contract,
    make_price_list,
    make_product,
    make_warehouse,
    place,
    stock_of,
)


async def test_alice_sees_her_net_price_and_why(alice, partner_a):
    await make_product("NP-1", price=200_00)
    await make_product("NP-2", price=200_00)
    await make_price_list("gold", discount_bp=1500)
    await make_contract(partner_a, "NP-2", 150_00, valid_until=dt.date(2099, 12, 31))

    with use_locale("en"):
        items, total = await catalog_listing.list_catalog(alice.current, CatalogFilters())

    by_sku = {i["sku"]: i for i in items}
    assert total == 2
    assert by_sku["NP-1"]["net_price_amount"] == 170_00
    assert by_sku["NP-1"]["price_reason"] == "Gold tier price list"
    assert by_sku["NP-2"]["net_price_amount"] == 150_00
    assert by_sku["NP-2"]["price_reason"].startswith("Contract price until")


async def test_carol_in_another_tier_sees_her_own_prices(carol):
    await make_product("TP-1", price=100_00)
    await make_price_list("gold", discount_bp=2000)
    await make_price_list("silver", discount_bp=1000)

    items, _total = await catalog_listing.list_catalog(carol.current, CatalogFilters())

    assert items[0]["net_price_amount"] == 90_00


async def test_availability_filters_use_the_safety_stock(alice):
    await make_product("AV-IN", stock=50, safety_stock=5)
    await make_product("AV-LOW", stock=4, safety_stock=5)
    await make_product("AV-OUT", stock=0)

    found = {}
    for band in ("in_stock", "low", "out"):
        items, _ = await catalog_listing.list_catalog(
            alice.current, CatalogFilters(availability=band)
        )
        found[band] = [i["sku"] for i in items]

    assert found == {"in_stock": ["AV-IN"], "low": ["AV-LOW"], "out": ["AV-OUT"]}


async def test_search_category_sort_and_paging(alice):
    category = await make_category("CAM", "摄像机", "Cameras")
    await make_product(
        "CAM-2", name_zh="球机", name_en="Dome camera", category=category, list_price_amount=300_00
    )
    await make_product(
        "CAM-1",
        name_zh="枪机",
        name_en="Bullet camera",
        category=category,
        list_price_amount=200_00,
    )
    await make_product("NET-1", name_zh="交换机", name_en="Switch")

    by_name, _ = await catalog_listing.list_catalog(alice.current, CatalogFilters(q="camera"))
    in_category, _ = await catalog_listing.list_catalog(
        alice.current, CatalogFilters(category="CAM", sort="-price")
    )
    chinese, _ = await catalog_listing.list_catalog(alice.current, CatalogFilters(q="交换"))
    page_two, total = await catalog_listing.list_catalog(
        alice.current, CatalogFilters(per_page=2, page=2)
    )

    assert {i["sku"] for i in by_name} == {"CAM-1", "CAM-2"}
    assert [i["sku"] for i in in_category] == ["CAM-2", "CAM-1"]
    assert [i["sku"] for i in chinese] == ["NET-1"]
    assert (len(page_two), total) == (1, 3)


async def test_partners_do_not_see_inactive_products(alice, vera):
    await make_product("OLD-1", is_active=False)

    partner_items, _ = await catalog_listing.list_catalog(alice.current, CatalogFilters())
    vendor_items, _ = await catalog_listing.list_catalog(
        vera.current, CatalogFilters(include_inactive=True)
    )

    assert partner_items == []
    assert [i["sku"] for i in vendor_items] == ["OLD-1"]


async def test_volume_breaks_are_listed_with_their_prices(alice):
    from tests.orders.factories import make_break

    await make_product("VB-1", price=100_00)
    await make_break("VB-1", 50, 300)

    item = await catalog_listing.catalog_item(alice.current, "VB-1")

    assert [(b["min_quantity"], b["unit_amount"]) for b in item["breaks"]] == [(50, 97_00)]


async def test_a_stock_count_records_a_movement_and_an_audit_entry(vera):
    product_id = await make_product("CNT-1", stock=10)
    warehouse_id = await make_warehouse("SH")

    change = await catalog.set_stock(vera.current, product_id, warehouse_id, 25, note="Count")

    assert change == 15
    assert await stock_of("CNT-1") == (25, 0)
    movement = await StockMovement.select().first()
    assert (movement["quantity"], movement["on_hand_after"], movement["kind"]) == (
        15,
        25,
        "adjustment",
    )
    assert await AuditEntry.exists().where(AuditEntry.action == "stock.adjustment")


async def test_a_count_below_the_reserved_units_is_refused(alice, vera):
    product_id = await make_product("CNT-2", stock=10)
    await place(alice.current, {"CNT-2": 6})

    with pytest.raises(FormError) as refused:
        await catalog.set_stock(vera.current, product_id, await make_warehouse("SH"), 5)

    assert "6 units are reserved" in refused.value.errors["on_hand"]
    assert await stock_of("CNT-2") == (10, 6)


async def test_stock_in_a_new_warehouse_starts_from_zero(vera):
    product_id = await make_product("NEW-WH", stock=None)
    warehouse_id = await make_warehouse("GZ", "广州仓")

    await catalog.set_stock(vera.current, product_id, warehouse_id, 7, safety_stock=2)

    assert await stock_of("NEW-WH", "GZ") == (7, 0)


async def test_only_vendor_admins_change_the_catalog(manny):
    with pytest.raises(FormError):
        await catalog.save_category(
            manny.current, None, CategoryForm(code="X", name_zh="X", name_en="", position=0)
        )


async def test_product_sku_must_be_unique(vera):
    await make_product("DUP-1")
    data = ProductData(
        sku="DUP-1",
        name_zh="重复",
        name_en="",
        description_zh="",
        description_en="",
        category_id=None,
        unit="pcs",
        list_price_amount=1_00,
        min_order_quantity=1,
        pack_size=1,
        is_active=True,
        image_url="",
        stock_display="bands",
        restock_on=None,
    )

    with pytest.raises(FormError) as refused:
        await catalog.save_product(vera.current, None, data)
    assert "sku" in refused.value.errors


async def test_an_explicit_price_list_item_is_set_and_replaced(vera, alice):
    await make_product("PLI-1", price=100_00)
    price_list = await make_price_list("gold", discount_bp=1000)

    await price_rules.set_price_list_item(vera.current, price_list, "PLI-1", 80_00)
    await price_rules.set_price_list_item(vera.current, price_list, "PLI-1", 70_00)

    items, _ = await catalog_listing.list_catalog(alice.current, CatalogFilters())
    assert (items[0]["net_price_amount"], items[0]["price_rule"]) == (70_00, "tier_price")


async def test_an_expired_contract_price_no_longer_applies(alice, partner_a):
    await make_product("EXP-1", price=100_00)
    await make_contract(partner_a, "EXP-1", 10_00, valid_until=dt.date(2000, 1, 1))

    items, _ = await catalog_listing.list_catalog(alice.current, CatalogFilters())

    assert items[0]["net_price_amount"] == 100_00


@pytest.mark.parametrize(("text", "bp"), [("18", 1800), ("2.5", 250), ("0", 0), ("100", 10000)])
def test_percentages_are_read_as_basis_points(text, bp):
    assert prices.parse_percent(text) == bp


@pytest.mark.parametrize("text", ["abc", "101", "-1", "1.234"])
def test_bad_percentages_are_refused(text):
    with pytest.raises(ValueError):
        prices.parse_percent(text)
