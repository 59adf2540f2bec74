"""Shared by the customer pages: options, query filters, form data, the partner-only lookup."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Request

from portal.auth.constants import Access
from portal.auth.schemas import CurrentUser
from portal.customers import services
from portal.customers.access import get_customer_for_user
from portal.customers.constants import (
    CHANNEL_LABELS,
    DIRECTION_LABELS,
    KIND_LABELS,
    OUTCOME_LABELS,
    SEGMENT_LABELS,
    SIZE_LABELS,
    SOURCE_LABELS,
)
from portal.customers.schemas import CustomerFilters, CustomerForm, InteractionForm
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.lib.i18n import to_local
from portal.settings import get_settings
from portal.web import not_found, page_number

SALES = {"access": Access.PARTNER_SALES}
PER_PAGE = 50


def options(labels: dict[Any, str]) -> list[tuple[str, str]]:
    return [(k.value, _(v)) for k, v in labels.items()]


def segment_options() -> list[tuple[str, str]]:
    return options(SEGMENT_LABELS)


def parse_local(value: str) -> dt.datetime | None:
    """A datetime-local field ("YYYY-MM-DDTHH:MM", portal time zone) as an aware datetime."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        raise FormError({"occurred_at": _("Enter a valid date and time.")}) from None
    return parsed.replace(tzinfo=get_settings().tz) if parsed.tzinfo is None else parsed


async def _customer(user: CurrentUser, customer_id: int) -> dict[str, Any]:
    """The customer for a partner page; vendor staff never get the partner's pages (404)."""
    if not user.is_partner:
        raise not_found()
    return await get_customer_for_user(user, customer_id)


def _filters(request: Request) -> tuple[CustomerFilters, dict[str, str]]:
    q = request.query_params
    params = {
        k: str(q.get(k, "")).strip()[:100]
        for k in ("q", "segment", "tag", "owner", "source", "followup", "sort")
    }
    filters = CustomerFilters(
        q=params["q"],
        segment=params["segment"],
        tag=params["tag"],
        owner=params["owner"],
        source=params["source"],
        followup=params["followup"],
        sort=params["sort"] or "recent",
        page=page_number(q.get("page")),
        per_page=PER_PAGE,
    )
    return filters, params


def interaction_data(form: InteractionForm, source: str = "portal") -> services.InteractionData:
    return services.InteractionData(
        channel=form.channel.value,
        direction=form.direction.value,
        occurred_at=parse_local(form.occurred_at),
        summary=form.summary,
        outcome=form.outcome.value,
        followup_on=form.followup_on,
        assignee_id=form.assignee_id,
        source=source,
    )


def interaction_defaults(user: CurrentUser) -> dict[str, Any]:
    return {
        "channel": "phone",
        "direction": "outbound",
        "occurred_at": to_local(now()).strftime("%Y-%m-%dT%H:%M"),
        "assignee_id": user.id,
    }


def form_choices() -> dict[str, Any]:
    return {
        "kind_options": options(KIND_LABELS),
        "size_options": options(SIZE_LABELS),
        "source_options": options(SOURCE_LABELS),
        "channel_options": options(CHANNEL_LABELS),
        "direction_options": options(DIRECTION_LABELS),
        "outcome_options": options(OUTCOME_LABELS),
    }


def _customer_data(form: CustomerForm) -> tuple[services.CustomerData, services.ContactData]:
    contact = services.ContactData(
        name=form.contact_name,
        title=form.contact_title,
        phone=form.contact_phone,
        email=form.contact_email,
        wechat=form.contact_wechat,
    )
    data = services.CustomerData(
        name=form.name,
        kind=form.kind.value,
        industry=form.industry,
        size=form.size.value,
        region=form.region,
        city=form.city,
        source=form.source.value,
        owner_id=form.owner_id,
        tags=services.parse_tags(form.tags),
        notes=form.notes,
        contacts=[contact],
    )
    return data, contact
