"""The permission matrix of every lead route, page and API, read and write, for every persona.

alice = admin of partner A (SH dealer), bob = member of A (sales), carol = admin of B (GD
distributor), vera = vendor admin, manny = channel manager of A, anon = not signed in.
{la}/{lb} = a lead offered to A / B, {lacc} = a lead A accepted, {ln} = a lead no rule placed
(the vendor's own), {rule} = a routing rule.
"""

from __future__ import annotations

import pytest

from portal.deals import lead_answers
from tests.leads.factories import make_lead, make_rule
from tests.matrix import World, clean_database, params, row, world_fixture, write

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

MATRIX = [
    row("/api/v1/leads", **API_READ),
    row("/api/v1/leads/{la}", **API_ON_A),
    row("/api/v1/leads/{lb}", alice=404, bob=404, carol=200, vera=200, manny=404, anon=401),
    row("/api/v1/leads/{ln}", alice=404, bob=404, carol=404, vera=200, manny=200, anon=401),
]

WRITES = [
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
    await make_rule(vera, provinces="SH,GD")
    accepted = await make_lead(vera, "SH")
    await lead_answers.accept_lead(alice, accepted)
    return {
        "la": await make_lead(vera, "SH"),
        "lb": await make_lead(vera, "GD"),
        "lacc": accepted,
        "ln": await make_lead(vera, "YN"),
    }


world = world_fixture(build)


@pytest.mark.parametrize("route", params(MATRIX + WRITES))
async def test_leads_permission_matrix(world, route):
    wrong = await world.wrong_answers(route)
    assert not wrong, f"{route.method} {world.url(route)}: " + "; ".join(wrong)
