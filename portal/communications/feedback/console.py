"""Vendor console for feedback: staff read, only vendor admins change; results in scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Response, Template

from portal.communications import audience as audience_rules
from portal.communications.feedback import delivery as feedback_delivery
from portal.communications.feedback import queries, results
from portal.communications.feedback import requests as feedback_requests
from portal.communications.feedback.access import requests_addressed_to
from portal.communications.feedback.charts import add_charts
from portal.communications.feedback.constants import (
    QUESTION_LABELS,
    REQUEST_STATUS_LABELS,
    AnswerScope,
)
from portal.communications.feedback.schemas import FeedbackRequestForm, QuestionForm, ResultFilters
from portal.communications.feedback.tables import FeedbackRequest
from portal.communications.forms import (
    ADMIN,
    PER_PAGE,
    VENDOR,
    audience_display,
    audience_options,
    describe_audience,
    form_data,
    parse_schedule,
)
from portal.lib import clock
from portal.lib.clock import now
from portal.lib.forms import FormError, id_filter, read_form
from portal.lib.i18n import current_locale
from portal.lib.i18n import gettext as _
from portal.lib.inputs import parse_int
from portal.partners.access import partner_names_for_user
from portal.partners.constants import province_name
from portal.partners.tiers import tier_names
from portal.settings import get_settings
from portal.tenancy import vendor_partner_ids
from portal.web import Page, current_user, page, page_number, redirect


async def _get_request(request_id: int) -> dict[str, Any]:
    return await feedback_requests.get_request(request_id)


async def _filters(request: Request) -> ResultFilters:
    """The results filters from the query, limited to the partners the reader may see."""
    query = request.query_params
    partner = query.get("partner", "")
    return ResultFilters(
        tier=query.get("tier", "")[:30],
        region=query.get("region", "")[:10],
        partner=id_filter(partner),
        partner_ids=await vendor_partner_ids(current_user(request)),
    )


class FeedbackConsole(Controller):
    """Feedback requests for vendor staff."""

    path = "/console/feedback"
    opt = VENDOR

    @get("/", name="console_feedback:list")
    async def index(self, request: Request) -> Template:
        number = page_number(request.query_params.get("page"))
        auto = request.query_params.get("auto") == "1"
        where: Any = (FeedbackRequest.subject != "") if auto else (FeedbackRequest.subject == "")
        # the requests addressed to one partner (the link from its console page); a partner
        # outside the reader's scope has no name here and matches nothing
        partner_id = str(request.query_params.get("partner_id") or "").strip()
        pid = id_filter(partner_id)
        names = await partner_names_for_user(current_user(request), [pid] if pid else [])
        if pid:
            where = where & FeedbackRequest.id.is_in(
                requests_addressed_to(pid if pid in names else -1)
            )
        total = await FeedbackRequest.count().where(where)
        rows = (
            await FeedbackRequest.select()
            .where(where)
            .order_by(FeedbackRequest.id, ascending=False)
            .limit(PER_PAGE)
            .offset((number - 1) * PER_PAGE)
        )
        counts = await _response_counts(
            [r["id"] for r in rows], await vendor_partner_ids(current_user(request))
        )
        for r in rows:
            r["responses"] = counts.get(r["id"], 0)
        return page(
            request,
            "console/communications/requests.html",
            requests=rows,
            auto=auto,
            status_labels={k.value: _(v) for k, v in REQUEST_STATUS_LABELS.items()},
            partner_id=partner_id,
            partner_name=names.get(pid, "") if pid else "",
            params={"auto": "1" if auto else "", "partner_id": partner_id},
            pager=Page(number, PER_PAGE, total),
        )

    @get("/new", name="console_feedback:new", opt=ADMIN)
    async def new(self, request: Request) -> Template:
        due = clock.today() + dt.timedelta(days=14)
        return page(
            request,
            "console/communications/request_form.html",
            req=None,
            values={"audience": "all", "answer_scope": "user", "due_on": due, "reminder_days": 2},
            scopes=_scopes(),
            **await audience_options(),
        )

    @post("/new", name="console_feedback:create", opt=ADMIN)
    async def create(self, request: Request) -> Template | Redirect:
        user = current_user(request)
        plain, errors, display = await form_data(await request.form())
        form, form_errors, values = read_form(FeedbackRequestForm, plain)
        values.update(display)
        errors = {**form_errors, **errors}
        if form is not None and not errors:
            try:
                request_id = await feedback_requests.create_request(user, form)
            except FormError as exc:
                errors = exc.errors
            else:
                return redirect(
                    request,
                    "console_feedback:show",
                    flash=("success", _("Saved as a draft. Now add the questions.")),
                    request_id=request_id,
                )
        return page(
            request,
            "console/communications/request_form.html",
            status_code=400,
            req=None,
            errors=errors,
            values=values,
            scopes=_scopes(),
            **await audience_options(),
        )

    async def _show(self, request: Request, request_id: int, **extra: Any) -> Template:
        row = await _get_request(request_id)
        values = {
            **{k: row[k] for k in ("title_zh", "title_en", "intro_zh", "intro_en", "series")},
            "answer_scope": row["answer_scope"],
            "reminder_days": row["reminder_days"],
            "due_on": row["due_at"].astimezone(get_settings().tz).date().isoformat(),
            **await audience_display(row),
            "when": "now",
            "publish_on": clock.today().isoformat(),
            "publish_time": "09:00",
            "kind": "nps",
            "required": True,
        }
        values.update(extra.pop("values", {}))
        return page(
            request,
            "console/communications/request.html",
            req=row,
            questions=await feedback_requests.list_questions(request_id),
            editable=row["status"] in feedback_requests.EDITABLE,
            audience_text=await describe_audience(row),
            status_labels={k.value: _(v) for k, v in REQUEST_STATUS_LABELS.items()},
            question_labels={k.value: _(v) for k, v in QUESTION_LABELS.items()},
            question_kinds=[(k.value, _(v)) for k, v in QUESTION_LABELS.items()],
            scopes=_scopes(),
            audience_count=await audience_rules.count_partners(
                row["audience"], row["audience_values"]
            ),
            values=values,
            **await audience_options(),
            **extra,
        )

    @get("/{request_id:int}", name="console_feedback:show")
    async def show(self, request: Request, request_id: FromPath[int]) -> Template:
        return await self._show(request, request_id)

    @post("/{request_id:int}", name="console_feedback:update", opt=ADMIN)
    async def update(self, request: Request, request_id: FromPath[int]) -> Template | Redirect:
        user = current_user(request)
        await _get_request(request_id)
        plain, errors, display = await form_data(await request.form())
        form, form_errors, values = read_form(FeedbackRequestForm, plain)
        values.update(display)
        errors = {**form_errors, **errors}
        if form is not None and not errors:
            try:
                await feedback_requests.update_request(user, request_id, form)
            except FormError as exc:
                errors = exc.errors
            else:
                return redirect(
                    request,
                    "console_feedback:show",
                    flash=("success", _("The feedback request has been saved.")),
                    request_id=request_id,
                )
        response = await self._show(request, request_id, errors=errors, values=values)
        response.status_code = 400
        return response

    @post("/{request_id:int}/questions", name="console_feedback:add_question", opt=ADMIN)
    async def add_question(
        self, request: Request, request_id: FromPath[int]
    ) -> Template | Redirect:
        user = current_user(request)
        await _get_request(request_id)
        form, errors, values = read_form(QuestionForm, await request.form())
        if form is not None:
            try:
                await feedback_requests.add_question(user, request_id, form)
            except FormError as exc:
                errors = exc.errors
            else:
                return redirect(
                    request,
                    "console_feedback:show",
                    flash=("success", _("The question has been added.")),
                    request_id=request_id,
                )
        response = await self._show(request, request_id, errors=errors, values=values)
        response.status_code = 400
        return response

    @post(
        "/{request_id:int}/questions/{question_id:int}/delete",
        name="console_feedback:remove_question",
        opt=ADMIN,
    )
    async def remove_question(
        self, request: Request, request_id: FromPath[int], question_id: FromPath[int]
    ) -> Redirect:
        try:
            await feedback_requests.remove_question(current_user(request), request_id, question_id)
        except FormError as exc:
            return redirect(
                request,
                "console_feedback:show",
                flash=("error", next(iter(exc.errors.values()))),
                request_id=request_id,
            )
        return redirect(
            request,
            "console_feedback:show",
            flash=("info", _("The question has been removed.")),
            request_id=request_id,
        )

    @post("/{request_id:int}/open", name="console_feedback:open", opt=ADMIN)
    async def open(self, request: Request, request_id: FromPath[int]) -> Template | Redirect:
        user = current_user(request)
        await _get_request(request_id)
        data = await request.form()
        when, errors = parse_schedule(data)
        if not errors:
            try:
                await feedback_delivery.schedule_request(user, request_id, when or now())
            except FormError as exc:
                errors = exc.errors
        if errors:
            response = await self._show(
                request, request_id, errors=errors, values={k: data.get(k) for k in data}
            )
            response.status_code = 400
            return response
        message = (
            _("The feedback request is being sent.")
            if when is None
            else _("The feedback request will open at the chosen time.")
        )
        return redirect(
            request, "console_feedback:show", flash=("success", message), request_id=request_id
        )

    @post("/{request_id:int}/close", name="console_feedback:close", opt=ADMIN)
    async def close(self, request: Request, request_id: FromPath[int]) -> Redirect:
        try:
            await feedback_delivery.close_request(current_user(request), request_id)
        except FormError as exc:
            return redirect(
                request,
                "console_feedback:show",
                flash=("error", next(iter(exc.errors.values()))),
                request_id=request_id,
            )
        return redirect(
            request,
            "console_feedback:results",
            flash=("info", _("The feedback request is closed.")),
            request_id=request_id,
        )

    @get("/{request_id:int}/results", name="console_feedback:results")
    async def results_page(self, request: Request, request_id: FromPath[int]) -> Template:
        await _get_request(request_id)
        filters = await _filters(request)
        figures = await results.results(request_id, filters)
        add_charts(figures)
        series = figures["request"]["series"]
        params = {
            "tier": filters.tier,
            "region": filters.region,
            "partner": filters.partner or "",
        }
        return page(
            request,
            "console/communications/results.html",
            res=figures,
            req=figures["request"],
            trend=await results.trend(series, filters.partner_ids) if series else [],
            choices=await results.filter_choices(request_id, filters.partner_ids),
            tier_names=await tier_names(),
            region_name=lambda code: province_name(code, current_locale.get()),
            values=params,
            params=params,
        )

    @get("/{request_id:int}/export", name="console_feedback:export")
    async def export(self, request: Request, request_id: FromPath[int]) -> Response[bytes]:
        await _get_request(request_id)
        data = await results.export_xlsx(request_id, await _filters(request))
        return Response(
            content=data,
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={
                "Content-Disposition": (
                    f'attachment; filename="feedback-{request_id}-{clock.today():%Y%m%d}.xlsx"'
                ),
                "X-Content-Type-Options": "nosniff",
            },
        )

    @get("/settings", name="console_feedback:settings", opt=ADMIN)
    async def settings_form(self, request: Request) -> Template:
        return page(
            request,
            "console/communications/settings.html",
            values={
                "auto_csat_orders": await feedback_requests.get_setting("auto_csat_orders"),
                "auto_csat_cases": await feedback_requests.get_setting("auto_csat_cases"),
                "csat_days_open": await feedback_requests.get_setting("csat_days_open"),
            },
        )

    @post("/settings", name="console_feedback:save_settings", opt=ADMIN)
    async def save_settings(self, request: Request) -> Template | Redirect:
        user = current_user(request)
        data = await request.form()
        raw_days = str(data.get("csat_days_open") or "").strip()
        values = {
            "auto_csat_orders": data.get("auto_csat_orders") == "on",
            "auto_csat_cases": data.get("auto_csat_cases") == "on",
            "csat_days_open": raw_days,
        }
        if parse_int(raw_days, low=1, high=90) is None:
            return page(
                request,
                "console/communications/settings.html",
                status_code=400,
                values=values,
                errors={"csat_days_open": _("Enter a number of days from 1 to 90.")},
            )
        for key in ("auto_csat_orders", "auto_csat_cases"):
            if values[key] != await feedback_requests.get_setting(key):
                await feedback_requests.set_setting(user, key, values[key])
        if int(raw_days) != await feedback_requests.get_setting("csat_days_open"):
            await feedback_requests.set_setting(user, "csat_days_open", int(raw_days))
        return redirect(
            request,
            "console_feedback:settings",
            flash=("success", _("The settings have been saved.")),
        )


def _scopes() -> list[tuple[str, str]]:
    return [
        (AnswerScope.USER.value, _("One answer per partner user")),
        (AnswerScope.PARTNER.value, _("One answer per partner")),
    ]


async def _response_counts(ids: list[int], partner_ids: list[int] | None) -> dict[int, int]:
    """Responses per request, counting only the partners the reader may see."""

    if not ids:
        return {}
    return await queries.response_counts(ids, partner_ids)
