"""The tenant door for partner organisations and their users."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from portal.auth.schemas import CurrentUser
from portal.auth.tables import Invitation, User
from portal.partners.tables import DeliveryAddress, Partner
from portal.tenancy import NotFound, partner_scope


async def get_partner_for_user(user: CurrentUser, partner_id: int) -> dict[str, Any]:
    """The partner row with its tier, if `user` may see it; raises NotFound otherwise.

    Vendor admins see every partner, channel managers their assigned ones, partner users only
    their own organisation.
    """
    row = (
        await Partner.select(
            *Partner.all_columns(),
            Partner.tier.code,
            Partner.tier.name_zh,
            Partner.tier.name_en,
            Partner.tier.rank,
        )
        .where((Partner.id == partner_id) & partner_scope(user, Partner.id))
        .first()
    )
    if row is None:
        raise NotFound
    return row


async def get_colleague_for_user(user: CurrentUser, user_id: int) -> dict[str, Any]:
    """A user of a partner that `user` may manage (its partner admin, or vendor staff in scope);
    raises NotFound for anyone else, including vendor staff accounts."""
    row = (
        await User.select(
            User.id,
            User.email,
            User.name,
            User.role,
            User.partner,
            User.can_sales,
            User.can_purchasing,
            User.is_active,
            User.last_login_at,
            User.phone,
            User.title,
        )
        .where(
            (User.id == user_id) & User.partner.is_not_null() & partner_scope(user, User.partner)
        )
        .first()
    )
    if row is None:
        raise NotFound
    return row


async def get_invitation_for_user(user: CurrentUser, invitation_id: int) -> dict[str, Any]:
    """An open partner invitation within the user's scope; raises NotFound otherwise."""
    row = (
        await Invitation.select(Invitation.id, Invitation.partner, Invitation.email)
        .where(
            (Invitation.id == invitation_id)
            & Invitation.partner.is_not_null()
            & partner_scope(user, Invitation.partner)
        )
        .first()
    )
    if row is None:
        raise NotFound
    return row


async def get_staff_member_for_user(user: CurrentUser, user_id: int) -> dict[str, Any]:
    """A vendor staff account that `user` (a vendor admin) may manage; raises NotFound for
    partner users, unknown ids and callers who are not vendor admins."""
    if not user.is_vendor_admin:
        raise NotFound
    row = (
        await User.select(
            User.id,
            User.email,
            User.name,
            User.role,
            User.is_active,
            User.last_login_at,
        )
        .where((User.id == user_id) & User.partner.is_null())
        .first()
    )
    if row is None:
        raise NotFound
    return row


async def get_staff_invitation_for_user(user: CurrentUser, invitation_id: int) -> dict[str, Any]:
    """An invitation to the vendor team, for vendor admins only; raises NotFound otherwise."""
    if not user.is_vendor_admin:
        raise NotFound
    row = (
        await Invitation.select(Invitation.id, Invitation.email)
        .where((Invitation.id == invitation_id) & Invitation.partner.is_null())
        .first()
    )
    if row is None:
        raise NotFound
    return row


async def partners_in_scope(user: CurrentUser) -> list[dict[str, Any]]:
    """The partners `user` may see (id, code, name), by name: the one vendor-side scope helper
    for every console list, filter and figure (vendor admins: all; channel managers: their
    assigned partners; partner users: their own)."""
    return await (
        Partner.select(Partner.id, Partner.code, Partner.name)
        .where(partner_scope(user, Partner.id))
        .order_by(Partner.name)
    )


async def partner_names_for_user(user: CurrentUser, partner_ids: Iterable[int]) -> dict[int, str]:
    """{id: name} of those of `partner_ids` that `user` may see (audit log, lists by id)."""
    ids = sorted({int(i) for i in partner_ids})
    if not ids:
        return {}
    rows = await Partner.select(Partner.id, Partner.name).where(
        Partner.id.is_in(ids) & partner_scope(user, Partner.id)
    )
    return {int(r["id"]): r["name"] for r in rows}


async def user_names_for_user(user: CurrentUser, ids: Iterable[int]) -> dict[int, str]:
    """id -> name (or e-mail) of the people among `ids` that `user` may know: vendor staff and
    the users of the partners in the reader's scope."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = await User.select(User.id, User.name, User.email).where(
        User.id.is_in(wanted) & (User.partner.is_null() | partner_scope(user, User.partner))
    )
    return {int(r["id"]): r["name"] or r["email"] for r in rows}


async def get_address_for_user(user: CurrentUser, address_id: int) -> dict[str, Any]:
    """An address of a partner the user may see; NotFound for any other."""
    row = (
        await DeliveryAddress.select()
        .where((DeliveryAddress.id == address_id) & partner_scope(user, DeliveryAddress.partner))
        .first()
    )
    if row is None:
        raise NotFound
    return row  # type: ignore[no-any-return]
