"""Real browser on the demo data: alice sees the bell, opens the current campaign and downloads
its brochure, answers the survey on a phone; vera reads the reach and the survey results; in
English and Chinese (screenshots in tests/artifacts/)."""

from __future__ import annotations

import re

import pytest

from tests.browser.test_browser import ARTIFACTS, _sign_in, browser, demo_server

pytestmark = pytest.mark.browser
__all__ = ["browser", "demo_server"]


async def test_alice_reads_the_campaign_downloads_and_the_bell_clears(demo_server, browser):
    for locale, suffix in (("en-US", "en"), ("zh-CN", "zh")):
        context = await browser.new_context(
            viewport={"width": 1280, "height": 860}, locale=locale, accept_downloads=True
        )
        page = await context.new_page()
        errors: list[str] = []
        page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
        await _sign_in(page, demo_server, "alice@partner-a.demo")
        await page.wait_for_load_state("networkidle")
        await page.screenshot(path=str(ARTIFACTS / f"comms-bell-{suffix}.png"))
        await page.goto(f"{demo_server}/campaigns/")
        cards = page.locator(".campaign-card")
        assert await cards.count() >= 1
        await page.screenshot(path=str(ARTIFACTS / f"comms-campaigns-{suffix}.png"), full_page=True)
        await cards.first.locator("h2 a").click()
        await page.wait_for_load_state("networkidle")
        await page.screenshot(path=str(ARTIFACTS / f"comms-campaign-{suffix}.png"), full_page=True)
        async with page.expect_download() as download_info:
            await page.locator(".material-item a.btn-primary").first.click()
        download = await download_info.value
        assert download.suggested_filename.endswith(".pdf")
        await page.goto(f"{demo_server}/notifications/")
        await page.screenshot(
            path=str(ARTIFACTS / f"comms-notifications-{suffix}.png"), full_page=True
        )
        assert not [e for e in errors if "Content Security Policy" in e], errors
        await context.close()


async def test_bob_answers_the_survey_on_a_phone(demo_server, browser):
    phone = await browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True
    )
    page = await phone.new_page()
    await _sign_in(page, demo_server, "bob@partner-a.demo")
    await page.goto(f"{demo_server}/feedback/")
    await page.screenshot(path=str(ARTIFACTS / "comms-feedback-list-phone-zh.png"), full_page=True)
    await page.locator("table a.btn").first.click()
    await page.wait_for_load_state("networkidle")
    await page.screenshot(path=str(ARTIFACTS / "comms-survey-phone-zh.png"), full_page=True)
    await page.locator(".question").nth(0).locator("label", has_text="10").click()
    await page.locator(".question").nth(1).locator("label", has_text="5").click()
    await page.fill(".question textarea", "请多提供样机。")
    await page.click("form button[type=submit].btn-primary")
    await page.wait_for_load_state("networkidle")
    assert "请多提供样机。" in await page.content()
    await page.screenshot(path=str(ARTIFACTS / "comms-survey-saved-phone-zh.png"), full_page=True)
    await phone.close()


async def test_vera_reads_reach_and_results(demo_server, browser):
    for locale, suffix in (("en-US", "en"), ("zh-CN", "zh")):
        context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
        page = await context.new_page()
        await _sign_in(page, demo_server, "admin@vendor.demo")
        await page.goto(f"{demo_server}/console/campaigns/")
        await page.screenshot(
            path=str(ARTIFACTS / f"comms-console-campaigns-{suffix}.png"), full_page=True
        )
        await page.locator("tr", has_text=re.compile("Spring|春季")).locator("a.btn").first.click()
        await page.wait_for_load_state("networkidle")
        assert await page.locator(".stat").count() == 4
        await page.screenshot(path=str(ARTIFACTS / f"comms-reach-{suffix}.png"), full_page=True)
        await page.goto(f"{demo_server}/console/feedback/")
        await page.locator("table a.btn").first.click()
        await page.wait_for_load_state("networkidle")
        assert await page.locator(".chart svg").count() >= 2
        await page.screenshot(path=str(ARTIFACTS / f"comms-results-{suffix}.png"), full_page=True)
        await context.close()
