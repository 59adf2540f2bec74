"""The permission matrix of every customer route, page and API, read and write, for every persona.

alice = admin of partner A, bob = member of A (sales), carol = admin of B, vera = vendor admin,
manny = channel manager of A, anon = not signed in. {ca}/{cb} = a customer of partner A / B,
{shared} = a customer of A attached to one of A's orders, {fu} = a follow-up on {ca},
{contact} = a contact person of {ca}, {imp} = a pending import of A.
"""

from __future__ import annotations

import pytest

from portal.auth.constants import Role
from portal.customers import imports
from portal.customers.tables import CustomerContact
from portal.orders.tables import Order
from tests.customers.factories import log_contact, make_customer
from tests.factories import make_user
from tests.matrix import LOGIN, World, clean_database, params, row, world_fixture, write
from tests.orders.factories import make_product, place

__all__ = ["clean_database"]

SALES_PAGE = {"alice": 200, "bob": 200, "carol": 200, "vera": 403, "manny": 403, "anon": LOGIN}
CONSOLE = {"alice": 403, "bob": 403, "carol": 403, "vera": 200, "manny": 200, "anon": LOGIN}
API_SALES = {"alice": 200, "bob": 200, "carol": 200, "vera": 403, "manny": 403, "anon": 401}
ON_A = {"alice": 303, "bob": 303, "carol": 404, "vera": 403, "manny": 403, "anon": LOGIN}
SALES = {"vera": 403, "manny": 403, "anon": LOGIN}
API_ON_A = {"carol": 404, "vera": 403, "manny": 403, "anon": 401}
CONTACT = {"channel": "phone", "summary": "Called about the new router series"}


MATRIX = [
    row("/customers/", **SALES_PAGE),
    row("/customers/new", **SALES_PAGE),
    row("/customers/log", **SALES_PAGE),
    row("/customers/followups", **SALES_PAGE),
    row("/customers/settings/", **SALES_PAGE),
    row("/customers/import/", **SALES_PAGE),
    row("/customers/export.xlsx", **SALES_PAGE),
    row("/customers/{ca}", alice=200, bob=200, carol=404, vera=404, manny=404, anon=LOGIN),
    row("/customers/{cb}", alice=404, bob=404, carol=200, vera=404, manny=404, anon=LOGIN),
    row("/customers/{shared}", alice=200, bob=200, carol=404, vera=404, manny=404, anon=LOGIN),
    row("/customers/{ca}/edit", alice=200, bob=200, carol=404, vera=403, manny=403, anon=LOGIN),
    row("/customers/import/{imp}", alice=200, bob=200, carol=404, vera=403, manny=403, anon=LOGIN),
    row("/console/customers/", **CONSOLE),
    row("/api/v1/customers", **API_SALES),
    row("/api/v1/customers/{ca}", alice=200, bob=200, carol=404, vera=404, manny=404, anon=401),
    row("/api/v1/customers/{cb}", alice=404, bob=404, carol=200, vera=404, manny=404, anon=401),
    row("/api/v1/customers/{shared}", alice=200, bob=200, carol=404, vera=200, manny=200, anon=401),
    row(
        "/api/v1/customers/{ca}/interactions",
        alice=200,
        bob=200,
        carol=404,
        vera=403,
        manny=403,
        anon=401,
    ),
]

WRITES = [
    write(
        "POST", "/customers/new", {"name": "New Co 新客户"}, alice=303, bob=303, carol=303, **SALES
    ),
    write("POST", "/customers/{ca}/edit", {"name": "Hijack Co"}, **ON_A),
    write("POST", "/customers/{ca}/contacts", {"name": "Mallory"}, **ON_A),
    write("POST", "/customers/{ca}/contacts/{contact}/delete", **ON_A),
    write("POST", "/customers/{ca}/interactions", CONTACT, **ON_A),
    write(
        "POST",
        "/customers/log",
        {**CONTACT, "customer_id": "{ca}"},
        alice=303,
        bob=303,
        carol=400,
        **SALES,
    ),
    write("POST", "/customers/followups/{fu}/done", **ON_A),
    write(
        "POST",
        "/customers/bulk-tag",
        {"tag": "vip", "ids": "{cb}"},
        same=("alice", "bob"),
        alice=303,
        bob=303,
        carol=303,
        **SALES,
    ),
    write(
        "POST",
        "/customers/settings/digest",
        {"daily_digest": "on"},
        alice=303,
        bob=303,
        carol=303,
        **SALES,
    ),
    write(
        "POST",
        "/customers/settings/visibility",
        {"members_see_all": "on"},
        alice=303,
        bob=403,
        carol=303,
        **SALES,
    ),
    write("POST", "/customers/import", alice=400, bob=400, carol=400, **SALES),
    write("POST", "/customers/import/{imp}", **ON_A),
    write("POST", "/customers/import/{imp}/confirm", **ON_A),
    write("POST", "/customers/import/{imp}/discard", **ON_A),
    # the JSON API (bearer tokens)
    write(
        "POST",
        "/api/v1/customers",
        {"name": "API Co"},
        alice=201,
        bob=201,
        carol=201,
        vera=403,
        manny=403,
        anon=401,
    ),
    write("PATCH", "/api/v1/customers/{ca}", {"name": "Hijack Co"}, alice=200, bob=200, **API_ON_A),
    write("POST", "/api/v1/customers/{ca}/interactions", CONTACT, alice=201, bob=201, **API_ON_A),
]


async def build(w: World) -> dict:
    alice, carol = w.personas["alice"].current, w.personas["carol"].current
    ca = await make_customer(alice, "A Co")
    cb = await make_customer(carol, "B Co")
    shared = await make_customer(alice, "Shared Co")
    await make_product("PERM-C", stock=10)
    placed = await place(alice, {"PERM-C": 1})
    await Order.update({Order.end_customer_id: shared}).where(Order.id == placed.order_id)
    contact = (
        await CustomerContact.select(CustomerContact.id)
        .where(CustomerContact.customer == ca)
        .first()
    )
    return {
        "ca": ca,
        "cb": cb,
        "shared": shared,
        "contact": contact["id"],
        "fu": await log_contact(alice, ca, followup_in_days=2),
        "imp": await imports.stage_import(alice.partner_id, alice.id, "c.csv", b"name\nX Co\n"),
    }


world = world_fixture(build)


@pytest.mark.parametrize("route", params(MATRIX + WRITES))
async def test_customers_permission_matrix(world, route):
    wrong = await world.wrong_answers(route)
    assert not wrong, f"{route.method} {world.url(route)}: " + "; ".join(wrong)


async def test_a_member_without_the_sales_permission_cannot_open_customers(world, as_user):
    buyer = await make_user(
        Role.PARTNER_MEMBER, world.ids["a"], "buyer@a.test", can_purchasing=True
    )
    client = await as_user(buyer)
    assert (await client.get("/customers/")).status_code == 403
    assert (await client.get("/api/v1/customers")).status_code == 403
