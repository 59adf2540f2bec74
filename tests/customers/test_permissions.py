"""The permission matrix of every customer page and API route, for every persona.

alice = admin of partner A, bob = member of A (sales), carol = admin of B, vera = vendor admin,
manny = channel manager of A, anon = not signed in. {a}/{b} = a customer of partner A / B,
{shared} = a customer of A attached to one of A's orders, {fu} = a follow-up on {a},
{imp} = a pending import of A.
"""

from __future__ import annotations

import pytest

from portal.customers import imports
from portal.orders.tables import Order
from tests.customers.factories import log_contact, make_customer
from tests.matrix import row, wrong_answers

SALES_PAGE = {"alice": 200, "bob": 200, "carol": 200, "vera": 403, "manny": 403, "anon": 303}
CONSOLE = {"alice": 403, "bob": 403, "carol": 403, "vera": 200, "manny": 200, "anon": 303}
API_SALES = {"alice": 200, "bob": 200, "carol": 200, "vera": 403, "manny": 403, "anon": 401}


MATRIX = [
    row("/customers/", **SALES_PAGE),
    row("/customers/new", **SALES_PAGE),
    row("/customers/log", **SALES_PAGE),
    row("/customers/followups", **SALES_PAGE),
    row("/customers/settings/", **SALES_PAGE),
    row("/customers/import/", **SALES_PAGE),
    row("/customers/export.xlsx", **SALES_PAGE),
    row("/customers/{a}", alice=200, bob=200, carol=404, vera=404, manny=404, anon=303),
    row("/customers/{b}", alice=404, bob=404, carol=200, vera=404, manny=404, anon=303),
    row("/customers/{shared}", alice=200, bob=200, carol=404, vera=404, manny=404, anon=303),
    row("/customers/{a}/edit", alice=200, bob=200, carol=404, vera=403, manny=403, anon=303),
    row("/customers/import/{imp}", alice=200, bob=200, carol=404, vera=403, manny=403, anon=303),
    row("/console/customers/", **CONSOLE),
    row("/api/v1/customers", **API_SALES),
    row("/api/v1/customers/{a}", alice=200, bob=200, carol=404, vera=404, manny=404, anon=401),
    row("/api/v1/customers/{b}", alice=404, bob=404, carol=200, vera=404, manny=404, anon=401),
    row("/api/v1/customers/{shared}", alice=200, bob=200, carol=404, vera=200, manny=200, anon=401),
    row(
        "/api/v1/customers/{a}/interactions",
        alice=200,
        bob=200,
        carol=404,
        vera=403,
        manny=403,
        anon=401,
    ),
]


@pytest.fixture
async def world(alice, carol):
    from tests.orders.factories import make_product, place

    a = await make_customer(alice.current, "A Co")
    b = await make_customer(carol.current, "B Co")
    shared = await make_customer(alice.current, "Shared Co")
    await make_product("PERM-C", stock=10)
    placed = await place(alice.current, {"PERM-C": 1})
    await Order.update({Order.end_customer_id: shared}).where(Order.id == placed.order_id)
    fu = await log_contact(alice.current, a, followup_in_days=2)
    imp = await imports.stage_import(alice.partner_id, alice.id, "c.csv", b"name\nX Co\n")
    return {"a": a, "b": b, "shared": shared, "fu": fu, "imp": imp}


@pytest.mark.parametrize(("path", "expected"), [pytest.param(p, e, id=p) for p, e in MATRIX])
async def test_customers_permission_matrix(
    as_user, world, alice, bob, carol, vera, manny, path, expected
):
    personas = {
        "alice": alice,
        "bob": bob,
        "carol": carol,
        "vera": vera,
        "manny": manny,
        "anon": None,
    }
    url = path.format(**world)
    wrong = await wrong_answers(as_user, personas, url, expected)
    assert not wrong, f"GET {url}: " + ", ".join(wrong)


async def test_a_member_without_the_sales_permission_cannot_open_customers(as_user, partner_a):
    from portal.auth.constants import Role
    from tests.factories import make_user

    buyer = await make_user(Role.PARTNER_MEMBER, partner_a, "buyer@a.test", can_purchasing=True)
    client = await as_user(buyer)
    assert (await client.get("/customers/")).status_code == 403
    assert (await client.get("/api/v1/customers")).status_code == 403


async def test_carol_cannot_write_to_alice_customer(as_user, world, carol):
    from tests.personas import post_form

    client = await as_user(carol)
    responses = [
        await post_form(
            client, f"/customers/{world['a']}/interactions", {"channel": "phone", "summary": "x"}
        ),
        await post_form(client, f"/customers/{world['a']}/edit", {"name": "Hijack"}),
        await post_form(client, f"/customers/{world['a']}/contacts", {"name": "Mallory"}),
        await post_form(client, f"/customers/followups/{world['fu']}/done"),
        await post_form(client, f"/customers/import/{world['imp']}/confirm"),
    ]
    assert [r.status_code for r in responses] == [404] * 5


async def test_only_the_partner_admin_may_change_visibility(as_user, bob):
    from tests.personas import post_form

    client = await as_user(bob)
    response = await post_form(client, "/customers/settings/visibility", {"members_see_all": ""})
    assert response.status_code == 403
