"""Real browser: Enter in a cart quantity box updates the quantities (issue 12 point 1)."""

from __future__ import annotations

from tests.browser.test_browser import ARTIFACTS, _sign_in, browser, demo_server

__all__ = ["browser", "demo_server"]


async def test_enter_in_a_cart_quantity_updates_it_and_removes_nothing(demo_server, browser):
    from playwright.async_api import expect

    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = await context.new_page()
    await _sign_in(page, demo_server, "alice@partner-a.demo")
    await page.goto(f"{demo_server}/cart/")
    if await page.locator("#cart-form").count():
        await page.click("form[action$='/clear'] button[type=submit]")
    await page.fill("textarea[name=lines]", "IPC-2140 20\nIPC-2120 10")
    await page.click("form[action$='/quick'] button[type=submit]")
    await expect(page.locator("#cart-form")).to_contain_text("IPC-2120")

    # when she types a new quantity in the first line and presses Enter
    first = page.locator("#cart-form input[type=number]").first
    await first.fill("40")
    async with page.expect_navigation():
        await first.press("Enter")

    # then both products are still there and the typed quantity is kept
    form = page.locator("#cart-form")
    await expect(form).to_contain_text("IPC-2140")
    await expect(form).to_contain_text("IPC-2120")
    assert await page.locator("#cart-form input[type=number]").first.input_value() == "40"
    await page.screenshot(path=str(ARTIFACTS / "cart-enter-en.png"), full_page=True)

    # and "Remove" still removes exactly its own line
    await page.locator("#cart-form button:has-text('Remove')").last.click()
    await page.wait_for_load_state()
    assert await page.locator("#cart-form input[type=number]").count() == 1
    await context.close()
