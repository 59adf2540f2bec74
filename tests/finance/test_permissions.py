"""The permission matrix of every finance route, page and API, read and write, for every persona.

alice = admin of partner A, bob = member of A (sales only), carol = admin of B, vera = vendor
admin, manny = channel manager of A, anon = not signed in. {ra}/{rb} = a receivable of partner A
/ B; {code_a}/{code_b} their partner codes; {closed}/{current} the last closed and the running
month, {yesterday} a payment date.
"""

from __future__ import annotations

import pytest

from portal.finance import rebates
from portal.lib import clock
from tests.finance.factories import iso, month, partner_code, shipped_order
from tests.matrix import LOGIN, World, clean_database, params, row, world_fixture, write

__all__ = ["clean_database"]

PURCHASERS = {"alice": 200, "bob": 403, "carol": 200, "vera": 403, "manny": 403, "anon": LOGIN}
CONSOLE = {"alice": 403, "bob": 403, "carol": 403, "vera": 200, "manny": 200, "anon": LOGIN}
STAFF_ON_A = {"alice": 403, "bob": 403, "carol": 403, "vera": 303, "manny": 303, "anon": LOGIN}
STAFF_ON_B = {"alice": 403, "bob": 403, "carol": 403, "vera": 303, "manny": 404, "anon": LOGIN}
API_READ = {"alice": 200, "bob": 403, "carol": 200, "vera": 200, "manny": 200, "anon": 401}
API_STAFF = {"alice": 403, "bob": 403, "carol": 403, "anon": 401}
INVOICING = {
    "invoice_title": "岭南优品贸易有限公司",
    "tax_number": "91440300708461136T",
    "bank_account": "6222021234567890",
}

MATRIX = [
    row("/money/", **PURCHASERS),
    row("/money/?status=overdue", **PURCHASERS),
    row("/money/invoicing", **PURCHASERS),
    row("/console/finance/", **CONSOLE),
    row("/console/finance/partners/{a}", **CONSOLE),
    row("/console/finance/import", **CONSOLE),
    row("/console/finance/rebates/", **CONSOLE),
    row("/console/finance/rebates/{rp}", **CONSOLE),
    row(
        "/console/finance/rebates/999999",
        alice=403,
        bob=403,
        carol=403,
        vera=404,
        manny=404,
        anon=LOGIN,
    ),
    row("/api/v1/rebates", alice=200, bob=403, carol=200, vera=422, manny=422, anon=401),
    row(
        "/api/v1/rebates?partner_code={code_b}",
        alice=200,
        bob=403,
        carol=200,
        vera=200,
        manny=404,
        anon=401,
    ),
    row(
        "/console/finance/partners/{b}",
        alice=403,
        bob=403,
        carol=403,
        vera=200,
        manny=404,
        anon=LOGIN,
    ),
    row("/api/v1/receivables", **API_READ),
    row("/api/v1/receivables?status=all", **API_READ),
    row(
        "/api/v1/receivables?partner_code={code_b}",
        alice=200,
        bob=403,
        carol=200,
        vera=200,
        manny=404,
        anon=401,
    ),
    # statements (a complete month; the current one has none yet)
    row("/money/statements/{closed}", **PURCHASERS),
    row("/money/statements/{closed}/pdf", **PURCHASERS),
    row("/money/statements/{closed}/xlsx", **PURCHASERS),
    row(
        "/money/statements/{current}",
        alice=404,
        bob=403,
        carol=404,
        vera=403,
        manny=403,
        anon=LOGIN,
    ),
    row("/console/finance/statements/", **CONSOLE),
    row("/console/finance/statements/?period={closed}", **CONSOLE),
    row("/console/finance/statements/{a}/{closed}", **CONSOLE),
    row(
        "/console/finance/statements/{b}/{closed}",
        alice=403,
        bob=403,
        carol=403,
        vera=200,
        manny=404,
        anon=LOGIN,
    ),
    row("/api/v1/statements", alice=200, bob=403, carol=200, vera=422, manny=422, anon=401),
    row(
        "/api/v1/statements?partner_code={code_b}",
        alice=200,
        bob=403,
        carol=200,
        vera=200,
        manny=404,
        anon=401,
    ),
    row(
        "/api/v1/statements/{closed}", alice=200, bob=403, carol=200, vera=422, manny=422, anon=401
    ),
    row(
        "/api/v1/statements/{closed}?partner_code={code_a}",
        alice=200,
        bob=403,
        carol=200,
        vera=200,
        manny=200,
        anon=401,
    ),
]

WRITES = [
    # invoicing details: the partner admin of the signed-in partner only
    write(
        "POST",
        "/money/invoicing",
        INVOICING,
        alice=303,
        bob=403,
        carol=303,
        vera=403,
        manny=403,
        anon=LOGIN,
    ),
    write(
        "POST",
        "/money/invoicing",
        {"tax_number": "X"},
        alice=400,
        bob=403,
        carol=400,
        vera=403,
        manny=403,
        anon=LOGIN,
    ),
    # the overdue block: vendor admins only
    write(
        "POST",
        "/console/finance/settings",
        {"overdue_block_days": "30"},
        alice=403,
        bob=403,
        carol=403,
        vera=303,
        manny=403,
        anon=LOGIN,
    ),
    write(
        "POST",
        "/console/finance/settings",
        {"overdue_block_days": "many"},
        alice=403,
        bob=403,
        carol=403,
        vera=400,
        manny=403,
        anon=LOGIN,
    ),
    # payments from a bank file: staff; without a file nothing is written
    write(
        "POST",
        "/console/finance/import",
        {"dry_run": "on"},
        alice=403,
        bob=403,
        carol=403,
        vera=400,
        manny=400,
        anon=LOGIN,
    ),
    # rebate programmes: vendor admins create and settle (this quarter's is not over: refused)
    write(
        "POST",
        "/console/finance/rebates/",
        {"name": "年度返利", "period": "2026", "bands": "500000:2, 1000000:3"},
        alice=403,
        bob=403,
        carol=403,
        vera=303,
        manny=403,
        anon=LOGIN,
    ),
    write(
        "POST",
        "/console/finance/rebates/",
        {"name": "", "period": "2026-Q9", "bands": "x"},
        alice=403,
        bob=403,
        carol=403,
        vera=400,
        manny=403,
        anon=LOGIN,
    ),
    write(
        "POST",
        "/console/finance/rebates/{rp}/settle",
        alice=403,
        bob=403,
        carol=403,
        vera=303,
        manny=403,
        anon=LOGIN,
    ),
    # the console: manny manages partner A only
    write(
        "POST",
        "/console/finance/partners/{b}/payments",
        {
            "amount": "100.00",
            "paid_on": "{yesterday}",
            "method": "bank_transfer",
            "bank_reference": "M-1",
        },
        **STAFF_ON_B,
    ),
    write(
        "POST",
        "/console/finance/partners/{a}/payments",
        {"amount": "", "paid_on": "{yesterday}", "method": "bank_transfer"},
        alice=403,
        bob=403,
        carol=403,
        vera=400,
        manny=400,
        anon=LOGIN,
    ),
    write(
        "POST",
        "/console/finance/partners/{b}/terms",
        {"payment_terms": "month_end_30"},
        **STAFF_ON_B,
    ),
    write(
        "POST",
        "/console/finance/partners/{a}/terms",
        {"payment_terms": "month_end_30"},
        **STAFF_ON_A,
    ),
    write(
        "POST",
        "/console/finance/receivables/{rb}/invoice",
        {"invoice_number": "044001"},
        **STAFF_ON_B,
    ),
    write(
        "POST",
        "/console/finance/receivables/{ra}/invoice",
        {"invoice_number": "04 4"},
        alice=403,
        bob=403,
        carol=403,
        vera=400,
        manny=400,
        anon=LOGIN,
    ),
    # the JSON API (bearer tokens)
    write(
        "POST",
        "/api/v1/payments",
        {
            "partner_code": "{code_b}",
            "amount": 100000,
            "paid_on": "{yesterday}",
            "bank_reference": "API-1",
        },
        vera=201,
        manny=404,
        **API_STAFF,
    ),
    write(
        "POST",
        "/api/v1/payments",
        {
            "partner_code": "{code_a}",
            "amount": -5,
            "paid_on": "{yesterday}",
            "bank_reference": "API-2",
        },
        vera=400,
        manny=400,
        **API_STAFF,
    ),
    # statements: the partner's purchasers answer their own month
    write(
        "POST",
        "/money/statements/{closed}/confirm",
        alice=303,
        bob=403,
        carol=303,
        vera=403,
        manny=403,
        anon=LOGIN,
    ),
    write(
        "POST",
        "/money/statements/{closed}/dispute",
        {"comment": "x"},
        alice=400,
        bob=403,
        carol=400,
        vera=403,
        manny=403,
        anon=LOGIN,
    ),
    write(
        "POST",
        "/money/statements/{closed}/dispute",
        {"comment": "金额不符"},
        alice=303,
        bob=403,
        carol=303,
        vera=403,
        manny=403,
        anon=LOGIN,
    ),
    write(
        "POST",
        "/api/v1/statements/{closed}/confirm",
        alice=200,
        carol=200,
        bob=403,
        vera=403,
        manny=403,
        anon=401,
    ),
    write(
        "POST",
        "/api/v1/statements/{current}/confirm",
        alice=404,
        carol=404,
        bob=403,
        vera=403,
        manny=403,
        anon=401,
    ),
    write(
        "POST",
        "/api/v1/statements/{closed}/dispute",
        {"comment": "金额不符", "entry_ids": []},
        alice=201,
        carol=201,
        bob=403,
        vera=403,
        manny=403,
        anon=401,
    ),
    write(
        "POST",
        "/api/v1/receivables/{rb}/invoice",
        {"invoice_number": "04400999"},
        vera=200,
        manny=404,
        **API_STAFF,
    ),
]


async def build(w: World) -> dict:
    ra = await shipped_order(w.personas["alice"], w.personas["vera"])
    rb = await shipped_order(w.personas["carol"], w.personas["vera"])
    today = clock.today()
    programme = await rebates.create_programme(
        w.personas["vera"].current,
        rebates.ProgrammeInput(
            name="Q 返利", period=f"{today.year}-Q{(today.month - 1) // 3 + 1}", bands="1000:2"
        ),
    )
    return {
        "rp": programme,
        "ra": ra["receivable_id"],
        "rb": rb["receivable_id"],
        "code_a": await partner_code(w.ids["a"]),
        "code_b": await partner_code(w.ids["b"]),
        "closed": month(-1),  # the last complete month: it has a statement
        "current": month(),  # the running month: no statement yet
        "yesterday": iso(-1),
    }


world = world_fixture(build)


@pytest.mark.parametrize("route", params(MATRIX + WRITES))
async def test_finance_permission_matrix(world, route):
    wrong = await world.wrong_answers(route)
    assert not wrong, f"{route.method} {world.url(route)}: " + "; ".join(wrong)
