"""A customer's contact people: checked, added, removed; the first mirrored on the customer row."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from portal.auth.schemas import CurrentUser
from portal.core import audit
from portal.customers.constants import MAX_CONTACTS
from portal.customers.tables import Customer, CustomerContact
from portal.customers.values import phone_key
from portal.db import write_transaction
from portal.lib.clock import now
from portal.lib.forms import EMAIL_RE, FormError
from portal.lib.i18n import gettext as _
from portal.tenancy import NotFound


@dataclass
class ContactData:
    name: str
    title: str = ""
    phone: str = ""
    email: str = ""
    wechat: str = ""


async def list_contacts(customer_id: int) -> list[dict[str, Any]]:
    return await (
        CustomerContact.select()
        .where(CustomerContact.customer == customer_id)
        .order_by(CustomerContact.position)
        .order_by(CustomerContact.id)
    )


async def contacts_of(customer_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    """{customer id: its contacts in order} for a page of customers (one query)."""
    out: dict[int, list[dict[str, Any]]] = {}
    if not customer_ids:
        return out
    for c in await (
        CustomerContact.select()
        .where(CustomerContact.customer.is_in(list(customer_ids)))
        .order_by(CustomerContact.position)
        .order_by(CustomerContact.id)
    ):
        out.setdefault(c["customer"], []).append(c)
    return out


def _check_contact(contact: ContactData, prefix: str = "contact_") -> dict[str, str]:
    errors: dict[str, str] = {}
    if contact.email and not EMAIL_RE.match(contact.email.strip()):
        errors[f"{prefix}email"] = _("Enter a valid e-mail address.")
    if contact.phone and len(phone_key(contact.phone)) < 5:
        errors[f"{prefix}phone"] = _("Enter a phone number with at least 5 digits.")
    return errors


def _contact_row(
    customer_id: int, partner_id: int, c: ContactData, position: int
) -> CustomerContact:
    return CustomerContact(
        customer=customer_id,
        partner=partner_id,
        name=c.name.strip()[:100],
        title=c.title.strip()[:100],
        phone=c.phone.strip()[:40],
        phone_key=phone_key(c.phone),
        email=c.email.strip().lower()[:200],
        wechat=c.wechat.strip()[:60],
        position=position,
        created_at=now(),
    )


async def _save_primary_contact(customer: dict[str, Any], contact: ContactData) -> None:
    first = await (
        CustomerContact.select(CustomerContact.id)
        .where(CustomerContact.customer == customer["id"])
        .order_by(CustomerContact.position)
        .order_by(CustomerContact.id)
        .first()
    )
    if not (contact.name.strip() or contact.phone.strip() or contact.email.strip()):
        return
    row = _contact_row(customer["id"], customer["partner"], contact, 0)
    if first is None:
        await CustomerContact.insert(row)
        return
    await CustomerContact.update(
        {
            CustomerContact.name: row.name,
            CustomerContact.title: row.title,
            CustomerContact.phone: row.phone,
            CustomerContact.phone_key: row.phone_key,
            CustomerContact.email: row.email,
            CustomerContact.wechat: row.wechat,
        }
    ).where(CustomerContact.id == first["id"])


async def add_contact(actor: CurrentUser, customer: dict[str, Any], contact: ContactData) -> int:
    """Add a contact person to a customer (at most MAX_CONTACTS)."""
    errors = _check_contact(contact, "")
    if errors:
        raise FormError(errors)
    count = await CustomerContact.count().where(CustomerContact.customer == customer["id"])
    if count >= MAX_CONTACTS:
        raise FormError({"": _("A customer has at most %(n)s contact people.", n=MAX_CONTACTS)})
    async with write_transaction():
        inserted = await CustomerContact.insert(
            _contact_row(customer["id"], customer["partner"], contact, count)
        ).returning(CustomerContact.id)
        if count == 0:
            await Customer.update(
                {
                    Customer.contact_name: contact.name.strip()[:100],
                    Customer.contact_phone: contact.phone.strip()[:40],
                    Customer.contact_email: contact.email.strip().lower()[:200],
                }
            ).where(Customer.id == customer["id"])
        await audit.record(
            "customer.contact_added",
            actor=actor,
            partner_id=customer["partner"],
            target_type="customer",
            target_id=customer["id"],
            after={"name": contact.name},
        )
    return int(inserted[0]["id"])


async def remove_contact(actor: CurrentUser, customer: dict[str, Any], contact_id: int) -> None:
    """Remove a contact person; the next one becomes the primary contact."""
    row = await (
        CustomerContact.select(CustomerContact.name)
        .where((CustomerContact.id == contact_id) & (CustomerContact.customer == customer["id"]))
        .first()
    )
    if row is None:
        raise NotFound
    async with write_transaction():
        await CustomerContact.delete().where(CustomerContact.id == contact_id)
        nxt = await (
            CustomerContact.select()
            .where(CustomerContact.customer == customer["id"])
            .order_by(CustomerContact.position)
            .order_by(CustomerContact.id)
            .first()
        )
        await Customer.update(
            {
                Customer.contact_name: nxt["name"] if nxt else "",
                Customer.contact_phone: nxt["phone"] if nxt else "",
                Customer.contact_email: nxt["email"] if nxt else "",
            }
        ).where(Customer.id == customer["id"])
        await audit.record(
            "customer.contact_removed",
            actor=actor,
            partner_id=customer["partner"],
            target_type="customer",
            target_id=customer["id"],
            before={"name": row["name"]},
        )
