"""Partner people: invitations and colleague changes keep to partner roles; the manager contact."""

from __future__ import annotations

from typing import Any

from portal.auth import invitations as auth_invitations
from portal.auth import services as auth_services
from portal.auth.constants import PARTNER_ROLES, PartnerStatus, Role
from portal.auth.schemas import CurrentUser
from portal.auth.tables import User
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _


async def invite_partner_user(
    actor: CurrentUser,
    partner: dict[str, Any],
    *,
    email: str,
    name: str,
    role: Role | str,
    can_sales: bool = False,
    can_purchasing: bool = False,
) -> int:
    """Invite a person to `partner` (reached through the access helper) as partner admin or
    member; raises FormError for a vendor role, a suspended partner or a taken e-mail."""
    if role not in PARTNER_ROLES:
        raise FormError({"role": _("Choose one of the options.")})
    if partner["status"] != PartnerStatus.ACTIVE:
        raise FormError(
            {"": _("This partner is suspended; re-activate it before inviting anyone.")}
        )
    return await auth_invitations.invite(
        actor=actor,
        email=email,
        name=name,
        role=role,
        partner_id=partner["id"],
        can_sales=can_sales,
        can_purchasing=can_purchasing,
    )


async def update_colleague(
    actor: CurrentUser,
    colleague: dict[str, Any],
    *,
    role: Role | str,
    can_sales: bool,
    can_purchasing: bool,
    is_active: bool,
) -> None:
    """Change a partner user's role, permissions or active flag (`colleague` comes from
    access.get_colleague_for_user); raises FormError for a vendor role or a partner left
    without an active admin."""
    if role not in PARTNER_ROLES:
        raise FormError({"role": _("Choose one of the options.")})
    await auth_services.update_member(
        actor,
        colleague["id"],
        role=role,
        can_sales=can_sales,
        can_purchasing=can_purchasing,
        is_active=is_active,
    )


async def channel_manager_contact(manager_id: int | None) -> dict[str, Any] | None:
    """Name, e-mail, phone and title of a channel manager, or None when unassigned."""
    if manager_id is None:
        return None
    return (
        await User.select(User.id, User.name, User.email, User.phone, User.title)
        .where(User.id == manager_id)
        .first()
    )
