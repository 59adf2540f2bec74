"""PDF rendering: the only module that imports WeasyPrint.

Templates under templates/pdf/ are rendered with the shared Jinja environment in the requested
language, then laid out by WeasyPrint off the event loop (a one-thread executor, since WeasyPrint
is CPU-bound and blocking). Resources may only come from our static folder or data: URLs; one
FontConfiguration is reused; the CJK font is named explicitly in the print CSS.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from portal.lib.i18n import use_locale
from portal.settings import STATIC_DIR
from portal.templating import render

CJK_FONT = "Noto Sans CJK SC"
# WeasyPrint logs every layout step at INFO: keep workers' and the CLI's output readable
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pdf")
_lock = threading.Lock()


class ForbiddenResource(ValueError):
    """A document asked for a resource outside the static folder (not fetched)."""


@lru_cache(maxsize=1)
def _fetcher_class() -> Any:
    from weasyprint.urls import URLFetcher

    class StaticOnlyFetcher(URLFetcher):  # type: ignore[misc]
        """Serves data: URLs and files under static/ (also as /static/...); refuses the rest."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            parsed = urlparse(url)
            if parsed.scheme != "file":
                raise ForbiddenResource(f"resource not allowed in PDFs: {url[:200]}")
            path = Path(unquote(parsed.path))
            if not path.is_absolute() or ("/static/" in parsed.path and not path.exists()):
                path = STATIC_DIR / parsed.path.split("/static/", 1)[-1]
            root = STATIC_DIR.resolve()
            resolved = path.resolve()
            if root not in resolved.parents and resolved != root:
                raise ForbiddenResource(f"resource outside static/: {url[:200]}")
            return super().fetch(resolved.as_uri(), headers)

    return StaticOnlyFetcher


@lru_cache(maxsize=1)
def _fonts() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


def html_to_pdf(html: str) -> bytes:
    """Lay out one HTML document as PDF bytes (blocking; call through `render_pdf`)."""
    from weasyprint import HTML

    with _lock:  # the shared FontConfiguration is not meant for concurrent layouts
        document = HTML(
            string=html,
            base_url=STATIC_DIR.resolve().as_uri() + "/",
            url_fetcher=_fetcher_class()(allowed_protocols=("file", "data")),
        )
        return bytes(document.write_pdf(font_config=_fonts()))


def render_html(template: str, context: dict[str, Any], locale: str) -> str:
    """The report's HTML in `locale` (also what the vendor's preview shows)."""
    with use_locale(locale):
        return render(template, {**context, "cjk_font": CJK_FONT, "locale": locale})


async def render_pdf(template: str, context: dict[str, Any], locale: str) -> bytes:
    """Render templates/pdf/<template> in `locale` and lay it out off the event loop."""
    html = render_html(template, context, locale)
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_executor, html_to_pdf, html)
