"""The customers part of the JSON API (/api/v1), so a website form or a call-centre system can
create customers and log contacts. Partner users with the sales permission; vendor staff may read
a customer the partner shared on an order (name and contact only). Another partner's id answers
404. Refusals: 422 {"error", "status", "fields"}; a duplicate 409 with the existing customers."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, get, patch, post
from litestar.exceptions import HTTPException
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.response import Response

from portal.auth.constants import Access
from portal.auth.schemas import CurrentUser
from portal.customers import services
from portal.customers.access import get_customer_for_user
from portal.customers.contacts import contacts_of
from portal.customers.followups import get_interaction_row
from portal.customers.schemas import (
    ContactOut,
    CustomerFilters,
    CustomerIn,
    CustomerListOut,
    CustomerOut,
    CustomerPatch,
    InteractionIn,
    InteractionListOut,
    InteractionOut,
    SharedCustomerOut,
)
from portal.lib.forms import FormError
from portal.lib.inputs import PageNo, PerPage
from portal.web import current_user, not_found

SALES = {"access": Access.PARTNER_SALES}


def refusal(exc: FormError) -> HTTPException:
    if isinstance(exc, services.DuplicateFound):
        return HTTPException(
            status_code=409,
            detail=exc.errors[""],
            extra={
                "duplicates": [
                    {"id": d["id"], "name": d["name"], "reason": d["reason"]}
                    for d in exc.duplicates
                ]
            },
        )
    message = exc.errors.get("") or "; ".join(f"{k}: {v}" for k, v in exc.errors.items())
    fields = {k: v for k, v in exc.errors.items() if k}
    return HTTPException(
        status_code=422, detail=message, extra={"fields": fields} if fields else {}
    )


def customer_out(row: dict[str, Any], contacts: list[dict[str, Any]]) -> CustomerOut:
    return CustomerOut(
        id=row["id"],
        name=row["name"],
        kind=row.get("kind", ""),
        industry=row.get("industry", ""),
        size=row.get("size", ""),
        region=row.get("region", ""),
        city=row.get("city", ""),
        source=row.get("source", ""),
        owner_id=row.get("owner"),
        owner_name=row.get("owner_name") or "",
        tags=services.tags_list(row.get("tags", "")),
        notes=row.get("notes", ""),
        segment=row.get("segment", ""),
        rfm=row.get("rfm", ""),
        last_contact_at=row.get("last_contact_at"),
        next_followup_on=row.get("next_followup_on"),
        interaction_count=row.get("interaction_count", 0),
        order_count=row.get("order_count", 0),
        revenue_amount=row.get("revenue_amount", 0),
        contacts=[
            ContactOut(
                id=c["id"],
                name=c["name"],
                title=c["title"],
                phone=c["phone"],
                email=c["email"],
                wechat=c["wechat"],
            )
            for c in contacts
        ],
        created_at=row.get("created_at"),
        updated_at=row.get("updated_at"),
    )


def interaction_out(row: dict[str, Any]) -> InteractionOut:
    return InteractionOut(
        id=row["id"],
        customer_id=row["customer"],
        channel=row["channel"],
        direction=row["direction"],
        occurred_at=row["occurred_at"],
        summary=row["summary"],
        outcome=row["outcome"],
        user_name=row["user_name"],
        followup_on=row["followup_on"],
        assignee_id=row["assignee"],
        followup_done_at=row["followup_done_at"],
    )


async def _customer(user: CurrentUser, customer_id: int) -> dict[str, Any]:
    if not user.is_partner:
        raise not_found()
    return await get_customer_for_user(user, customer_id)


async def _full(user: CurrentUser, customer_id: int) -> CustomerOut:
    row = await get_customer_for_user(user, customer_id)
    return customer_out(row, await services.list_contacts(customer_id))


class CustomerApi(Controller):
    """Customers: list, create, read, change; and their contact log."""

    path = "/customers"
    tags = ["customers"]

    @get("/", name="api:customers", opt=SALES)
    async def index(
        self,
        request: Request,
        q: FromQuery[str] = "",
        segment: FromQuery[str] = "",
        tag: FromQuery[str] = "",
        owner: FromQuery[str] = "",
        page: PageNo = 1,
        per_page: PerPage = 50,
    ) -> CustomerListOut:
        """Customers the caller may see, newest first; q searches name, contact, phone, e-mail."""
        user = current_user(request)
        per_page = min(max(per_page, 1), 200)
        page = min(max(page, 1), 100_000)
        filters = CustomerFilters(
            q=q[:100], segment=segment, tag=tag, owner=owner, page=page, per_page=per_page
        )
        rows, total = await services.list_customers(user, filters)
        contacts = await contacts_of([r["id"] for r in rows])
        return CustomerListOut(
            items=[customer_out(r, contacts.get(r["id"], [])) for r in rows],
            page=page,
            per_page=per_page,
            total=total,
        )

    @post("/", name="api:customers_create", opt=SALES, status_code=201)
    async def create(self, request: Request, data: JSONBody[CustomerIn]) -> Response[CustomerOut]:
        """Create a customer with its contacts (409 with the existing ids on a duplicate)."""
        user = current_user(request)
        try:
            customer_id = await services.create_customer(
                user,
                services.CustomerData(
                    name=data.name,
                    kind=data.kind.value,
                    industry=data.industry,
                    size=data.size.value,
                    region=data.region,
                    city=data.city,
                    source=data.source.value,
                    owner_id=data.owner_id,
                    tags=services.parse_tags(data.tags),
                    notes=data.notes,
                    contacts=[
                        services.ContactData(c.name, c.title, c.phone, c.email, c.wechat)
                        for c in data.contacts
                    ],
                ),
                allow_duplicate=data.allow_duplicate,
                via="api",
            )
        except FormError as exc:
            raise refusal(exc) from None
        return Response(
            await _full(user, customer_id),
            status_code=201,
            headers={"Location": f"/api/v1/customers/{customer_id}"},
        )

    @get(
        "/{customer_id:int}",
        name="api:customer",
        opt={"access": (Access.PARTNER_SALES, Access.VENDOR)},
    )
    async def show(
        self, request: Request, customer_id: FromPath[int]
    ) -> CustomerOut | SharedCustomerOut:
        """A customer with its contacts; vendor staff: name and contact of a shared customer."""
        user = current_user(request)
        if user.is_vendor:
            return SharedCustomerOut(**await services.shared_customer(user, customer_id))
        return await _full(user, customer_id)

    @patch("/{customer_id:int}", name="api:customer_update", opt=SALES)
    async def update(
        self, request: Request, customer_id: FromPath[int], data: JSONBody[CustomerPatch]
    ) -> CustomerOut:
        """Change the fields given (tags replace the customer's tags)."""
        user = current_user(request)
        customer = await _customer(user, customer_id)
        changes = {
            name: (value.value if hasattr(value, "value") else value)
            for name in data.__struct_fields__
            if (value := getattr(data, name)) is not msgspec.UNSET
        }
        try:
            await services.update_customer(user, customer, changes)
        except FormError as exc:
            raise refusal(exc) from None
        return await _full(user, customer_id)

    @get("/{customer_id:int}/interactions", name="api:customer_interactions", opt=SALES)
    async def interactions(
        self,
        request: Request,
        customer_id: FromPath[int],
        page: PageNo = 1,
        per_page: PerPage = 50,
    ) -> InteractionListOut:
        """The customer's contact log, newest first."""
        customer = await _customer(current_user(request), customer_id)
        per_page = min(max(per_page, 1), 200)
        page = min(max(page, 1), 100_000)
        rows, total = await services.list_interactions(customer["id"], page, per_page)
        return InteractionListOut(
            items=[interaction_out(r) for r in rows], page=page, per_page=per_page, total=total
        )

    @post(
        "/{customer_id:int}/interactions",
        name="api:customer_interactions_create",
        opt=SALES,
        status_code=201,
    )
    async def log(
        self, request: Request, customer_id: FromPath[int], data: JSONBody[InteractionIn]
    ) -> InteractionOut:
        """Log a contact (occurred_at with a time zone; default now)."""
        user = current_user(request)
        customer = await _customer(user, customer_id)
        try:
            interaction_id = await services.log_interaction(
                user,
                customer,
                services.InteractionData(
                    channel=data.channel.value,
                    summary=data.summary,
                    direction=data.direction.value,
                    occurred_at=data.occurred_at,
                    outcome=data.outcome.value,
                    followup_on=data.followup_on,
                    assignee_id=data.assignee_id,
                    source="api",
                ),
            )
        except FormError as exc:
            raise refusal(exc) from None
        return interaction_out(await get_interaction_row(interaction_id))


API = [CustomerApi]
