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
