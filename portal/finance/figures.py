"""The finance figures of the scorecards (portal/performance/sources.py) and the rows behind them.

For the days [start, end) of a period, per partner:
- sales: the receivables issued in those days (what was billed);
- open at the end: what the receivables issued before `end` still owed at the end, counting
  only payments received (paid_on) before it;
- overdue: the part of that owed on the last day by receivables due before that day (the
  account page's "overdue" when the period runs to today);
- days sales outstanding = open at the end / sales x days covered, whole days (half up); none
  without sales;
- rebate earned: the rebate accrual rows appended in those days (their deltas: a return or a
  correction can lower it).

Each figure and its rows read the same condition; rows go through `tenancy.partner_scope`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from piccolo.query.functions.aggregate import Sum

from portal.auth.schemas import CurrentUser
from portal.finance.tables import PaymentAllocation, RebateAccrual, Receivable
from portal.lib.clock import day_start
from portal.tenancy import partner_scope


def _partners(column: Any, partner_ids: Sequence[int] | None) -> list[Any]:
    return [] if partner_ids is None else [column.is_in(list(partner_ids) or [0])]


def days_outstanding(open_amount: int, sales: int, days: int) -> int | None:
    """Days sales outstanding, whole days rounded half up; None without sales."""
    if sales <= 0 or days <= 0:
        return None
    value = Decimal(open_amount) * days / Decimal(sales)
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


ROW_COLUMNS = (
    Receivable.id,
    Receivable.partner,
    Receivable.order_number,
    Receivable.invoice_number,
    Receivable.amount,
    Receivable.issued_on,
    Receivable.due_on,
)


def _open_at(end: dt.date) -> Any:
    """Receivables issued before `end` and not paid in full before it."""
    return (Receivable.issued_on < end) & (
        Receivable.paid_on.is_null() | (Receivable.paid_on >= end)
    )


async def _open_receivables(
    partner_ids: Sequence[int] | None, end: dt.date, scope: Any = None
) -> list[dict[str, Any]]:
    """The receivables open at `end`, each with open_amount as it stood then (two statements:
    the receivables, and their allocations from payments received before `end`)."""
    conditions = [_open_at(end), *_partners(Receivable.partner, partner_ids)]
    if scope is not None:
        conditions.append(scope)
    rows = await Receivable.select(*ROW_COLUMNS).where(*conditions)
    if not rows:
        return []
    through = PaymentAllocation.receivable
    paid = {
        int(r["receivable"]): int(r["paid"] or 0)
        for r in await PaymentAllocation.select(
            PaymentAllocation.receivable, Sum(PaymentAllocation.amount, alias="paid")
        )
        .where(
            through.issued_on < end,
            through.paid_on.is_null() | (through.paid_on >= end),
            PaymentAllocation.payment.paid_on < end,
            *_partners(through.partner, partner_ids),
        )
        .group_by(PaymentAllocation.receivable)
    }
    out = []
    for r in rows:
        r["issued_on"], r["due_on"] = _date(r["issued_on"]), _date(r["due_on"])
        r["open_amount"] = int(r["amount"]) - paid.get(int(r["id"]), 0)
        if r["open_amount"] > 0:
            out.append(r)
    return out


async def finance_figures(
    partner_ids: Sequence[int] | None, start: dt.date, end: dt.date
) -> dict[int, dict[str, Any]]:
    """Per partner: sales_amount, open_amount (at the end), overdue_amount (on the last day),
    days_outstanding and rebate_amount for [start, end); six grouped statements."""
    out: dict[int, dict[str, Any]] = {}

    def slot(pid: Any) -> dict[str, Any]:
        return out.setdefault(
            int(pid),
            {"sales_amount": 0, "open_amount": 0, "overdue_amount": 0, "rebate_amount": 0},
        )

    sales = await (
        Receivable.select(Receivable.partner, Sum(Receivable.amount, alias="amount"))
        .where(
            Receivable.issued_on >= start,
            Receivable.issued_on < end,
            *_partners(Receivable.partner, partner_ids),
        )
        .group_by(Receivable.partner)
    )
    for r in sales:
        slot(r["partner"])["sales_amount"] = int(r["amount"] or 0)
    last = end - dt.timedelta(days=1)
    through = PaymentAllocation.receivable
    for key, due_before in (("open_amount", None), ("overdue_amount", last)):
        # billed and still unpaid at the end, less what payments received before it allocated
        # (grouped sums: every partner's receivables, whatever their number)
        billed = Receivable.select(Receivable.partner, Sum(Receivable.amount, alias="amount"))
        billed = billed.where(_open_at(end), *_partners(Receivable.partner, partner_ids))
        paid = PaymentAllocation.select(
            through.partner.as_alias("partner"), Sum(PaymentAllocation.amount, alias="amount")
        ).where(
            through.issued_on < end,
            through.paid_on.is_null() | (through.paid_on >= end),
            PaymentAllocation.payment.paid_on < end,
            *_partners(through.partner, partner_ids),
        )
        if due_before is not None:
            billed = billed.where(Receivable.due_on < due_before)
            paid = paid.where(through.due_on < due_before)
        for r in await billed.group_by(Receivable.partner):
            slot(r["partner"])[key] += int(r["amount"] or 0)
        for r in await paid.group_by(through.partner):
            slot(r["partner"])[key] -= int(r["amount"] or 0)
    rebates = await (
        RebateAccrual.select(
            RebateAccrual.partner, Sum(RebateAccrual.earned_delta_amount, alias="amount")
        )
        .where(
            RebateAccrual.at >= day_start(start),
            RebateAccrual.at < day_start(end),
            *_partners(RebateAccrual.partner, partner_ids),
        )
        .group_by(RebateAccrual.partner)
    )
    for r in rebates:
        slot(r["partner"])["rebate_amount"] = int(r["amount"] or 0)
    days = (end - start).days
    for entry in out.values():
        entry["days_outstanding"] = days_outstanding(
            entry["open_amount"], entry["sales_amount"], days
        )
    return out


async def receivable_rows(
    user: CurrentUser, partner_id: int, start: dt.date, end: dt.date, what: str
) -> list[dict[str, Any]]:
    """The partner's receivables behind a figure that `user` may see, oldest due date first:
    "overdue" those overdue on the last day; "outstanding" those issued in the days or open at
    the end (the two terms of days sales outstanding), with issued_in and open_amount (at the
    end, 0 when paid by then)."""
    scope = partner_scope(user, Receivable.partner)
    open_rows = {int(r["id"]): r for r in await _open_receivables([partner_id], end, scope)}
    last = end - dt.timedelta(days=1)
    if what == "overdue":
        rows = [r for r in open_rows.values() if r["due_on"] < last]
    else:
        issued = await Receivable.select(*ROW_COLUMNS).where(
            Receivable.partner == partner_id,
            scope,
            Receivable.issued_on >= start,
            Receivable.issued_on < end,
        )
        rows = list(open_rows.values())
        for r in issued:
            if int(r["id"]) not in open_rows:
                r["issued_on"], r["due_on"] = _date(r["issued_on"]), _date(r["due_on"])
                rows.append({**r, "open_amount": 0})
    for r in rows:
        r["issued_in"] = start <= r["issued_on"] < end
    return sorted(rows, key=lambda r: (r["due_on"], int(r["id"])))


async def rebate_rows(
    user: CurrentUser, partner_id: int, start: dt.date, end: dt.date
) -> list[dict[str, Any]]:
    """The partner's rebate accrual rows appended in [start, end) that `user` may see, oldest
    first, with the programme's id and name."""
    return await (  # type: ignore[no-any-return]
        RebateAccrual.select(
            RebateAccrual.id,
            RebateAccrual.programme,
            RebateAccrual.programme.name.as_alias("programme_name"),
            RebateAccrual.programme.period.as_alias("programme_period"),
            RebateAccrual.base_amount,
            RebateAccrual.earned_amount,
            RebateAccrual.earned_delta_amount,
            RebateAccrual.at,
        )
        .where(
            partner_scope(user, RebateAccrual.partner),
            RebateAccrual.partner == partner_id,
            RebateAccrual.at >= day_start(start),
            RebateAccrual.at < day_start(end),
        )
        .order_by(RebateAccrual.id)
    )


def _date(value: Any) -> dt.date:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value  # type: ignore[no-any-return]
