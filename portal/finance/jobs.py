"""Finance jobs (idempotent, safe to run twice or on two workers at once)."""

from __future__ import annotations

from typing import Any

from portal.finance import emails, rebates, services


async def create_receivables(ctx: dict[str, Any]) -> int:
    """A receivable for every shipment that has none yet (set-based; see receivables.py)."""
    return await services.create_missing_receivables()


async def send_payment_reminders(ctx: dict[str, Any]) -> int:
    """Payment reminders due today, once per receivable and step (see emails.py)."""
    return await emails.send_due_reminders()


async def recompute_rebate_accruals(ctx: dict[str, Any]) -> int:
    """Rebate accruals of every accruing programme from the orders (set-based; a rerun with
    nothing new appends nothing; see rebates.py)."""
    return await rebates.recompute_accruals()
