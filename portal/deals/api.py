"""The deals part of the JSON API (/api/v1/deals), a contract: paths and field names stay.

Partner users (sales permission) register and follow their own partner's deals; vendor staff
read the deals of the partners in their scope and review them. Another partner's deal answers
404; bad input 422 with {"error", "fields"}, a step the deal's status does not allow 409. The
conflict flag says that another partner holds the customer, never which."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, patch, post
from litestar.exceptions import HTTPException
from litestar.params import FromPath, FromQuery, JSONBody

from portal.auth.constants import Access
from portal.auth.schemas import CurrentUser
from portal.deals import services
from portal.deals.schemas import (
    ApproveIn,
    AttachmentOut,
    DealData,
    DealFilters,
    DealIn,
    DealListOut,
    DealOut,
    DealPatch,
    EventOut,
    ExtendIn,
    LineOut,
    ReasonIn,
    WinIn,
)
from portal.lib.forms import FormError
from portal.lib.inputs import PageNo, PerPage
from portal.web import current_user

READERS = {"access": (Access.PARTNER_SALES, Access.VENDOR)}
SELLERS = {"access": Access.PARTNER_SALES}
STAFF = {"access": Access.VENDOR}


def refusal(exc: FormError) -> HTTPException:
    if isinstance(exc, services.NotAllowed):
        return HTTPException(status_code=409, detail=exc.message)
    message = exc.errors.get("") or "; ".join(exc.errors.values())
    fields = {k: v for k, v in exc.errors.items() if k}
    return HTTPException(
        status_code=422, detail=message, extra={"fields": fields} if fields else {}
    )


def deal_out(
    deal: dict[str, Any],
    lines: list[dict[str, Any]],
    orders: list[dict[str, Any]] | None = None,
    events: list[dict[str, Any]] | None = None,
    files: list[dict[str, Any]] | None = None,
) -> DealOut:
    return DealOut(
        id=deal["id"],
        number=deal["number"],
        status=deal["status"],
        stage=deal["stage"],
        name=deal["name"],
        customer_id=deal["customer"],
        customer_name=deal["customer_name"],
        partner_code=deal.get("partner_code", ""),
        estimated_amount=int(deal["estimated_amount"]),
        currency=deal["currency"],
        expected_close_on=deal["expected_close_on"],
        conflict=bool(deal["conflict"]),
        conflict_message=services.conflict_message() if deal["conflict"] else None,
        protection_from=deal["protection_from"],
        protection_until=deal["protection_until"],
        extension_requested=deal["extension_requested_at"] is not None,
        decline_reason=deal["decline_reason"],
        info_request=deal["info_request"],
        lost_reason=deal["lost_reason"],
        lines=[LineOut(sku=x["sku"], quantity=int(x["quantity"])) for x in lines],
        order_ids=[int(o["order"]) for o in orders or []],
        created_at=deal["created_at"],
        updated_at=deal["updated_at"],
        events=(
            [
                EventOut(
                    kind=e["kind"],
                    at=e["at"],
                    actor=e["actor_name"],
                    from_status=e["from_status"],
                    to_status=e["to_status"],
                    detail=e["detail"],
                )
                for e in events
            ]
            if events is not None
            else None
        ),
        attachments=(
            [
                AttachmentOut(
                    name=f["filename"], size=int(f["size"]), url=f"/deals/files/{f['id']}"
                )
                for f in files
            ]
            if files is not None
            else None
        ),
    )


async def full_deal(user: CurrentUser, deal_id: int, status_code: int = 200) -> DealOut:
    detail = await services.deal_detail(user, deal_id)
    return deal_out(
        detail["deal"], detail["lines"], detail["orders"], detail["events"], detail["files"]
    )


def _data(body: DealIn | DealPatch, before: dict[str, Any] | None = None) -> DealData:
    def pick(name: str, default: Any) -> Any:
        value = getattr(body, name, None)
        return default if value is None else value

    old = before or {}
    old_deal = old.get("deal", {})
    lines = body.lines
    return DealData(
        name=pick("name", old_deal.get("name", "")),
        customer_id=pick("customer_id", old_deal.get("customer")),
        customer_name=pick("customer_name", ""),
        credit_code=pick("credit_code", old_deal.get("credit_code", "")),
        customer_phone=pick("customer_phone", old_deal.get("customer_phone", "")),
        customer_email=pick("customer_email", old_deal.get("customer_email", "")),
        lines=(
            [(x.sku, x.quantity) for x in lines]
            if lines is not None
            else [(x["sku"], int(x["quantity"])) for x in old.get("lines", [])]
        ),
        estimated_amount=pick("estimated_amount", old_deal.get("estimated_amount", 0)),
        expected_close_on=pick("expected_close_on", old_deal.get("expected_close_on")),
        competitors=pick("competitors", old_deal.get("competitors", "")),
        stage=pick("stage", old_deal.get("stage", "qualified")),
        note=pick("note", old_deal.get("note", "")),
    )


class DealApi(Controller):
    path = "/deals"
    opt = READERS

    @get("/", name="api:deals")
    async def index(
        self,
        request: Request,
        status: FromQuery[str] = "",
        stage: FromQuery[str] = "",
        q: FromQuery[str] = "",
        page: PageNo = 1,
        per_page: PerPage = 50,
    ) -> DealListOut:
        """The deals the caller may see, newest first; status "open" or one status."""
        user = current_user(request)
        page = max(page, 1)
        per_page = min(max(per_page, 1), 200)
        filters = DealFilters(
            status=status[:20], stage=stage[:20], q=q[:100], page=page, per_page=per_page
        )
        rows, total = await services.list_deals(user, filters)
        lines = await services.lines_of([int(r["id"]) for r in rows])
        return DealListOut(
            items=[deal_out(r, lines.get(int(r["id"]), [])) for r in rows],
            total=total,
            page=page,
            per_page=per_page,
        )

    @post("/", name="api:deals_create", status_code=201, opt=SELLERS)
    async def create(self, request: Request, data: JSONBody[DealIn]) -> DealOut:
        """Register a deal (a draft; `"submit": true` submits it at once)."""
        user = current_user(request)
        try:
            deal_id = await services.save_deal(user, _data(data))
            if data.submit:
                await services.submit_deal(user, deal_id)
        except FormError as exc:
            raise refusal(exc) from None
        return await full_deal(user, deal_id)

    @get("/{deal_id:int}", name="api:deal")
    async def show(self, request: Request, deal_id: FromPath[int]) -> DealOut:
        """One deal with its lines, orders and timeline."""
        return await full_deal(current_user(request), deal_id)

    @patch("/{deal_id:int}", name="api:deal_update", opt=SELLERS)
    async def update(
        self, request: Request, deal_id: FromPath[int], data: JSONBody[DealPatch]
    ) -> DealOut:
        """Change a draft (or a deal the vendor asked about); fields left out stay."""
        user = current_user(request)
        try:
            before = await services.deal_detail(user, deal_id)
            await services.save_deal(user, _data(data, before), deal_id)
        except FormError as exc:
            raise refusal(exc) from None
        return await full_deal(user, deal_id)

    async def _run(self, request: Request, deal_id: int, step: Any) -> DealOut:
        user = current_user(request)
        try:
            await step(user)
        except FormError as exc:
            raise refusal(exc) from None
        return await full_deal(user, deal_id)

    @post("/{deal_id:int}/submit", name="api:deal_submit", status_code=200, opt=SELLERS)
    async def submit(self, request: Request, deal_id: FromPath[int]) -> DealOut:
        """Submit for review; the answer's `conflict` says whether another partner holds it."""
        return await self._run(request, deal_id, lambda u: services.submit_deal(u, deal_id))

    @post("/{deal_id:int}/approve", name="api:deal_approve", status_code=200, opt=STAFF)
    async def approve(
        self, request: Request, deal_id: FromPath[int], data: JSONBody[ApproveIn]
    ) -> DealOut:
        """Approve with a protection period (`days`, default 90)."""
        return await self._run(
            request, deal_id, lambda u: services.approve_deal(u, deal_id, data.days, data.note)
        )

    @post("/{deal_id:int}/decline", name="api:deal_decline", status_code=200, opt=STAFF)
    async def decline(
        self, request: Request, deal_id: FromPath[int], data: JSONBody[ReasonIn]
    ) -> DealOut:
        """Decline with a reason."""
        return await self._run(
            request, deal_id, lambda u: services.decline_deal(u, deal_id, data.reason)
        )

    @post("/{deal_id:int}/extend", name="api:deal_extend", status_code=200)
    async def extend(
        self, request: Request, deal_id: FromPath[int], data: JSONBody[ExtendIn]
    ) -> DealOut:
        """A partner requests the one extension (`reason`); vendor staff grant it (`days`)."""

        async def step(user: CurrentUser) -> Any:
            if user.is_vendor:
                return await services.grant_extension(user, deal_id, data.days)
            return await services.request_extension(user, deal_id, data.reason)

        return await self._run(request, deal_id, step)

    @post("/{deal_id:int}/win", name="api:deal_win", status_code=200)
    async def win(self, request: Request, deal_id: FromPath[int], data: JSONBody[WinIn]) -> DealOut:
        """Won, with the orders that won it."""
        return await self._run(
            request, deal_id, lambda u: services.win_deal(u, deal_id, list(data.order_ids))
        )

    @post("/{deal_id:int}/lose", name="api:deal_lose", status_code=200)
    async def lose(
        self, request: Request, deal_id: FromPath[int], data: JSONBody[ReasonIn]
    ) -> DealOut:
        """Lost, with the reason."""
        return await self._run(
            request, deal_id, lambda u: services.lose_deal(u, deal_id, data.reason)
        )


API = [DealApi]
