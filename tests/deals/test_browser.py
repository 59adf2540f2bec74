"""Real browser on the demo data: alice's pipeline board and deal list, the vendor's conflict
view side by side, in English and Chinese (screenshots in tests/artifacts/)."""

from __future__ import annotations

import pytest

from tests.browser.test_browser import ARTIFACTS, _sign_in, browser, demo_server

pytestmark = pytest.mark.browser
__all__ = ["browser", "demo_server"]


async def test_alice_sees_her_pipeline_board_and_vendor_the_conflict(demo_server, browser):
    for locale, suffix in (("en-US", "en"), ("zh-CN", "zh")):
        context = await browser.new_context(viewport={"width": 1440, "height": 900}, locale=locale)
        page = await context.new_page()
        errors: list[str] = []
        page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
        await _sign_in(page, demo_server, "alice@partner-a.demo")
        await page.goto(f"{demo_server}/deals/board")
        assert await page.locator(".deal-card").count() >= 5
        await page.screenshot(path=str(ARTIFACTS / f"deals-board-{suffix}.png"), full_page=True)
        await page.goto(f"{demo_server}/deals/")
        await page.screenshot(path=str(ARTIFACTS / f"deals-list-{suffix}.png"), full_page=True)
        await context.close()

        context = await browser.new_context(viewport={"width": 1440, "height": 900}, locale=locale)
        page = await context.new_page()
        await _sign_in(page, demo_server, "admin@vendor.demo")
        await page.goto(f"{demo_server}/console/deals/?status=submitted")
        await page.locator("td a", has_text="星河智能楼宇监控").first.click()
        await page.wait_for_load_state("networkidle")
        assert await page.locator(".conflict-card").count() == 1
        await page.screenshot(path=str(ARTIFACTS / f"deals-conflict-{suffix}.png"), full_page=True)
        assert not [e for e in errors if "Content Security Policy" in e], errors
        await context.close()


async def test_phone_pages_and_the_deal_price_in_the_cart(demo_server, browser):
    """390 px board and conflict view; the vendor's pipeline breakdowns; alice's cart against a
    protected demo deal shows the deal price (screenshots in tests/artifacts/)."""
    for locale, suffix in (("en-US", "en"), ("zh-CN", "zh")):
        for width, size in ((390, "phone"), (1440, "desktop")):
            context = await browser.new_context(
                viewport={"width": width, "height": 900}, locale=locale
            )
            page = await context.new_page()
            await _sign_in(page, demo_server, "alice@partner-a.demo")
            if size == "phone":
                await page.goto(f"{demo_server}/deals/board")
                await page.screenshot(path=str(ARTIFACTS / f"deals-board-phone-{suffix}.png"))
                fits = await page.evaluate("document.documentElement.scrollWidth <= 392")
                assert fits, "the board widens a 390 px phone"
            await page.goto(f"{demo_server}/catalog/")
            await page.goto(f"{demo_server}/deals/?status=approved")
            await page.locator("td a", has_text="云帆总部网络升级").first.click()
            await page.wait_for_load_state("networkidle")
            deal_url = page.url
            deal_id = deal_url.rstrip("/").rsplit("/", 1)[-1]
            await page.request.get(f"{demo_server}/cart/")
            await page.goto(f"{demo_server}/cart/?deal_id={deal_id}")
            form = page.locator("form.quick-order textarea, textarea[name='lines']").first
            if await form.count():
                await form.fill("SW-2024G 35")
                await page.locator(
                    "form:has(textarea[name='lines']) button[type=submit]"
                ).first.click()
                await page.goto(f"{demo_server}/cart/?deal_id={deal_id}")
            text = await page.content()
            assert ("Deal price" in text) or ("商机特价" in text), "the cart names the deal price"
            await page.screenshot(
                path=str(ARTIFACTS / f"deals-cart-{size}-{suffix}.png"), full_page=True
            )
            await context.close()

            context = await browser.new_context(
                viewport={"width": width, "height": 900}, locale=locale
            )
            page = await context.new_page()
            await _sign_in(page, demo_server, "admin@vendor.demo")
            await page.goto(f"{demo_server}/console/deals/")
            await page.screenshot(
                path=str(ARTIFACTS / f"deals-pipeline-{size}-{suffix}.png"), full_page=True
            )
            if size == "phone":
                await page.goto(f"{demo_server}/console/deals/?status=submitted")
                await page.locator("td a", has_text="星河智能楼宇监控").first.click()
                await page.wait_for_load_state("networkidle")
                await page.screenshot(
                    path=str(ARTIFACTS / f"deals-conflict-phone-{suffix}.png"), full_page=True
                )
                fits = await page.evaluate("document.documentElement.scrollWidth <= 392")
                assert fits, "the conflict view widens a 390 px phone"
            await context.close()
