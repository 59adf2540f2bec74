"""Vendor console: campaigns (edit, material, schedule/publish, reach) and feedback requests
(edit, questions, open, results, export), plus the automatic-CSAT switches.

Vendor staff read everything; only vendor admins change anything (a channel manager's campaign
would reach partners that are not theirs). Reach and results rows stay within the user's scope.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Response, Template

from portal.auth.constants import Access
from portal.communications import audience as audience_rules
from portal.communications import campaigns, feedback, results
from portal.communications.constants import (
    AUDIENCE_LABELS,
    CAMPAIGN_STATUS_LABELS,
    MATERIAL_KINDS,
    QUESTION_LABELS,
    REQUEST_STATUS_LABELS,
    AnswerScope,
    Audience,
    QuestionKind,
)
from portal.communications.pages import file_kind, file_response
from portal.communications.schemas import (
    CampaignForm,
    FeedbackRequestForm,
    QuestionForm,
    ResultFilters,
    ScheduleForm,
)
from portal.lib import storage
from portal.lib.clock import now
from portal.lib.forms import FormError, read_form
from portal.lib.i18n import current_locale
from portal.lib.i18n import gettext as _
from portal.partners.constants import PROVINCES, PartnerKind, province_name
from portal.settings import get_settings
from portal.tenancy import NotFound
from portal.web import Page, current_user, not_found, page, page_number, redirect

VENDOR = {"access": Access.VENDOR}
ADMIN = {"access": Access.VENDOR_ADMIN}
PER_PAGE = 30
AUDIENCE_FIELDS = {
    Audience.TIER: "tiers",
    Audience.KIND: "kinds",
    Audience.REGION: "regions",
    Audience.PARTNERS: "partner_codes",
}


async def audience_options() -> dict[str, Any]:
    """Choices for the audience fields, in the page's language."""
    from portal.partners.services import list_tiers

    zh = current_locale.get() == "zh_CN"
    tiers = await list_tiers()
    return {
        "audiences": [(a.value, _(AUDIENCE_LABELS[a])) for a in Audience],
        "tier_options": [(t["code"], t["name_zh"] if zh else t["name_en"]) for t in tiers],
        "kind_options": [
            (PartnerKind.DEALER.value, _("Dealer")),
            (PartnerKind.DISTRIBUTOR.value, _("Distributor")),
        ],
        "region_options": [(code, province_name(code, current_locale.get())) for code in PROVINCES],
    }


async def _codes_to_ids(raw: str) -> tuple[list[str], list[str]]:
    """Partner codes typed by the user -> (ids, unknown codes)."""
    from portal.partners.tables import Partner

    codes = [
        c.strip().upper() for c in raw.replace(",", " ").replace("，", " ").split() if c.strip()
    ]
    if not codes:
        return [], []
    rows = await Partner.select(Partner.id, Partner.code).where(Partner.code.is_in(codes))
    found = {r["code"].upper(): str(r["id"]) for r in rows}
    return [found[c] for c in codes if c in found], [c for c in codes if c not in found]


async def _ids_to_codes(ids: list[str]) -> str:
    from portal.partners.tables import Partner

    if not ids:
        return ""
    rows = await Partner.select(Partner.code).where(Partner.id.is_in([int(i) for i in ids]))
    return " ".join(r["code"] for r in rows)


async def read_audience(data: Any) -> tuple[str, list[str], dict[str, str], dict[str, Any]]:
    """(audience, values, errors, values for re-display) from the audience fields of a form."""
    audience = str(data.get("audience") or Audience.ALL)
    display: dict[str, Any] = {
        "audience": audience,
        "tiers": list(data.getall("tiers", [])),
        "kinds": list(data.getall("kinds", [])),
        "regions": list(data.getall("regions", [])),
        "partner_codes": str(data.get("partner_codes") or ""),
    }
    errors: dict[str, str] = {}
    if audience == Audience.PARTNERS:
        values, unknown = await _codes_to_ids(display["partner_codes"])
        if unknown:
            errors["audience_values"] = _(
                "Unknown partner codes: %(codes)s", codes=", ".join(unknown)
            )
    else:
        field = AUDIENCE_FIELDS.get(audience)  # type: ignore[call-overload]
        values = [str(v) for v in display.get(field, [])] if field else []
    return audience, values, errors, display


async def audience_display(row: dict[str, Any]) -> dict[str, Any]:
    """A stored audience as the form shows it."""
    values = audience_rules.parse_values(row["audience_values"])
    out: dict[str, Any] = {"audience": row["audience"], "tiers": [], "kinds": [], "regions": []}
    if row["audience"] == Audience.PARTNERS:
        out["partner_codes"] = await _ids_to_codes(values)
    elif row["audience"] in AUDIENCE_FIELDS:
        out[AUDIENCE_FIELDS[Audience(row["audience"])]] = values
    return out


async def describe_audience(row: dict[str, Any]) -> str:
    """The audience in words: "Partners in some tiers: Gold, Silver"."""
    label = _(AUDIENCE_LABELS.get(Audience(row["audience"]), row["audience"]))
    values = audience_rules.parse_values(row["audience_values"])
    if row["audience"] == Audience.ALL or not values:
        return label
    options = await audience_options()
    names: dict[str, str] = {
        Audience.TIER: dict(options["tier_options"]),
        Audience.KIND: dict(options["kind_options"]),
        Audience.REGION: dict(options["region_options"]),
    }.get(Audience(row["audience"]), {})
    if row["audience"] == Audience.PARTNERS:
        shown = (await _ids_to_codes(values)).split()
    else:
        shown = [names.get(v, v) for v in values]
    return f"{label}: {', '.join(shown)}"


async def _form_data(data: Any) -> tuple[dict[str, Any], dict[str, str], dict[str, Any]]:
    audience, values, errors, display = await read_audience(data)
    plain = {k: data.get(k) for k in data}
    plain["audience"] = audience
    plain["audience_values"] = values
    return plain, errors, display


def parse_schedule(data: Any) -> tuple[dt.datetime | None, dict[str, str]]:
    """'now' or a local date and time -> UTC datetime (None = now)."""
    if data.get("when") != "later":
        return None, {}
    form, errors, _values = read_form(ScheduleForm, data)
    if form is None:
        return None, errors
    hour, minute = (int(p) for p in form.publish_time.split(":"))
    if hour > 23 or minute > 59:
        return None, {"publish_time": _("Enter a time as HH:MM.")}
    local = dt.datetime.combine(form.publish_on, dt.time(hour, minute), tzinfo=get_settings().tz)
    return local.astimezone(dt.UTC), {}


async def _get_campaign(campaign_id: int) -> dict[str, Any]:
    try:
        return await campaigns.get_campaign(campaign_id)
    except NotFound:
        raise not_found() from None


class CampaignConsole(Controller):
    """Campaigns for vendor staff."""

    path = "/console/campaigns"
    opt = VENDOR

    @get("/", name="console_campaigns:list")
    async def index(self, request: Request, status: FromQuery[str] = "") -> Template:
        number = page_number(request.query_params.get("page"))
        rows, total = await campaigns.list_campaigns_console(status, number, PER_PAGE)
        return page(
            request,
            "console/communications/campaigns.html",
            campaigns=rows,
            status_labels={k.value: _(v) for k, v in CAMPAIGN_STATUS_LABELS.items()},
            values={"status": status},
            params={"status": status},
            pager=Page(number, PER_PAGE, total),
        )

    @get("/new", name="console_campaigns:new", opt=ADMIN)
    async def new(self, request: Request) -> Template:
        return page(
            request,
            "console/communications/campaign_form.html",
            campaign=None,
            values={"audience": "all", "starts_on": dt.date.today().isoformat()},
            **await audience_options(),
        )

    @post("/new", name="console_campaigns:create", opt=ADMIN)
    async def create(self, request: Request) -> Template | Redirect:
        user = current_user(request)
        plain, errors, display = await _form_data(await request.form())
        form, form_errors, values = read_form(CampaignForm, plain)
        values.update(display)
        errors = {**form_errors, **errors}
        if form is not None and not errors:
            try:
                campaign_id = await campaigns.create_campaign(user, form)
            except FormError as exc:
                errors = exc.errors
            else:
                return redirect(
                    request,
                    "console_campaigns:show",
                    flash=("success", _("The campaign has been saved as a draft.")),
                    campaign_id=campaign_id,
                )
        return page(
            request,
            "console/communications/campaign_form.html",
            status_code=400,
            campaign=None,
            errors=errors,
            values=values,
            **await audience_options(),
        )

    async def _show(self, request: Request, campaign_id: int, **extra: Any) -> Template:
        row = await _get_campaign(campaign_id)
        files = await campaigns.list_files(campaign_id)
        for f in files:
            f["kind"] = file_kind(f["content_type"])
        values = {
            **{k: row[k] for k in ("title_zh", "title_en", "description_zh", "description_en")},
            "starts_on": row["starts_on"].isoformat() if row["starts_on"] else "",
            "ends_on": row["ends_on"].isoformat() if row["ends_on"] else "",
            **await audience_display(row),
            "when": "now",
            "publish_on": dt.date.today().isoformat(),
            "publish_time": "09:00",
        }
        values.update(extra.pop("values", {}))
        return page(
            request,
            "console/communications/campaign.html",
            campaign=row,
            files=files,
            editable=row["status"] in campaigns.EDITABLE,
            audience_text=await describe_audience(row),
            status_labels={k.value: _(v) for k, v in CAMPAIGN_STATUS_LABELS.items()},
            audience_count=await audience_rules.count_partners(
                row["audience"], row["audience_values"]
            ),
            accept=storage.accept_attribute(MATERIAL_KINDS),
            accepted_label=storage.allowed_label(MATERIAL_KINDS),
            max_mb=get_settings().upload_max_mb,
            values=values,
            **await audience_options(),
            **extra,
        )

    @get("/{campaign_id:int}", name="console_campaigns:show")
    async def show(self, request: Request, campaign_id: FromPath[int]) -> Template:
        return await self._show(request, campaign_id)

    @post("/{campaign_id:int}", name="console_campaigns:update", opt=ADMIN)
    async def update(self, request: Request, campaign_id: FromPath[int]) -> Template | Redirect:
        user = current_user(request)
        plain, errors, display = await _form_data(await request.form())
        form, form_errors, values = read_form(CampaignForm, plain)
        values.update(display)
        errors = {**form_errors, **errors}
        if form is not None and not errors:
            try:
                await campaigns.update_campaign(user, campaign_id, form)
            except NotFound:
                raise not_found() from None
            except FormError as exc:
                errors = exc.errors
            else:
                return redirect(
                    request,
                    "console_campaigns:show",
                    flash=("success", _("The campaign has been saved.")),
                    campaign_id=campaign_id,
                )
        response = await self._show(request, campaign_id, errors=errors, values=values)
        response.status_code = 400
        return response

    @post(
        "/{campaign_id:int}/files",
        name="console_campaigns:upload",
        opt=ADMIN,
        # the app-wide body cap is smaller than the upload cap: this handler allows the upload
        # cap plus room for the multipart envelope; the storage module checks the file itself
        request_max_body_size=(get_settings().upload_max_mb + 1) * 1024 * 1024,
    )
    async def upload(self, request: Request, campaign_id: FromPath[int]) -> Template | Redirect:
        user = current_user(request)
        await _get_campaign(campaign_id)
        data = await request.form()
        uploads = [u for u in data.getall("file", []) if isinstance(u, UploadFile) and u.filename]
        if not uploads:
            response = await self._show(
                request, campaign_id, errors={"file": _("Choose a file to upload.")}
            )
            response.status_code = 400
            return response
        added = 0
        for upload in uploads:
            content = await upload.read(storage.max_upload_bytes() + 1)
            try:
                await campaigns.add_material(user, campaign_id, content, upload.filename)
            except storage.UploadRejected as exc:
                response = await self._show(request, campaign_id, errors={"file": exc.message})
                response.status_code = 400
                return response
            except FormError as exc:
                response = await self._show(request, campaign_id, errors=exc.errors)
                response.status_code = 400
                return response
            added += 1
        return redirect(
            request,
            "console_campaigns:show",
            flash=("success", _("%(n)s files added.", n=added)),
            campaign_id=campaign_id,
        )

    @get("/{campaign_id:int}/files/{file_id:int}", name="console_campaigns:download")
    async def download(
        self, request: Request, campaign_id: FromPath[int], file_id: FromPath[int]
    ) -> Response[bytes]:
        from portal.communications.access import get_campaign_file_for_user

        try:
            row = await get_campaign_file_for_user(current_user(request), campaign_id, file_id)
        except NotFound:
            raise not_found() from None
        return await file_response(row)

    @post(
        "/{campaign_id:int}/files/{file_id:int}/delete",
        name="console_campaigns:remove_file",
        opt=ADMIN,
    )
    async def remove_file(
        self, request: Request, campaign_id: FromPath[int], file_id: FromPath[int]
    ) -> Redirect:
        try:
            await campaigns.remove_material(current_user(request), campaign_id, file_id)
        except NotFound:
            raise not_found() from None
        return redirect(
            request,
            "console_campaigns:show",
            flash=("info", _("The file has been removed.")),
            campaign_id=campaign_id,
        )

    @post("/{campaign_id:int}/publish", name="console_campaigns:publish", opt=ADMIN)
    async def publish(self, request: Request, campaign_id: FromPath[int]) -> Template | Redirect:
        user = current_user(request)
        await _get_campaign(campaign_id)
        data = await request.form()
        when, errors = parse_schedule(data)
        if not errors:
            try:
                await campaigns.schedule_campaign(user, campaign_id, when or now())
            except FormError as exc:
                errors = exc.errors
        if errors:
            response = await self._show(
                request, campaign_id, errors=errors, values={k: data.get(k) for k in data}
            )
            response.status_code = 400
            return response
        message = (
            _("The campaign is being published.")
            if when is None
            else _("The campaign will be published at the chosen time.")
        )
        return redirect(
            request, "console_campaigns:show", flash=("success", message), campaign_id=campaign_id
        )

    @post("/{campaign_id:int}/unschedule", name="console_campaigns:unschedule", opt=ADMIN)
    async def unschedule(self, request: Request, campaign_id: FromPath[int]) -> Redirect:
        try:
            await campaigns.unschedule_campaign(current_user(request), campaign_id)
        except FormError as exc:
            return redirect(
                request,
                "console_campaigns:show",
                flash=("error", next(iter(exc.errors.values()))),
                campaign_id=campaign_id,
            )
        return redirect(
            request,
            "console_campaigns:show",
            flash=("info", _("The campaign is a draft again.")),
            campaign_id=campaign_id,
        )

    @post("/{campaign_id:int}/archive", name="console_campaigns:archive", opt=ADMIN)
    async def archive(self, request: Request, campaign_id: FromPath[int]) -> Redirect:
        try:
            await campaigns.archive_campaign(current_user(request), campaign_id)
        except NotFound:
            raise not_found() from None
        return redirect(
            request,
            "console_campaigns:show",
            flash=("info", _("The campaign has been archived.")),
            campaign_id=campaign_id,
        )

    @get("/{campaign_id:int}/reach", name="console_campaigns:reach")
    async def reach(self, request: Request, campaign_id: FromPath[int]) -> Template:
        user = current_user(request)
        row = await _get_campaign(campaign_id)
        figures = await campaigns.reach(user, campaign_id)
        return page(
            request,
            "console/communications/reach.html",
            campaign=row,
            reach=figures,
            activity=await campaigns.recent_activity(user, campaign_id),
            tier_names=await _tier_names(),
            region_name=lambda code: province_name(code, current_locale.get()),
        )


async def _tier_names() -> dict[str, str]:
    from portal.partners.services import list_tiers

    zh = current_locale.get() == "zh_CN"
    return {t["code"]: t["name_zh"] if zh else t["name_en"] for t in await list_tiers()}


async def _get_request(request_id: int) -> dict[str, Any]:
    try:
        return await feedback.get_request(request_id)
    except NotFound:
        raise not_found() from None


def _filters(request: Request) -> ResultFilters:
    query = request.query_params
    partner = query.get("partner", "")
    return ResultFilters(
        tier=query.get("tier", "")[:30],
        region=query.get("region", "")[:10],
        partner=int(partner) if partner.isdigit() else None,
    )


class FeedbackConsole(Controller):
    """Feedback requests for vendor staff."""

    path = "/console/feedback"
    opt = VENDOR

    @get("/", name="console_feedback:list")
    async def index(self, request: Request) -> Template:
        from portal.communications.tables import FeedbackRequest

        number = page_number(request.query_params.get("page"))
        auto = request.query_params.get("auto") == "1"
        where = (FeedbackRequest.subject != "") if auto else (FeedbackRequest.subject == "")
        total = await FeedbackRequest.count().where(where)
        rows = (
            await FeedbackRequest.select()
            .where(where)
            .order_by(FeedbackRequest.id, ascending=False)
            .limit(PER_PAGE)
            .offset((number - 1) * PER_PAGE)
        )
        counts = await _response_counts([r["id"] for r in rows])
        for r in rows:
            r["responses"] = counts.get(r["id"], 0)
        return page(
            request,
            "console/communications/requests.html",
            requests=rows,
            auto=auto,
            status_labels={k.value: _(v) for k, v in REQUEST_STATUS_LABELS.items()},
            params={"auto": "1" if auto else ""},
            pager=Page(number, PER_PAGE, total),
        )

    @get("/new", name="console_feedback:new", opt=ADMIN)
    async def new(self, request: Request) -> Template:
        due = dt.date.today() + dt.timedelta(days=14)
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
        plain, errors, display = await _form_data(await request.form())
        form, form_errors, values = read_form(FeedbackRequestForm, plain)
        values.update(display)
        errors = {**form_errors, **errors}
        if form is not None and not errors:
            try:
                request_id = await feedback.create_request(user, form)
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
            "publish_on": dt.date.today().isoformat(),
            "publish_time": "09:00",
            "kind": "nps",
            "required": True,
        }
        values.update(extra.pop("values", {}))
        return page(
            request,
            "console/communications/request.html",
            req=row,
            questions=await feedback.list_questions(request_id),
            editable=row["status"] in feedback.EDITABLE,
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
        plain, errors, display = await _form_data(await request.form())
        form, form_errors, values = read_form(FeedbackRequestForm, plain)
        values.update(display)
        errors = {**form_errors, **errors}
        if form is not None and not errors:
            try:
                await feedback.update_request(user, request_id, form)
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
                await feedback.add_question(user, request_id, form)
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
            await feedback.remove_question(current_user(request), request_id, question_id)
        except NotFound:
            raise not_found() from None
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
                await feedback.schedule_request(user, request_id, when or now())
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
            await feedback.close_request(current_user(request), request_id)
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
        filters = _filters(request)
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
            trend=await results.trend(series) if series else [],
            choices=await results.filter_choices(request_id),
            tier_names=await _tier_names(),
            region_name=lambda code: province_name(code, current_locale.get()),
            values=params,
            params=params,
        )

    @get("/{request_id:int}/export", name="console_feedback:export")
    async def export(self, request: Request, request_id: FromPath[int]) -> Response[bytes]:
        await _get_request(request_id)
        data = await results.export_xlsx(request_id, _filters(request))
        return Response(
            content=data,
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={
                "Content-Disposition": (
                    f'attachment; filename="feedback-{request_id}-{dt.date.today():%Y%m%d}.xlsx"'
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
                "auto_csat_orders": await feedback.get_setting("auto_csat_orders"),
                "auto_csat_cases": await feedback.get_setting("auto_csat_cases"),
                "csat_days_open": await feedback.get_setting("csat_days_open"),
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
        if not raw_days.isdigit() or not 1 <= int(raw_days) <= 90:
            return page(
                request,
                "console/communications/settings.html",
                status_code=400,
                values=values,
                errors={"csat_days_open": _("Enter a number of days from 1 to 90.")},
            )
        for key in ("auto_csat_orders", "auto_csat_cases"):
            if values[key] != await feedback.get_setting(key):
                await feedback.set_setting(user, key, values[key])
        if int(raw_days) != await feedback.get_setting("csat_days_open"):
            await feedback.set_setting(user, "csat_days_open", int(raw_days))
        return redirect(
            request,
            "console_feedback:settings",
            flash=("success", _("The settings have been saved.")),
        )


def distribution_svg(distribution: list[tuple[int, int]], *, title: str, colours: Any) -> Any:
    """Bars of answer counts per score, the count above each bar (server-made SVG; only
    presentation attributes, so the page stays within the CSP)."""
    from html import escape

    from markupsafe import Markup

    from portal.lib.charts import FONT_FAMILY

    width, height, top, bottom, gap = 560, 180, 22, 24, 6
    n = max(len(distribution), 1)
    slot = width / n
    peak = max([c for _v, c in distribution] + [1])
    plot = height - top - bottom
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}"'
        f' height="{height}" role="img" aria-label="{escape(title)}"'
        f' font-family="{escape(FONT_FAMILY)}" font-size="12">',
        f'<line x1="0" y1="{top + plot}" x2="{width}" y2="{top + plot}" stroke="#c8d2df"/>',
    ]
    for i, (value, count) in enumerate(distribution):
        h = plot * count / peak
        x = i * slot + gap / 2
        y = top + plot - h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot - gap:.1f}" height="{h:.1f}" rx="3"'
            f' fill="{colours(value)}"><title>{value}: {count}</title></rect>'
        )
        cx = x + (slot - gap) / 2
        parts.append(
            f'<text x="{cx:.1f}" y="{y - 5:.1f}" text-anchor="middle" fill="#1b2537">{count}</text>'
        )
        parts.append(
            f'<text x="{cx:.1f}" y="{height - 6}" text-anchor="middle" fill="#58677d">{value}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704  (every interpolated value is a number or escaped)


def _nps_colour(value: int) -> str:
    return "#c2261f" if value <= 6 else ("#e39b1c" if value <= 8 else "#177245")


def _csat_colour(value: int) -> str:
    return "#2459c7"


def add_charts(figures: dict[str, Any]) -> None:
    """Server-made SVG bars for the NPS (detractors red, passives amber, promoters green) and
    CSAT distributions."""
    for q in figures["questions"]:
        if q["kind"] == QuestionKind.NPS:
            q["chart"] = distribution_svg(
                q["distribution"], title=_("Distribution of the answers"), colours=_nps_colour
            )
        elif q["kind"] == QuestionKind.CSAT:
            q["chart"] = distribution_svg(
                q["distribution"], title=_("Distribution of the answers"), colours=_csat_colour
            )


def _scopes() -> list[tuple[str, str]]:
    return [
        (AnswerScope.USER.value, _("One answer per partner user")),
        (AnswerScope.PARTNER.value, _("One answer per partner")),
    ]


async def _response_counts(ids: list[int]) -> dict[int, int]:
    from portal.communications.tables import FeedbackRequest

    if not ids:
        return {}
    rows = await FeedbackRequest.raw(
        "SELECT request, COUNT(*) AS n FROM feedback_response WHERE request IN ("  # noqa: S608
        + ", ".join("{}" for _ in ids)
        + ") GROUP BY request",
        *ids,
    )
    return {int(r["request"]): int(r["n"]) for r in rows}


PAGES = [CampaignConsole, FeedbackConsole]
