"""The permission matrix of every lead route, page and API, read and write, for every persona.

alice = admin of partner A (SH dealer), bob = member of A (sales), carol = admin of B (GD
distributor), vera = vendor admin, manny = channel manager of A, anon = not signed in.
{la}/{lb} = a lead offered to A / B, {lacc} = a lead A accepted, {ln} = a lead no rule placed
(the vendor's own), {rule} = a routing rule.
"""

from __future__ import annotations

import pytest

from portal.deals import lead_answers
from tests.deals.factories import product_sku
from tests.leads.factories import make_lead, make_rule
from tests.matrix import LOGIN, World, clean_database, params, row, world_fixture, write

__all__ = ["clean_database"]

API_READ = {"alice": 200, "bob": 200, "carol": 200, "vera": 200, "manny": 200, "anon": 401}
API_ON_A = {"alice": 200, "bob": 200, "carol": 404, "vera": 200, "manny": 200, "anon": 401}
API_ANSWER_A = {"alice": 200, "bob": 200, "carol": 404, "vera": 403, "manny": 403, "anon": 401}
NEW_API_LEAD = {
    "company": "矩阵线索有限公司",
    "contact_name": "陈先生",
    "phone": "13900001111",
    "province": "SH",
}

SELLER_PAGE = {"alice": 200, "bob": 200, "carol": 200, "vera": 403, "manny": 403, "anon": LOGIN}
ON_A_PAGE = {"alice": 200, "bob": 200, "carol": 404, "vera": 403, "manny": 403, "anon": LOGIN}
ON_A = {"alice": 303, "bob": 303, "carol": 404, "vera": 403, "manny": 403, "anon": LOGIN}
CONSOLE_PAGE = {"alice": 403, "bob": 403, "carol": 403, "vera": 200, "manny": 200, "anon": LOGIN}
CONSOLE_ON_B = {"alice": 403, "bob": 403, "carol": 403, "vera": 200, "manny": 404, "anon": LOGIN}
ADMIN_WRITE = {"alice": 403, "bob": 403, "carol": 403, "vera": 303, "manny": 403, "anon": LOGIN}
STAFF_WRITE = {"alice": 403, "bob": 403, "carol": 403, "vera": 303, "manny": 303, "anon": LOGIN}
NEW_LEAD = {
    "company": "矩阵表单线索有限公司",
    "contact_name": "陈先生",
    "phone": "13900002222",
    "province": "SH",
}
RULE = {
    "name": "华东规则",
    "position": "5",
    "provinces": "SH,ZJ",
    "same_province": "on",
    "is_active": "on",
}
DEAL_FROM_LEAD = {
    "name": "线索项目",
    "customer_name": "线索客户有限公司",
    "lines": "LEAD-CAM 5",
    "stage": "qualified",
}
CSV = (
    "leads.csv",
    "company,contact_name,phone,province\n导入线索有限公司,王,13900003333,SH\n".encode(),
    "text/csv",
)

MATRIX = [
    row("/leads/", **SELLER_PAGE),
    row("/leads/{la}", **ON_A_PAGE),
    row("/leads/{lb}", alice=404, bob=404, carol=200, vera=403, manny=403, anon=LOGIN),
    row("/leads/{lacc}/deal", **ON_A_PAGE),
    row("/leads/{la}/deal", alice=404, bob=404, carol=404, vera=403, manny=403, anon=LOGIN),
    row("/console/leads/", **CONSOLE_PAGE),
    row("/console/leads/new", **CONSOLE_PAGE),
    row("/console/leads/{la}", **CONSOLE_PAGE),
    row("/console/leads/{lb}", **CONSOLE_ON_B),
    row("/console/leads/{ln}", **CONSOLE_PAGE),
    row("/console/leads/rules", **CONSOLE_PAGE),
    row("/console/leads/rules/{rule}", **CONSOLE_PAGE),
    row("/console/leads/partners", **CONSOLE_PAGE),
    row("/console/leads/import", **CONSOLE_PAGE),
    row("/api/v1/leads", **API_READ),
    row("/api/v1/leads/{la}", **API_ON_A),
    row("/api/v1/leads/{lb}", alice=404, bob=404, carol=200, vera=200, manny=404, anon=401),
    row("/api/v1/leads/{ln}", alice=404, bob=404, carol=404, vera=200, manny=200, anon=401),
]

WRITES = [
    write("POST", "/leads/{la}/accept", **ON_A),
    write("POST", "/leads/{la}/decline", {"reason": "不做这个行业"}, **ON_A),
    write("POST", "/leads/{lacc}/deal", DEAL_FROM_LEAD, **ON_A),
    write("POST", "/console/leads/new", NEW_LEAD, **STAFF_WRITE),
    write("POST", "/console/leads/route", **STAFF_WRITE),
    write("POST", "/console/leads/rules", RULE, **ADMIN_WRITE),
    write("POST", "/console/leads/rules/{rule}", RULE, **ADMIN_WRITE),
    write("POST", "/console/leads/rules/{rule}/delete", **ADMIN_WRITE),
    write(
        "POST", "/console/leads/partners", {"partner_id": "{pa}", "capacity": "5"}, **ADMIN_WRITE
    ),
    write(
        "POST",
        "/console/leads/import",
        files={"file": CSV},
        alice=403,
        bob=403,
        carol=403,
        vera=200,
        manny=200,
        anon=LOGIN,
    ),
    write(
        "POST",
        "/api/v1/leads",
        NEW_API_LEAD,
        alice=403,
        bob=403,
        carol=403,
        vera=201,
        manny=201,
        anon=401,
    ),
    write("POST", "/api/v1/leads/{la}/accept", **API_ANSWER_A),
    write("POST", "/api/v1/leads/{la}/decline", {"reason": "不做这个行业"}, **API_ANSWER_A),
    write(
        "POST",
        "/api/v1/leads/{lacc}/accept",
        alice=409,
        bob=409,
        carol=404,
        vera=403,
        manny=403,
        anon=401,
    ),
]


async def build(w: World) -> dict:
    vera, alice = (w.personas[n].current for n in ("vera", "alice"))
    rule = await make_rule(vera, provinces="SH,GD")
    await product_sku("LEAD-CAM")
    accepted = await make_lead(vera, "SH")
    await lead_answers.accept_lead(alice, accepted)
    return {
        "la": await make_lead(vera, "SH"),
        "lb": await make_lead(vera, "GD"),
        "lacc": accepted,
        "ln": await make_lead(vera, "YN"),
        "rule": rule,
        "pa": alice.partner_id,
    }


world = world_fixture(build)


@pytest.mark.parametrize("route", params(MATRIX + WRITES))
async def test_leads_permission_matrix(world, route):
    wrong = await world.wrong_answers(route)
    assert not wrong, f"{route.method} {world.url(route)}: " + "; ".join(wrong)
