"""The permission matrix of every performance page and API route, for every persona.

alice = admin of partner A, bob = member of A (sales only), carol = admin of B,
vera = vendor admin, manny = channel manager of A, anon = not signed in.
{a}/{b} = partner A / B, {da}/{db} = their report deliveries.
"""

from __future__ import annotations

import datetime as dt

import pytest

from portal.performance import reports
from portal.performance.periods import Period
from tests.matrix import row, wrong_answers
from tests.performance.factories import make_sale, refresh
from tests.personas import post_form

PARTNER_PAGE = {"alice": 200, "bob": 200, "carol": 200, "vera": 403, "manny": 403, "anon": 303}
PARTNER_ADMIN = {"alice": 200, "bob": 403, "carol": 200, "vera": 403, "manny": 403, "anon": 303}
CONSOLE = {"alice": 403, "bob": 403, "carol": 403, "vera": 200, "manny": 200, "anon": 303}
CONSOLE_B = {"alice": 403, "bob": 403, "carol": 403, "vera": 200, "manny": 404, "anon": 303}
ADMIN = {"alice": 403, "bob": 403, "carol": 403, "vera": 200, "manny": 403, "anon": 303}


MATRIX = [
    row("/performance/?period=2026-10", **PARTNER_PAGE),
    row("/performance/reports", **PARTNER_PAGE),
    row("/performance/reports/2026-10/pdf", **PARTNER_PAGE),
    row("/performance/recipients", **PARTNER_ADMIN),
    row("/console/performance/?period=2026-Q4", **CONSOLE),
    row("/console/performance/export.xlsx?period=2026-10", **CONSOLE),
    row("/console/performance/partners/{a}?period=2026-10", **CONSOLE),
    row("/console/performance/partners/{b}", **CONSOLE_B),
    row("/console/performance/partners/{b}/report.pdf?period=2026-10", **CONSOLE_B),
    row("/console/performance/deliveries?period=2026-10", **CONSOLE),
    row("/console/performance/settings", **ADMIN),
    row("/console/performance/targets/import", **ADMIN),
    row(
        "/api/v1/performance/scorecard?period=2026-10",
        alice=200,
        bob=200,
        carol=200,
        vera=400,
        manny=400,
        anon=401,
    ),
    row(
        "/api/v1/performance/scorecard?period=2026-10&partner_id={b}",
        alice=200,
        bob=200,
        carol=200,
        vera=200,
        manny=404,
        anon=401,
    ),
    row(
        "/api/v1/performance/leaderboard?period=2026-10",
        alice=403,
        bob=403,
        carol=403,
        vera=200,
        manny=200,
        anon=401,
    ),
]


@pytest.fixture
async def world(partner_a, partner_b, alice, carol):
    await make_sale(partner_a, 300_000_00, dt.date(2026, 10, 8))
    await make_sale(partner_b, 200_000_00, dt.date(2026, 10, 9))
    await refresh("2026-10")
    await reports.ensure_deliveries(Period.parse("2026-10"))
    from portal.performance.tables import ReportDelivery

    ids = {
        r["partner"]: r["id"]
        for r in await ReportDelivery.select(ReportDelivery.id, ReportDelivery.partner)
    }
    return {"a": partner_a, "b": partner_b, "da": ids[partner_a], "db": ids[partner_b]}


@pytest.mark.parametrize(("path", "expected"), [pytest.param(p, e, id=p) for p, e in MATRIX])
async def test_performance_permission_matrix(
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


async def test_manny_cannot_send_again_a_report_of_a_partner_he_does_not_manage(
    as_user, world, manny
):
    client = await as_user(manny)
    foreign = await post_form(client, f"/console/performance/deliveries/{world['db']}/resend")
    own = await post_form(client, f"/console/performance/deliveries/{world['da']}/resend")
    assert foreign.status_code == 404
    assert own.status_code == 303


async def test_carol_cannot_change_partner_a_targets_or_notes(as_user, world, carol, manny):
    carol_client = await as_user(carol)
    manny_client = await as_user(manny)
    target = await post_form(
        carol_client,
        f"/console/performance/partners/{world['a']}/target",
        {"period": "2026-10", "target": "1"},
    )
    note = await post_form(
        manny_client,
        f"/console/performance/partners/{world['b']}/note",
        {"period": "2026-10", "body": "x"},
    )
    assert target.status_code == 403
    assert note.status_code == 404
