"""Real browser, customers: bob finds a customer, logs a contact from its 360° page, sees it on the
timeline; the pages on a phone in Chinese; the vendor's activity page. Screenshots in
tests/artifacts/customers-*.png."""

from __future__ import annotations

import pytest

from tests.browser.test_browser import ARTIFACTS, _sign_in, browser, demo_server  # noqa: F401

pytestmark = pytest.mark.browser


async def test_bob_logs_a_contact_from_the_customer_page(demo_server, browser):  # noqa: F811
    from playwright.async_api import expect

    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = await context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    await _sign_in(page, demo_server, "bob@partner-a.demo")
    await expect(page.locator(".card", has_text="Follow-ups")).to_be_visible()
    await page.screenshot(path=str(ARTIFACTS / "customers-home-en.png"), full_page=True)

    await page.click("nav >> text=Customers")
    await expect(page.locator("table.cust-table")).to_be_visible()
    await page.screenshot(path=str(ARTIFACTS / "customers-list-en.png"), full_page=True)

    await page.locator("table.cust-table a.cust-name").first.click()
    await expect(page.locator("h1")).to_be_visible()
    await page.locator(".cust-chip", has_text="WeChat").click()
    await page.fill("textarea[name=summary]", "Browser test: sent the brochure over WeChat")
    await page.click("#log button[type=submit]")
    await expect(page.locator(".flash-success")).to_be_visible()
    await expect(page.locator(".cust-timeline li").first).to_contain_text(
        "Browser test: sent the brochure"
    )
    await page.screenshot(path=str(ARTIFACTS / "customers-show-en.png"), full_page=True)

    await page.goto(f"{demo_server}/customers/followups")
    await page.screenshot(path=str(ARTIFACTS / "customers-followups-en.png"), full_page=True)
    await page.goto(f"{demo_server}/customers/import/")
    await page.screenshot(path=str(ARTIFACTS / "customers-import-en.png"), full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e], errors
    await context.close()


async def test_customer_pages_on_a_phone_in_chinese(demo_server, browser):  # noqa: F811
    phone = await browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True
    )
    page = await phone.new_page()
    await _sign_in(page, demo_server, "bob@partner-a.demo")
    await page.goto(f"{demo_server}/customers/")
    await page.screenshot(path=str(ARTIFACTS / "customers-list-phone-zh.png"), full_page=True)
    await page.locator("a.cust-name").first.click()
    await page.screenshot(path=str(ARTIFACTS / "customers-show-phone-zh.png"), full_page=True)
    await phone.close()

    desktop = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = await desktop.new_page()
    await _sign_in(page, demo_server, "bob@partner-a.demo")
    await page.goto(f"{demo_server}/customers/")
    await page.screenshot(path=str(ARTIFACTS / "customers-list-zh.png"), full_page=True)
    await page.locator("a.cust-name").first.click()
    await page.screenshot(path=str(ARTIFACTS / "customers-show-zh.png"), full_page=True)
    await desktop.close()


async def test_the_vendor_sees_customer_activity_per_partner(demo_server, browser):  # noqa: F811
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = await context.new_page()
    await _sign_in(page, demo_server, "admin@vendor.demo")
    await page.goto(f"{demo_server}/console/customers/?period=365d")
    assert await page.locator("svg.cust-mix").count() >= 2
    await page.screenshot(path=str(ARTIFACTS / "customers-console-en.png"), full_page=True)
    await context.close()
