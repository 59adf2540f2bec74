"""The tenant door for deals and leads: `deal_scope`, `lead_scope` (lists) and `get_deal_for_user`,
`get_lead_for_user` (one row).

Partner users reach their own partner's deals; vendor admins every partner's, channel managers
their assigned partners' (portal.tenancy.partner_scope), and vendor staff never a draft (a draft
is the partner's own notebook until it is submitted). Anything else answers NotFound, so another
partner's id looks like an id that does not exist.
"""

from __future__ import annotations

from typing import Any

from portal.auth.schemas import CurrentUser
from portal.deals.constants import DealStatus
from portal.deals.lead_constants import NUMBER_PREFIX as LEAD_PREFIX
from portal.deals.lead_tables import Lead
from portal.deals.tables import Deal, DealAttachment
from portal.lib.clock import zone
from portal.lib.inputs import parse_id
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


async def get_deal_attachment_for_user(user: CurrentUser, attachment_id: int) -> dict[str, Any]:
    """A file of a deal `user` may see (through the deal's door), with the deal's status and
    partner; NotFound otherwise."""
    row = await (
        DealAttachment.select(
            *DealAttachment.all_columns(),
            DealAttachment.deal.status.as_alias("deal_status"),
            DealAttachment.deal.partner.as_alias("deal_partner"),
            DealAttachment.deal.number.as_alias("deal_number"),
        )
        .where(DealAttachment.id == attachment_id)
        .first()
    )
    if row is None:
        raise NotFound
    await get_deal_for_user(user, int(row["deal"]))
    return row


async def deal_numbers_for_user(user: CurrentUser, ids: list[int]) -> dict[int, str]:
    """id -> deal number of the deals among `ids` that `user` may see (others are left out)."""
    if not ids:
        return {}
    rows = await Deal.select(Deal.id, Deal.number).where(Deal.id.is_in(ids) & deal_scope(user))
    return {int(r["id"]): str(r["number"]) for r in rows}


# ---- leads ---------------------------------------------------------------------------------
# A partner user sees the leads offered to or accepted by their own partner, never one it passed
# on (declined, timed out: the lead's partner is then another one or none). Vendor admins see
# every lead; channel managers the leads of their assigned partners and the vendor's own (not
# offered to anyone).

LEAD_COLUMNS = (
    *Lead.all_columns(),
    Lead.partner.name.as_alias("partner_name"),
    Lead.partner.code.as_alias("partner_code"),
    Lead.category.code.as_alias("category_code"),
    Lead.category.name_zh.as_alias("category_name_zh"),
    Lead.category.name_en.as_alias("category_name_en"),
)


def lead_number(row: dict[str, Any]) -> str:
    """LD-<year>-<id>: the year the lead came in (the portal's time zone), then its row id."""
    return f"{LEAD_PREFIX}-{row['created_at'].astimezone(zone()):%Y}-{int(row['id']):06d}"


def numbered(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows with their "number" set (in place)."""
    for row in rows:
        row["number"] = lead_number(row)
    return rows


def id_from_number(text: str) -> int | None:
    """The row id of "LD-2026-000123" (or of a bare "000123"); None when it is not one."""
    tail = text.strip().upper().rsplit("-", 1)[-1]
    return parse_id(tail)


def lead_scope(user: CurrentUser) -> Any:
    """The condition limiting lead rows to what `user` may see."""
    scope = partner_scope(user, Lead.partner)
    if user.is_channel_manager:
        return scope | Lead.partner.is_null()
    return scope


async def get_lead_for_user(user: CurrentUser, lead_id: int) -> dict[str, Any]:
    """The lead with its partner and product line if `user` may see it; NotFound otherwise."""
    row = await Lead.select(*LEAD_COLUMNS).where((Lead.id == lead_id) & lead_scope(user)).first()
    if row is None:
        raise NotFound
    return numbered([row])[0]
