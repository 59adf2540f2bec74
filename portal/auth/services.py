"""Accounts: create users, invitations, password changes and resets, disabling; audit every change."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.auth import throttle
from portal.auth.constants import PARTNER_ROLES, VENDOR_ROLES, Role
from portal.auth.schemas import CurrentUser
from portal.auth.sessions import end_user_sessions, normalise_email
from portal.auth.tables import PasswordReset, User
from portal.core import audit
from portal.core.email import queue_email
from portal.db import write_transaction
from portal.lib import jobs
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.lib.security import (
    MIN_PASSWORD_LENGTH,
    hash_password,
    new_token,
    token_hash,
    verify_password,
)
from portal.settings import get_settings

USER_FIELDS = ("email", "name", "role", "partner", "can_sales", "can_purchasing", "is_active")


def check_password_rules(password: str, email: str = "") -> None:
    """Raise FormError(password=...) for a weak password."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise FormError({"password": _("At least %(n)s characters.", n=MIN_PASSWORD_LENGTH)})
    if len(password) > 256:
        raise FormError({"password": _("At most %(n)s characters.", n=256)})
    if email and password.lower() == email.lower():
        raise FormError({"password": _("The password must differ from the e-mail address.")})


async def get_user(user_id: int) -> dict[str, Any] | None:
    return (
        await User.select(*User.all_columns(exclude=[User.password_hash]), User.partner.name)
        .where(User.id == user_id)
        .first()
    )


async def email_taken(email: str) -> bool:
    return await User.exists().where(User.email == normalise_email(email))


async def create_user(
    *,
    email: str,
    name: str,
    password: str,
    role: Role | str,
    partner_id: int | None = None,
    can_sales: bool = False,
    can_purchasing: bool = False,
    locale: str = "",
    actor: CurrentUser | None = None,
) -> int:
    """Create an active user; raises FormError when the e-mail is taken or the role is wrong."""
    email = normalise_email(email)
    role = Role(role)
    if role in PARTNER_ROLES and partner_id is None:
        raise FormError({"role": _("A partner user needs a partner.")})
    if role in VENDOR_ROLES and partner_id is not None:
        raise FormError({"role": _("Vendor staff cannot belong to a partner.")})
    check_password_rules(password, email)
    if await email_taken(email):
        raise FormError({"email": _("A user with this e-mail address already exists.")})
    password_hash = await hash_password(password)
    moment = now()
    rows = await User.insert(
        User(
            email=email,
            name=name.strip(),
            password_hash=password_hash,
            role=role,
            partner=partner_id,
            can_sales=can_sales or role == Role.PARTNER_ADMIN,
            can_purchasing=can_purchasing or role == Role.PARTNER_ADMIN,
            locale=locale,
            created_at=moment,
            password_changed_at=moment,
        )
    ).returning(User.id)
    user_id = int(rows[0]["id"])
    await audit.record(
        "user.create",
        actor=actor,
        partner_id=partner_id,
        target_type="user",
        target_id=user_id,
        after={
            "email": email,
            "role": role,
            "can_sales": can_sales,
            "can_purchasing": can_purchasing,
        },
    )
    return user_id


async def change_password(user: CurrentUser, current: str, new: str) -> None:
    """Change one's own password; every other session of the user ends."""

    row = await User.select(User.password_hash).where(User.id == user.id).first()
    if row is None or not await verify_password(row["password_hash"], current):
        raise FormError({"current_password": _("The current password is not correct.")})
    check_password_rules(new, user.email)
    password_hash = await hash_password(new)
    async with write_transaction():
        await User.update(
            {User.password_hash: password_hash, User.password_changed_at: now()}
        ).where(User.id == user.id)
        await end_user_sessions(user.id, except_session=user.session_id)
        await audit.record(
            "user.password_change",
            actor=user,
            partner_id=user.partner_id,
            target_type="user",
            target_id=user.id,
        )


async def set_locale(user: CurrentUser, locale: str) -> None:
    await User.update({User.locale: locale}).where(User.id == user.id)


async def update_profile(user: CurrentUser, name: str, phone: str, title: str, locale: str) -> None:
    before = (
        await User.select(User.name, User.phone, User.title, User.locale)
        .where(User.id == user.id)
        .first()
    )
    after = {"name": name.strip(), "phone": phone.strip(), "title": title.strip(), "locale": locale}
    async with write_transaction():
        await User.update(after).where(User.id == user.id)  # type: ignore[arg-type]
        old, new = audit.changes(before or {}, after)
        if new:
            await audit.record(
                "user.profile",
                actor=user,
                partner_id=user.partner_id,
                target_type="user",
                target_id=user.id,
                before=old,
                after=new,
            )


RESET_WINDOW = dt.timedelta(hours=1)
RESET_PER_ACCOUNT = 3  # reset e-mails per address typed, whatever the client address
RESET_PER_CLIENT = 10  # reset requests per client address, for any accounts, known or not


async def request_password_reset(email: str, ip: str) -> None:
    """E-mail a one-time reset link when the account exists; the caller always says the same.

    Limited per account typed and per client address (the sign-in throttle's store, shared by
    every process), counted before anything is looked up, so known and unknown addresses are
    limited alike; raises Throttled when over a limit."""
    email = normalise_email(email)
    await throttle.take(
        [(f"reset-acct:{email}", RESET_PER_ACCOUNT), (f"reset-ip:{ip}", RESET_PER_CLIENT)],
        RESET_WINDOW,
    )
    row = (
        await User.select(User.id, User.name, User.locale, User.is_active)
        .where(User.email == email)
        .first()
    )
    await audit.record(
        "password_reset.request",
        actor_email=email,
        ip=ip,
        target_type="user",
        target_id=row["id"] if row else None,
        detail="" if row else "unknown account",
    )
    if row is None or not row["is_active"]:
        return
    token = new_token()
    moment = now()
    await PasswordReset.insert(
        PasswordReset(
            user=row["id"],
            token_hash=token_hash(token),
            created_at=moment,
            expires_at=moment + dt.timedelta(minutes=get_settings().password_reset_minutes),
        )
    )
    email_id = await queue_email(
        email,
        "password_reset",
        {
            "name": row["name"],
            "link": f"{get_settings().base_url}/password-reset/{token}",
            "minutes": get_settings().password_reset_minutes,
        },
        row["locale"] or get_settings().default_locale,
    )
    await jobs.enqueue("deliver_email", email_id, job_id=f"email:{email_id}")


async def reset_target(token: str) -> dict[str, Any] | None:
    """The reset row behind a link when it is unused and not expired."""
    return (
        await PasswordReset.select(
            PasswordReset.id, PasswordReset.user.id, PasswordReset.user.email
        )
        .where(
            (PasswordReset.token_hash == token_hash(token))
            & PasswordReset.used_at.is_null()
            & (PasswordReset.expires_at > now())
        )
        .first()
    )


async def reset_password(token: str, password: str, ip: str) -> bool:
    """Use a reset link once: set the password, end every session. False if the link is dead."""
    target = await reset_target(token)
    if target is None:
        return False
    check_password_rules(password, target["user.email"])
    password_hash = await hash_password(password)
    async with write_transaction():
        used = (
            await PasswordReset.update({PasswordReset.used_at: now()})
            .where((PasswordReset.id == target["id"]) & PasswordReset.used_at.is_null())
            .returning(PasswordReset.id)
        )
        if not used:
            return False
        await User.update(
            {User.password_hash: password_hash, User.password_changed_at: now()}
        ).where(User.id == target["user.id"])
        await end_user_sessions(target["user.id"])
        await audit.record(
            "password_reset.complete",
            actor_email=target["user.email"],
            ip=ip,
            target_type="user",
            target_id=target["user.id"],
        )
    return True


async def update_member(
    actor: CurrentUser,
    user_id: int,
    *,
    role: Role | str,
    can_sales: bool,
    can_purchasing: bool,
    is_active: bool,
) -> None:
    """Change a user's role, permissions or active flag; disabling ends their sessions.

    Callers reach the user through an access helper first (tenant wall); this checks the facts
    that protect a partner from locking itself out.
    """
    role = Role(role)
    row = (
        await User.select(
            User.role, User.can_sales, User.can_purchasing, User.is_active, User.partner, User.email
        )
        .where(User.id == user_id)
        .first()
    )
    if row is None:
        raise FormError({"": _("Not found.")})
    if user_id == actor.id and (not is_active or role != row["role"]):
        raise FormError({"": _("You cannot disable yourself or change your own role.")})
    if row["partner"] is not None and role not in PARTNER_ROLES:
        raise FormError({"role": _("Choose one of the options.")})
    if row["partner"] is None and role not in VENDOR_ROLES:
        raise FormError({"role": _("Choose one of the options.")})
    if row["role"] == Role.PARTNER_ADMIN and (role != Role.PARTNER_ADMIN or not is_active):
        admins = await User.count().where(
            (User.partner == row["partner"])
            & (User.role == Role.PARTNER_ADMIN)
            & (User.is_active == True)  # noqa: E712
        )
        if admins <= 1:
            raise FormError({"": _("A partner needs at least one active admin.")})
    after = {
        "role": role.value,
        "can_sales": can_sales or role == Role.PARTNER_ADMIN,
        "can_purchasing": can_purchasing or role == Role.PARTNER_ADMIN,
        "is_active": is_active,
    }
    before = {k: row[k] for k in after}
    old, new = audit.changes(before, after)
    if not new:
        return
    async with write_transaction():
        await User.update(after).where(User.id == user_id)  # type: ignore[arg-type]
        if not is_active:
            await end_user_sessions(user_id)
        action = (
            "user.disable"
            if "is_active" in new and not is_active
            else ("user.enable" if "is_active" in new else "user.role_change")
        )
        await audit.record(
            action,
            actor=actor,
            partner_id=row["partner"],
            target_type="user",
            target_id=user_id,
            before=old,
            after=new,
            detail=row["email"],
        )


async def list_users(partner_id: int | None, vendor: bool = False) -> list[dict[str, Any]]:
    """A partner's users (or vendor staff when vendor=True), active first."""
    query = User.select(
        User.id,
        User.email,
        User.name,
        User.role,
        User.can_sales,
        User.can_purchasing,
        User.is_active,
        User.last_login_at,
        User.phone,
        User.title,
    )
    query = (
        query.where(User.partner.is_null()) if vendor else query.where(User.partner == partner_id)
    )
    return await query.order_by(User.is_active, ascending=False).order_by(User.name)
