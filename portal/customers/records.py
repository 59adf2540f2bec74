"""Creating and changing customers: validated, duplicates refused unless allowed, audited."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from portal.auth.schemas import CurrentUser
from portal.auth.tables import User
from portal.core import audit
from portal.customers.access import customer_scope
from portal.customers.constants import MAX_CONTACTS, MAX_TAGS, Segment
from portal.customers.contacts import (
    ContactData,
    _check_contact,
    _contact_row,
    _save_primary_contact,
)
from portal.customers.listing import forget_cached
from portal.customers.tables import Customer, CustomerContact
from portal.customers.values import name_key, parse_tags, phone_key, tags_list, tags_text
from portal.db import write_transaction
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.lib.i18n import to_local


class DuplicateFound(FormError):
    """Customers with the same phone, e-mail or name exist at this partner."""

    def __init__(self, duplicates: list[dict[str, Any]]) -> None:
        super().__init__({"": _("A customer with the same phone, e-mail or name already exists.")})
        self.duplicates = duplicates


@dataclass
class CustomerData:
    """Validated-by-type input for a customer; the services check the rest."""

    name: str
    kind: str = "company"
    industry: str = ""
    size: str = ""
    region: str = ""
    city: str = ""
    source: str = "other"
    owner_id: int | None = None
    tags: list[str] = field(default_factory=list)
    notes: str = ""
    contacts: list[ContactData] = field(default_factory=list)


def _partner_id(actor: CurrentUser) -> int:
    if not actor.is_partner or actor.partner_id is None:
        raise FormError({"": _("Only partner users work with customers.")})
    return actor.partner_id


async def _check_partner_user(partner_id: int, user_id: int | None, field_name: str) -> None:
    if user_id is None:
        return
    exists = await User.exists().where(
        (User.id == user_id) & (User.partner == partner_id) & (User.is_active == True)  # noqa: E712
    )
    if not exists:
        raise FormError({field_name: _("Choose a colleague of your company.")})


async def find_duplicates(
    partner_id: int,
    name: str,
    phones: list[str],
    emails: list[str],
    exclude_id: int | None = None,
) -> list[dict[str, Any]]:
    """Customers of the partner with the same name, a contact phone or e-mail: (id, name, reason)."""
    found: dict[int, dict[str, Any]] = {}
    key = name_key(name)
    not_self = [Customer.id != exclude_id] if exclude_id else []
    if key:
        for row in await (
            Customer.select(Customer.id, Customer.name)
            .where((Customer.partner == partner_id) & (Customer.name_key == key), *not_self)
            .limit(5)
        ):
            found[row["id"]] = {**row, "reason": _("same name")}
    phone_keys = [k for k in (phone_key(p) for p in phones) if len(k) >= 5]
    email_keys = [e.strip().lower() for e in emails if e.strip()]
    if phone_keys or email_keys:
        cond: Any = None
        if phone_keys:
            cond = CustomerContact.phone_key.is_in(phone_keys)
        if email_keys:
            by_mail = CustomerContact.email.is_in(email_keys)
            cond = by_mail if cond is None else (cond | by_mail)
        not_self_contact = [CustomerContact.customer != exclude_id] if exclude_id else []
        rows = await (
            CustomerContact.select(
                CustomerContact.customer,
                CustomerContact.customer.name.as_alias("name"),
                CustomerContact.phone_key,
                CustomerContact.email,
            )
            .where((CustomerContact.partner == partner_id) & cond, *not_self_contact)
            .limit(10)
        )
        for row in rows:
            reason = _("same phone") if row["phone_key"] in phone_keys else _("same e-mail")
            found.setdefault(
                row["customer"], {"id": row["customer"], "name": row["name"], "reason": reason}
            )
    return list(found.values())


def _customer_values(data: CustomerData) -> dict[str, Any]:
    return {
        "kind": data.kind,
        "name": data.name.strip()[:200],
        "name_key": name_key(data.name),
        "industry": data.industry.strip(),
        "size": data.size,
        "region": data.region.strip(),
        "city": data.city.strip(),
        "source": data.source,
        "owner": data.owner_id,
        "tags": tags_text(parse_tags(data.tags)),
        "notes": data.notes.strip(),
    }


async def create_customer(
    actor: CurrentUser,
    data: CustomerData,
    *,
    allow_duplicate: bool = False,
    via: str = "portal",
) -> int:
    """Create a customer of the actor's partner with its contacts; the owner defaults to the
    actor. Raises FormError for bad input and DuplicateFound (unless allowed)."""
    partner_id = _partner_id(actor)
    if not data.name.strip():
        raise FormError({"name": _("This field is required.")})
    contacts = [c for c in data.contacts if c.name.strip() or c.phone.strip() or c.email.strip()]
    errors: dict[str, str] = {}
    for n, contact in enumerate(contacts[:MAX_CONTACTS]):
        errors.update(_check_contact(contact, "contact_" if n == 0 else f"contacts.{n}."))
    if errors:
        raise FormError(errors)
    if data.owner_id is None:
        data.owner_id = actor.id
    await _check_partner_user(partner_id, data.owner_id, "owner_id")
    if not allow_duplicate:
        duplicates = await find_duplicates(
            partner_id, data.name, [c.phone for c in contacts], [c.email for c in contacts]
        )
        if duplicates:
            raise DuplicateFound(duplicates)
    values = _customer_values(data)
    moment = now()
    first = contacts[0] if contacts else None
    async with write_transaction():
        inserted = await Customer.insert(
            Customer(
                partner=partner_id,
                **values,
                contact_name=(first.name.strip() if first else "")[:100],
                contact_phone=(first.phone.strip() if first else "")[:40],
                contact_email=(first.email.strip().lower() if first else "")[:200],
                segment=Segment.NEW,
                segment_on=to_local(moment).date(),
                created_by_id=actor.id,
                created_at=moment,
                updated_at=moment,
            )
        ).returning(Customer.id)
        customer_id = int(inserted[0]["id"])
        if contacts:
            await CustomerContact.insert(
                *[
                    _contact_row(customer_id, partner_id, c, n)
                    for n, c in enumerate(contacts[:MAX_CONTACTS])
                ]
            )
        await audit.record(
            "customer.created",
            actor=actor,
            partner_id=partner_id,
            target_type="customer",
            target_id=customer_id,
            after={"name": values["name"], "via": via},
        )
    forget_cached()
    return customer_id


async def update_customer(
    actor: CurrentUser,
    customer: dict[str, Any],
    changes: dict[str, Any],
    *,
    primary_contact: ContactData | None = None,
    allow_duplicate: bool = True,
) -> None:
    """Change a customer's fields (only those given); with `primary_contact`, also its first
    contact person. Audited with the values before and after."""
    partner_id = int(customer["partner"])
    allowed = {
        "name",
        "kind",
        "industry",
        "size",
        "region",
        "city",
        "source",
        "owner_id",
        "tags",
        "notes",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise FormError({"": _("Unknown field: %(name)s", name=", ".join(sorted(unknown)))})
    if "name" in changes and not str(changes["name"]).strip():
        raise FormError({"name": _("This field is required.")})
    if primary_contact is not None:
        errors = _check_contact(primary_contact)
        if errors:
            raise FormError(errors)
    if "owner_id" in changes:
        await _check_partner_user(partner_id, changes["owner_id"], "owner_id")
    if not allow_duplicate:
        duplicates = await find_duplicates(
            partner_id,
            str(changes.get("name", "")),
            [primary_contact.phone] if primary_contact else [],
            [primary_contact.email] if primary_contact else [],
            exclude_id=customer["id"],
        )
        if duplicates:
            raise DuplicateFound(duplicates)
    values: dict[Any, Any] = {}
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for key, value in changes.items():
        column = "owner" if key == "owner_id" else key
        if key == "tags":
            value = tags_text(parse_tags(value))
        elif isinstance(value, str):
            value = value.strip()
        if customer.get(column) != value:
            values[getattr(Customer, column)] = value
            before[column] = customer.get(column)
            after[column] = value
            if key == "name":
                values[Customer.name_key] = name_key(value)
    async with write_transaction():
        if primary_contact is not None:
            await _save_primary_contact(customer, primary_contact)
            values[Customer.contact_name] = primary_contact.name.strip()[:100]
            values[Customer.contact_phone] = primary_contact.phone.strip()[:40]
            values[Customer.contact_email] = primary_contact.email.strip().lower()[:200]
        if not values:
            return
        values[Customer.updated_at] = now()
        await Customer.update(values).where(Customer.id == customer["id"])
        if Customer.tags in values:
            forget_cached()
        if after:
            await audit.record(
                "customer.updated",
                actor=actor,
                partner_id=partner_id,
                target_type="customer",
                target_id=customer["id"],
                before=before,
                after=after,
            )


async def bulk_tag(
    actor: CurrentUser, customer_ids: list[int], tag: str, remove: bool = False
) -> int:
    """Add (or remove) one tag on the given customers the actor may see; returns how many changed."""
    clean = parse_tags(tag)
    if not clean:
        raise FormError({"tag": _("This field is required.")})
    if not customer_ids:
        raise FormError({"ids": _("Select at least one customer.")})
    tag = clean[0]
    rows = await Customer.select(Customer.id, Customer.tags).where(
        Customer.id.is_in(customer_ids[:1000]), *customer_scope(actor)
    )
    changed = 0
    async with write_transaction():
        for row in rows:
            current = tags_list(row["tags"])
            has = tag.lower() in {t.lower() for t in current}
            if remove and has:
                new = [t for t in current if t.lower() != tag.lower()]
            elif not remove and not has and len(current) < MAX_TAGS:
                new = [*current, tag]
            else:
                continue
            await Customer.update(
                {Customer.tags: tags_text(new), Customer.updated_at: now()}
            ).where(Customer.id == row["id"])
            changed += 1
        if changed:
            await audit.record(
                "customer.bulk_untagged" if remove else "customer.bulk_tagged",
                actor=actor,
                partner_id=actor.partner_id,
                target_type="customer",
                after={"tag": tag, "customers": changed},
            )
    forget_cached()
    return changed
