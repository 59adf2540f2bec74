"""The partner's delivery address book: its admins keep it, the cart and the orders API pick from
it (orders sit above partners and call these functions directly), and the order keeps a copy of
the chosen address's text.

The tenant door is `access.get_address_for_user` (a partner user reaches only its own company's
addresses; another partner's id is NotFound). Every change is audited; one address at most is
the default (setting one clears the others in the same transaction).
"""

from __future__ import annotations

from typing import Any

from portal.auth.schemas import CurrentUser
from portal.core.audit import record
from portal.db import write_transaction
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.partners import access
from portal.partners.schemas import AddressForm
from portal.partners.tables import DeliveryAddress

MAX_ADDRESSES = 50
FIELDS = ("label", "recipient", "phone", "address", "is_default")


async def list_addresses(partner_id: int) -> list[dict[str, Any]]:
    """The partner's addresses, the default first, then by label."""
    return await (  # type: ignore[no-any-return]
        DeliveryAddress.select()
        .where(DeliveryAddress.partner == partner_id)
        .order_by(DeliveryAddress.is_default, ascending=False)
        .order_by(DeliveryAddress.label)
        .order_by(DeliveryAddress.id)
    )


def address_text(row: dict[str, Any]) -> str:
    """The text an order keeps: the address, then recipient and phone when given."""
    who = " ".join(x for x in (row["recipient"], row["phone"]) if x)
    return f"{row['address']}\n{who}" if who else str(row["address"])


async def address_text_for_user(user: CurrentUser, address_id: int) -> str:
    """The text an order keeps for an address of the user's company (orders' cart and API);
    NotFound for another company's address."""
    return address_text(await access.get_address_for_user(user, address_id))


async def address_choices(partner_id: int) -> list[tuple[str, str]]:
    """[(id, "label · address")] for the cart's picker."""
    return [
        (str(r["id"]), f"{r['label']} · {r['address']}") for r in await list_addresses(partner_id)
    ]


async def default_address_id(partner_id: int) -> int | None:
    row = (
        await DeliveryAddress.select(DeliveryAddress.id)
        .where((DeliveryAddress.partner == partner_id) & (DeliveryAddress.is_default == True))  # noqa: E712
        .first()
    )
    return int(row["id"]) if row else None


def _require_admin(actor: CurrentUser) -> int:
    if actor.partner_id is None or not actor.is_partner_admin:
        raise FormError({"": _("Only your company's administrators keep the address book.")})
    return actor.partner_id


def _values(form: AddressForm) -> dict[str, Any]:
    return {
        "label": form.label.strip(),
        "recipient": form.recipient.strip(),
        "phone": form.phone.strip(),
        "address": form.address.strip(),
        "is_default": form.is_default,
    }


async def _clear_default(partner_id: int, keep: int) -> None:
    await DeliveryAddress.update({DeliveryAddress.is_default: False}).where(
        (DeliveryAddress.partner == partner_id) & (DeliveryAddress.id != keep)
    )


async def add_address(actor: CurrentUser, form: AddressForm) -> int:
    """A new address in the actor's company's book (partner admins); audited."""
    partner_id = _require_admin(actor)
    values = _values(form)
    if not values["label"] or not values["address"]:
        raise FormError({"address": _("Enter a name and the address.")})
    if await DeliveryAddress.count().where(DeliveryAddress.partner == partner_id) >= MAX_ADDRESSES:
        raise FormError({"": _("An address book holds at most %(n)s addresses.", n=MAX_ADDRESSES)})
    moment = now()
    async with write_transaction():
        rows = await DeliveryAddress.insert(
            DeliveryAddress(partner=partner_id, created_at=moment, updated_at=moment, **values)
        ).returning(DeliveryAddress.id)
        address_id = int(rows[0]["id"])
        if values["is_default"]:
            await _clear_default(partner_id, address_id)
        await record(
            "partner.address_added",
            actor=actor,
            partner_id=partner_id,
            target_type="delivery_address",
            target_id=address_id,
            after=values,
        )
    return address_id


async def update_address(actor: CurrentUser, address: dict[str, Any], form: AddressForm) -> None:
    """Change an address (from get_address_for_user); orders placed before keep their copy."""
    partner_id = _require_admin(actor)
    values = _values(form)
    before = {k: address[k] for k in FIELDS}
    if before == values:
        return
    async with write_transaction():
        changes: dict[Any, Any] = {**values, "updated_at": now()}
        await DeliveryAddress.update(changes).where(DeliveryAddress.id == address["id"])
        if values["is_default"]:
            await _clear_default(partner_id, int(address["id"]))
        await record(
            "partner.address_changed",
            actor=actor,
            partner_id=partner_id,
            target_type="delivery_address",
            target_id=int(address["id"]),
            before=before,
            after=values,
        )


async def remove_address(actor: CurrentUser, address: dict[str, Any]) -> None:
    """Take an address out of the book; orders placed with it keep their copy."""
    partner_id = _require_admin(actor)
    async with write_transaction():
        await DeliveryAddress.delete().where(DeliveryAddress.id == address["id"])
        await record(
            "partner.address_removed",
            actor=actor,
            partner_id=partner_id,
            target_type="delivery_address",
            target_id=int(address["id"]),
            before={k: address[k] for k in FIELDS},
        )
