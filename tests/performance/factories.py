"""Performance factories: orders that count as revenue, targets, rollups computed."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from portal.auth.constants import Role
from portal.auth.tables import User
from portal.lib.clock import now
from portal.orders.tables import Order
from portal.performance import rollups
from portal.performance.periods import Period
from portal.performance.tables import PerformanceTarget
from portal.settings import get_settings
from tests.factories import make_user

_seq = itertools.count(1)


async def _submitter(partner_id: int) -> int:
    row = await User.select(User.id).where(User.partner == partner_id).first()
    if row:
        return int(row["id"])
    return (await make_user(Role.PARTNER_MEMBER, partner_id)).id


def local(day: dt.date, hour: int = 12) -> dt.datetime:
    """Noon (local time of the portal) on `day`, as UTC."""
    return dt.datetime.combine(day, dt.time(hour), get_settings().tz).astimezone(dt.UTC)


async def make_sale(
    partner_id: int, amount: int, on: dt.date, status: str = "delivered", **overrides: Any
) -> int:
    """An order of `amount` fen approved on `on` (local date) in `status`; returns its id."""
    n = next(_seq)
    decided = local(on)
    data: dict[str, Any] = {
        "number": f"SO-T-{n:06d}",
        "partner": partner_id,
        "submitted_by": await _submitter(partner_id),
        "status": status,
        "currency": "CNY",
        "total_amount": amount,
        "line_count": 1,
        "submitted_at": decided - dt.timedelta(hours=2),
        "decided_at": decided,
        "updated_at": now(),
    }
    data.update(overrides)
    rows = await Order.insert(Order(**data)).returning(Order.id)
    return int(rows[0]["id"])


async def make_target(partner_id: int, period: str, amount: int) -> None:
    await PerformanceTarget.insert(
        PerformanceTarget(
            partner=partner_id, period=period, revenue_target_amount=amount, updated_at=now()
        )
    )


async def refresh(*periods: str) -> None:
    """Rebuild the rollups of the months inside the given periods."""
    months = [m for p in periods for m in Period.parse(p).months]
    await rollups.refresh_rollups(months)
