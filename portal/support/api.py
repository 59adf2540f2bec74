"""The cases part of the JSON API (/api/v1) and the inbound e-mail endpoint.

Partner users see and open their own partner's cases; vendor staff the cases in their scope.
Another partner's case answers 404; internal notes never appear in a partner's response. Bad
input answers 422 with {"error": ..., "fields": {...}}, a disallowed status change 409."""

from __future__ import annotations

import hmac
from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import HTTPException
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.response import Response

from portal.auth.constants import Access
from portal.auth.schemas import CurrentUser
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.lib.inputs import PageNo, PerPage
from portal.settings import get_settings
from portal.support import inbound, services
from portal.support.constants import Channel
from portal.support.policy import load_policy, time_left
from portal.support.schemas import (
    CaseFilters,
    CaseForm,
    CaseIn,
    CaseListOut,
    CaseOut,
    DeadlineOut,
    InboundAccepted,
    MessageOut,
    ReplyIn,
)
from portal.web import current_user

READERS = {"access": (Access.PARTNER, Access.VENDOR)}


def refusal(exc: FormError) -> HTTPException:
    if isinstance(exc, services.StatusConflict):
        return HTTPException(status_code=409, detail=exc.message)
    message = exc.errors.get("") or "; ".join(exc.errors.values())
    fields = {k: v for k, v in exc.errors.items() if k}
    return HTTPException(
        status_code=422, detail=message, extra={"fields": fields} if fields else {}
    )


def message_out(m: dict[str, Any]) -> MessageOut:
    return MessageOut(
        id=m["id"],
        author=m["author_name"],
        from_vendor=m["author_is_vendor"],
        internal=m["is_internal"],
        channel=m["channel"],
        body=m["body"],
        created_at=m["created_at"],
    )


def case_out(
    case: dict[str, Any],
    policy: Any,
    messages: list[dict[str, Any]] | None = None,
    csat: int | None = None,
) -> CaseOut:
    fr_met = (
        None
        if case["first_responded_at"] is None or case["fr_due_at"] is None
        else case["first_responded_at"] <= case["fr_due_at"]
    )
    return CaseOut(
        id=case["id"],
        number=case["number"],
        status=case["status"],
        category=case["category"],
        priority=case["priority"],
        subject=case["subject"],
        description=case.get("description", ""),
        partner_code=case.get("partner_code", ""),
        partner_name=case.get("partner_name", ""),
        requester=case.get("requester_name", ""),
        assignee=case.get("assignee_name") or None,
        order_id=case.get("order_id"),
        end_customer_id=case.get("end_customer_id"),
        channel=case.get("channel", "portal"),
        created_at=case["created_at"],
        updated_at=case["updated_at"],
        first_response=DeadlineOut(
            due_at=case["fr_due_at"],
            met=fr_met,
            business_minutes_left=(
                time_left(policy, case["fr_due_at"]) if case["first_responded_at"] is None else None
            ),
        ),
        resolution=DeadlineOut(
            due_at=case["res_due_at"],
            met=case.get("resolved_within_sla"),
            business_minutes_left=(
                time_left(policy, case["res_due_at"]) if case["status"] in ("new", "open") else None
            ),
        ),
        resolved_at=case.get("resolved_at"),
        closed_at=case.get("closed_at"),
        csat=csat if csat is not None else case.get("csat_score"),
        messages=[message_out(m) for m in messages] if messages is not None else None,
    )


async def full_case(user: CurrentUser, case_id: int) -> CaseOut:
    detail = await services.case_detail(user, case_id)
    return case_out(detail["case"], await load_policy(), detail["messages"], detail["csat"])


class CaseApi(Controller):
    path = "/cases"
    opt = READERS

    @get("/", name="api:cases")
    async def index(
        self,
        request: Request,
        status: FromQuery[str] = "",
        q: FromQuery[str] = "",
        page: PageNo = 1,
        per_page: PerPage = 50,
    ) -> CaseListOut:
        """Cases the caller may see; status "" = open (new, open, waiting), "all", or a list."""
        user = current_user(request)
        page = max(page, 1)
        per_page = min(max(per_page, 1), 200)
        rows, total = await services.list_cases(
            user, CaseFilters(status=status, q=q[:100], page=page, per_page=per_page)
        )
        policy = await load_policy()
        for row in rows:
            row.setdefault("description", "")
        return CaseListOut(
            items=[case_out(r, policy) for r in rows], total=total, page=page, per_page=per_page
        )

    @post("/", name="api:cases_create", status_code=201)
    async def create(self, request: Request, data: JSONBody[CaseIn]) -> CaseOut:
        """Open a case. Vendor staff name partner_id (and optionally requester_id)."""
        user = current_user(request)
        if user.is_partner and data.partner_id not in (None, user.partner_id):
            # said, not silently ignored: the integrator believes it opens a case for someone else
            raise refusal(
                FormError({"partner_id": _("You can open cases only for your own company.")})
            )
        form = CaseForm(
            category=data.category,
            priority=data.priority,
            subject=data.subject,
            description=data.description,
            order_id=data.order_id,
            end_customer_id=data.end_customer_id,
        )
        try:
            case_id = await services.open_case(
                user,
                form,
                partner_id=data.partner_id,
                requester_id=data.requester_id,
                channel=Channel.API,
            )
        except FormError as exc:
            raise refusal(exc) from None
        return await full_case(user, case_id)

    @get("/{case_id:int}", name="api:case")
    async def show(self, request: Request, case_id: FromPath[int]) -> CaseOut:
        """One case with its conversation (internal notes only for vendor staff)."""
        return await full_case(current_user(request), case_id)

    @post("/{case_id:int}/replies", name="api:case_reply", status_code=201)
    async def reply(
        self, request: Request, case_id: FromPath[int], data: JSONBody[ReplyIn]
    ) -> MessageOut:
        """Add a reply; vendor staff may add an internal note or set the status after it."""
        user = current_user(request)
        try:
            message_id = await services.reply(
                user,
                case_id,
                data.body,
                internal=data.internal,
                then=data.status.value if data.status else "",
                channel=Channel.API,
            )
        except FormError as exc:
            raise refusal(exc) from None
        detail = await services.case_detail(user, case_id)
        message = next(m for m in detail["messages"] if m["id"] == message_id)
        return message_out(message)


class InboundEmailApi(Controller):
    """POST a raw RFC 822 message (e.g. from the MTA or a mail provider's webhook) with the
    header X-Inbound-Secret; it becomes a reply on its case, or is refused with a reason."""

    path = "/inbound-email"
    opt = {"access": Access.PUBLIC}

    @post(
        "/",
        name="api:inbound_email",
        status_code=202,
        description="The raw message is the body (Content-Type: message/rfc822); no bearer token, "
        "the X-Inbound-Secret header instead. 422 names why a message was refused.",
    )
    async def receive(self, request: Request) -> Response[InboundAccepted]:
        secret = get_settings().inbound_email_secret
        if not secret:
            raise HTTPException(status_code=503, detail=_("Inbound e-mail is not configured."))
        given = request.headers.get("x-inbound-secret", "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            raise HTTPException(status_code=403, detail=_("The inbound e-mail secret is wrong."))
        raw = await request.body()
        try:
            accepted = await inbound.ingest(raw)
        except inbound.Refused as exc:
            raise HTTPException(status_code=422, detail=exc.reason) from None
        return Response(
            InboundAccepted(
                case_id=accepted.case_id,
                message_id=accepted.message_id,
                duplicate=accepted.duplicate,
            ),
            status_code=202,
        )


API = [CaseApi, InboundEmailApi]
