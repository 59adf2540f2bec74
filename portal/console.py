"""Console pages for the core records: the audit log and outgoing e-mail (vendor admins).

They live in the web layer because they show what every domain writes (partner names beside
audit entries).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Response, Template
from piccolo.custom_types import Combinable

from portal.auth.constants import Access
from portal.auth.schemas import CurrentUser
from portal.communications.campaigns.constants import CAMPAIGN_STATUS_LABELS
from portal.communications.feedback.constants import REQUEST_STATUS_LABELS
from portal.core import audit, email
from portal.core.tables import OutboundEmail
from portal.deals.access import deal_numbers_for_user
from portal.deals.constants import STATUS_LABELS as DEAL_STATUS_LABELS
from portal.lib import clock, jobs
from portal.lib.forms import id_filter, optional_date
from portal.lib.i18n import (
    LANGUAGE_NAMES,
    N_,
    current_locale,
    format_money,
    format_percent,
    to_local,
)
from portal.lib.i18n import gettext as _
from portal.lib.inputs import parse_id
from portal.lib.spreadsheets import XLSX_TYPE, workbook
from portal.lib.stuck import email_stuck_reason
from portal.orders.access import order_numbers_for_user
from portal.orders.services import status_label as order_status_label
from portal.orders.tables import Product
from portal.partners.access import (
    partner_names_for_user,
    partners_in_scope,
    user_names_for_user,
)
from portal.partners.constants import province_name
from portal.partners.services import list_tiers, tier_label
from portal.support.access import case_numbers_for_user
from portal.support.constants import STATUS_LABELS as CASE_STATUS_LABELS
from portal.web import Page, current_user, not_found, page, page_number, redirect

PER_PAGE = 50
EXPORT_MAX = 50_000  # rows in one audit export (newest first); the page says when it is cut
EXPORT_BATCH = 1_000

ROLE_LABELS = {
    "vendor_admin": N_("Vendor administrator"),
    "channel_manager": N_("Channel manager"),
    "partner_admin": N_("Partner administrator"),
    "partner_member": N_("Partner member"),
}
PARTNER_STATUS_LABELS = {"active": N_("Active"), "suspended": N_("Suspended")}
KIND_LABELS = {"dealer": N_("Dealer"), "distributor": N_("Distributor")}
APPLICATION_STATUS_LABELS = {
    "pending": N_("Pending"),
    "approved": N_("Approved"),
    "declined": N_("Declined"),
}
# the statuses of each kind of record, in words (an order's come from the orders domain)
STATUS_LABELS: dict[str, dict[str, str]] = {
    "partner": PARTNER_STATUS_LABELS,
    "application": APPLICATION_STATUS_LABELS,
    "support_case": {k.value: v for k, v in CASE_STATUS_LABELS.items()},
    "deal": {k.value: v for k, v in DEAL_STATUS_LABELS.items()},
    "campaign": {k.value: v for k, v in CAMPAIGN_STATUS_LABELS.items()},
    "feedback_request": {k.value: v for k, v in REQUEST_STATUS_LABELS.items()},
}
# (route name, its id parameter) of the page of each kind of record
TARGET_ROUTES = {
    "partner": ("partners:show", "partner_id"),
    "order": ("console_orders:show", "order_id"),
    "support_case": ("console_cases:show", "case_id"),
    "campaign": ("console_campaigns:show", "campaign_id"),
    "feedback_request": ("console_feedback:show", "request_id"),
    "product": ("console_catalog:edit", "product_id"),
    "price_list": ("console_catalog:price_list", "price_list_id"),
    "application": ("applications:show", "application_id"),
    "deal": ("console:deal", "deal_id"),
    "kb_article": ("console_kb:edit", "article_id"),
}


def _ids(rows: list[dict[str, Any]], target_type: str) -> list[int]:
    return sorted(
        {int(r["target_id"]) for r in rows if r["target_type"] == target_type and _digits(r)}
    )


def _digits(row: dict[str, Any]) -> bool:
    return parse_id(row["target_id"]) is not None


class Describer:
    """Turns audit rows into what a person reads: the action in words, the record by its name
    with a link to its page, each change as before -> after with labels, tiers, money and
    people by name. A fixed number of look-ups per page (one per kind of record)."""

    def __init__(self, request: Request | None) -> None:
        self.request = request
        self.partners: dict[int, str] = {}
        self.tiers: dict[int, str] = {}
        self.users: dict[int, str] = {}
        self.names: dict[tuple[str, int], str] = {}

    async def load(self, user: CurrentUser, rows: list[dict[str, Any]]) -> None:
        partner_ids = {int(r["partner_id"]) for r in rows if r["partner_id"]}
        partner_ids.update(_ids(rows, "partner"))
        self.partners = await partner_names_for_user(user, partner_ids)
        user_ids = set(_ids(rows, "user"))
        for r in rows:
            for side in (r["before"], r["after"]):
                for key in ("channel_manager_id", "assignee_id"):
                    if isinstance(side.get(key), int):
                        user_ids.add(side[key])
        self.users = await user_names_for_user(user, user_ids)
        if any("tier_id" in r["before"] or "tier_id" in r["after"] for r in rows):
            self.tiers = {int(t["id"]): tier_label(t) for t in await list_tiers()}
        # names through each domain's wall: a manager reads only his partners' orders and cases
        for number_id, number in (await order_numbers_for_user(user, _ids(rows, "order"))).items():
            self.names[("order", number_id)] = number
        for case_id, number in (
            await case_numbers_for_user(user, _ids(rows, "support_case"))
        ).items():
            self.names[("support_case", case_id)] = number
        for deal_id, number in (await deal_numbers_for_user(user, _ids(rows, "deal"))).items():
            self.names[("deal", deal_id)] = number
        if ids := _ids(rows, "product"):
            found = await Product.select(Product.id, Product.sku).where(Product.id.is_in(ids))
            self.names.update({("product", int(f["id"])): f["sku"] for f in found})

    def value(self, target_type: str, key: str, value: Any) -> str:
        """One value of a change in words."""
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        if key == "tier_id" and isinstance(value, int):
            return self.tiers.get(value, f"#{value}")
        if key in ("channel_manager_id", "assignee_id") and isinstance(value, int):
            return self.users.get(value, f"#{value}")
        if (key == "amount" or key.endswith("_amount")) and isinstance(value, int):
            return format_money(value)
        if key == "discount_bp" and isinstance(value, int):
            return format_percent(value / 10_000)
        if key == "role":
            label = ROLE_LABELS.get(str(value))
            return _(label) if label else str(value)
        if key == "status":
            if target_type == "order":
                return order_status_label(str(value))
            label = STATUS_LABELS.get(target_type, {}).get(str(value))
            return _(label) if label else str(value)
        if key == "locale":
            return LANGUAGE_NAMES.get(str(value), str(value))
        if key == "kind" and str(value) in KIND_LABELS:
            return _(KIND_LABELS[str(value)])
        if key == "province":
            return province_name(str(value), current_locale.get())
        return str(value)

    def changes(self, row: dict[str, Any]) -> list[dict[str, str]]:
        """[{field, before, after}] of the entry; `before` is "" when there was none."""
        before, after = row["before"], row["after"]
        out = []
        for key in [*after, *(k for k in before if k not in after)]:
            kind = row["target_type"]
            was = self.value(kind, key, before[key]) if key in before else ""
            now_ = self.value(kind, key, after[key]) if key in after else "—"
            # an unchanged value (the SKU of a new price) is shown once, without an arrow
            out.append({"field": audit.field_label(key), "before": "" if was == now_ else was,
                        "after": now_})  # fmt: skip
        return out

    def target(self, row: dict[str, Any]) -> dict[str, str]:
        """{kind, text, url} of the record the entry is about ({} when none)."""
        target_type, raw = row["target_type"], str(row["target_id"])
        if not target_type:
            return {}
        number = parse_id(raw)
        text = raw
        if target_type == "partner" and number is not None:
            text = self.partners.get(number, f"#{number}")
        elif target_type == "user" and number is not None:
            text = self.users.get(number, f"#{number}")
        elif number is not None:
            # a record's number as the entry wrote it (deals, receivables), else its id
            written = row["after"].get("number") or row["before"].get("number")
            text = self.names.get((target_type, number)) or str(written or f"#{number}")
        url = ""
        route = TARGET_ROUTES.get(target_type)
        if self.request is not None and number is not None:
            if route and (target_type != "partner" or number in self.partners):
                url = self.request.app.route_reverse(route[0], **{route[1]: number})
            elif target_type == "user":
                partner = row["partner_id"]
                url = (
                    self.request.app.route_reverse("partners:show", partner_id=partner) + "#users"
                    if partner in self.partners
                    else self.request.app.route_reverse("staff:list")
                )
        return {"kind": audit.target_label(target_type), "text": text, "url": url}

    def describe(self, row: dict[str, Any]) -> dict[str, Any]:
        partner = row["partner_id"]
        return {
            **row,
            "action_label": audit.action_label(row["action"]),
            "partner_name": self.partners.get(partner, f"#{partner}") if partner else "",
            "partner_url": self.request.app.route_reverse("partners:show", partner_id=partner)
            if self.request is not None and partner in self.partners
            else "",
            "target": self.target(row),
            "changes": self.changes(row),
        }


async def _filters(
    user: CurrentUser, params: dict[str, str], page_no: int = 1, per_page: int = PER_PAGE
) -> audit.AuditFilters:
    partner_ids = None
    words = params["partner"].strip().casefold()
    if words:  # the partner's name (Chinese or English) or code, among those the user may see
        partner_ids = tuple(
            int(p["id"])
            for p in await partners_in_scope(user)
            if words in p["name"].casefold() or words in str(p["code"]).casefold()
        )
    return audit.AuditFilters(
        action=params["action"].strip(),
        actor=params["actor"].strip(),
        partner_id=id_filter(params["partner_id"]),
        partner_ids=partner_ids,
        since=optional_date(params["since"]),
        until=optional_date(params["until"]),
        page=page_no,
        per_page=per_page,
    )


FILTER_KEYS = ("action", "actor", "partner", "partner_id", "since", "until")


def _params(request: Request) -> dict[str, str]:
    return {k: str(request.query_params.get(k) or "").strip()[:200] for k in FILTER_KEYS}


class AuditPages(Controller):
    """The append-only audit log, filterable by action, actor, partner and dates, in words,
    and as a spreadsheet."""

    path = "/console/audit"
    opt = {"access": Access.VENDOR_ADMIN}

    @get("/", name="audit:list")
    async def index(self, request: Request) -> Template:
        user = current_user(request)
        params = _params(request)
        number = page_number(request.query_params.get("page"))
        filters = await _filters(user, params, number)
        rows, total = await audit.list_entries(filters)
        describer = Describer(request)
        await describer.load(user, rows)
        filtered_partner = ""
        if filters.partner_id:
            names = await partner_names_for_user(user, [filters.partner_id])
            filtered_partner = names.get(filters.partner_id, f"#{filters.partner_id}")
        return page(
            request,
            "console/audit.html",
            entries=[describer.describe(r) for r in rows],
            actions=[(a, audit.action_label(a)) for a in await audit.list_actions()],
            filtered_partner=filtered_partner,
            params=params,
            values=params,
            pager=Page(number, PER_PAGE, total),
        )

    @get("/export.xlsx", name="audit:export")
    async def export(self, request: Request) -> Response[bytes]:
        """The filtered log as a spreadsheet, newest first, at most EXPORT_MAX rows."""
        user = current_user(request)
        params = _params(request)
        header = [
            _("Time"),
            _("Actor"),
            _("Action"),
            _("Partner"),
            _("Record"),
            _("Change"),
            _("Details"),
            _("IP"),
            _("Action code"),
        ]
        rows: list[list[Any]] = []
        page_no = 1
        while len(rows) < EXPORT_MAX:
            batch, _total = await audit.list_entries(
                await _filters(user, params, page_no, EXPORT_BATCH), with_total=False
            )
            if not batch:
                break
            describer = Describer(None)
            await describer.load(user, batch)
            for entry in map(describer.describe, batch):
                target = entry["target"]
                rows.append(
                    [
                        to_local(entry["at"]).replace(tzinfo=None),
                        entry["actor_email"],
                        entry["action_label"],
                        entry["partner_name"],
                        f"{target['kind']} {target['text']}" if target else "",
                        "\n".join(
                            f"{c['field']}: {c['before'] + ' → ' if c['before'] else ''}"
                            f"{c['after']}"
                            for c in entry["changes"]
                        ),
                        entry["detail"],
                        entry["ip"],
                        entry["action"],
                    ]
                )
            if len(batch) < EXPORT_BATCH:
                break
            page_no += 1
        await audit.record("audit.export", actor=user, detail=f"{len(rows[:EXPORT_MAX])} rows")
        data = workbook([(_("Audit log"), header, rows[:EXPORT_MAX])])
        stamp = clock.local_now().strftime("%Y%m%d-%H%M")
        return Response(
            data,
            media_type=XLSX_TYPE,
            headers={"Content-Disposition": f'attachment; filename="audit-{stamp}.xlsx"'},
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
