"""Customer settings: the partner's member visibility and each user's digest, changes audited."""

from __future__ import annotations

from portal.auth.schemas import CurrentUser
from portal.core import audit
from portal.customers.tables import CustomerSettings, CustomerUserSettings
from portal.db import write_transaction
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _


async def visibility(partner_id: int) -> bool:
    """True when members see every customer of the partner (the default)."""
    row = await (
        CustomerSettings.select(CustomerSettings.members_see_all)
        .where(CustomerSettings.partner == partner_id)
        .first()
    )
    return True if row is None else bool(row["members_see_all"])


async def wants_digest(user_id: int) -> bool:
    row = await (
        CustomerUserSettings.select(CustomerUserSettings.daily_digest)
        .where(CustomerUserSettings.user == user_id)
        .first()
    )
    return True if row is None else bool(row["daily_digest"])


async def set_visibility(actor: CurrentUser, members_see_all: bool) -> None:
    """The partner admin's choice: members see every customer, or only those they own."""
    if not actor.is_partner_admin or actor.partner_id is None:
        raise FormError({"": _("Only the company's administrators can change this.")})
    before = await visibility(actor.partner_id)
    async with write_transaction():
        updated = await (
            CustomerSettings.update(
                {
                    CustomerSettings.members_see_all: members_see_all,
                    CustomerSettings.updated_by_id: actor.id,
                    CustomerSettings.updated_at: now(),
                }
            )
            .where(CustomerSettings.partner == actor.partner_id)
            .returning(CustomerSettings.id)
        )
        if not updated:
            await CustomerSettings.insert(
                CustomerSettings(
                    partner=actor.partner_id,
                    members_see_all=members_see_all,
                    updated_by_id=actor.id,
                    updated_at=now(),
                )
            )
        if before != members_see_all:
            await audit.record(
                "customer.visibility_changed",
                actor=actor,
                partner_id=actor.partner_id,
                target_type="partner",
                target_id=actor.partner_id,
                before={"members_see_all": before},
                after={"members_see_all": members_see_all},
            )


async def set_digest(actor: CurrentUser, daily_digest: bool) -> None:
    """A user's choice to receive (or not) the daily follow-up digest."""
    async with write_transaction():
        updated = await (
            CustomerUserSettings.update(
                {
                    CustomerUserSettings.daily_digest: daily_digest,
                    CustomerUserSettings.updated_at: now(),
                }
            )
            .where(CustomerUserSettings.user == actor.id)
            .returning(CustomerUserSettings.id)
        )
        if not updated:
            await CustomerUserSettings.insert(
                CustomerUserSettings(user=actor.id, daily_digest=daily_digest, updated_at=now())
            )
        await audit.record(
            "customer.digest_" + ("on" if daily_digest else "off"),
            actor=actor,
            partner_id=actor.partner_id,
            target_type="user",
            target_id=actor.id,
        )
