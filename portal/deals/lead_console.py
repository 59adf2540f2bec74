"""The vendor console of leads: the list with filters and counts, a new lead, one lead with who
had it when, the routing rules (ordered, editable, audited), the partners' capacities with their
acceptance rate and median time to accept, the file import, and "route now"."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath
from litestar.response import Redirect, Template

from portal.auth.constants import Access
from portal.deals import lead_imports, lead_rules, leads
from portal.deals.console import partner_options
from portal.deals.lead_constants import SOURCE_LABELS, STATUS_LABELS, LeadSource, LeadStatus
from portal.deals.lead_pages import first_error, province_names
from portal.deals.lead_routing import route_leads
from portal.deals.lead_schemas import CapacityForm, LeadForm, RuleForm
from portal.lib.forms import FormError, id_filter, read_form
from portal.lib.i18n import current_locale
from portal.lib.i18n import gettext as _
from portal.orders.tables import Category
from portal.partners.constants import PROVINCES, province_name
from portal.partners.services import list_tiers, tier_label
from portal.web import Page, current_user, page, page_number, redirect

STAFF = {"access": Access.VENDOR}
ADMIN = {"access": Access.VENDOR_ADMIN}
PER_PAGE = 50


def province_options() -> list[tuple[str, str]]:
    locale = current_locale.get()
    return [(code, province_name(code, locale)) for code in PROVINCES]


async def category_options() -> list[tuple[Any, str]]:
    en = current_locale.get() == "en"
    rows = await Category.select().order_by(Category.position).order_by(Category.id)
    return [(r["id"], (r["name_en"] if en and r["name_en"] else r["name_zh"])) for r in rows]


async def category_code_options() -> list[tuple[str, str]]:
    en = current_locale.get() == "en"
    rows = await Category.select().order_by(Category.position).order_by(Category.id)
    return [(r["code"], (r["name_en"] if en and r["name_en"] else r["name_zh"])) for r in rows]


def source_options() -> list[tuple[str, str]]:
    return [(s.value, _(SOURCE_LABELS[s])) for s in LeadSource if s != LeadSource.IMPORT]


def kind_options() -> list[tuple[str, str]]:
    return [("dealer", _("Dealer")), ("distributor", _("Distributor"))]


async def tier_options() -> list[tuple[Any, str]]:
    return [(t["id"], tier_label(t)) for t in await list_tiers()]


class LeadConsole(Controller):
    """Vendor staff's leads."""

    path = "/console/leads"
    opt = STAFF

    @get("/", name="console:leads")
    async def index(self, request: Request) -> Template:
        user = current_user(request)
        q = request.query_params
        partner = str(q.get("partner_id", ""))
        filters = leads.LeadFilters(
            status=str(q.get("status", ""))[:20],
            partner_id=id_filter(partner),
            province=str(q.get("province", ""))[:10],
            q=str(q.get("q", "")).strip()[:100],
            page=page_number(q.get("page")),
            per_page=PER_PAGE,
        )
        rows, total = await leads.list_leads(user, filters)
        params = {
            "status": filters.status,
            "partner_id": str(filters.partner_id or ""),
            "province": filters.province,
            "q": filters.q,
        }
        return page(
            request,
            "deals/leads_console_list.html",
            leads=rows,
            counts=await leads.status_counts(user),
            params=params,
            values=params,
            pager=Page(filters.page, PER_PAGE, total),
            status_options=[(s.value, _(STATUS_LABELS[s])) for s in LeadStatus],
            partners=await partner_options(user),
            province_options=province_options(),
            province_names=province_names(),
        )

    async def _form(
        self,
        request: Request,
        values: dict[str, Any],
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        return page(
            request,
            "deals/leads_console_form.html",
            status_code=status_code,
            values=values,
            errors=errors or {},
            province_options=province_options(),
            category_options=await category_code_options(),
            source_options=source_options(),
        )

    @get("/new", name="console:lead_new")
    async def new(self, request: Request) -> Template:
        return await self._form(request, {"source": "console"})

    @post("/new", name="console:lead_create")
    async def create(self, request: Request) -> Template | Redirect:
        user = current_user(request)
        form, errors, values = read_form(LeadForm, await request.form())
        if form is None:
            return await self._form(request, values, errors, 400)
        try:
            lead_id = await leads.create_lead(
                user,
                leads.LeadData(
                    company=form.company,
                    contact_name=form.contact_name,
                    phone=form.phone,
                    province=form.province,
                    email=form.email,
                    city=form.city,
                    product_interest=form.product_interest,
                    source=form.source,
                    note=form.note,
                ),
            )
        except FormError as exc:
            return await self._form(request, values, exc.errors, 400)
        routed = await route_leads([lead_id], actor=user)
        flash = (
            ("success", _("The lead was offered to a partner."))
            if routed.routed
            else ("warning", _("The lead was saved; no routing rule has a partner for it yet."))
        )
        return redirect(request, "console:lead", flash=flash, lead_id=lead_id)

    @post("/route", name="console:leads_route")
    async def route(self, request: Request) -> Redirect:
        result = await route_leads(actor=current_user(request))
        done = _(
            "%(routed)s leads offered to partners, %(waiting)s still waiting.",
            routed=result.routed,
            waiting=result.waiting,
        )
        return redirect(request, "console:leads", flash=("success", done))

    @get("/{lead_id:int}", name="console:lead")
    async def show(self, request: Request, lead_id: FromPath[int]) -> Template:
        detail = await leads.lead_detail(current_user(request), lead_id)
        return page(
            request, "deals/leads_console_show.html", **detail, province_names=province_names()
        )

    # ---- routing rules ----------------------------------------------------------------------

    async def _rules(
        self,
        request: Request,
        values: dict[str, Any],
        errors: dict[str, str] | None = None,
        status_code: int = 200,
        rule: dict[str, Any] | None = None,
    ) -> Template:
        return page(
            request,
            "deals/leads_rules.html",
            status_code=status_code,
            rules=await lead_rules.list_rules(),
            rule=rule,
            values=values,
            errors=errors or {},
            category_options=await category_options(),
            kind_options=kind_options(),
            tier_options=await tier_options(),
            province_names=province_names(),
        )

    @get("/rules", name="console:lead_rules")
    async def rules(self, request: Request) -> Template:
        count = len(await lead_rules.list_rules())
        values = {"position": (count + 1) * 10, "same_province": True, "is_active": True}
        return await self._rules(request, values)

    async def _save_rule(self, request: Request, rule_id: int | None) -> Template | Redirect:
        user = current_user(request)
        rule = await lead_rules.get_rule(rule_id) if rule_id is not None else None
        form, errors, values = read_form(RuleForm, await request.form())
        if form is None:
            return await self._rules(request, values, errors, 400, rule)
        try:
            await lead_rules.save_rule(user, form, rule_id)
        except FormError as exc:
            return await self._rules(request, values, exc.errors, 400, rule)
        return redirect(
            request, "console:lead_rules", flash=("success", _("The routing rule was saved."))
        )

    @post("/rules", name="console:lead_rule_create", opt=ADMIN)
    async def rule_create(self, request: Request) -> Template | Redirect:
        return await self._save_rule(request, None)

    @get("/rules/{rule_id:int}", name="console:lead_rule")
    async def rule(self, request: Request, rule_id: FromPath[int]) -> Template:
        rule = await lead_rules.get_rule(rule_id)
        values = {
            "name": rule["name"],
            "position": rule["position"],
            "provinces": rule["provinces"],
            "city": rule["city"],
            "category_id": rule["category"],
            "partner_kind": rule["partner_kind"],
            "min_tier_id": rule["min_tier"],
            "same_province": rule["same_province"],
            "is_active": rule["is_active"],
        }
        return await self._rules(request, values, rule=rule)

    @post("/rules/{rule_id:int}", name="console:lead_rule_update", opt=ADMIN)
    async def rule_update(self, request: Request, rule_id: FromPath[int]) -> Template | Redirect:
        return await self._save_rule(request, rule_id)

    @post("/rules/{rule_id:int}/delete", name="console:lead_rule_delete", opt=ADMIN)
    async def rule_delete(self, request: Request, rule_id: FromPath[int]) -> Redirect:
        await lead_rules.delete_rule(current_user(request), rule_id)
        return redirect(
            request, "console:lead_rules", flash=("success", _("The routing rule was deleted."))
        )

    # ---- partners: capacity and answer figures -------------------------------------------

    @get("/partners", name="console:lead_partners")
    async def partners(self, request: Request) -> Template:
        return page(
            request,
            "deals/leads_partners.html",
            partners=await lead_rules.partner_table(current_user(request)),
            province_names=province_names(),
            kind_labels={"dealer": _("Dealer"), "distributor": _("Distributor")},
        )

    @post("/partners", name="console:lead_capacity", opt=ADMIN)
    async def capacity(self, request: Request) -> Redirect:
        user = current_user(request)
        form, errors, _values = read_form(CapacityForm, await request.form())
        try:
            if form is None:
                raise FormError(errors)
            await lead_rules.set_capacity(user, form.partner_id, form.capacity)
        except FormError as exc:
            return redirect(request, "console:lead_partners", flash=("error", first_error(exc)))
        return redirect(
            request, "console:lead_partners", flash=("success", _("The capacity was saved."))
        )

    # ---- import ------------------------------------------------------------------------------

    @get("/import", name="console:leads_import")
    async def import_form(self, request: Request) -> Template:
        return page(request, "deals/leads_import.html", result=None, values={}, errors={})

    @post("/import", name="console:leads_import_submit")
    async def import_submit(self, request: Request) -> Template:
        user = current_user(request)
        data = await request.form()
        dry_run = data.get("dry_run") in ("on", "1", "true")
        upload = data.get("file")
        values = {"dry_run": dry_run}
        if not isinstance(upload, UploadFile) or not upload.filename:
            return page(
                request,
                "deals/leads_import.html",
                status_code=400,
                result=None,
                values=values,
                errors={"file": _("Choose a file to upload.")},
            )
        content = await upload.read(lead_imports.MAX_BYTES + 1)
        try:
            result, _routing = await lead_imports.import_leads(
                user, upload.filename, content, dry_run=dry_run
            )
        except lead_imports.FileRefused as exc:
            return page(
                request,
                "deals/leads_import.html",
                status_code=400,
                result=None,
                values=values,
                errors={"file": exc.message},
            )
        return page(
            request,
            "deals/leads_import.html",
            status_code=400 if result.error_count else 200,
            result=result,
            values=values,
            errors={},
            filename=upload.filename,
        )


PAGES = [LeadConsole]
