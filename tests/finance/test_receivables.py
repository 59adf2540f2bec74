"""A shipment becomes a receivable due by the partner's payment terms; the ledger only grows."""

from __future__ import annotations

import datetime as dt

import pytest

from portal.core.tables import AuditEntry
from portal.finance import services
from portal.finance.constants import due_on
from portal.finance.tables import LedgerEntry, Receivable
from portal.orders import credit
from portal.orders.access import get_order_for_user
from portal.orders.services import OrderRefused, approve_order, deliver_order, ship_order
from portal.orders.tables import OrderLine
from portal.partners.tables import Partner
from tests.finance.factories import day, pay, shipped_order
from tests.orders.factories import make_product, place


def test_due_dates_follow_the_terms():
    shipped = dt.date(2026, 11, 18)
    assert due_on(shipped, "net_30") == dt.date(2026, 12, 18)
    assert due_on(shipped, "month_end_30") == dt.date(2026, 12, 30)  # 月结30天
    assert due_on(shipped, "month_end_60") == dt.date(2027, 1, 29)
    assert due_on(shipped, "on_shipment") == shipped
    assert due_on(dt.date(2027, 2, 3), "month_end_30") == dt.date(2027, 3, 30)


async def test_a_shipment_becomes_a_receivable_for_its_value_due_in_30_days(alice, vera):
    order = await shipped_order(alice, vera, units=3)

    receivable = await Receivable.select().where(Receivable.id == order["receivable_id"]).first()
    assert receivable["amount"] == order["total"] > 0
    assert receivable["order_number"] == order["number"]
    assert receivable["issued_on"] == day()
    assert receivable["due_on"] == day(30)  # net 30 by default
    entries = await LedgerEntry.select().where(LedgerEntry.partner == alice.partner_id)
    assert [(e["kind"], e["amount"]) for e in entries] == [("receivable", order["total"])]


async def test_month_end_terms_on_the_partner_profile_set_the_due_date(alice, vera):
    partner = {"id": alice.partner_id}
    assert await services.set_payment_terms(vera.current, partner, "month_end_30")

    order = await shipped_order(alice, vera)

    receivable = await Receivable.select().where(Receivable.id == order["receivable_id"]).first()
    assert (receivable["payment_terms"], receivable["due_on"]) == (
        "month_end_30",
        due_on(day(), "month_end_30"),
    )
    audit = (
        await AuditEntry.select()
        .where(AuditEntry.action == "finance.terms_changed")
        .output(load_json=True)
        .first()
    )
    assert audit["before"] == {"payment_terms": "net_30"}
    assert audit["after"] == {"payment_terms": "month_end_30"}


async def test_running_the_job_again_creates_nothing_twice(alice, vera):
    await shipped_order(alice, vera)

    assert await services.create_missing_receivables() == 0
    assert await Receivable.count() == 1
    assert await LedgerEntry.count() == 1


async def test_a_partial_shipment_bills_only_the_units_shipped(alice, vera):
    await make_product("PART-1", price=500_00, stock=10)
    placed = await place(alice.current, {"PART-1": 4})
    await approve_order(vera.current, await get_order_for_user(vera.current, placed.order_id))
    line = await OrderLine.select().where(OrderLine.order == placed.order_id).first()
    await ship_order(
        vera.current,
        await get_order_for_user(vera.current, placed.order_id),
        carrier="SF",
        quantities={line["id"]: 1},
    )
    await ship_order(
        vera.current,
        await get_order_for_user(vera.current, placed.order_id),
        carrier="SF",
        quantities={line["id"]: 3},
    )

    await services.create_missing_receivables()  # the shipment hook made them already
    amounts = [r["amount"] for r in await Receivable.select().order_by(Receivable.id)]
    assert amounts == [line["unit_price_amount"], 3 * line["unit_price_amount"]]


async def test_the_ledger_refuses_updates_and_deletes(alice, vera):
    await shipped_order(alice, vera)

    with pytest.raises(Exception, match="append-only"):
        await LedgerEntry.update({LedgerEntry.amount: 1}).where(LedgerEntry.id > 0)
    with pytest.raises(Exception, match="append-only"):
        await LedgerEntry.delete().where(LedgerEntry.id > 0)
    assert await LedgerEntry.count() == 1


async def test_vera_records_the_invoice_number_and_it_is_audited(alice, vera):
    order = await shipped_order(alice, vera)
    receivable = await Receivable.select().where(Receivable.id == order["receivable_id"]).first()

    await services.record_invoice_number(vera.current, receivable, " 04412345 ")

    row = await Receivable.select().where(Receivable.id == receivable["id"]).first()
    assert (row["invoice_number"], row["invoiced_on"]) == ("04412345", day())
    audit = (
        await AuditEntry.select()
        .where(AuditEntry.action == "finance.invoice_recorded")
        .output(load_json=True)
        .first()
    )
    assert audit["after"] == {"invoice_number": "04412345"}


async def test_unpaid_goods_count_against_the_credit_limit_until_they_are_paid(alice, vera):
    await Partner.update({Partner.credit_limit_amount: 10_000_00}).where(
        Partner.id == alice.partner_id
    )
    order = await shipped_order(alice, vera, units=4, price=2_000_00)  # about ¥6,500 after tier
    await deliver_order(alice.current, await get_order_for_user(vera.current, order["order_id"]))
    await make_product("BIG-1", price=6_000_00, stock=10)

    with pytest.raises(OrderRefused) as refused:
        await place(alice.current, {"BIG-1": 1})
    assert "unpaid invoices" in refused.value.message
    summary = await services.account_summary(alice.partner_id)
    assert (await credit.context(alice.partner_id))[
        "available_amount"
    ] == summary.available_credit_amount

    await pay(vera, alice.partner_id, order["total"])
    assert (await place(alice.current, {"BIG-1": 1})).order_id
