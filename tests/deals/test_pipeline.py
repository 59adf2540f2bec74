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
    # the search narrows the product lines as it narrows every other figure
    with use_locale("en"):
        found = await services.pipeline_figures(vera.current, DealFilters(q="丙客户"))
    assert found["product_lines"] == [{"name": "Cameras", "n": 1, "amount": 4 * 500_00}]


async def test_the_console_page_shows_the_breakdowns(alice, vera, as_user):
    await make_deal(alice.current, "丁客户", status="submitted", estimated_amount=50_000_00)
    page = await (await as_user(vera)).get("/console/deals/", headers={"Accept-Language": "zh-CN"})
    assert page.status_code == 200
    assert "按地区" in page.text and "按产品线" in page.text and "按预计成交月份" in page.text


async def test_the_totals_by_stage_and_partner_leave_drafts_and_other_searches_out(
    alice, carol, vera
):
    await make_deal(alice.current, "戊客户", status="submitted", estimated_amount=100_000_00,
                    stage="proposal")  # fmt: skip
    won = await make_deal(alice.current, "己客户", status="approved", vendor=vera.current,
                          estimated_amount=20_000_00)  # fmt: skip
    await services.win_deal(alice.current, won, [])
    lost = await make_deal(carol.current, "庚客户", status="approved", vendor=vera.current,
                           estimated_amount=40_000_00)  # fmt: skip
    await services.lose_deal(carol.current, lost, "价格")
    await make_deal(carol.current, "辛客户", status="submitted", estimated_amount=30_000_00)
    await make_deal(alice.current, "壬客户", estimated_amount=7_00)  # a draft: the partner's own
    with use_locale("en"):
        figures = await services.pipeline_figures(vera.current, DealFilters())
        one = await services.pipeline_figures(vera.current, DealFilters(q="辛客户"))
        own = await services.pipeline_figures(alice.current, DealFilters())
    assert figures["stages"] == {
        "proposal": {"n": 1, "amount": 100_000_00},
        "qualified": {"n": 1, "amount": 30_000_00},
        "won": {"n": 1, "amount": 20_000_00},
        "lost": {"n": 1, "amount": 40_000_00},
    }
    assert figures["pending"] == 2 and figures["win_rate"] == 0.5
    rows = {p["name"]: (p["open"], p["amount"], p["won"], p["lost"]) for p in figures["partners"]}
    assert rows == {
        "华东智联科技有限公司": (1, 100_000_00, 1, 0),
        next(n for n in rows if n != "华东智联科技有限公司"): (1, 30_000_00, 0, 1),
    }
    assert [p["win_rate"] for p in figures["partners"]] == [1.0, 0.0]
    assert one["stages"] == {"qualified": {"n": 1, "amount": 30_000_00}}
    assert {r["name"]: r["n"] for r in one["regions"]} == {"Guangdong": 1}
    assert own["stages"]["qualified"] == {"n": 1, "amount": 7_00}  # his draft, for him
    assert {r["name"]: r["amount"] for r in own["regions"]} == {"Shanghai": 100_007_00}
