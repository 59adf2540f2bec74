"""Issue 12 point 16: the cart says at once when a quantity breaks the product's minimum or pack
size (it said "added to the cart" and only the refused order told), and says it once per line."""

from __future__ import annotations

import re

from tests.orders.factories import make_product
from tests.personas import post_form


def _flashes(html: str) -> list[tuple[str, str]]:
    pattern = r'class="flash flash-(\w+)".*?<p class="flash-text">(.*?)</p>'
    return [(level, " ".join(text.split())) for level, text in re.findall(pattern, html, re.S)]


async def _post(client, url: str, data: dict[str, str]) -> str:  # type: ignore[no-untyped-def]
    """Post the form and open the page it leads to (where its message shows)."""
    response = await post_form(client, url, data)
    assert response.status_code == 303
    return (await client.get(response.headers["location"])).text


async def test_adding_below_the_minimum_says_so_at_once(as_user, alice):
    await make_product("MIN-10", min_order_quantity=10)
    client = await as_user(alice)

    page = await _post(client, "/cart/add", {"sku": "MIN-10", "quantity": "2", "next": "/cart/"})

    assert _flashes(page) == [
        ("warning", "MIN-10 × 2 added to the cart. The minimum order quantity is 10.")
    ]
    assert page.count("The minimum order quantity is 10.") == 2  # the message and its line


async def test_updating_to_a_broken_quantity_says_which_line_needs_attention(as_user, alice):
    below = await make_product("MIN-5", min_order_quantity=5)
    fine = await make_product("ANY-1")
    client = await as_user(alice)
    for sku in ("MIN-5", "ANY-1"):
        await _post(client, "/cart/add", {"sku": sku, "quantity": "5"})

    page = await _post(client, "/cart/update", {f"qty_{below}": "3", f"qty_{fine}": "7"})

    assert _flashes(page) == [
        ("warning", "The cart has been updated; one line breaks a quantity rule (see below).")
    ]
    assert page.count("The minimum order quantity is 5.") == 1  # on its line only
    page = await _post(client, "/cart/update", {f"qty_{below}": "5", f"qty_{fine}": "7"})
    assert _flashes(page) == [("success", "The cart has been updated.")]
