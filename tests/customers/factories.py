"""Customer and contact-log factories with sensible defaults (ids back, like tests/factories)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from portal.auth.schemas import CurrentUser
from portal.customers import services
from portal.customers.access import get_customer_for_user
from portal.customers.tables import Customer, Interaction
from portal.lib.clock import now

_seq = itertools.count(1)


async def make_customer(
    actor: CurrentUser,
    name: str | None = None,
    *,
    phone: str = "",
    email: str = "",
    contact: str = "",
    tags: list[str] | None = None,
    owner_id: int | None = None,
    allow_duplicate: bool = True,
    **fields: Any,
) -> int:
    """A customer of the actor's partner (owner: the actor), with one contact person."""
    n = next(_seq)
    data = services.CustomerData(
        name=name or f"测试客户 {n} Test Customer {n}",
        tags=tags or [],
        owner_id=owner_id,
        contacts=[
            services.ContactData(
                name=contact or f"联系人 {n}",
                phone=phone or f"1380000{n:04d}",
                email=email or f"buyer{n}@customer.test",
            )
        ],
        **fields,
    )
    return await services.create_customer(actor, data, allow_duplicate=allow_duplicate)


async def log_contact(
    actor: CurrentUser,
    customer_id: int,
    *,
    days_ago: float = 0,
    channel: str = "phone",
    summary: str = "Called about the new router series",
    followup_in_days: int | None = None,
    assignee_id: int | None = None,
) -> int:
    """Log a contact `days_ago` days back, optionally with a follow-up `followup_in_days` later."""
    customer = await get_customer_for_user(actor, customer_id)
    occurred = now() - dt.timedelta(days=days_ago)
    followup = (
        None
        if followup_in_days is None
        else occurred.astimezone(dt.UTC).date() + dt.timedelta(days=followup_in_days)
    )
    return await services.log_interaction(
        actor,
        customer,
        services.InteractionData(
            channel=channel,
            summary=summary,
            occurred_at=occurred,
            followup_on=followup,
            assignee_id=assignee_id,
        ),
    )


async def set_followup(interaction_id: int, due: dt.date, assignee_id: int) -> None:
    """Move an open follow-up's due date (tests of overdue and due-today queues)."""
    await Interaction.update(
        {Interaction.followup_on: due, Interaction.assignee: assignee_id}
    ).where(Interaction.id == interaction_id)
    row = (
        await Interaction.select(Interaction.customer)
        .where(Interaction.id == interaction_id)
        .first()
    )
    assert row
    await Customer.update({Customer.next_followup_on: due}).where(Customer.id == row["customer"])
