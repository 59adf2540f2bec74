"""The tenant wall, in one place: which partners a user may reach, as a query condition.

Every query of partner-owned rows goes through `partner_scope(user, column)`; domain access
helpers (`get_<thing>_for_user`) build on it and answer NotFound for anything outside the scope,
so another partner's id is indistinguishable from an id that does not exist.
"""

from __future__ import annotations

from typing import Any

from piccolo.columns import Column
from piccolo.columns.combination import WhereRaw

from portal.auth.schemas import CurrentUser
from portal.lib.forms import NotFound as NotFound  # defined below every domain, raised here too
from portal.partners.tables import Partner


def partner_scope(user: CurrentUser, partner_column: Column) -> Any:
    """A condition on a column holding a partner id that limits rows to what `user` may see.

    vendor_admin: every partner. channel_manager: the partners assigned to them.
    partner users: their own partner only. Anyone else: nothing.
    """
    if user.is_vendor_admin:
        return WhereRaw("1 = 1")
    if user.is_channel_manager:
        assigned = Partner.select(Partner.id).where(Partner.channel_manager_id == user.id)
        return partner_column.is_in(assigned)  # type: ignore[arg-type]
    if user.is_partner and user.partner_id is not None:
        return partner_column == user.partner_id
    return WhereRaw("1 = 0")


async def vendor_partner_ids(user: CurrentUser) -> list[int] | None:
    """The partners a vendor-side user may see, for aggregates written as SQL and in-memory rows.

    None means every partner (vendor admin); a channel manager gets the partners assigned to
    them (possibly none); anyone else an empty list. The same rule as `partner_scope`.
    """
    if user.is_vendor_admin:
        return None
    if user.is_channel_manager:
        rows = await Partner.select(Partner.id).where(Partner.channel_manager_id == user.id)
        return sorted(int(r["id"]) for r in rows)
    if user.is_partner and user.partner_id is not None:
        return [user.partner_id]
    return []


def partner_ids_sql(ids: list[int] | None, column: str) -> tuple[str, list[Any]]:
    """`vendor_partner_ids` as a raw-SQL condition: (" AND col IN ({}, ...)", [ids])."""
    if ids is None:
        return "", []
    if not ids:
        return " AND 1 = 0", []
    return f" AND {column} IN ({', '.join('{}' for _ in ids)})", list(ids)


def in_scope(ids: list[int] | None, partner_id: int | None) -> bool:
    """Whether one partner id lies inside `vendor_partner_ids`' answer."""
    return ids is None or (partner_id is not None and partner_id in ids)
