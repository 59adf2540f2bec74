"""The portal app plus one public page that renders a bare 50-row table: the ceiling that the
order pages are compared with, served by the same process, server and settings.

    uvicorn bench.ceiling_app:create_app --factory     (what bench/orders_pages.py starts)
"""

from __future__ import annotations

from litestar import Litestar, MediaType, get
from litestar.response import Response

from portal.app import create_app as create_portal_app
from portal.auth.constants import Access
from portal.templating import environment

TEMPLATE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><table class="table"><thead><tr><th>#</th><th>SKU</th><th>Name</th><th>Price</th><th>Stock</th></tr></thead>
<tbody>{% for row in rows %}<tr><td>{{ row.n }}</td><td>{{ row.sku }}</td><td>{{ row.name }}</td>
<td>{{ row.price | money }}</td><td>{{ row.stock | number }}</td></tr>{% endfor %}</tbody></table></body></html>"""
ROWS = [
    {
        "n": n,
        "sku": f"B-{n:05d}",
        "name": f"网络摄像机 {n} 型 <IP camera>",
        "price": 1234_56 + n,
        "stock": 1000 + n,
    }
    for n in range(50)
]


_compiled = None


@get(
    "/bench/ceiling", opt={"access": Access.PUBLIC}, media_type=MediaType.HTML, sync_to_thread=False
)
def ceiling() -> Response[str]:
    """Render 50 rows with the portal's Jinja environment; no database, no session."""
    global _compiled
    if _compiled is None:  # compiled once, like the file templates Jinja caches
        _compiled = environment().from_string(TEMPLATE)
    html = _compiled.render(title="ceiling", rows=ROWS)
    return Response(html, media_type=MediaType.HTML)


def create_app() -> Litestar:
    app = create_portal_app()
    app.register(ceiling)
    return app
