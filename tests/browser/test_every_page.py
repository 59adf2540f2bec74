"""Every page of the route inventory, on the demo portal: in English then in Chinese in one server
process without a label of the other language (issue 12 point 5), and on a 390 px phone without
sideways scrolling (point 15). The inventory itself covers every HTML route of the application."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.browser.inventory import (
    PERSONAS,
    UNLINKED,
    html_routes,
    inventory,
    set_language,
    sign_in,
)
from tests.browser.test_browser import ARTIFACTS, _sign_in, browser, demo_server

__all__ = ["browser", "demo_server"]

CATALOG = Path(__file__).resolve().parents[2] / "portal/locales/zh_CN/LC_MESSAGES/messages.po"
CJK = re.compile(r"[\u3400-\u9fff]")
LATIN = re.compile(r"[A-Za-z]{3}")
# Demo data that happens to equal a label (a customer tag), not text of the page.
USER_DATA = {"老客户"}
NOT_PAGES = re.compile(r"^/(api/|schema|static/|healthz|readyz)")


@pytest.fixture(scope="module")
def pages(demo_server: str) -> dict[str, dict[str, str]]:
    return inventory(demo_server)


def _labels() -> tuple[set[str], set[str]]:
    """(English msgids, Chinese msgstrs) that are whole labels: no placeholder, really translated."""
    from babel.messages.pofile import read_po

    with CATALOG.open("rb") as handle:
        catalog = read_po(handle, locale="zh_CN")
    english: set[str] = set()
    chinese: set[str] = set()
    for message in catalog:
        if not message.id or not isinstance(message.id, str) or not message.string:
            continue
        if "%" in message.id or message.id == message.string:
            continue
        if LATIN.search(message.id) and len(message.id) > 3:
            english.add(message.id)
        if CJK.search(str(message.string)):
            chinese.add(str(message.string))
    return english, chinese


class _Texts(HTMLParser):
    """Text nodes and the readable attributes of a page, skipping scripts and marked languages."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._skip = 0
        self._lang_tag = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        if found.get("lang") and tag != "html":
            self._lang_tag = tag  # the language switcher names each language in itself
        for name in ("title", "placeholder", "aria-label"):
            if found.get(name):
                self.texts.append(str(found[name]).strip())

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        if tag == self._lang_tag:
            self._lang_tag = ""

    def handle_data(self, data: str) -> None:
        if not self._skip and not self._lang_tag and data.strip():
            self.texts.append(data.strip())


def _texts(html: str) -> list[str]:
    parser = _Texts()
    parser.feed(html)
    return parser.texts


def test_the_inventory_covers_every_html_route(pages):
    reached = {key for persona in pages.values() for key in persona}
    missing = [
        name
        for name, _ in html_routes()
        if name not in reached
        and name not in UNLINKED
        and not NOT_PAGES.search(name)
        and not re.search(r"export|\.pdf|\.xlsx|/files/|/(pdf|xlsx)$|case-files", name)
    ]
    assert not missing, "routes no persona reaches by a link: " + ", ".join(sorted(missing))


def test_every_page_in_english_then_chinese_shows_no_label_of_the_other_language(
    demo_server, pages
):
    english, chinese = _labels()
    leaks: list[str] = []
    for persona, email in PERSONAS.items():
        client = sign_in(demo_server, email)
        try:
            for locale, foreign in (("en", chinese), ("zh_CN", english)):
                set_language(client, locale)
                for url in pages[persona].values():
                    response = client.get(url)
                    assert response.status_code == 200, (persona, url, response.status_code)
                    found = sorted(
                        {t for t in _texts(response.text) if t in foreign and t not in USER_DATA}
                    )
                    if found:
                        leaks.append(f"{persona} {locale} {url}: {found[:6]}")
        finally:
            client.close()
    assert not leaks, "labels of the other language:\n" + "\n".join(leaks)


async def test_every_page_fits_a_390px_phone(demo_server, browser, pages):
    wide: list[str] = []
    emails = {**PERSONAS, "anonymous": ""}
    for persona, urls in pages.items():
        for locale in ("en-US", "zh-CN"):
            context = await browser.new_context(
                viewport={"width": 390, "height": 844},
                locale=locale,
                is_mobile=True,
                has_touch=True,
            )
            page = await context.new_page()
            if emails[persona]:
                await _sign_in(page, demo_server, emails[persona])
                language = "en" if locale == "en-US" else "zh_CN"
                await page.evaluate(
                    """async (locale) => {
                        const token = document.querySelector('input[name=_csrf_token]').value;
                        const body = new URLSearchParams({_csrf_token: token, locale, next: '/'});
                        await fetch('/language', {method: 'POST', body});
                    }""",
                    language,
                )
            for url in urls.values():
                await page.goto(f"{demo_server}{url}")
                width = await page.evaluate("document.documentElement.scrollWidth")
                if width > 390:
                    wide.append(f"{persona} {locale} {url}: {width}px")
                    name = re.sub(r"[^a-z0-9]+", "-", f"{persona}-{locale}-{url}".lower())
                    await page.screenshot(path=str(ARTIFACTS / f"wide-{name[:80]}.png"))
            await context.close()
    assert not wide, "pages wider than a 390 px phone:\n" + "\n".join(wide)


# Pages listing warehouses by their code (BJ, SH: names the vendor chose, like a SKU).
WAREHOUSE_CODES = re.compile(r"^/console/(catalog|orders)/")
WORDS = re.compile(r"[\s,;:：，、/()（）·]+")


def _codes() -> tuple[set[str], set[str]]:
    """Stored codes a person must never read as such: (every enum value with `_` or `.` in it,
    such as cold_call, partner_admin, login.success, looked for as words; the tier and province
    codes, looked for as a whole text, since "registered" or "gold" are English words too)."""
    import enum
    import importlib
    import pkgutil

    import portal
    from portal.partners.constants import DEFAULT_TIERS, PROVINCES

    words: set[str] = set()
    for module in pkgutil.iter_modules(portal.__path__):
        try:
            constants = importlib.import_module(f"portal.{module.name}.constants")
        except ModuleNotFoundError:
            continue
        for value in vars(constants).values():
            if isinstance(value, type) and issubclass(value, enum.Enum):
                words |= {
                    str(m.value)
                    for m in value
                    if re.fullmatch(r"[a-z]+([._][a-z]+)+", str(m.value))
                }
    return words, {tier[0] for tier in DEFAULT_TIERS} | set(PROVINCES)


def test_every_page_shows_words_where_the_data_holds_codes(demo_server, pages):
    words, whole = _codes()
    raw: list[str] = []
    for persona, email in PERSONAS.items():
        client = sign_in(demo_server, email)
        try:
            for locale in ("en", "zh_CN"):
                set_language(client, locale)
                for url in pages[persona].values():
                    response = client.get(url)
                    whole_codes = set() if WAREHOUSE_CODES.search(url) else whole
                    found = sorted(
                        {
                            f"{w} in {t[:60]!r}"
                            for t in _texts(response.text)
                            for w in WORDS.split(t)
                            if w in words or t in whole_codes
                        }
                    )
                    if found:
                        raw.append(f"{persona} {locale} {url}: {found[:6]}")
        finally:
            client.close()
    assert not raw, "codes shown where people read words:\n" + "\n".join(raw)
