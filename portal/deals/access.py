"""The tenant door for deals: `deal_scope` (lists) and `get_deal_for_user` (one row).

Partner users reach their own partner's deals; vendor admins every partner's, channel managers
their assigned partners' (portal.tenancy.partner_scope), and vendor staff never a draft (a draft
is the partner's own notebook until it is submitted). Anything else answers NotFound, so another
partner's id looks like an id that does not exist.
"""

from __future__ import annotations

from typing import Any

from portal.auth.schemas import CurrentUser
from portal.deals.constants import DealStatus
from portal.deals.tables import Deal
from portal.tenancy import NotFound, partner_scope

DEAL_COLUMNS = (
    *Deal.all_columns(),
    Deal.partner.name.as_alias("partner_name"),
    Deal.partner.code.as_alias("partner_code"),
    Deal.partner.locale.as_alias("partner_locale"),
    Deal.partner.channel_manager_id.as_alias("channel_manager_id"),
    Deal.owner.name.as_alias("owner_name"),
)


def deal_scope(user: CurrentUser) -> Any:
    """The condition limiting deal rows to what `user` may see."""
    scope = partner_scope(user, Deal.partner)
    if user.is_vendor:
        return scope & (Deal.status != DealStatus.DRAFT)
    return scope


async def get_deal_for_user(user: CurrentUser, deal_id: int) -> dict[str, Any]:
    """The deal with its partner and owner names if `user` may see it; NotFound otherwise."""
    row = await Deal.select(*DEAL_COLUMNS).where((Deal.id == deal_id) & deal_scope(user)).first()
    if row is None:
        raise NotFound
    return row


async def deal_numbers_for_user(user: CurrentUser, ids: list[int]) -> dict[int, str]:
    """id -> deal number of the deals among `ids` that `user` may see (others are left out)."""
    if not ids:
        return {}
    rows = await Deal.select(Deal.id, Deal.number).where(Deal.id.is_in(ids) & deal_scope(user))
    return {int(r["id"]): str(r["number"]) for r in rows}
