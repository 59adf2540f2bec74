"""Payment reminders: before the due date and after it, once per receivable and step, to the
partner's administrators and purchasing users, in each one's language.

Idempotent by the unique payment_reminder.key ("<receivable>:<step>"): the reminder row and its
e-mails are written in one transaction whose INSERT ... ON CONFLICT DO NOTHING decides who sends,
so a job run twice, or by two workers at once, mails once. Delivery is `deliver_email`'s, queued
after the commit. Only the step whose window the receivable is in now is sent: after a pause the
job does not send an outdated "due soon" to a receivable already overdue.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.auth.constants import PARTNER_ROLES, Role
from portal.auth.tables import User
from portal.core.email import enqueue_delivery, queue_email
from portal.db import write_transaction
from portal.finance.tables import PaymentReminder, Receivable
from portal.lib import clock
from portal.lib.clock import now
from portal.settings import get_settings

# (step, first day, last day) relative to the due date: -3..0 = due within three days,
# 7..29 = a week overdue, 30.. = a month overdue.
STEPS: list[tuple[str, int, int | None]] = [
    ("due_soon", -3, 0),
    ("overdue_7", 7, 29),
    ("overdue_30", 30, None),
]


def step_for(due_on: dt.date, today: dt.date) -> str | None:
    """The reminder step a receivable due `due_on` is in today, if any."""
    days = (today - due_on).days
    for step, first, last in STEPS:
        if days >= first and (last is None or days <= last):
            return step
    return None


async def _recipients(partner_id: int) -> list[dict[str, Any]]:
    rows = await User.select(
        User.email, User.name, User.locale, User.role, User.can_purchasing, User.partner.locale
    ).where((User.partner == partner_id) & (User.is_active == True))  # noqa: E712
    return [
        r
        for r in rows
        if r["role"] in PARTNER_ROLES and (r["role"] == Role.PARTNER_ADMIN or r["can_purchasing"])
    ]


async def send_reminder(receivable: dict[str, Any], step: str) -> list[int]:
    """The reminder of one step for one receivable, unless it was sent; the e-mail ids."""
    recipients = await _recipients(int(receivable["partner"]))
    base = get_settings().base_url
    context = {
        "order_number": receivable["order_number"],
        "invoice_number": receivable["invoice_number"],
        "amount": int(receivable["amount"]) - int(receivable["paid_amount"]),
        "currency": receivable["currency"],
        "due_on": receivable["due_on"],
        "days_overdue": max((clock.today() - receivable["due_on"]).days, 0),
        "step": step,
        "link": f"{base}/money",
    }
    email_ids: list[int] = []
    async with write_transaction():
        won = await (
            PaymentReminder.insert(
                PaymentReminder(
                    key=f"{receivable['id']}:{step}",
                    receivable=receivable["id"],
                    step=step,
                    sent_at=now(),
                )
            )
            .on_conflict(action="DO NOTHING")
            .returning(PaymentReminder.id)
        )
        if not won:
            return []
        for person in recipients:
            locale = person["locale"] or person["partner.locale"] or get_settings().default_locale
            email_ids.append(
                await queue_email(
                    person["email"], "payment_reminder", {**context, "name": person["name"]}, locale
                )
            )
        if email_ids:
            await PaymentReminder.update({PaymentReminder.email_id: email_ids[0]}).where(
                PaymentReminder.id == won[0]["id"]
            )
    await enqueue_delivery(email_ids)
    return email_ids


async def send_due_reminders() -> int:
    """Every unpaid receivable in a reminder window whose step was not sent yet; returns how
    many reminders were sent (set-based: one query finds them)."""
    today = clock.today()
    earliest_due = today + dt.timedelta(days=3)
    rows = await (
        Receivable.select(
            Receivable.id,
            Receivable.partner,
            Receivable.order_number,
            Receivable.invoice_number,
            Receivable.amount,
            Receivable.paid_amount,
            Receivable.currency,
            Receivable.due_on,
        )
        .where((Receivable.paid_amount < Receivable.amount) & (Receivable.due_on <= earliest_due))
        .order_by(Receivable.id)
    )
    keys = {
        r["key"]
        for r in await PaymentReminder.select(PaymentReminder.key).where(
            PaymentReminder.receivable.is_in([r["id"] for r in rows] or [0])
        )
    }
    sent = 0
    for r in rows:
        step = step_for(r["due_on"], today)
        if step is None or f"{r['id']}:{step}" in keys:
            continue
        await send_reminder(r, step)
        sent += 1
    return sent
