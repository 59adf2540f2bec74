"""Overdue block: receivables overdue beyond the vendor's setting refuse the partner's new orders.

Orders sit below finance, so the order check asks through `hooks.order_hold` (filled with
`order_hold` in portal.worker.wire()), next to the credit check's `hooks.credit_owed`: the cart
shows the sentence and refuses "Submit order", place_order (cart and API) refuses with it. The
setting is one number of days for the whole vendor (None: never block), changed by vendor admins
and audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.auth.schemas import CurrentUser
from portal.core.audit import record
from portal.finance.tables import FinanceSetting, Receivable
from portal.lib import clock
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.i18n import format_date, format_money
from portal.lib.i18n import gettext as _
from portal.lib.inputs import parse_int

SETTING_KEY = "vendor"
MAX_BLOCK_DAYS = 365


async def block_days() -> int | None:
    """Days past the due date after which unpaid receivables block new orders (None: never)."""
    row = await (
        FinanceSetting.select(FinanceSetting.overdue_block_days)
        .where(FinanceSetting.key == SETTING_KEY)
        .first()
    )
    value = row["overdue_block_days"] if row else None
    return None if value is None else int(value)


def parse_block_days(raw: str) -> int | None:
    """The console field: empty means never; otherwise a whole number 0-365 (FormError)."""
    text = (raw or "").strip()
    if not text:
        return None
    days = parse_int(text, high=MAX_BLOCK_DAYS)
    if days is None:
        raise FormError(
            {"overdue_block_days": _("Enter a whole number of days from 0 to 365, or leave empty.")}
        )
    return days


async def set_block_days(actor: CurrentUser, days: int | None) -> bool:
    """Vendor admins only; True when the setting changed (audited with before and after)."""
    if not actor.is_vendor_admin:
        raise FormError({"overdue_block_days": _("Only vendor admins change this setting.")})
    if days is not None and not 0 <= days <= MAX_BLOCK_DAYS:
        raise FormError(
            {"overdue_block_days": _("Enter a whole number of days from 0 to 365, or leave empty.")}
        )
    before = await block_days()
    if before == days:
        return False
    moment = now()
    await FinanceSetting.insert(
        FinanceSetting(key=SETTING_KEY, overdue_block_days=None, updated_at=moment)
    ).on_conflict(action="DO NOTHING")
    await FinanceSetting.update(
        {
            FinanceSetting.overdue_block_days: days,
            FinanceSetting.updated_by_id: actor.id,
            FinanceSetting.updated_at: moment,
        }
    ).where(FinanceSetting.key == SETTING_KEY)
    await record(
        "finance.overdue_block_changed",
        actor=actor,
        target_type="finance_setting",
        target_id=SETTING_KEY,
        before={"overdue_block_days": before},
        after={"overdue_block_days": days},
    )
    return True


async def blocking_receivables(partner_id: int, days: int, today: dt.date) -> list[dict[str, Any]]:
    """The partner's unpaid receivables due more than `days` days before `today`, oldest first."""
    limit = today - dt.timedelta(days=days)
    return await (  # type: ignore[no-any-return]
        Receivable.select(
            Receivable.id,
            Receivable.order_number,
            Receivable.amount,
            Receivable.paid_amount,
            Receivable.currency,
            Receivable.due_on,
        )
        .where(
            (Receivable.partner == partner_id)
            & (Receivable.paid_amount < Receivable.amount)
            & (Receivable.due_on < limit)
        )
        .order_by(Receivable.due_on)
        .order_by(Receivable.id)
    )


async def order_hold(partner_id: int) -> str | None:
    """Why the partner may not place new orders now, in the reader's language, or None."""
    days = await block_days()
    if days is None:
        return None
    today = clock.today()
    rows = await blocking_receivables(partner_id, days, today)
    if not rows:
        return None
    oldest = rows[0]
    amount = sum(int(r["amount"]) - int(r["paid_amount"]) for r in rows)
    return _(
        "New orders are blocked: %(amount)s has been overdue for more than %(days)s days "
        "(the oldest, for order %(order)s, was due on %(due)s). Orders can "
        "be placed again as soon as it is paid; your channel manager can help.",
        amount=format_money(amount, oldest["currency"]),
        days=days,
        order=oldest["order_number"],
        due=format_date(oldest["due_on"]),
    )
