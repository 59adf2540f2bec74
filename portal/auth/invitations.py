"""Invitations: e-mailed links that create an account on acceptance (partner users and vendor
staff), revoked or replaced; who may invite whom is decided by the callers (partners.access)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.auth.constants import PARTNER_ROLES, VENDOR_ROLES, Role
from portal.auth.schemas import CurrentUser
from portal.auth.services import check_password_rules, create_user, email_taken
from portal.auth.sessions import normalise_email
from portal.auth.tables import Invitation
from portal.core import audit
from portal.core.email import queue_email
from portal.db import write_transaction
from portal.lib import jobs
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.lib.security import (
    new_token,
    token_hash,
)
from portal.settings import get_settings


async def invite(
    *,
    actor: CurrentUser,
    email: str,
    name: str,
    role: Role | str,
    partner_id: int | None,
    can_sales: bool = False,
    can_purchasing: bool = False,
    locale: str = "",
) -> int:
    """Create an invitation and e-mail its link. Raises FormError for a taken e-mail.

    Callers decide who may invite whom (partners.access / controllers); this only checks facts.
    """
    email = normalise_email(email)
    role = Role(role)
    # Caught here, not when the link is used: a vendor role at a partner cannot be accepted.
    if role in PARTNER_ROLES and partner_id is None:
        raise FormError({"role": _("A partner user needs a partner.")})
    if role in VENDOR_ROLES and partner_id is not None:
        raise FormError({"role": _("Vendor staff cannot belong to a partner.")})
    if await email_taken(email):
        raise FormError({"email": _("A user with this e-mail address already exists.")})
    token = new_token()
    moment = now()
    days = get_settings().invitation_days
    async with write_transaction():
        # A new invitation replaces any open one for the same address.
        await Invitation.update({Invitation.revoked_at: moment}).where(
            (Invitation.email == email)
            & Invitation.accepted_at.is_null()
            & Invitation.revoked_at.is_null()
        )
        rows = await Invitation.insert(
            Invitation(
                email=email,
                name=name.strip(),
                role=role,
                partner=partner_id,
                can_sales=can_sales or role == Role.PARTNER_ADMIN,
                can_purchasing=can_purchasing or role == Role.PARTNER_ADMIN,
                token_hash=token_hash(token),
                invited_by=actor.id,
                created_at=moment,
                expires_at=moment + dt.timedelta(days=days),
            )
        ).returning(Invitation.id)
        invitation_id = int(rows[0]["id"])
        await audit.record(
            "invitation.create",
            actor=actor,
            partner_id=partner_id,
            target_type="invitation",
            target_id=invitation_id,
            after={
                "email": email,
                "role": role,
                "can_sales": can_sales,
                "can_purchasing": can_purchasing,
            },
        )
        partner_name = ""
        if partner_id is not None:
            # through the invitation's own reference: auth sits below partners
            found = (
                await Invitation.select(
                    Invitation.partner.name.as_alias("name"),
                    Invitation.partner.locale.as_alias("locale"),
                )
                .where(Invitation.id == invitation_id)
                .first()
            )
            partner_name = (found["name"] or "") if found else ""
            locale = locale or ((found["locale"] or "") if found else "")
        email_id = await queue_email(
            email,
            "invitation",
            {
                "name": name,
                "inviter": actor.name,
                "partner_name": partner_name,
                "role": role.value,
                "link": f"{get_settings().base_url}/invitations/{token}",
                "days": days,
            },
            locale or get_settings().default_locale,
        )
    await jobs.enqueue("deliver_email", email_id, job_id=f"email:{email_id}")
    return invitation_id


async def open_invitation(token: str) -> dict[str, Any] | None:
    """The invitation behind a link when it is neither used, revoked nor expired."""
    return (
        await Invitation.select(
            *Invitation.all_columns(exclude=[Invitation.token_hash]), Invitation.partner.name
        )
        .where(
            (Invitation.token_hash == token_hash(token))
            & Invitation.accepted_at.is_null()
            & Invitation.revoked_at.is_null()
            & (Invitation.expires_at > now())
        )
        .first()
    )


async def accept_invitation(
    token: str, name: str, password: str, locale: str, ip: str
) -> int | None:
    """Turn an open invitation into a user (once); returns the user id or None if the link is dead."""
    inv = await open_invitation(token)
    if inv is None:
        return None
    check_password_rules(password, inv["email"])
    async with write_transaction():
        claimed = (
            await Invitation.update({Invitation.accepted_at: now()})
            .where((Invitation.id == inv["id"]) & Invitation.accepted_at.is_null())
            .returning(Invitation.id)
        )
        if not claimed:
            return None
        user_id = await create_user(
            email=inv["email"],
            name=name or inv["name"],
            password=password,
            role=inv["role"],
            partner_id=inv["partner"],
            can_sales=inv["can_sales"],
            can_purchasing=inv["can_purchasing"],
            locale=locale,
        )
        await Invitation.update({Invitation.accepted_user_id: user_id}).where(
            Invitation.id == inv["id"]
        )
        await audit.record(
            "invitation.accept",
            actor_email=inv["email"],
            ip=ip,
            partner_id=inv["partner"],
            target_type="invitation",
            target_id=inv["id"],
        )
    return user_id


async def revoke_invitation(actor: CurrentUser, invitation_id: int) -> None:
    inv = (
        await Invitation.select(Invitation.partner, Invitation.email)
        .where(Invitation.id == invitation_id)
        .first()
    )
    await Invitation.update({Invitation.revoked_at: now()}).where(
        (Invitation.id == invitation_id) & Invitation.accepted_at.is_null()
    )
    await audit.record(
        "invitation.revoke",
        actor=actor,
        partner_id=inv["partner"] if inv else None,
        target_type="invitation",
        target_id=invitation_id,
        before={"email": inv["email"] if inv else ""},
    )


async def list_open_invitations(
    partner_id: int | None, vendor: bool = False
) -> list[dict[str, Any]]:
    query = Invitation.select(
        Invitation.id,
        Invitation.email,
        Invitation.name,
        Invitation.role,
        Invitation.created_at,
        Invitation.expires_at,
        Invitation.can_sales,
        Invitation.can_purchasing,
    ).where(
        Invitation.accepted_at.is_null()
        & Invitation.revoked_at.is_null()
        & (Invitation.expires_at > now())
    )
    query = (
        query.where(Invitation.partner.is_null())
        if vendor
        else query.where(Invitation.partner == partner_id)
    )
    return await query.order_by(Invitation.id, ascending=False)
