"""Payments pay the oldest receivables first, the rest stays on account, and one bank
reference is one payment however often (and however concurrently) it is posted."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from portal.core.tables import AuditEntry
from portal.finance import services
from portal.finance.tables import LedgerEntry, Payment, PaymentAllocation, Receivable
from portal.lib.forms import FormError
from tests.finance.factories import day, pay, shipped_order


async def _receivable(receivable_id):
    return await Receivable.select().where(Receivable.id == receivable_id).first()


async def test_a_payment_pays_the_oldest_receivable_first_and_the_rest_stays_on_account(
    alice, vera, time_travel
):
    first = await shipped_order(alice, vera)
    time_travel.shift(dt.timedelta(days=3))
    second = await shipped_order(alice, vera)

    payment_id, created = await pay(vera, alice.partner_id, first["total"] + 100_00)

    assert created
    assert (await _receivable(first["receivable_id"]))["paid_amount"] == first["total"]
    assert (await _receivable(first["receivable_id"]))["paid_on"] is not None
    assert (await _receivable(second["receivable_id"]))["paid_amount"] == 100_00
    summary = await services.account_summary(alice.partner_id)
    assert summary.owed_amount == second["total"] - 100_00
    assert summary.on_account_amount == 0
    assert await PaymentAllocation.count().where(PaymentAllocation.payment == payment_id) == 2


async def test_an_over_payment_becomes_balance_on_account_and_pays_the_next_shipment(alice, vera):
    order = await shipped_order(alice, vera)
    await pay(vera, alice.partner_id, order["total"] + 5_000_00)
    assert (await services.account_summary(alice.partner_id)).on_account_amount == 5_000_00

    later = await shipped_order(alice, vera)

    summary = await services.account_summary(alice.partner_id)
    assert summary.on_account_amount == max(5_000_00 - later["total"], 0)
    assert summary.owed_amount == max(later["total"] - 5_000_00, 0)
    balance = sum(e["amount"] for e in await LedgerEntry.select(LedgerEntry.amount))
    assert balance == summary.owed_amount - summary.on_account_amount


async def test_the_same_bank_reference_answers_the_same_payment(alice, vera):
    await shipped_order(alice, vera)

    first = await pay(vera, alice.partner_id, 300_00, reference="ICBC-20261117-0001")
    again = await pay(vera, alice.partner_id, 300_00, reference="ICBC-20261117-0001")

    assert first[1] and not again[1]
    assert first[0] == again[0]
    assert await Payment.count() == 1
    assert await LedgerEntry.count().where(LedgerEntry.kind == "payment") == 1
    assert await AuditEntry.count().where(AuditEntry.action == "finance.payment_recorded") == 1


async def test_the_same_reference_with_another_amount_is_refused(alice, vera):
    await pay(vera, alice.partner_id, 300_00, reference="ICBC-1")

    with pytest.raises(services.PaymentConflict):
        await pay(vera, alice.partner_id, 301_00, reference="ICBC-1")
    assert await Payment.count() == 1


async def test_64_concurrent_posts_with_one_bank_reference_make_one_payment(alice, vera):
    order = await shipped_order(alice, vera)

    results = await asyncio.gather(
        *(pay(vera, alice.partner_id, order["total"], reference="CMB-RACE-1") for _ in range(64))
    )

    assert len({payment_id for payment_id, _created in results}) == 1
    assert sum(1 for _id, created in results if created) == 1
    assert await Payment.count() == 1
    assert await PaymentAllocation.count() == 1
    assert (await _receivable(order["receivable_id"]))["paid_amount"] == order["total"]


async def test_concurrent_payments_with_different_references_never_over_allocate(alice, vera):
    order = await shipped_order(alice, vera)

    await asyncio.gather(*(pay(vera, alice.partner_id, order["total"] // 4) for _ in range(12)))

    receivable = await _receivable(order["receivable_id"])
    assert receivable["paid_amount"] == receivable["amount"]
    summary = await services.account_summary(alice.partner_id)
    assert summary.on_account_amount == 12 * (order["total"] // 4) - order["total"]


@pytest.mark.parametrize(
    ("amount", "paid_on", "field"),
    [(0, -1, "amount"), (100, 1, "paid_on")],
)
async def test_a_payment_without_an_amount_or_dated_tomorrow_is_refused(
    alice, vera, amount, paid_on, field
):
    paid_on = day(paid_on)  # days from today: yesterday is fine, tomorrow is not
    with pytest.raises(FormError) as refused:
        await services.record_payment(
            vera.current,
            {"id": alice.partner_id},
            services.PaymentInput(amount=amount, paid_on=paid_on, bank_reference="X"),
        )
    assert field in refused.value.errors
    assert await Payment.count() == 0


async def test_partner_users_cannot_record_payments(alice):
    with pytest.raises(FormError):
        await services.record_payment(
            alice.current,
            {"id": alice.partner_id},
            services.PaymentInput(amount=100, paid_on=day(-1)),
        )
