"""Console pages for the core records: the audit log and outgoing e-mail (vendor admins).

They live in the web layer because they show what every domain writes (partner names beside
audit entries).
"""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from piccolo.custom_types import Combinable

from portal.auth.constants import Access
from portal.core import audit, email
from portal.core.tables import OutboundEmail
from portal.lib import jobs
from portal.lib.forms import optional_date, optional_int
from portal.lib.i18n import gettext as _
from portal.lib.stuck import email_stuck_reason
from portal.partners.access import partner_names_for_user
from portal.web import Page, current_user, not_found, page, page_number, redirect

PER_PAGE = 50


class AuditPages(Controller):
    """The append-only audit log, filterable by action, actor, partner and dates."""

    path = "/console/audit"
    opt = {"access": Access.VENDOR_ADMIN}

    @get("/", name="audit:list")
    async def index(
        self,
        request: Request,
        action: FromQuery[str] = "",
        actor: FromQuery[str] = "",
        partner_id: FromQuery[str] = "",
        since: FromQuery[str] = "",
        until: FromQuery[str] = "",
    ) -> Template:
        number = page_number(request.query_params.get("page"))
        filters = audit.AuditFilters(
            action=action.strip(),
            actor=actor.strip(),
            partner_id=optional_int(partner_id),
            since=optional_date(since),
            until=optional_date(until),
            page=number,
            per_page=PER_PAGE,
        )
        rows, total = await audit.list_entries(filters)
        partner_ids = {r["partner_id"] for r in rows if r["partner_id"]}
        if filters.partner_id:
            partner_ids.add(filters.partner_id)
        names = await partner_names_for_user(current_user(request), partner_ids)
        params = {
            "action": action,
            "actor": actor,
            "partner_id": partner_id,
            "since": since,
            "until": until,
        }
        return page(
            request,
            "console/audit.html",
            entries=rows,
            partner_names=names,
            actions=await audit.list_actions(),
            params=params,
            values=params,
            pager=Page(number, PER_PAGE, total),
        )


class EmailPages(Controller):
    """Outgoing e-mail with its delivery status; a failed or stuck message can be sent again."""

    path = "/console/emails"
    opt = {"access": Access.VENDOR_ADMIN}

    @get("/", name="emails:list")
    async def index(
        self, request: Request, status: FromQuery[str] = "", q: FromQuery[str] = ""
    ) -> Template:
        number = page_number(request.query_params.get("page"))
        where: list[Combinable] = []
        if status in {"pending", "sent", "failed"}:
            where.append(OutboundEmail.status == status)
        if q.strip():
            where.append(
                OutboundEmail.to_address.ilike(f"%{q.strip()}%")
                | OutboundEmail.subject.ilike(f"%{q.strip()}%")
            )
        query = OutboundEmail.select(
            OutboundEmail.id,
            OutboundEmail.to_address,
            OutboundEmail.subject,
            OutboundEmail.kind,
            OutboundEmail.status,
            OutboundEmail.attempts,
            OutboundEmail.last_error,
            OutboundEmail.created_at,
            OutboundEmail.sent_at,
            OutboundEmail.lease_until,
            OutboundEmail.next_attempt_at,
        ).order_by(OutboundEmail.id, ascending=False)
        count = OutboundEmail.count()
        if where:
            query = query.where(*where)
            count = count.where(*where)
        rows = await query.limit(PER_PAGE).offset((number - 1) * PER_PAGE)
        rows = [{**r, "stuck": email_stuck_reason(r)} for r in rows]
        total = await count
        params = {"status": status, "q": q}
        return page(
            request,
            "console/emails.html",
            emails=rows,
            params=params,
            values=params,
            pager=Page(number, PER_PAGE, total),
        )

    @post("/{email_id:int}/retry", name="emails:retry")
    async def retry(self, request: Request, email_id: FromPath[int]) -> Redirect:
        user = current_user(request)
        row = (
            await OutboundEmail.select(
                OutboundEmail.id, OutboundEmail.status, OutboundEmail.to_address
            )
            .where(OutboundEmail.id == email_id)
            .first()
        )
        if row is None:
            raise not_found()
        if row["status"] == "sent":
            return redirect(
                request, "emails:list", flash=("info", _("This e-mail was already sent."))
            )
        await email.retry(email_id)
        await audit.record(
            "email.retry",
            actor=user,
            target_type="email",
            target_id=email_id,
            detail=row["to_address"],
        )
        await jobs.enqueue("deliver_email", email_id, job_id=f"email:{email_id}:retry")
        return redirect(
            request, "emails:list", flash=("success", _("The e-mail will be sent again."))
        )


PAGES = [AuditPages, EmailPages]
