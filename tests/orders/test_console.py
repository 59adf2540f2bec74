"""The vendor console: approval queue, order page actions, catalog, prices and stock."""

from __future__ import annotations

from portal.orders.access import get_order_for_user
from portal.orders.services import approve_order
from portal.orders.tables import (
    Category,
    ContractPrice,
    Order,
    OrderLine,
    PriceList,
    Product,
    QuantityBreak,
    Warehouse,
)
from tests.orders.factories import make_product, make_warehouse, place, stock_of
from tests.personas import post_form


async def test_the_queue_lists_waiting_orders_oldest_first(as_user, alice, vera):
    await make_product("Q-1")
    first = await place(alice.current, {"Q-1": 1})
    second = await place(alice.current, {"Q-1": 2})
    client = await as_user(vera)

    response = await client.get("/console/orders/")

    assert response.status_code == 200
    assert response.text.index(first.number) < response.text.index(second.number)
    assert "Approve selected" in response.text


async def test_the_queue_filters_by_partner_and_amount(as_user, alice, carol, vera, partner_a):
    await make_product("QF-1", price=100_00)
    small = await place(alice.current, {"QF-1": 1})
    large = await place(alice.current, {"QF-1": 30})
    theirs = await place(carol.current, {"QF-1": 30})
    client = await as_user(vera)

    response = await client.get(
        f"/console/orders/?status=submitted&partner_id={partner_a}&min_amount=1000"
    )

    assert large.number in response.text
    assert small.number not in response.text and theirs.number not in response.text


async def test_vera_bulk_approves(as_user, alice, vera):
    await make_product("BK-1")
    ids = [(await place(alice.current, {"BK-1": 1})).order_id for _ in range(3)]
    client = await as_user(vera)

    response = await post_form(
        client, "/console/orders/approve", {"order_id": [str(i) for i in ids[:2]]}
    )

    assert response.status_code == 303
    statuses = [r["status"] for r in await Order.select(Order.status).order_by(Order.id)]
    assert statuses == ["approved", "approved", "submitted"]


async def test_manny_sees_only_his_partners_orders(as_user, alice, carol, manny):
    await make_product("MQ-1")
    mine = await place(alice.current, {"MQ-1": 1})
    other = await place(carol.current, {"MQ-1": 1})
    client = await as_user(manny)

    queue = await client.get("/console/orders/")
    foreign = await client.get(f"/console/orders/{other.order_id}")

    assert mine.number in queue.text and other.number not in queue.text
    assert foreign.status_code == 404


async def test_the_order_page_shows_credit_and_stock_context(as_user, alice, vera):
    await make_product("CTX-1", stock={"SH": 10, "BJ": 5}, price=100_00)
    placed = await place(alice.current, {"CTX-1": 12})
    client = await as_user(vera)

    response = await client.get(f"/console/orders/{placed.order_id}")

    assert "Credit limit" in response.text and "50,000.00" in response.text
    assert "Open orders" in response.text and "1,200.00" in response.text
    assert "BJ: 5" in response.text and "SH: 7" in response.text  # reserved per warehouse
    assert "Reject the order" in response.text


async def test_vera_ships_part_of_an_order_from_the_page(as_user, alice, vera):
    await make_product("SP-1", stock=10)
    placed = await place(alice.current, {"SP-1": 6})
    await approve_order(vera.current, await get_order_for_user(vera.current, placed.order_id))
    line = await OrderLine.select(OrderLine.id).first()
    client = await as_user(vera)

    response = await post_form(
        client,
        f"/console/orders/{placed.order_id}/ship",
        {"carrier": "顺丰", "tracking_number": "SF100", f"qty_{line['id']}": "4"},
    )

    assert response.status_code == 303
    assert await stock_of("SP-1") == (6, 2)
    page = await client.get(f"/console/orders/{placed.order_id}")
    assert "Partially shipped" in page.text and "SF100" in page.text


async def test_a_reject_without_reason_is_refused_with_a_message(as_user, alice, vera):
    await make_product("RJ-9")
    placed = await place(alice.current, {"RJ-9": 1})
    client = await as_user(vera)

    response = await post_form(client, f"/console/orders/{placed.order_id}/reject", {"reason": ""})
    page = await client.get(response.headers["location"])

    assert "Say why the order is rejected." in page.text
    assert (await Order.select(Order.status).first())["status"] == "submitted"


async def test_vera_creates_and_edits_a_product(as_user, vera):
    client = await as_user(vera)
    form = {
        "sku": "NEW-1",
        "name_zh": "新产品",
        "name_en": "New product",
        "unit": "台",
        "list_price": "1,299.50",
        "min_order_quantity": "2",
        "pack_size": "2",
        "stock_display": "exact",
        "is_active": "on",
    }

    created = await post_form(client, "/console/catalog/new", form)
    product = await Product.select().where(Product.sku == "NEW-1").first()
    updated = await post_form(
        client, f"/console/catalog/{product['id']}", {**form, "list_price": "1000"}
    )

    assert created.status_code == updated.status_code == 303
    assert product["list_price_amount"] == 1_299_50
    assert (await Product.select(Product.list_price_amount).first())[
        "list_price_amount"
    ] == 1_000_00


async def test_a_bad_price_is_shown_next_to_the_field(as_user, vera):
    client = await as_user(vera)

    response = await post_form(
        client,
        "/console/catalog/new",
        {
            "sku": "BAD-1",
            "name_zh": "坏",
            "unit": "pcs",
            "list_price": "12.345",
            "stock_display": "bands",
        },
    )

    assert response.status_code == 400
    assert "Use at most two decimal places." in response.text
    assert await Product.count() == 0


async def test_vera_counts_stock_from_the_product_page(as_user, vera):
    product_id = await make_product("STK-1", stock=5)
    warehouse_id = await make_warehouse("SH")
    client = await as_user(vera)

    response = await post_form(
        client,
        f"/console/catalog/{product_id}/stock",
        {"warehouse_id": str(warehouse_id), "on_hand": "12", "safety_stock": "3"},
    )

    assert response.status_code == 303
    assert await stock_of("STK-1") == (12, 0)
    page = await client.get(f"/console/catalog/{product_id}")
    assert "+7" in page.text


async def test_vera_keeps_categories_warehouses_price_lists_contracts_and_breaks(
    as_user, vera, partner_a
):
    from tests.factories import tier_id

    await make_product("PR-1")
    client = await as_user(vera)

    await post_form(
        client,
        "/console/catalog/categories",
        {"code": "CAM", "name_zh": "摄像机", "name_en": "Cameras", "position": "1"},
    )
    await post_form(
        client, "/console/catalog/warehouses", {"code": "gz", "name": "广州仓", "is_active": "on"}
    )
    created = await post_form(
        client,
        "/console/catalog/price-lists",
        {
            "code": "GOLD-26",
            "name": "Gold 2026",
            "tier_id": str(await tier_id("gold")),
            "discount": "18.5",
            "is_active": "on",
        },
    )
    price_list = await PriceList.select().first()
    await post_form(
        client,
        f"/console/catalog/price-lists/{price_list['id']}/items",
        {"sku": "PR-1", "price": "66"},
    )
    await post_form(
        client,
        "/console/catalog/contract-prices",
        {"partner_id": str(partner_a), "sku": "PR-1", "price": "55", "valid_until": "2099-12-31"},
    )
    await post_form(
        client,
        "/console/catalog/volume-breaks",
        {"sku": "", "min_quantity": "100", "discount": "3"},
    )

    assert created.status_code == 303
    assert (await Category.select(Category.code).first())["code"] == "CAM"
    assert (
        await Warehouse.select(Warehouse.code).where(Warehouse.code == "GZ").first()
    ) is not None
    assert price_list["discount_bp"] == 1850
    assert (await ContractPrice.select(ContractPrice.price_amount).first())["price_amount"] == 55_00
    assert (await QuantityBreak.select(QuantityBreak.discount_bp).first())["discount_bp"] == 300
    page = await client.get(f"/console/catalog/price-lists/{price_list['id']}")
    assert "PR-1" in page.text and "66.00" in page.text


async def test_a_duplicate_price_list_code_is_refused(as_user, vera):
    from tests.factories import tier_id

    client = await as_user(vera)
    form = {"code": "DUP", "name": "x", "tier_id": str(await tier_id("gold")), "discount": "5"}
    await post_form(client, "/console/catalog/price-lists", form)

    response = await post_form(client, "/console/catalog/price-lists", form)

    assert response.status_code == 400
    assert "Another price list has this code." in response.text


async def test_manny_reads_the_catalog_but_cannot_change_it(as_user, manny):
    product_id = await make_product("RO-9")
    client = await as_user(manny)

    page = await client.get(f"/console/catalog/{product_id}")
    change = await post_form(
        client, f"/console/catalog/{product_id}", {"sku": "X", "name_zh": "x", "list_price": "1"}
    )

    assert page.status_code == 200 and "RO-9" in page.text
    assert change.status_code == 403


async def test_the_status_tabs_count_what_they_would_list_with_the_filters(
    as_user, alice, carol, vera, partner_a
):
    """Issue 12 point 16: the tab counts ignored the active filters (and the tabs dropped them)."""
    import re

    await make_product("TAB-1", price=100_00)
    await place(alice.current, {"TAB-1": 1})
    await place(carol.current, {"TAB-1": 1})
    await place(carol.current, {"TAB-1": 2})
    client = await as_user(vera)

    everyone = await client.get("/console/orders/?status=submitted")
    alices = await client.get(f"/console/orders/?status=submitted&partner_id={partner_a}")

    def submitted_tab(html: str) -> tuple[str, str]:
        found = re.search(
            r'<a href="([^"]*status=submitted[^"]*)"[^>]*>[^<]*<span[^>]*>(\d+)<', html
        )
        assert found is not None
        return found.group(1), found.group(2)

    assert submitted_tab(everyone.text)[1] == "3"
    href, count = submitted_tab(alices.text)
    assert count == "1" and f"partner_id={partner_a}" in href
