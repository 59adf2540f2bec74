"""Real browser on the demo data: a partner opens a case (with knowledge-base suggestions while
typing) and follows the conversation; vendor staff work the queue, answer with an internal note
and read the figures; on a desktop and a phone, in English and Chinese (screenshots in
tests/artifacts/)."""

from __future__ import annotations

import pytest

from tests.browser.test_browser import ARTIFACTS, _sign_in, browser, demo_server

pytestmark = pytest.mark.browser
__all__ = ["browser", "demo_server"]


async def test_alice_opens_a_case_with_suggestions_and_sees_the_answer(demo_server, browser):
    for locale, suffix in (("en-US", "en"), ("zh-CN", "zh")):
        context = await browser.new_context(viewport={"width": 1280, "height": 860}, locale=locale)
        page = await context.new_page()
        errors: list[str] = []
        page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
        await _sign_in(page, demo_server, "alice@partner-a.demo")
        await page.goto(f"{demo_server}/cases/")
        assert await page.locator("table.case-table tbody tr").count() >= 3
        await page.screenshot(path=str(ARTIFACTS / f"support-cases-{suffix}.png"), full_page=True)

        await page.goto(f"{demo_server}/cases/new")
        await page.select_option("select[name=category]", "technical")
        await page.fill(
            "input[name=subject]",
            "摄像机 夜间 掉线" if suffix == "zh" else "camera offline at night",
        )
        await page.locator("#kb-suggestions li").first.wait_for(timeout=5000)
        await page.screenshot(path=str(ARTIFACTS / f"support-new-{suffix}.png"), full_page=True)
        await page.fill(
            "textarea[name=description]", "Eight cameras go offline every night after 23:00."
        )
        await page.click("form button[type=submit].btn-primary")
        await page.wait_for_url(f"{demo_server}/cases/*")
        assert "Eight cameras go offline" in await page.content()
        await page.screenshot(path=str(ARTIFACTS / f"support-case-{suffix}.png"), full_page=True)
        assert not [e for e in errors if "Content Security Policy" in e], errors
        await context.close()


async def test_staff_work_the_queue_and_answer_with_a_note(demo_server, browser):
    for locale, suffix in (("en-US", "en"), ("zh-CN", "zh")):
        context = await browser.new_context(viewport={"width": 1366, "height": 900}, locale=locale)
        page = await context.new_page()
        errors: list[str] = []
        page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
        await _sign_in(page, demo_server, "admin@vendor.demo")
        await page.goto(f"{demo_server}/console/cases/")
        assert await page.locator(".sla-breached").count() >= 1
        await page.screenshot(path=str(ARTIFACTS / f"support-queue-{suffix}.png"), full_page=True)

        await page.locator("table.case-table tbody tr a").first.click()
        await page.wait_for_load_state("networkidle")
        await page.fill("textarea[name=body]", f"Internal check {suffix}")
        await page.check("input[name=internal]")
        await page.click("form[action$='/reply'] button[type=submit]")
        await page.wait_for_load_state("networkidle")
        assert await page.locator(".msg-internal").count() >= 1
        await page.screenshot(
            path=str(ARTIFACTS / f"support-console-case-{suffix}.png"), full_page=True
        )

        await page.goto(f"{demo_server}/console/cases/figures")
        assert await page.locator(".chart svg polyline").count() == 1
        await page.screenshot(path=str(ARTIFACTS / f"support-figures-{suffix}.png"), full_page=True)
        await page.goto(f"{demo_server}/console/support/settings")
        await page.screenshot(
            path=str(ARTIFACTS / f"support-settings-{suffix}.png"), full_page=True
        )
        assert not [e for e in errors if "Content Security Policy" in e], errors
        await context.close()


async def test_a_case_and_the_knowledge_base_on_a_phone(demo_server, browser):
    phone = await browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True
    )
    page = await phone.new_page()
    await _sign_in(page, demo_server, "carol@partner-b.demo")
    await page.goto(f"{demo_server}/cases/?status=all")
    await page.locator("table.case-table tbody tr a").first.click()
    await page.wait_for_load_state("networkidle")
    await page.screenshot(path=str(ARTIFACTS / "support-case-phone-zh.png"), full_page=True)
    await page.goto(f"{demo_server}/kb/?q=发票")
    assert await page.locator(".kb-results li").count() >= 1
    await page.screenshot(path=str(ARTIFACTS / "support-kb-phone-zh.png"), full_page=True)
    await phone.close()
