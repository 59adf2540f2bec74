"""Vendor console for cases: queues by team and assignee with SLA colours, filters, bulk
assign, the case page (conversation, internal notes, assignment, status, priority, ladder),
opening a case on a partner's behalf, figures per period and partner, and the knowledge base."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from portal.auth.constants import Access
from portal.lib import charts, clock
from portal.lib.forms import (
    FormError,
    id_filter,
    id_list,
    optional_date,
    read_form,
    struct_values,
)
from portal.lib.i18n import gettext as _
from portal.partners.access import partners_in_scope
from portal.partners.tiers import tier_names
from portal.support import figures, kb, services
from portal.support.access import get_article_for_user
from portal.support.constants import CaseStatus
from portal.support.pages import (
    UPLOAD_BODY,
    category_options,
    load_case,
    priority_options,
    read_uploads,
    status_options,
)
from portal.support.policy import load_policy, time_left
from portal.support.schemas import ArticleForm, CaseFilters, ReplyForm, StaffCaseForm
from portal.tenancy import vendor_partner_ids
from portal.web import Page, current_user, page, page_number, redirect

VENDOR = {"access": Access.VENDOR}
PER_PAGE = 50


class CaseConsole(Controller):
    """The case queues and the case page for vendor staff."""

    path = "/console/cases"
    opt = VENDOR

    @get("/", name="console_cases:list")
    async def index(
        self,
        request: Request,
        status: FromQuery[str] = "",
        q: FromQuery[str] = "",
        category: FromQuery[str] = "",
        priority: FromQuery[str] = "",
        partner_id: FromQuery[str] = "",
        team_id: FromQuery[str] = "",
        assignee: FromQuery[str] = "",
        sla: FromQuery[str] = "",
    ) -> Template:
        user = current_user(request)
        number = page_number(request.query_params.get("page"))
        filters = CaseFilters(
            status=status,
            q=q.strip()[:100],
            category=category,
            priority=priority,
            partner_id=id_filter(partner_id),
            team_id=id_filter(team_id),
            assignee=assignee,
            sla=sla,
            page=number,
            per_page=PER_PAGE,
        )
        staff = await services.vendor_choices()
        teams = await services.team_choices()
        names = {int(s["id"]): s["name"] or s["email"] for s in staff}
        rows, total = await services.list_cases(user, filters, names)
        params = {
            "status": status,
            "q": filters.q,
            "category": category,
            "priority": priority,
            "partner_id": partner_id,
            "team_id": team_id,
            "assignee": assignee,
            "sla": sla,
        }
        return page(
            request,
            "console/support/queue.html",
            cases=rows,
            queues=await services.queue_counts(
                user, names, {int(t["id"]): t["name"] for t in teams}
            ),
            params=params,
            values=params,
            pager=Page(number, PER_PAGE, total),
            partners=await partners_in_scope(user),
            teams=teams,
            staff=staff,
            status_options=status_options(),
            category_options=category_options(),
            priority_options=priority_options(),
        )

    @post("/bulk-assign", name="console_cases:bulk_assign")
    async def bulk_assign(self, request: Request) -> Redirect:
        user = current_user(request)
        data = await request.form()
        ids = id_list(data.getall("case_id", []))
        assignee = id_filter(data.get("assignee_id"))
        back = str(data.get("back", "")) or "/console/cases"
        if not back.startswith("/console/cases"):
            back = "/console/cases"
        if not ids or assignee is None:
            return redirect(
                request, back, flash=("warning", _("Select cases and the person to assign."))
            )
        try:
            done = await services.bulk_assign(user, ids[:200], assignee)
        except FormError as exc:
            return redirect(request, back, flash=("error", next(iter(exc.errors.values()))))
        return redirect(request, back, flash=("success", _("%(n)s cases assigned.", n=done)))

    async def _new_form(
        self,
        request: Request,
        values: dict[str, Any],
        errors: dict[str, str] | None = None,
        status_code: int = 200,
    ) -> Template:
        user = current_user(request)
        return page(
            request,
            "console/support/new.html",
            status_code=status_code,
            values=values,
            errors=errors or {},
            partners=await partners_in_scope(user),
            category_options=category_options(),
            priority_options=priority_options(),
        )

    @get("/new", name="console_cases:new")
    async def new(self, request: Request) -> Template:
        return await self._new_form(request, {"priority": "normal"})

    @post("/new", name="console_cases:create", request_max_body_size=UPLOAD_BODY)
    async def create(self, request: Request) -> Template | Redirect:
        user = current_user(request)
        data = await request.form()
        form, errors, values = read_form(StaffCaseForm, data)
        if form is None:
            return await self._new_form(request, values, errors, 400)
        try:
            case_id = await services.open_case(
                user,
                form,
                partner_id=form.partner_id,
                requester_id=form.requester_id,
                files=await read_uploads(data),
            )
        except FormError as exc:
            return await self._new_form(request, values, exc.errors, 400)
        return redirect(
            request,
            "console_cases:show",
            flash=("success", _("The case has been opened.")),
            case_id=case_id,
        )

    async def _show(
        self,
        request: Request,
        case_id: int,
        status_code: int = 200,
        errors: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
    ) -> Template:
        user = current_user(request)
        detail = await load_case(user, case_id)

        policy = await load_policy()
        case = detail["case"]
        return page(
            request,
            "console/support/case.html",
            status_code=status_code,
            errors=errors or {},
            values=values or {},
            **detail,
            fr_left=time_left(policy, case["fr_due_at"])
            if case["first_responded_at"] is None
            else None,
            res_left=time_left(policy, case["res_due_at"]),
            staff=await services.vendor_choices(),
            teams=await services.team_choices(),
            tier_names=await tier_names(),
            priority_options=priority_options(),
            status_options=status_options(),
        )

    @get("/{case_id:int}", name="console_cases:show")
    async def show(self, request: Request, case_id: FromPath[int]) -> Template:
        return await self._show(request, case_id)

    @post("/{case_id:int}/reply", name="console_cases:reply", request_max_body_size=UPLOAD_BODY)
    async def reply(self, request: Request, case_id: FromPath[int]) -> Template | Redirect:
        user = current_user(request)
        data = await request.form()
        form, errors, values = read_form(ReplyForm, data)
        if form is not None:
            try:
                await services.reply(
                    user,
                    case_id,
                    form.body,
                    internal=form.internal,
                    then=form.then,
                    files=await read_uploads(data),
                )
            except FormError as exc:
                errors = exc.errors
            else:
                done = _("Internal note added.") if form.internal else _("Your reply was sent.")
                return redirect(
                    request, "console_cases:show", flash=("success", done), case_id=case_id
                )
        return await self._show(request, case_id, 400, errors, values)

    @post("/{case_id:int}/assign", name="console_cases:assign")
    async def assign(self, request: Request, case_id: FromPath[int]) -> Redirect:
        user = current_user(request)
        data = await request.form()
        try:
            await services.assign(
                user,
                case_id,
                id_filter(data.get("assignee_id")),
                id_filter(data.get("team_id")),
            )
        except FormError as exc:
            return redirect(
                request,
                "console_cases:show",
                flash=("error", next(iter(exc.errors.values()))),
                case_id=case_id,
            )
        return redirect(
            request,
            "console_cases:show",
            flash=("success", _("Assignment saved.")),
            case_id=case_id,
        )

    @post("/{case_id:int}/status", name="console_cases:status")
    async def status(self, request: Request, case_id: FromPath[int]) -> Redirect:
        user = current_user(request)
        data = await request.form()
        to = str(data.get("status", ""))
        if to not in CaseStatus._value2member_map_:
            return redirect(
                request,
                "console_cases:show",
                flash=("error", _("Choose one of the options.")),
                case_id=case_id,
            )
        try:
            await services.change_status(user, case_id, to, str(data.get("reason", ""))[:2000])
        except FormError as exc:
            return redirect(
                request,
                "console_cases:show",
                flash=("error", next(iter(exc.errors.values()))),
                case_id=case_id,
            )
        return redirect(
            request, "console_cases:show", flash=("success", _("Status changed.")), case_id=case_id
        )

    @post("/{case_id:int}/priority", name="console_cases:priority")
    async def priority(self, request: Request, case_id: FromPath[int]) -> Redirect:
        user = current_user(request)
        data = await request.form()
        try:
            await services.change_priority(user, case_id, str(data.get("priority", "")))
        except FormError as exc:
            return redirect(
                request,
                "console_cases:show",
                flash=("error", next(iter(exc.errors.values()))),
                case_id=case_id,
            )
        return redirect(
            request,
            "console_cases:show",
            flash=("success", _("Priority changed; the deadlines were recalculated.")),
            case_id=case_id,
        )

    @get("/{case_id:int}/article", name="console_cases:article")
    async def to_article(self, request: Request, case_id: FromPath[int]) -> Template:
        """A draft article prefilled from the case's question and answer, for review."""
        user = current_user(request)
        draft = await kb.draft_from_case(user, case_id)
        return page(
            request,
            "console/support/article.html",
            values={**struct_values(draft), "source_case_id": case_id},
            categories=await kb.list_categories(),
            article=None,
        )

    @get("/figures", name="console_cases:figures")
    async def figures_page(
        self, request: Request, since: FromQuery[str] = "", until: FromQuery[str] = ""
    ) -> Template:
        user = current_user(request)
        today = clock.today()
        start = optional_date(since) or today.replace(day=1)
        end_inclusive = optional_date(until) or today
        if end_inclusive < start:
            start, end_inclusive = end_inclusive, start
        end = end_inclusive + dt.timedelta(days=1)
        partners = await partners_in_scope(user)
        ids = await vendor_partner_ids(user)
        per_partner = await figures.case_figures(ids, start, end)
        names = {int(p["id"]): p["name"] for p in partners}
        rows = sorted(
            ((names.get(pid, str(pid)), f) for pid, f in per_partner.items()),
            key=lambda r: -r[1].cases_opened,
        )
        days = (end - start).days
        step = 1 if days <= 31 else 7
        points_days = [start + dt.timedelta(days=i) for i in range(step - 1, days, step)]
        if not points_days or points_days[-1] != end_inclusive:
            points_days.append(end_inclusive)
        points = [figures.bounds(d, d + dt.timedelta(days=1))[1] for d in points_days]
        trend = await figures.backlog_trend(ids, points)
        labels = [d.strftime("%m-%d") for d in points_days]
        return page(
            request,
            "console/support/figures.html",
            total=figures.total(per_partner),
            rows=rows,
            chart=charts.line_chart(
                labels, trend, _("Open cases at the end of each day"), css_class="support-chart"
            ),
            values={"since": start.isoformat(), "until": end_inclusive.isoformat()},
        )


class KnowledgeBaseConsole(Controller):
    """Writing articles (drafts and published, Chinese and English)."""

    path = "/console/kb"
    opt = VENDOR

    @get("/", name="console_kb:list")
    async def index(self, request: Request, q: FromQuery[str] = "") -> Template:
        articles = await kb.search(q.strip()[:200], include_drafts=True, limit=100)
        return page(request, "console/support/articles.html", articles=articles, values={"q": q})

    @get("/new", name="console_kb:new")
    async def new(self, request: Request) -> Template:
        return page(
            request,
            "console/support/article.html",
            values={"status": "draft"},
            categories=await kb.list_categories(),
            article=None,
        )

    @post("/new", name="console_kb:create")
    async def create(self, request: Request) -> Template | Redirect:
        return await self._save(request, None)

    @get("/{article_id:int}", name="console_kb:edit")
    async def edit(self, request: Request, article_id: FromPath[int]) -> Template:
        article = await get_article_for_user(current_user(request), article_id)
        values = {**article, "category_id": article["category"]}
        return page(
            request,
            "console/support/article.html",
            values=values,
            categories=await kb.list_categories(),
            article=article,
        )

    @post("/{article_id:int}", name="console_kb:update")
    async def update(self, request: Request, article_id: FromPath[int]) -> Template | Redirect:
        return await self._save(request, article_id)

    async def _save(self, request: Request, article_id: int | None) -> Template | Redirect:
        user = current_user(request)
        data = await request.form()
        form, errors, values = read_form(ArticleForm, data)
        source = id_filter(data.get("source_case_id"))
        if form is not None:
            try:
                article_id = await kb.save_article(user, form, article_id, source)
            except FormError as exc:
                errors = exc.errors
            else:
                return redirect(
                    request,
                    "console_kb:edit",
                    flash=("success", _("The article has been saved.")),
                    article_id=article_id,
                )
        return page(
            request,
            "console/support/article.html",
            status_code=400,
            values={**values, "source_case_id": source},
            errors=errors,
            categories=await kb.list_categories(),
            article={"id": article_id} if article_id else None,
        )


PAGES = [CaseConsole, KnowledgeBaseConsole]
