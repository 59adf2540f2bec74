"""Real browser on the demo data, in Chinese on a 390 px phone (issue 12, points 13 and 14): the
campaign publish form leads to a confirmation naming the people it will e-mail, and nothing is
published until it is confirmed; the vendor admin's bell lists the orders, applications and cases
waiting for them; screenshots in tests/artifacts/."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_browser import ARTIFACTS, _sign_in, browser, demo_server

pytestmark = pytest.mark.browser
__all__ = ["browser", "demo_server"]


async def _phone(browser):  # type: ignore[no-untyped-def]
    return await browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True
    )


async def _fits(page) -> None:  # type: ignore[no-untyped-def]
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width}px wide"


async def test_publishing_asks_first_on_a_phone_in_chinese(demo_server, browser):
    phone = await _phone(browser)
    page = await phone.new_page()
    await _sign_in(page, demo_server, "admin@vendor.demo")
    await page.goto(f"{demo_server}/console/campaigns/")
    await page.locator("tr", has_text="夏季新品预告").locator("a").first.click()
    await page.wait_for_load_state("networkidle")
    await page.click("text=发布…")
    await page.wait_for_load_state("networkidle")

    text = await page.inner_text("main")
    assert re.search(r"将向 \d+ 家合作伙伴的 \d+ 人发送邮件", text), text
    assert "发布“2026 夏季新品预告：NVR 系列”？" in text
    await _fits(page)
    await page.screenshot(path=str(ARTIFACTS / "confirm-publish-phone-zh.png"), full_page=True)
    await page.click("text=取消")  # back without publishing
    await page.wait_for_load_state("networkidle")
    assert "草稿" in await page.inner_text("main")
    await phone.close()


async def test_the_vendor_bell_lists_what_waits_on_a_phone_in_chinese(demo_server, browser):
    phone = await _phone(browser)
    page = await phone.new_page()
    await _sign_in(page, demo_server, "admin@vendor.demo")
    await page.goto(f"{demo_server}/notifications/")
    await page.wait_for_load_state("networkidle")

    text = await page.inner_text("main")
    assert "待审批" in text and "新的合作伙伴申请" in text and "新工单" in text, text
    await _fits(page)
    await page.screenshot(path=str(ARTIFACTS / "bell-vendor-phone-zh.png"), full_page=True)
    await page.goto(f"{demo_server}/notifications/settings")
    await _fits(page)
    await page.screenshot(path=str(ARTIFACTS / "notice-settings-phone-zh.png"), full_page=True)
    await phone.close()


async def test_revoking_an_invitation_asks_first_on_a_phone_in_chinese(demo_server, browser):
    phone = await _phone(browser)
    page = await phone.new_page()
    await _sign_in(page, demo_server, "alice@partner-a.demo")
    await page.goto(f"{demo_server}/my-company/users")
    await page.click("text=撤销…")
    await page.wait_for_load_state("networkidle")

    assert "撤销对 sun.xiao@partner-a.demo 的邀请？" in await page.inner_text("main")
    await _fits(page)
    await page.screenshot(path=str(ARTIFACTS / "confirm-revoke-phone-zh.png"), full_page=True)
    await phone.close()
