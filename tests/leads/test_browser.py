"""Real browser on the demo data: alice's leads waiting for her, a lead with accept and decline,
the deal form from an accepted lead; the vendor's lead list, a lead's history, the routing
rules, the partners' figures, the import and the new-lead form; at 1440 and 390 px, in English
and Chinese (screenshots in tests/artifacts/leads-*.png)."""

from __future__ import annotations

import pytest

from tests.browser.test_browser import ARTIFACTS, _sign_in, browser, demo_server

pytestmark = pytest.mark.browser
__all__ = ["browser", "demo_server"]

PARTNER = ["/leads/", "/leads/?status=accepted"]
VENDOR = [
    "/console/leads/",
    "/console/leads/rules",
    "/console/leads/partners",
    "/console/leads/import",
    "/console/leads/new",
]


def _name(path: str) -> str:
    return path.strip("/").replace("/", "-").replace("?status=", "-") or "home"


async def test_lead_pages_on_a_desktop_and_a_phone_in_both_languages(demo_server, browser):
    for locale, suffix in (("en-US", "en"), ("zh-CN", "zh")):
        for width, height in ((1440, 900), (390, 844)):
            size = "phone" if width == 390 else "desktop"
            for email, paths in (
                ("alice@partner-a.demo", PARTNER),
                ("admin@vendor.demo", VENDOR),
            ):
                context = await browser.new_context(
                    viewport={"width": width, "height": height}, locale=locale
                )
                page = await context.new_page()
                errors: list[str] = []
                page.on(
                    "console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None
                )
                await _sign_in(page, demo_server, email)
                extra: list[str] = []
                for path in paths:
                    await page.goto(f"{demo_server}{path}")
                    await page.screenshot(
                        path=str(ARTIFACTS / f"leads-{_name(path)}-{size}-{suffix}.png"),
                        full_page=True,
                    )
                    fits = await page.evaluate(
                        "document.documentElement.scrollWidth <= window.innerWidth + 1"
                    )
                    assert fits, f"{path} is wider than {width} px"
                    if path in ("/leads/", "/console/leads/"):
                        links = page.locator("table td a")
                        extra.append(str(await links.first.get_attribute("href")))
                    if path == "/leads/?status=accepted":
                        deal = page.locator("a[href$='/deal']")
                        extra.append(str(await deal.first.get_attribute("href")))
                for path in extra:
                    await page.goto(f"{demo_server}{path}")
                    await page.screenshot(
                        path=str(ARTIFACTS / f"leads-{_name(path)}-{size}-{suffix}.png"),
                        full_page=True,
                    )
                assert not [e for e in errors if "Content Security Policy" in e], errors
                await context.close()


async def test_an_end_customer_answers_a_campaign_on_a_phone(demo_server, browser):
    """The public response form of a demo campaign, not signed in, at 390 px in Chinese and
    English: it fits, refuses a response without a way to reach, and thanks for a good one
    (screenshots tests/artifacts/leads-campaign-response-{form,thanks}-{en,zh}.png)."""
    context = await browser.new_context(viewport={"width": 1440, "height": 900})
    page = await context.new_page()
    await _sign_in(page, demo_server, "alice@partner-a.demo")
    await page.goto(f"{demo_server}/campaigns/")
    href = await page.locator("h2 a[href^='/campaigns/']").first.get_attribute("href")
    assert href
    # the campaign page gives the partner the response link to pass on
    await page.goto(f"{demo_server}{href}")
    respond = await page.locator("a[href*='/respond/']").first.get_attribute("href")
    assert respond
    await page.screenshot(path=str(ARTIFACTS / "leads-campaign-link-en.png"), full_page=True)
    await context.close()
    for locale, suffix in (("en-US", "en"), ("zh-CN", "zh")):
        context = await browser.new_context(
            viewport={"width": 390, "height": 844}, locale=locale, is_mobile=True
        )
        page = await context.new_page()
        await page.goto(respond)
        await page.fill("#f-company", f"手机响应客户 {suffix} 有限公司")
        await page.fill("#f-contact_name", "赵女士")
        await page.select_option("#f-province", "SH")
        await page.locator("form:has(#f-company) button[type=submit]").click()
        await page.wait_for_load_state("networkidle")
        assert await page.locator(".field-error").count() >= 1
        assert await page.evaluate("document.documentElement.scrollWidth <= 392")
        await page.screenshot(
            path=str(ARTIFACTS / f"leads-campaign-response-form-{suffix}.png"), full_page=True
        )
        await page.fill("#f-phone", "139 0000 2222")
        await page.locator("form:has(#f-company) button[type=submit]").click()
        await page.wait_for_load_state("networkidle")
        assert page.url.endswith("/thanks") and "/respond/" in page.url
        await page.screenshot(
            path=str(ARTIFACTS / f"leads-campaign-response-thanks-{suffix}.png"), full_page=True
        )
        await context.close()
