"""Real browser: Debian's chromium driven by Playwright against a real `portal serve` process.

Screenshots land in tests/artifacts/ (look at them when a page changes).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.services import IN_CI

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A demo portal on its own SQLite database, with the demo data loaded."""
    if os.environ.get("TEST_DATABASE", "sqlite") != "sqlite":
        pytest.skip("browser tests run once, in the SQLite run")
    if not os.path.exists(CHROMIUM):
        message = "chromium is not installed (Debian package chromium)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    data = tmp_path_factory.mktemp("browser-demo")
    env = {
        **os.environ,
        "PORTAL_DATA_DIR": str(data),
        "DATABASE_URL": f"sqlite:///{data / 'demo.db'}",
        "ACCESS_LOG": "0",
        "LOG_LEVEL": "warning",
        "DEFAULT_LOCALE": "en",
    }
    subprocess.run(
        [sys.executable, "-m", "portal.cli", "demo-data"], env=env, check=True, capture_output=True
    )
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env["PORTAL_BASE_URL"] = url
    proc = subprocess.Popen(
        [sys.executable, "-m", "portal.cli", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            if httpx.get(f"{url}/login", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            pytest.fail(
                f"demo server did not start: {proc.stderr.read().decode()[-2000:] if proc.stderr else ''}"
            )
        time.sleep(0.2)
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
async def browser():  # type: ignore[no-untyped-def]
    from playwright.async_api import async_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    async with async_playwright() as pw:
        instance = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield instance
        finally:
            await instance.close()


async def _sign_in(page, base: str, email: str) -> None:  # type: ignore[no-untyped-def]
    await page.goto(f"{base}/login")
    await page.fill("input[name=email]", email)
    await page.fill("input[name=password]", "demo12345")
    await page.click("button[type=submit]")
    await page.wait_for_url(f"{base}/")


async def test_alice_signs_in_sees_her_company_and_switches_to_chinese(demo_server, browser):
    context = await browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    page = await context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    await _sign_in(page, demo_server, "alice@partner-a.demo")
    assert "华东智联科技有限公司" in await page.content()
    await page.screenshot(path=str(ARTIFACTS / "alice-home-en.png"), full_page=True)

    await page.select_option("select[name=locale]", "zh_CN")
    switch = page.locator(
        "form.language-switch button[type=submit], form[action='/language'] button"
    )
    if await switch.count() and await switch.first.is_visible():
        await switch.first.click()
    from playwright.async_api import expect

    await expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    await page.screenshot(path=str(ARTIFACTS / "alice-home-zh.png"), full_page=True)

    await page.goto(f"{demo_server}/my-company")
    await page.screenshot(path=str(ARTIFACTS / "alice-my-company-zh.png"), full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e], errors
    await context.close()


async def test_admin_works_in_the_console_on_a_phone_and_a_desktop(demo_server, browser):
    desktop = await browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    page = await desktop.new_page()
    await _sign_in(page, demo_server, "admin@vendor.demo")
    await page.screenshot(path=str(ARTIFACTS / "admin-home.png"), full_page=True)
    await page.goto(f"{demo_server}/console/partners")
    assert await page.locator("table").count() == 1
    await page.screenshot(path=str(ARTIFACTS / "admin-partners.png"), full_page=True)
    await page.goto(f"{demo_server}/console/audit/")
    await page.screenshot(path=str(ARTIFACTS / "admin-audit.png"), full_page=True)
    await desktop.close()

    phone = await browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True
    )
    page = await phone.new_page()
    await _sign_in(page, demo_server, "admin@vendor.demo")
    await page.goto(f"{demo_server}/console/partners")
    await page.screenshot(path=str(ARTIFACTS / "admin-partners-phone-zh.png"), full_page=True)
    await phone.close()


async def test_login_page_on_a_phone(demo_server, browser):
    phone = await browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True
    )
    page = await phone.new_page()
    await page.goto(f"{demo_server}/login")
    await page.screenshot(path=str(ARTIFACTS / "login-phone-zh.png"), full_page=True)
    await page.fill("input[name=email]", "nobody@x.demo")
    await page.fill("input[name=password]", "wrong-password")
    await page.click("button[type=submit]")
    await page.wait_for_load_state("networkidle")
    assert await page.locator("[role=alert]").count() >= 1
    await phone.close()
