"""Real browser: alice's money page (rebate, receivables, statements) on a phone and a desktop,
in Chinese and English, and the console's rebate programme; the statement PDF downloads.
Screenshots in tests/artifacts/finance-*.png, the PDF in tests/artifacts/finance-statement.pdf."""

from __future__ import annotations

from tests.browser.test_browser import ARTIFACTS, _sign_in, browser, demo_server

__all__ = ["browser", "demo_server"]


async def test_alice_money_page_fits_a_phone_in_both_languages(demo_server, browser):
    for locale, lang in (("zh-CN", "zh"), ("en-US", "en")):
        for width, size in ((390, "phone"), (1280, "desktop")):
            context = await browser.new_context(
                viewport={"width": width, "height": 900}, locale=locale
            )
            page = await context.new_page()
            await _sign_in(page, demo_server, "alice@partner-a.demo")
            await page.goto(f"{demo_server}/money/")
            text = await page.inner_text("main")
            assert ("返利" if lang == "zh" else "Rebates") in text
            assert ("提升至 3 %" if lang == "zh" else "raises your rebate to 3 %") in text
            overflow = await page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 1, f"{lang} {width}px scrolls sideways by {overflow}px"
            await page.screenshot(
                path=str(ARTIFACTS / f"finance-money-{size}-{lang}.png"), full_page=True
            )
            if lang == "zh" and size == "desktop":
                link = page.locator("a[href^='/money/statements/']").first
                await link.click()
                await page.screenshot(path=str(ARTIFACTS / "finance-statement-zh.png"))
                async with page.expect_download() as info:
                    await page.click("a[href$='/pdf']")
                await (await info.value).save_as(str(ARTIFACTS / "finance-statement.pdf"))
            await context.close()


async def test_the_console_rebate_programme_in_english(demo_server, browser):
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = await context.new_page()
    await _sign_in(page, demo_server, "admin@vendor.demo")
    await page.goto(f"{demo_server}/console/finance/rebates/")
    await page.click("table a")
    assert "raises your rebate to 3 %" in await page.inner_text("main")
    await page.screenshot(path=str(ARTIFACTS / "finance-rebate-console-en.png"), full_page=True)
    await page.goto(f"{demo_server}/console/finance/import")
    await page.screenshot(path=str(ARTIFACTS / "finance-import-en.png"), full_page=True)
    await context.close()
