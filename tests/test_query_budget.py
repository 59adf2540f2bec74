"""Query budgets (issue 19): a list page runs a fixed number of statements, session included,
whatever the number of rows. Counted on the engine (tests/query_count.py); no timing here."""

from __future__ import annotations

import pytest

from portal.lib import jobs
from tests.customers.factories import make_customer
from tests.orders.factories import make_product, place
from tests.personas import sign_in
from tests.query_count import count_queries

# statements per request, session included; the prices page is at 7 today (its category list
# is read on every request; a cache would need a version other processes see), the home page
# gathers every domain's cards
BUDGET = {"/orders/": 6, "/customers/": 6, "/catalog/": 7, "/": 40}


@pytest.mark.parametrize("path", ["/orders/", "/customers/", "/catalog/", "/"])
async def test_alice_pages_stay_within_the_query_budget(client, alice, path):
    for n in range(3):
        await make_product(f"BUDGET-{n}", stock=50)
        await make_customer(alice.current, name=f"预算客户 {n}")
    await place(alice.current, {"BUDGET-0": 1, "BUDGET-1": 2})
    await place(alice.current, {"BUDGET-2": 1})
    await jobs.drain()  # the order e-mails are written now, not during the counted request
    await sign_in(client, alice)
    await client.get(path)  # the session's first touch and caches happen once
    with count_queries() as seen:
        response = await client.get(path)
    assert response.status_code == 200
    assert seen.n <= BUDGET[path], "\n".join(q[:300] for q in seen.sql)


async def _partner_page_queries(client, partner_id: int) -> tuple[int, list[str]]:
    await client.get(f"/console/partners/{partner_id}")  # session, caches, leaderboards
    with count_queries() as seen:
        response = await client.get(f"/console/partners/{partner_id}")
    assert response.status_code == 200
    return seen.n, seen.sql


# the console partner page (its 360° view, issue 12 point 10) gathers every domain's section
PARTNER_PAGE_BUDGET = 36  # 32 measured on SQLite, leaderboards cached (a minute)


async def test_the_console_partner_page_stays_within_its_budget_whatever_it_holds(
    client, alice, vera, partner_a
):
    from tests.support.factories import make_case

    await make_product("BUDGET-P", stock=500)
    await sign_in(client, vera)
    await place(alice.current, {"BUDGET-P": 1})
    await make_case(alice)
    await jobs.drain()
    few, _sql = await _partner_page_queries(client, partner_a)
    for n in range(6):
        await place(alice.current, {"BUDGET-P": n + 1})
        await make_case(alice)
        await make_customer(alice.current, name=f"预算客户 {n}")
    await jobs.drain()
    many, sql = await _partner_page_queries(client, partner_a)
    assert many == few, "\n".join(q[:300] for q in sql)
    assert many <= PARTNER_PAGE_BUDGET, "\n".join(q[:300] for q in sql)
