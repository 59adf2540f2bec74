"""Payment reminders: three days before the due date, a week and a month after it, once per
receivable and step, to the partner's admins and purchasers in their language; paid goods none."""

from __future__ import annotations

import datetime as dt

from portal.core.tables import OutboundEmail
from portal.finance.emails import send_due_reminders, step_for
from portal.finance.tables import PaymentReminder
from tests.finance.factories import pay, shipped_order


def test_the_step_follows_the_due_date():
    due = dt.date(2026, 12, 18)
    assert step_for(due, dt.date(2026, 12, 14)) is None
    assert step_for(due, dt.date(2026, 12, 15)) == "due_soon"
    assert step_for(due, dt.date(2026, 12, 20)) is None
    assert step_for(due, dt.date(2026, 12, 25)) == "overdue_7"
    assert step_for(due, dt.date(2027, 2, 1)) == "overdue_30"


async def test_alice_is_reminded_once_before_the_due_date_in_chinese(alice, bob, vera, time_travel):
    order = await shipped_order(alice, vera)
    time_travel.shift(dt.timedelta(days=28))  # due in two days

    first = await send_due_reminders()
    again = await send_due_reminders()

    assert (first, again) == (1, 0)
    mails = await OutboundEmail.select().where(OutboundEmail.kind == "payment_reminder")
    assert [m["to_address"] for m in mails] == ["alice@partner-a.test"]  # bob: sales only
    assert order["number"] in mails[0]["subject"]
    assert "到期" in mails[0]["subject"]


async def test_an_overdue_receivable_gets_the_week_reminder_and_later_the_month_one(
    alice, vera, time_travel
):
    await shipped_order(alice, vera)
    time_travel.shift(dt.timedelta(days=40))  # 10 days overdue: "due soon" is not sent late
    assert await send_due_reminders() == 1
    time_travel.shift(dt.timedelta(days=25))
    assert await send_due_reminders() == 1

    steps = [r["step"] for r in await PaymentReminder.select().order_by(PaymentReminder.id)]
    assert steps == ["overdue_7", "overdue_30"]


async def test_paid_receivables_are_not_reminded(alice, vera, time_travel):
    order = await shipped_order(alice, vera)
    await pay(vera, alice.partner_id, order["total"])
    time_travel.shift(dt.timedelta(days=40))

    assert await send_due_reminders() == 0
