"""The route inventory: every HTML page a persona reaches on the demo portal, one URL per route.

Built by following the links of each persona's pages from the home page (what a user can reach),
then checked against the application's own route table, so a page nobody links to shows up as a
gap instead of silently escaping the tests that use the inventory.
"""

from __future__ import annotations

import functools
import logging
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx

logging.getLogger("httpx").setLevel(logging.WARNING)

PERSONAS = {
    "partner_admin": "alice@partner-a.demo",
    "partner_member": "bob@partner-a.demo",
    "channel_manager": "manager@vendor.demo",
    "vendor_admin": "admin@vendor.demo",
}
PUBLIC_PAGES = ["/login", "/apply", "/password-reset", "/apply/thanks"]
# Links never followed: they sign out, download a file or leave the HTML pages.
SKIP = re.compile(
    r"^/(logout|api/|static/|healthz|readyz|schema)|/export|\.(pdf|xlsx|csv|png|svg)$|/files/|"
    r"/download|/preview|/report\.pdf|/attachments/"
)
MAX_PAGES = 400


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href") and "download" not in found:
            self.links.append(str(found["href"]))


# Pages no link leads to (they need a token from an e-mail, or are fragments loaded by htmx).
UNLINKED = {
    "/invitations/{token:str}": "opened from the invitation e-mail",
    "/password-reset/{token:str}": "opened from the reset e-mail",
    "/customers/import/{import_id:int}": "the preview right after an upload",
    "/kb/suggest": "an htmx fragment of the case form",
    "/notifications/count": "an htmx fragment of the bell",
    "/campaigns/{campaign_id:int}/respond/{key:str}": "the end customers' public response form,"
    " opened from the link a partner passes on with the campaign material; its key makes it"
    " unguessable (tests/communications/test_campaign_responses.py)",
    "/campaigns/{campaign_id:int}/respond/{key:str}/thanks": "the response form's thank-you step",
    "/console/campaigns/{campaign_id:int}/publish": "the confirmation step of the campaign page's"
    " publish form (a GET form, which the crawler does not submit; see test_notices_pages.py)",
}


@functools.cache
def html_routes() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(route path, regex) of every GET route answering an HTML page, longest first."""
    from litestar.handlers.http_handlers import HTTPRouteHandler

    from portal.app import create_app

    out = []
    for route in create_app(run_scheduler=False).routes:
        handlers = getattr(route, "route_handlers", [])
        if not any(isinstance(h, HTTPRouteHandler) and "GET" in h.http_methods for h in handlers):
            continue
        pattern = re.sub(r"\{[^}]+\}", "[^/]+", route.path.rstrip("/") or "/")
        out.append((route.path, re.compile(f"^{pattern}/?$")))
    return tuple(sorted(out, key=lambda r: -len(r[0])))


def route_key(path: str) -> str:
    """/console/partners/12/audit -> /console/partners/{partner_id:int}/audit (one page per
    route); a path without a route keeps its own name."""
    matches = [name for name, regex in html_routes() if regex.match(path)]
    # A literal segment beats a parameter: /cart/quick over /cart/{x}.
    return min(matches, key=lambda n: n.count("{")) if matches else path


def sign_in(base: str, email: str, password: str = "demo12345") -> httpx.Client:
    client = httpx.Client(base_url=base, follow_redirects=True, timeout=30)
    client.get("/login")
    token = client.cookies.get("csrftoken")
    response = client.post(
        "/login", data={"_csrf_token": token, "email": email, "password": password}
    )
    assert response.status_code == 200 and urlsplit(str(response.url)).path == "/", email
    return client


def set_language(client: httpx.Client, locale: str) -> None:
    token = client.cookies.get("csrftoken")
    client.post("/language", data={"_csrf_token": token, "locale": locale, "next": "/"})


def crawl(client: httpx.Client, start: str = "/") -> dict[str, str]:
    """{route key: first URL seen} of every HTML page reachable from `start` by links."""
    base = str(client.base_url)
    seen: dict[str, str] = {}
    queue = [start]
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        parts = urlsplit(url)
        key = route_key(parts.path)
        if key in seen or SKIP.search(parts.path):
            continue
        response = client.get(url)
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        if response.status_code != 200 or urlsplit(str(response.url)).path != parts.path:
            continue
        seen[key] = url
        parser = _Links()
        parser.feed(response.text)
        for href in parser.links:
            target = urlsplit(urljoin(base + parts.path, href))
            if target.netloc != urlsplit(base).netloc or target.scheme not in ("http", "https"):
                continue
            queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return seen


def inventory(base: str) -> dict[str, dict[str, str]]:
    """{persona: {route key: URL}} for the four personas, plus "anonymous" public pages."""
    out: dict[str, dict[str, str]] = {}
    for persona, email in PERSONAS.items():
        client = sign_in(base, email)
        try:
            set_language(client, "en")
            out[persona] = crawl(client)
        finally:
            client.close()
    out["anonymous"] = {route_key(p): p for p in PUBLIC_PAGES}
    return out
