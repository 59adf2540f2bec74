"""The tenant doors for performance: which partner's scorecard and which delivery a user may
reach. Outside the scope both raise NotFound (shown as 404)."""

from __future__ import annotations

from typing import Any

from portal.auth.schemas import CurrentUser
from portal.partners.tables import Partner
from portal.performance.tables import ReportDelivery
from portal.tenancy import NotFound, partner_scope


async def get_partner_for_user(user: CurrentUser, partner_id: int) -> dict[str, Any]:
    """The partner (id, code, names, locale) if `user` may see its figures; NotFound otherwise.

    Vendor admins: every partner; channel managers: their assigned partners; partner users:
    only their own partner."""
    row = await (
        Partner.select(Partner.id, Partner.code, Partner.name, Partner.name_en, Partner.locale)
        .where((Partner.id == partner_id) & partner_scope(user, Partner.id))
        .first()
    )
    if row is None:
        raise NotFound
    return row


async def get_delivery_for_user(user: CurrentUser, delivery_id: int) -> dict[str, Any]:
    """A report delivery row within the user's partner scope; NotFound otherwise."""
    row = await (
        ReportDelivery.select()
        .where((ReportDelivery.id == delivery_id) & partner_scope(user, ReportDelivery.partner))
        .first()
    )
    if row is None:
        raise NotFound
    return row


async def get_report_for_user(
    user: CurrentUser, partner_id: int, period: str
) -> dict[str, Any] | None:
    """The report delivery row of one partner and month within the user's scope, or None when
    the month has none yet (the partner itself must be reachable: NotFound otherwise)."""
    await get_partner_for_user(user, partner_id)
    return await (
        ReportDelivery.select()
        .where(
            (ReportDelivery.partner == partner_id)
            & (ReportDelivery.period == period)
            & partner_scope(user, ReportDelivery.partner)
        )
        .first()
    )
