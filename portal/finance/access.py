"""The tenant doors for finance rows: the only way a handler or job reaches a partner's account,
a receivable or a payment. Outside the user's scope (another partner, a channel manager's
unassigned partner) every helper raises NotFound, so a foreign id looks like no row at all."""

from __future__ import annotations

from typing import Any

from portal.auth.schemas import CurrentUser
from portal.finance.tables import Payment, Receivable
from portal.partners.tables import Partner
from portal.tenancy import NotFound, partner_scope

RECEIVABLE_COLUMNS = (
    *Receivable.all_columns(),
    Receivable.partner.code.as_alias("partner_code"),
    Receivable.partner.name.as_alias("partner_name"),
)
PAYMENT_COLUMNS = (
    *Payment.all_columns(),
    Payment.partner.code.as_alias("partner_code"),
    Payment.partner.name.as_alias("partner_name"),
)


async def get_partner_for_user(user: CurrentUser, partner_id: int) -> dict[str, Any]:
    """The partner (id, code, name, credit limit, currency, locale) if its account is in scope."""
    row = await (
        Partner.select(
            Partner.id,
            Partner.code,
            Partner.name,
            Partner.name_en,
            Partner.credit_limit_amount,
            Partner.currency,
            Partner.locale,
            Partner.channel_manager_id,
        )
        .where((Partner.id == partner_id) & partner_scope(user, Partner.id))
        .first()
    )
    if row is None:
        raise NotFound
    return row


async def get_partner_by_code_for_user(user: CurrentUser, code: str) -> dict[str, Any]:
    """The same by partner code (the payments API names partners by code)."""
    row = await Partner.select(Partner.id).where(Partner.code == code.strip()).first()
    if row is None:
        raise NotFound
    return await get_partner_for_user(user, int(row["id"]))


async def get_receivable_for_user(user: CurrentUser, receivable_id: int) -> dict[str, Any]:
    """One receivable with its partner's code and name; NotFound outside the user's scope."""
    row = await (
        Receivable.select(*RECEIVABLE_COLUMNS)
        .where((Receivable.id == receivable_id) & partner_scope(user, Receivable.partner))
        .first()
    )
    if row is None:
        raise NotFound
    return row


async def get_payment_for_user(user: CurrentUser, payment_id: int) -> dict[str, Any]:
    """One payment with its partner's code and name; NotFound outside the user's scope."""
    row = await (
        Payment.select(*PAYMENT_COLUMNS)
        .where((Payment.id == payment_id) & partner_scope(user, Payment.partner))
        .first()
    )
    if row is None:
        raise NotFound
    return row
