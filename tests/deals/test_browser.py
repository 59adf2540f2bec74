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


async def test_a_deals_files_on_the_partner_page_and_the_vendor_console(demo_server, browser):
    """Alice attaches a quote to a submitted demo deal; her page lists it with a remove button,
    the vendor's console page lists it to download; 1440 px and 390 px, English and Chinese
    (screenshots tests/artifacts/deals-files-{partner,vendor}-{size}-{en,zh}.png)."""
    attached = False
    for locale, suffix in (("en-US", "en"), ("zh-CN", "zh")):
        for width, size in ((1440, "desktop"), (390, "phone")):
            context = await browser.new_context(
                viewport={"width": width, "height": 900}, locale=locale
            )
            page = await context.new_page()
            await _sign_in(page, demo_server, "alice@partner-a.demo")
            await page.goto(f"{demo_server}/deals/?status=submitted")
            await page.locator("td a", has_text="恒达厂区监控").first.click()
            await page.wait_for_load_state("networkidle")
            deal_id = page.url.rstrip("/").rsplit("/", 1)[-1]
            if not attached:
                await page.set_input_files(
                    "#f-deal-files",
                    files=[
                        {
                            "name": "恒达报价单.pdf",
                            "mimeType": "application/pdf",
                            "buffer": b"%PDF-1.4 demo quote",
                        },
                    ],
                )
                await page.locator("form:has(#f-deal-files) button[type=submit]").click()
                await page.wait_for_load_state("networkidle")
                attached = True
            assert await page.locator(".deal-files li", has_text="恒达报价单.pdf").count() == 1
            assert await page.locator(".deal-file-remove").count() == 1
            if size == "phone":
                fits = await page.evaluate("document.documentElement.scrollWidth <= 392")
                assert fits, "the deal page widens a 390 px phone"
            await page.screenshot(
                path=str(ARTIFACTS / f"deals-files-partner-{size}-{suffix}.png"), full_page=True
            )
            await context.close()

            context = await browser.new_context(
                viewport={"width": width, "height": 900}, locale=locale
            )
            page = await context.new_page()
            await _sign_in(page, demo_server, "admin@vendor.demo")
            await page.goto(f"{demo_server}/console/deals/{deal_id}")
            link = page.locator(".deal-files a", has_text="恒达报价单.pdf")
            assert await link.count() == 1 and await page.locator(".deal-file-remove").count() == 0
            download = await page.request.get(f"{demo_server}{await link.get_attribute('href')}")
            assert download.status == 200 and (await download.body()).startswith(b"%PDF")
            await page.screenshot(
                path=str(ARTIFACTS / f"deals-files-vendor-{size}-{suffix}.png"), full_page=True
            )
            await context.close()
