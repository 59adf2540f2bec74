"""Contacts logged and follow-ups: a contact closes the open ones; next_followup_on keeps up."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from portal.auth.schemas import CurrentUser
from portal.core import audit
from portal.customers.access import get_customer_for_user
from portal.customers.records import _check_partner_user
from portal.customers.segmentation import recompute_segments
from portal.customers.tables import Customer, Interaction
from portal.customers.values import channel_label
from portal.db import write_transaction
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.lib.i18n import to_local
from portal.tenancy import NotFound


@dataclass
class InteractionData:
    channel: str
    summary: str
    direction: str = "outbound"
    occurred_at: dt.datetime | None = None
    outcome: str = ""
    followup_on: dt.date | None = None
    assignee_id: int | None = None
    source: str = "portal"


async def list_interactions(
    customer_id: int, page: int = 1, per_page: int = 50
) -> tuple[list[dict[str, Any]], int]:
    """A customer's contacts, newest first, with the assignee's name."""
    per_page = min(max(per_page, 1), 200)
    rows = await (
        Interaction.select(
            *Interaction.all_columns(), Interaction.assignee.name.as_alias("assignee_name")
        )
        .where(Interaction.customer == customer_id)
        .order_by(Interaction.occurred_at, ascending=False)
        .order_by(Interaction.id, ascending=False)
        .limit(per_page)
        .offset((max(page, 1) - 1) * per_page)
    )
    total = await Interaction.count().where(Interaction.customer == customer_id)
    return rows, total


async def _refresh_followup(customer_id: int) -> None:
    row = await (
        Interaction.select(Interaction.followup_on)
        .where(
            (Interaction.customer == customer_id)
            & Interaction.followup_on.is_not_null()
            & Interaction.followup_done_at.is_null()
        )
        .order_by(Interaction.followup_on)
        .first()
    )
    await Customer.update({Customer.next_followup_on: row["followup_on"] if row else None}).where(
        Customer.id == customer_id
    )


async def log_interaction(
    actor: CurrentUser, customer: dict[str, Any], data: InteractionData
) -> int:
    """Record a contact with the customer. It completes the customer's open follow-ups (this
    contact is the follow-up) and may set the next one, assigned to the actor by default."""
    partner_id = int(customer["partner"])
    moment = now()
    occurred = data.occurred_at or moment
    if occurred.tzinfo is None:
        raise FormError({"occurred_at": _("Enter a valid date and time.")})
    if occurred.replace(second=0, microsecond=0) == moment.replace(second=0, microsecond=0):
        # the form's time has minutes only: a contact logged "now" (the minute it shows) takes
        # the exact instant, so it comes after whatever else was logged earlier in that minute
        occurred = moment
    errors: dict[str, str] = {}
    if occurred > moment + dt.timedelta(minutes=10):
        errors["occurred_at"] = _("A contact cannot lie in the future.")
    if occurred < moment - dt.timedelta(days=3660):
        errors["occurred_at"] = _("Enter a date within the last ten years.")
    if not data.summary.strip():
        errors["summary"] = _("This field is required.")
    if data.followup_on is not None and data.followup_on < to_local(occurred).date():
        errors["followup_on"] = _("The follow-up date cannot be before the contact.")
    if errors:
        raise FormError(errors)
    assignee = data.assignee_id
    if data.followup_on is not None and assignee is None:
        assignee = actor.id
    await _check_partner_user(partner_id, assignee, "assignee_id")
    async with write_transaction():
        inserted = await Interaction.insert(
            Interaction(
                customer=customer["id"],
                partner=partner_id,
                user=actor.id,
                user_name=actor.name or actor.email,
                channel=data.channel,
                direction=data.direction,
                occurred_at=occurred,
                summary=data.summary.strip(),
                outcome=data.outcome,
                followup_on=data.followup_on,
                assignee=assignee if data.followup_on else None,
                source=data.source,
                created_at=moment,
            )
        ).returning(Interaction.id)
        interaction_id = int(inserted[0]["id"])
        # This contact is the follow-up the earlier contacts asked for: it closes them, done
        # when it happened (a contact logged late still counts on time if it was on time).
        await Interaction.update(
            {Interaction.followup_done_at: occurred, Interaction.followup_done_by_id: actor.id}
        ).where(
            (Interaction.customer == customer["id"])
            & (Interaction.id != interaction_id)
            & (Interaction.occurred_at <= occurred)
            & Interaction.followup_on.is_not_null()
            & Interaction.followup_done_at.is_null()
        )
        last = customer.get("last_contact_at")
        await Customer.update(
            {
                Customer.interaction_count: Customer.interaction_count + 1,
                Customer.last_contact_at: occurred if last is None or occurred > last else last,
                Customer.updated_at: moment,
            }
        ).where(Customer.id == customer["id"])
        await _refresh_followup(customer["id"])
        await audit.record(
            "customer.contact_logged",
            actor=actor,
            partner_id=partner_id,
            target_type="customer",
            target_id=customer["id"],
            after={"interaction": interaction_id, "channel": data.channel},
        )

    await recompute_segments(customer_ids=[int(customer["id"])])
    return interaction_id


async def log_interaction_for(actor: CurrentUser, customer_id: int, data: InteractionData) -> int:
    """log_interaction for the customer with this id, read through the wall (NotFound outside
    it): how other domains log a contact (an accepted lead) without holding the customer row."""
    customer = await get_customer_for_user(actor, customer_id)
    return await log_interaction(actor, customer, data)


async def complete_followup(actor: CurrentUser, interaction_id: int) -> None:
    """Mark a follow-up done without logging a contact; NotFound outside the wall."""
    row = await (
        Interaction.select(Interaction.customer, Interaction.followup_done_at)
        .where((Interaction.id == interaction_id) & Interaction.followup_on.is_not_null())
        .first()
    )
    if row is None:
        raise NotFound
    customer = await get_customer_for_user(actor, row["customer"])
    if row["followup_done_at"] is not None:
        return
    async with write_transaction():
        await Interaction.update(
            {Interaction.followup_done_at: now(), Interaction.followup_done_by_id: actor.id}
        ).where((Interaction.id == interaction_id) & Interaction.followup_done_at.is_null())
        await _refresh_followup(customer["id"])
        await audit.record(
            "customer.followup_done",
            actor=actor,
            partner_id=customer["partner"],
            target_type="customer",
            target_id=customer["id"],
            after={"interaction": interaction_id},
        )


async def followups_for_user(user_id: int, today: dt.date, days: int = 7) -> list[dict[str, Any]]:
    """Open follow-ups assigned to a user, due up to `days` after today (overdue included)."""
    rows = await (
        Interaction.select(
            Interaction.id,
            Interaction.customer,
            Interaction.customer.name.as_alias("customer_name"),
            Interaction.followup_on,
            Interaction.summary,
            Interaction.channel,
            Interaction.occurred_at,
        )
        .where(
            (Interaction.assignee == user_id)
            & Interaction.followup_done_at.is_null()
            & Interaction.followup_on.is_not_null()
            & (Interaction.followup_on <= today + dt.timedelta(days=days))
        )
        .order_by(Interaction.followup_on)
        .limit(500)
    )
    for row in rows:
        row["overdue"] = row["followup_on"] < today
        row["due_today"] = row["followup_on"] == today
        row["channel_label"] = channel_label(row["channel"])
    return rows


def bucket(rows: list[dict[str, Any]], today: dt.date) -> dict[str, list[dict[str, Any]]]:
    return {
        "overdue": [r for r in rows if r["followup_on"] < today],
        "today": [r for r in rows if r["followup_on"] == today],
        "week": [r for r in rows if today < r["followup_on"] <= today + dt.timedelta(days=7)],
    }


async def get_interaction_row(interaction_id: int) -> dict[str, Any]:
    """One interaction as stored (after the caller reached it through the customer's door)."""
    row = await Interaction.select().where(Interaction.id == interaction_id).first()
    if row is None:
        raise NotFound
    return row
