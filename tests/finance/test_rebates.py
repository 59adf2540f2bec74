"""Rebates (返利): the band maths and its one rounding, accruals recomputed from shipments
(idempotent, append-only), what the partner sees live (page and API), settling into a credit
note that pays receivables, once."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.core.tables import AuditEntry
from portal.finance import rebates
from portal.finance.rebate_rules import Band, earned, next_band
from portal.finance.tables import LedgerEntry, Payment, RebateAccrual, Receivable
from portal.lib import clock
from portal.lib.forms import FormError
from tests.factories import bearer_headers
from tests.finance.factories import partner_code, shipped_order

BANDS = [Band(500_000_00, 200), Band(1_000_000_00, 300)]


def quarter() -> str:
    today = clock.today()
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


def test_retroactive_marginal_and_growth_bonus_round_once_half_up():
    assert earned(499_999_99, BANDS, "retroactive") == 0
    assert earned(600_000_00, BANDS, "retroactive") == 12_000_00  # 2 % on all of it
    assert earned(1_200_000_00, BANDS, "retroactive") == 36_000_00  # 3 % on all of it
    # marginal: 2 % of 500,000 + 3 % of 200,000
    assert earned(1_200_000_00, BANDS, "marginal") == 10_000_00 + 6_000_00
    # growth bonus 1 % on the 100,000 over last year's 500,000
    assert earned(600_000_00, BANDS, "retroactive", 500_000_00, 100) == 12_000_00 + 1_000_00
    assert earned(500_000_25, BANDS, "retroactive") == 10_000_01  # 1,000,000.5 fen rounds up
    assert next_band(880_000_00, BANDS) == (BANDS[1], 120_000_00)
    assert next_band(1_000_000_00, BANDS) is None


async def _programme(vera, partner_ids_codes: str, total: int, mode: str = "retroactive") -> dict:
    bands = f"{total / 200:.2f}:2, {total * 2 / 100:.2f}:3"  # 2 % from half, 3 % from double
    programme_id = await rebates.create_programme(
        vera.current,
        rebates.ProgrammeInput(
            name="Q 满额返利",
            period=quarter(),
            bands=bands,
            mode=mode,
            partner_codes=partner_ids_codes,
        ),
    )
    return await rebates.get_programme(programme_id)


async def test_accruals_follow_shipments_once_and_alice_sees_the_next_band(
    as_user, client, alice, vera, carol
):
    order = await shipped_order(alice, vera)
    await shipped_order(carol, vera)
    programme = await _programme(vera, await partner_code(alice.partner_id), order["total"])

    first = await rebates.recompute_accruals()
    again = await rebates.recompute_accruals()

    assert (first, again) == (1, 0)  # carol's partner is not in the programme; a rerun adds none
    row = (await RebateAccrual.select().first()) or {}
    assert (row["base_amount"], row["earned_amount"]) == (
        order["total"],
        (order["total"] * 2 + 50) // 100,
    )
    page = (await (await as_user(alice)).get("/money/")).text
    assert "Q 满额返利" in page and "more this quarter raises your rebate to 3 %" in page
    body = (await client.get("/api/v1/rebates", headers=await bearer_headers(client, alice))).json()
    (item,) = body["items"]
    assert (item["programme_id"], item["earned_amount"]) == (programme["id"], row["earned_amount"])
    assert (item["rate_bp"], item["next_rate_bp"], item["next_more_amount"]) == (
        200,
        300,
        order["total"],
    )
    carol_sees = (
        await client.get("/api/v1/rebates", headers=await bearer_headers(client, carol))
    ).json()
    assert carol_sees["items"] == []


async def test_settling_after_the_quarter_credits_once_and_pays_the_receivable(
    alice, vera, time_travel
):
    order = await shipped_order(alice, vera)
    programme = await _programme(vera, "", order["total"])
    with pytest.raises(FormError):
        await rebates.settle_programme(vera.current, programme)  # the quarter is not over

    time_travel.move_to(clock.day_start(programme["ends_on"]) + dt.timedelta(hours=3))
    posted = await rebates.settle_programme(vera.current, programme)
    again = await rebates.settle_programme(
        vera.current, await rebates.get_programme(programme["id"])
    )

    credit = (order["total"] * 2 + 50) // 100
    assert (posted, again) == (1, 0)
    (note,) = await Payment.select().where(Payment.method == "rebate")
    assert note["amount"] == credit
    entry = await LedgerEntry.select().where(LedgerEntry.kind == "rebate").first()
    assert entry["amount"] == -credit
    receivable = await Receivable.select().where(Receivable.id == order["receivable_id"]).first()
    assert receivable["paid_amount"] == credit  # the credit note paid part of it
    assert await AuditEntry.count().where(AuditEntry.action == "finance.rebate_settled") == 2


async def test_bad_programmes_name_each_field_and_only_admins_create_them(vera, manny):
    with pytest.raises(FormError) as refused:
        await rebates.create_programme(
            vera.current,
            rebates.ProgrammeInput(name="", period="2026-Q5", bands="1000000:3, 500000:2"),
        )
    assert {"name", "period", "bands"} <= set(refused.value.errors)
    with pytest.raises(FormError):
        await rebates.create_programme(
            manny.current, rebates.ProgrammeInput(name="X", period=quarter(), bands="1:1")
        )


async def test_alice_home_says_what_rebate_she_has_earned(as_user, alice, vera):
    order = await shipped_order(alice, vera)
    await _programme(vera, "", order["total"])
    await rebates.recompute_accruals()

    page = (await (await as_user(alice)).get("/", headers={"Accept-Language": "zh-CN"})).text

    assert "已获返利" in page
    assert f"{(order['total'] * 2 + 50) // 100 / 100:,.2f}" in page


async def test_the_statement_of_the_settling_month_names_the_rebate_credit_note(
    as_user, alice, vera, time_travel
):
    order = await shipped_order(alice, vera)
    programme = await _programme(vera, "", order["total"])
    time_travel.move_to(clock.day_start(programme["ends_on"]) + dt.timedelta(hours=3))
    await rebates.settle_programme(vera.current, programme)
    following = programme["ends_on"].replace(day=28) + dt.timedelta(days=10)
    time_travel.move_to(clock.day_start(following.replace(day=2)))

    page = await (await as_user(alice)).get(
        f"/money/statements/{programme['ends_on']:%Y-%m}", headers={"Accept-Language": "zh-CN"}
    )

    assert page.status_code == 200
    assert "返利贷项" in page.text
