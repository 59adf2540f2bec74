"""The permission matrix of every deal route, page and API, read and write, for every persona.

alice = admin of partner A, bob = member of A (sales), carol = admin of B, vera = vendor admin,
manny = channel manager of A, anon = not signed in. {da}/{db} = a submitted deal of partner A / B,
{pa}/{pb} = a protected deal of A / B, {dra} = a draft of A (vendor staff never see drafts);
{fa}/{fb}/{fdra} = a file of {da}/{db}/{dra}, {fr} = a file of {da} the remove row deletes.
"""

from __future__ import annotations

import pytest

from portal.deals import attachments
from tests.deals.factories import make_deal, product_sku
from tests.matrix import LOGIN, World, clean_database, params, row, world_fixture, write

__all__ = ["clean_database"]

SELLER_PAGE = {"alice": 200, "bob": 200, "carol": 200, "vera": 403, "manny": 403, "anon": LOGIN}
ON_A_PAGE = {"alice": 200, "bob": 200, "carol": 404, "vera": 403, "manny": 403, "anon": LOGIN}
CONSOLE_PAGE = {"alice": 403, "bob": 403, "carol": 403, "vera": 200, "manny": 200, "anon": LOGIN}
API_READ = {"alice": 200, "bob": 200, "carol": 200, "vera": 200, "manny": 200, "anon": 401}
ON_A = {"alice": 303, "bob": 303, "carol": 404, "vera": 403, "manny": 403, "anon": LOGIN}
STAFF_ON_B = {"alice": 403, "bob": 403, "carol": 403, "vera": 303, "manny": 404, "anon": LOGIN}
API_ON_A = {"alice": 200, "bob": 200, "carol": 404, "vera": 403, "manny": 403, "anon": 401}
API_STAFF_ON_B = {"alice": 403, "bob": 403, "carol": 403, "vera": 200, "manny": 404, "anon": 401}
API_ALL_ON_A = {"alice": 200, "bob": 200, "carol": 404, "vera": 200, "manny": 200, "anon": 401}
NEW_DEAL = {
    "name": "园区安防改造",
    "customer_name": "矩阵新客户有限公司",
    "lines": "MX-CAM 5",
    "estimated_amount": "5000",
    "stage": "qualified",
}
PDF = b"%PDF-1.4 matrix quote"
NEW_API_DEAL = {
    "name": "园区安防改造",
    "customer_name": "矩阵新客户有限公司",
    "lines": [{"sku": "MX-CAM", "quantity": 5}],
    "estimated_amount": 500000,
    "expected_close_on": "2027-03-31",
}

MATRIX = [
    row("/deals/", **SELLER_PAGE),
    row("/deals/board", **SELLER_PAGE),
    row("/deals/export.xlsx", **SELLER_PAGE),
    row("/deals/new", **SELLER_PAGE),
    row("/deals/{da}", **ON_A_PAGE),
    row("/deals/{da}/edit", **ON_A_PAGE),
    row("/deals/{db}", alice=404, bob=404, carol=200, vera=403, manny=403, anon=LOGIN),
    row("/console/deals/", **CONSOLE_PAGE),
    row("/console/deals/{da}", **CONSOLE_PAGE),
    row("/console/deals/{db}", alice=403, bob=403, carol=403, vera=200, manny=404, anon=LOGIN),
    row("/console/deals/{dra}", alice=403, bob=403, carol=403, vera=404, manny=404, anon=LOGIN),
    row("/deals/files/{fa}", alice=200, bob=200, carol=404, vera=200, manny=200, anon=LOGIN),
    row("/deals/files/{fb}", alice=404, bob=404, carol=200, vera=200, manny=404, anon=LOGIN),
    row("/deals/files/{fdra}", alice=200, bob=200, carol=404, vera=404, manny=404, anon=LOGIN),
    row("/api/v1/deals", **API_READ),
    row("/api/v1/deals/{da}", **API_ALL_ON_A),
    row("/api/v1/deals/{db}", alice=404, bob=404, carol=200, vera=200, manny=404, anon=401),
    row("/api/v1/deals/{dra}", alice=200, bob=200, carol=404, vera=404, manny=404, anon=401),
]

WRITES = [
    write(
        "POST",
        "/deals/new",
        NEW_DEAL,
        alice=303,
        bob=303,
        carol=303,
        vera=403,
        manny=403,
        anon=LOGIN,
    ),
    write("POST", "/deals/{dra}/edit", NEW_DEAL, **ON_A),
    write("POST", "/deals/{dra}/submit", **ON_A),
    write(
        "POST", "/deals/{da}/files", files={"files": ("quote.pdf", PDF, "application/pdf")}, **ON_A
    ),
    write("POST", "/deals/files/{fr}/remove", **ON_A),
    write("POST", "/deals/{da}/stage", {"stage": "proposal"}, **ON_A),
    write("POST", "/deals/{pa}/extension", {"reason": "预算延后"}, **ON_A),
    write("POST", "/deals/{pa}/win", {"order_ids": ""}, **ON_A),
    write("POST", "/deals/{da}/lose", {"reason": "价格"}, **ON_A),
    write("POST", "/console/deals/{db}/approve", {"days": 90}, **STAFF_ON_B),
    write("POST", "/console/deals/{db}/decline", {"reason": "直销客户"}, **STAFF_ON_B),
    write("POST", "/console/deals/{db}/ask", {"reason": "请提供预算"}, **STAFF_ON_B),
    # no extension was asked for: refused with a message, nothing changed
    write("POST", "/console/deals/{db}/extend", {"days": 30}, same=("vera",), **STAFF_ON_B),
    # no price given: nothing to change (the prices themselves: tests/deals/test_deal_prices.py)
    write("POST", "/console/deals/{pb}/prices", {}, same=("vera",), **STAFF_ON_B),
    # no days given: refused with a message (the periods themselves: test_protection_periods.py)
    write(
        "POST",
        "/console/deals/protection",
        {},
        same=("vera",),
        alice=403,
        bob=403,
        carol=403,
        vera=303,
        manny=403,
        anon=LOGIN,
    ),
    write(
        "POST",
        "/api/v1/deals",
        NEW_API_DEAL,
        alice=201,
        bob=201,
        carol=201,
        vera=403,
        manny=403,
        anon=401,
    ),
    write("PATCH", "/api/v1/deals/{dra}", {"name": "新名字"}, **API_ON_A),
    write("POST", "/api/v1/deals/{dra}/submit", **API_ON_A),
    write("POST", "/api/v1/deals/{db}/approve", {}, **API_STAFF_ON_B),
    write("POST", "/api/v1/deals/{db}/decline", {"reason": "直销客户"}, **API_STAFF_ON_B),
    write(
        "POST",
        "/api/v1/deals/{pa}/extend",
        {"reason": "预算延后"},
        alice=200,
        bob=200,
        carol=404,
        vera=409,
        manny=409,
        anon=401,
    ),
    write("POST", "/api/v1/deals/{pa}/win", {"order_ids": []}, **API_ALL_ON_A),
    write("POST", "/api/v1/deals/{da}/lose", {"reason": "价格"}, **API_ALL_ON_A),
]


async def _file(actor, deal_id: int, name: str = "quote.pdf") -> int:
    ids = await attachments.attach_files(actor, deal_id, [attachments.Upload(name, PDF)])
    return ids[0]


async def build(w: World) -> dict:
    alice, carol, vera = (w.personas[n].current for n in ("alice", "carol", "vera"))
    await product_sku("MX-CAM")
    ids = {
        "da": await make_deal(alice, "矩阵甲客户", status="submitted"),
        "db": await make_deal(carol, "矩阵乙客户", status="submitted"),
        "pa": await make_deal(alice, "矩阵丙客户", status="approved", vendor=vera),
        "dra": await make_deal(alice, "矩阵丁客户"),
        "pb": await make_deal(carol, "矩阵戊客户", status="approved", vendor=vera),
    }
    return {
        **ids,
        "fa": await _file(alice, ids["da"]),
        "fb": await _file(carol, ids["db"]),
        "fdra": await _file(alice, ids["dra"]),
        "fr": await _file(alice, ids["da"], "old.pdf"),
    }


world = world_fixture(build)


@pytest.mark.parametrize("route", params(MATRIX + WRITES))
async def test_deals_permission_matrix(world, route):
    wrong = await world.wrong_answers(route)
    assert not wrong, f"{route.method} {world.url(route)}: " + "; ".join(wrong)
