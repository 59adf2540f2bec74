"""Real browser on the demo data: the vendor's leaderboard and a scorecard, the partner's
"My performance" on a phone, in English and Chinese (screenshots in tests/artifacts/)."""

from __future__ import annotations

import pytest

from tests.browser.test_browser import ARTIFACTS, _sign_in, browser, demo_server

pytestmark = pytest.mark.browser
__all__ = ["browser", "demo_server"]


async def test_admin_follows_the_leaderboard_to_a_scorecard_and_its_orders(demo_server, browser):
    for locale, suffix in (("en-US", "en"), ("zh-CN", "zh")):
        context = await browser.new_context(viewport={"width": 1366, "height": 900}, locale=locale)
        page = await context.new_page()
        errors: list[str] = []
        page.on(
            "console", lambda m, errors=errors: errors.append(m.text) if m.type == "error" else None
        )
        await _sign_in(page, demo_server, "admin@vendor.demo")
        await page.goto(f"{demo_server}/console/performance/?kind=quarter")
        assert await page.locator("table.perf-board tbody tr").count() >= 5
        await page.screenshot(
            path=str(ARTIFACTS / f"performance-board-{suffix}.png"), full_page=True
        )

        await page.locator("table.perf-board tbody tr a").first.click()
        await page.wait_for_load_state("networkidle")
        assert await page.locator("svg.chart rect").count() >= 12
        await page.screenshot(
            path=str(ARTIFACTS / f"performance-scorecard-{suffix}.png"), full_page=True
        )
        if suffix == "en":
            report = await page.request.get(page.url.split("?")[0] + "/report.pdf")
            assert report.headers["content-type"] == "application/pdf"
            await page.locator(".perf-hero a").first.click()
            await page.wait_for_load_state("networkidle")
            assert "/console/orders" in page.url
            assert await page.locator("table tbody tr").count() >= 1
            await page.goto(f"{demo_server}/console/performance/settings")
            await page.screenshot(
                path=str(ARTIFACTS / "performance-settings-en.png"), full_page=True
            )
            await page.goto(f"{demo_server}/console/performance/deliveries")
            await page.screenshot(
                path=str(ARTIFACTS / "performance-deliveries-en.png"), full_page=True
            )
        assert not [e for e in errors if "Content Security Policy" in e], errors
        await context.close()


async def test_alice_reads_her_performance_on_a_phone_in_chinese(demo_server, browser):
    phone = await browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True
    )
    page = await phone.new_page()
    await _sign_in(page, demo_server, "alice@partner-a.demo")
    await page.goto(f"{demo_server}/performance")
    content = await page.content()
    assert "岭南优品" not in content  # no other partner's name, only a band
    assert await page.locator("svg.chart").count() == 1
    await page.screenshot(path=str(ARTIFACTS / "performance-mine-phone-zh.png"), full_page=True)
    await page.goto(f"{demo_server}/performance/reports")
    await page.screenshot(path=str(ARTIFACTS / "performance-reports-phone-zh.png"), full_page=True)
    await phone.close()

    desktop = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = await desktop.new_page()
    await _sign_in(page, demo_server, "alice@partner-a.demo")
    await page.goto(f"{demo_server}/performance")
    await page.screenshot(path=str(ARTIFACTS / "performance-mine-en.png"), full_page=True)
    await desktop.close()


async def test_scorecard_and_leaderboard_open_on_the_last_closed_month(demo_server, browser):
    """Whatever the day (run at TEST_NOW=2026-12-02T01:00:00Z for 09:00 on the 2nd), both pages
    open on the last closed month; screenshots in Chinese at 1280 and 390 px, and a drill-down."""
    from portal.lib import clock
    from portal.performance.periods import last_closed

    closed = last_closed("month", clock.today()).code
    for width in (1280, 390):
        context = await browser.new_context(
            viewport={"width": width, "height": 900}, locale="zh-CN", is_mobile=width < 500
        )
        page = await context.new_page()
        await _sign_in(page, demo_server, "alice@partner-a.demo")
        await page.goto(f"{demo_server}/performance")
        assert await page.locator("#f-period").input_value() == closed
        await page.screenshot(
            path=str(ARTIFACTS / f"performance-closed-mine-zh-{width}.png"), full_page=True
        )
        await page.locator('a[data-metric="interactions"]').click()
        await page.wait_for_load_state("networkidle")
        assert "/performance/figures/interactions" in page.url
        await page.screenshot(
            path=str(ARTIFACTS / f"performance-figure-zh-{width}.png"), full_page=True
        )
        await context.close()

        context = await browser.new_context(
            viewport={"width": width, "height": 900}, locale="zh-CN", is_mobile=width < 500
        )
        page = await context.new_page()
        await _sign_in(page, demo_server, "admin@vendor.demo")
        await page.goto(f"{demo_server}/console/performance")
        assert await page.locator("#f-period").input_value() == closed
        await page.screenshot(
            path=str(ARTIFACTS / f"performance-closed-board-zh-{width}.png"), full_page=True
        )
        await context.close()
