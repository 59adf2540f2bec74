"""Rebate credit as a deduction on the next order (返利抵扣): its own line with the reason, never
more than the order or the credit, a ledger posting, used once (also by orders racing on
PostgreSQL), given back when the order is cancelled, and the order's receivable net of it."""

from __future__ import annotations

import asyncio
import datetime as dt

from portal.finance import deductions, rebates
from portal.finance.services import create_missing_receivables
from portal.finance.tables import LedgerEntry, Payment, RebateDeduction, Receivable
from portal.lib import clock
from portal.orders.access import get_order_for_user
from portal.orders.services import approve_order, cancel_order, ship_order
from portal.orders.tables import Order
from tests.factories import bearer_headers
from tests.finance.factories import pay, shipped_order
from tests.finance.test_rebates import quarter
from tests.orders.factories import make_product, place
from tests.personas import post_form


async def _credit_note(alice, vera, time_travel) -> int:
    """Alice's partner earns 2 % on a paid order; vendor staff settle after the quarter. The
    receivable is paid already, so the whole credit note stays unused. Returns its amount."""
    order = await shipped_order(alice, vera)
    await pay(vera, alice.partner_id, order["total"])
    programme_id = await rebates.create_programme(
        vera.current,
        rebates.ProgrammeInput(
            name="满额返利", period=quarter(), bands=f"{order['total'] / 200:.2f}:2"
        ),
    )
    programme = await rebates.get_programme(programme_id)
    time_travel.move_to(clock.day_start(programme["ends_on"]) + dt.timedelta(hours=3))
    await rebates.settle_programme(vera.current, programme)
    return (order["total"] * 2 + 50) // 100


async def _order(order_id: int) -> dict:
    return await Order.select().where(Order.id == order_id).first()  # type: ignore[return-value]


async def test_the_next_order_deducts_the_credit_once_on_its_own_line(
    as_user, client, alice, vera, time_travel
):
    credit = await _credit_note(alice, vera, time_travel)
    await make_product("DED-1", price=1_000_00, stock=100)
    assert (await deductions.offer(alice.partner_id) or (0,))[0] == credit

    response = await client.post(
        "/api/v1/orders",
        json={"lines": [{"sku": "DED-1", "quantity": 3}], "use_rebate_credit": True},
        headers=await bearer_headers(client, alice),
    )
    second = await place(alice.current, {"DED-1": 1}, use_rebate_credit=True)

    body = response.json()
    assert response.status_code == 201, body
    lines_sum = sum(line["line_amount"] for line in body["lines"])
    assert body["deduction_amount"] == credit
    assert body["total_amount"] == lines_sum - credit
    assert body["deduction_reason"] == f"满额返利 {quarter_of(time_travel)}"
    assert (await _order(second.order_id))["deduction_amount"] == 0  # nothing left to use
    (used,) = await LedgerEntry.select().where(LedgerEntry.kind == "rebate_used")
    assert used["amount"] == credit and body["number"] in used["memo"]
    note = await Payment.select().where(Payment.method == "rebate").first()
    assert note["allocated_amount"] == note["amount"] == credit
    assert await deductions.offer(alice.partner_id) is None
    page = (await (await as_user(alice)).get(f"/orders/{body['id']}")).text
    assert "Rebate credit: 满额返利" in page
    zh = await (await as_user(alice)).get(
        f"/orders/{body['id']}", headers={"Accept-Language": "zh-CN"}
    )
    assert "返利抵扣" in zh.text


def quarter_of(time_travel) -> str:
    """The quarter the credit note was earned in (the clock was moved past its end)."""
    del time_travel
    today = clock.today() - dt.timedelta(days=1)
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


async def test_the_deduction_never_exceeds_the_order_and_the_rest_stays_for_later(
    as_user, alice, vera, time_travel
):
    credit = await _credit_note(alice, vera, time_travel)
    await make_product("DED-S", price=5_00, stock=100)

    placed = await place(alice.current, {"DED-S": 2}, use_rebate_credit=True)
    plain = await place(alice.current, {"DED-S": 1})  # not asked: nothing deducted

    order = await _order(placed.order_id)
    assert order["total_amount"] == 0 and 0 < order["deduction_amount"] < credit
    assert (await _order(plain.order_id))["deduction_amount"] == 0
    assert (await deductions.offer(alice.partner_id) or (0,))[0] == (
        credit - order["deduction_amount"]
    )
    shopper = await as_user(alice)
    await post_form(shopper, "/cart/add", {"sku": "DED-S", "quantity": "1"})
    cart = (await shopper.get("/cart/")).text
    assert "Deduct my rebate credit" in cart and "满额返利" in cart


async def test_a_cancelled_order_gives_the_credit_back_once(alice, vera, time_travel):
    credit = await _credit_note(alice, vera, time_travel)
    await make_product("DED-C", price=1_000_00, stock=100)
    placed = await place(alice.current, {"DED-C": 1}, use_rebate_credit=True)
    order = await get_order_for_user(alice.current, placed.order_id)

    await cancel_order(alice.current, order, "wrong product")

    assert await deductions.give_back(alice.current, placed.order_id) == 0  # once only
    kinds = [r["kind"] for r in await LedgerEntry.select().order_by(LedgerEntry.id)]
    assert kinds[-2:] == ["rebate_used", "rebate_returned"]
    assert sum(int(r["amount"]) for r in await RebateDeduction.select()) == 0
    assert (await deductions.offer(alice.partner_id) or (0,))[0] == credit


async def test_the_shipped_order_owes_its_lines_less_the_deduction_and_the_ledger_adds_up(
    alice, vera, time_travel
):
    credit = await _credit_note(alice, vera, time_travel)
    await make_product("DED-R", price=1_000_00, stock=100)
    placed = await place(alice.current, {"DED-R": 2}, use_rebate_credit=True)
    await approve_order(vera.current, await get_order_for_user(vera.current, placed.order_id))
    await ship_order(
        vera.current, await get_order_for_user(vera.current, placed.order_id), carrier="SF"
    )
    await create_missing_receivables()

    order = await _order(placed.order_id)
    receivable = await Receivable.select().where(Receivable.order_id == placed.order_id).first()
    assert receivable["deducted_amount"] == credit
    assert receivable["amount"] == order["total_amount"]  # the lines less the deduction
    balance = sum(
        int(r["amount"])
        for r in await LedgerEntry.select().where(LedgerEntry.partner == alice.partner_id)
    )
    open_amount = sum(int(r["amount"]) - int(r["paid_amount"]) for r in await Receivable.select())
    assert balance == open_amount  # what the ledger says is owed is what the receivables say


async def test_orders_racing_for_the_credit_use_it_once(alice, vera, time_travel):
    credit = await _credit_note(alice, vera, time_travel)
    await make_product("DED-P", price=1_000_00, stock=100)

    placed = await asyncio.gather(
        *(place(alice.current, {"DED-P": 1}, use_rebate_credit=True) for _ in range(8))
    )

    taken = [int((await _order(p.order_id))["deduction_amount"]) for p in placed]
    assert sum(taken) == credit and sorted(taken)[-1] == credit
    note = await Payment.select().where(Payment.method == "rebate").first()
    assert note["allocated_amount"] == credit
    assert await LedgerEntry.count().where(LedgerEntry.kind == "rebate_used") == 1
