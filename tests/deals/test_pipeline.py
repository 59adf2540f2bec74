"""The vendor's pipeline page (issue 15): totals by stage, partner, region, product line and
expected close month, and the win rate; a channel manager's figures hold only his partners."""

from __future__ import annotations

import datetime as dt

from portal.deals import services
from portal.deals.schemas import DealFilters
from portal.lib.clock import today
from portal.lib.i18n import use_locale
from tests.deals.factories import make_deal
from tests.orders.factories import make_category, make_product


async def test_the_pipeline_adds_up_by_region_product_line_and_month(alice, carol, vera, manny):
    cameras = await make_category("CAM", "网络摄像机", "Cameras")
    await make_product("PIPE-CAM", price=500_00, category=cameras)
    close = today().replace(day=1) + dt.timedelta(days=45)
    await make_deal(
        alice.current,
        "甲客户",
        sku="PIPE-CAM",
        quantity=10,
        status="submitted",
        estimated_amount=100_000_00,
        expected_close_on=close,
    )
    won = await make_deal(
        alice.current, "乙客户", sku="PIPE-CAM", status="approved", vendor=vera.current
    )
    await services.win_deal(alice.current, won, [])
    await make_deal(carol.current, "丙客户", sku="PIPE-CAM", quantity=4, status="submitted",
                    estimated_amount=30_000_00)  # fmt: skip
    with use_locale("en"):
        figures = await services.pipeline_figures(vera.current, DealFilters())
        mine = await services.pipeline_figures(manny.current, DealFilters())
    assert {r["name"]: (r["n"], r["amount"]) for r in figures["regions"]} == {
        "Shanghai": (1, 100_000_00),
        "Guangdong": (1, 30_000_00),
    }
    assert figures["product_lines"] == [{"name": "Cameras", "n": 2, "amount": 14 * 500_00}]
    months = {m["name"]: m["n"] for m in figures["months"]}
    assert months == {f"{close:%B %Y}": 1, "No close date": 1}
    assert figures["win_rate"] == 1.0
    assert [p["name"] for p in mine["partners"]] == ["华东智联科技有限公司"]
    assert mine["product_lines"] == [{"name": "Cameras", "n": 1, "amount": 10 * 500_00}]


async def test_the_console_page_shows_the_breakdowns(alice, vera, as_user):
    await make_deal(alice.current, "丁客户", status="submitted", estimated_amount=50_000_00)
    page = await (await as_user(vera)).get("/console/deals/", headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 200
    assert "按地区" in page.text and "按产品线" in page.text and "按预计成交月份" in page.text
