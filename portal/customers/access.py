"""The tenant door for customers: `customer_scope` (lists) and `get_customer_for_user` (one row).

Customer data belongs to the partner. Partner users reach their own partner's customers, and a
member only those they own when the partner admin chose "members see only their own". Vendor
staff reach only customers the partner shared by attaching them to an order (later a support
case), within their partner scope; everything else answers NotFound, like an id that does not
exist.
"""

from __future__ import annotations

import json
from typing import Any

import msgspec
from piccolo.columns.combination import WhereRaw

from portal.auth.schemas import CurrentUser
from portal.customers.tables import Customer, CustomerImport
from portal.lib import hooks
from portal.tenancy import NotFound, partner_scope


def shared() -> WhereRaw:
    """Shared = attached by the partner to one of its records that the vendor sees: each domain
    that can attach a customer (orders, support cases) adds its condition to the hook."""
    conditions = hooks.customer_shared_by.values or ("1 = 0",)
    # parenthesised: WhereRaw is pasted as is next to the other conditions
    return WhereRaw("(" + " OR ".join(conditions) + ")")


def members_rule(user: CurrentUser) -> Any:
    """A member sees a customer they own, or any when the partner lets members see all."""
    return WhereRaw(
        # parenthesised: WhereRaw is pasted as is next to the other conditions
        '("customer"."owner" = {} OR NOT EXISTS (SELECT 1 FROM customer_settings s'
        " WHERE s.partner = {} AND s.members_see_all = {}))",
        user.id,
        user.partner_id,
        False,
    )


def customer_scope(user: CurrentUser) -> list[Any]:
    """Where-conditions limiting Customer rows to what `user` may see (one place for the rule)."""
    if user.is_partner and user.partner_id is not None:
        where: list[Any] = [Customer.partner == user.partner_id]
        if not user.is_partner_admin:
            where.append(members_rule(user))
        return where
    if user.is_vendor:
        return [partner_scope(user, Customer.partner), shared()]
    return [WhereRaw("1 = 0")]


async def get_customer_for_user(user: CurrentUser, customer_id: int) -> dict[str, Any]:
    """The customer row with its owner's name, if `user` may see it; NotFound otherwise."""
    row = await (
        Customer.select(
            *Customer.all_columns(),
            Customer.owner.name.as_alias("owner_name"),
            Customer.partner.name.as_alias("partner_name"),
        )
        .where(Customer.id == customer_id, *customer_scope(user))
        .first()
    )
    if row is None:
        raise NotFound
    return row


class CustomerRef(msgspec.Struct, frozen=True, kw_only=True):
    """An end customer as other domains see it (support cases, deal registrations)."""

    id: int
    partner_id: int | None
    name: str
    contact_phone: str = ""
    contact_email: str = ""


async def customer_ref_for_user(user: CurrentUser, customer_id: int) -> CustomerRef:
    """The customer's reference for another domain, if `user` may see it; NotFound otherwise."""
    row = await (
        Customer.select(
            Customer.id,
            Customer.partner,
            Customer.name,
            Customer.contact_phone,
            Customer.contact_email,
        )
        .where(Customer.id == customer_id, *customer_scope(user))
        .first()
    )
    if row is None:
        raise NotFound
    return CustomerRef(
        id=int(row["id"]),
        partner_id=None if row["partner"] is None else int(row["partner"]),
        name=str(row["name"]),
        contact_phone=str(row["contact_phone"] or ""),
        contact_email=str(row["contact_email"] or ""),
    )


async def get_customer_name_for_user(user: CurrentUser, customer_id: int) -> str:
    """The customer's name if `user` may see it; raises NotFound outside the wall."""
    row = await (
        Customer.select(Customer.name)
        .where(Customer.id == customer_id, *customer_scope(user))
        .first()
    )
    if row is None:
        raise NotFound
    return str(row["name"])


async def get_import_for_user(user: CurrentUser, import_id: int) -> dict[str, Any]:
    """A pending or finished import of the user's partner; NotFound otherwise."""
    row = await (
        CustomerImport.select()
        .where(
            (CustomerImport.id == import_id)
            & (CustomerImport.partner == (user.partner_id if user.is_partner else -1))
        )
        .first()
    )
    if row is None:
        raise NotFound
    for key in ("headers", "mapping", "rows"):  # JSON text on SQLite
        if isinstance(row[key], str):
            row[key] = json.loads(row[key])
    return row


async def visible_customer_ids(user: CurrentUser, customer_ids: list[int]) -> set[int]:
    """Which of these customers `user` may see (the same wall as get_customer_for_user)."""
    if not customer_ids:
        return set()
    rows = await Customer.select(Customer.id).where(
        Customer.id.is_in(sorted(set(customer_ids))), *customer_scope(user)
    )
    return {int(r["id"]) for r in rows}
