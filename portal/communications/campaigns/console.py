"""Vendor console for campaigns: staff read, only vendor admins change; reach in scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from litestar import Controller, Request, get, post
from litestar.datastructures import UploadFile
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Response, Template

from portal.communications import audience as audience_rules
from portal.communications.campaigns import editing as campaign_editing
from portal.communications.campaigns import publishing as campaign_publishing
from portal.communications.campaigns import reads as campaign_reads
from portal.communications.campaigns import responses
from portal.communications.campaigns.access import get_campaign_file_for_user
from portal.communications.campaigns.constants import CAMPAIGN_STATUS_LABELS, MATERIAL_KINDS
from portal.communications.campaigns.pages import file_kind, file_response
from portal.communications.campaigns.schemas import CampaignForm
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
from portal.lib import clock, hooks, storage
from portal.lib.clock import now
from portal.lib.forms import FormError, id_filter, read_form
from portal.lib.i18n import current_locale, format_datetime, localized, ngettext
from portal.lib.i18n import gettext as _
from portal.partners.access import partner_names_for_user
from portal.partners.constants import province_name
from portal.partners.tiers import tier_names
from portal.settings import get_settings
from portal.web import (
    Confirm,
    Page,
    confirm_page,
    confirmed,
    current_user,
    page,
    page_number,
    redirect,
)


async def _get_campaign(campaign_id: int) -> dict[str, Any]:
    return await campaign_editing.get_campaign(campaign_id)


class CampaignConsole(Controller):
    """Campaigns for vendor staff."""

    path = "/console/campaigns"
    opt = VENDOR

    @get("/", name="console_campaigns:list")
    async def index(
        self, request: Request, status: FromQuery[str] = "", partner_id: FromQuery[str] = ""
    ) -> Template:
        number = page_number(request.query_params.get("page"))
        # the campaigns addressed to one partner (the link from its console page); a partner
        # outside the reader's scope has no name here and matches nothing
        pid = id_filter(partner_id)
        names = await partner_names_for_user(current_user(request), [pid] if pid else [])
        rows, total = await campaign_reads.list_campaigns_console(
            status, number, PER_PAGE, partner_id=(pid if pid in names else -1) if pid else None
        )
        return page(
            request,
            "console/communications/campaigns.html",
            campaigns=rows,
            status_labels={k.value: _(v) for k, v in CAMPAIGN_STATUS_LABELS.items()},
            partner_name=names.get(pid, "") if pid else "",
            values={"status": status, "partner_id": partner_id},
            params={"status": status, "partner_id": partner_id},
            pager=Page(number, PER_PAGE, total),
        )

    @get("/new", name="console_campaigns:new", opt=ADMIN)
    async def new(self, request: Request) -> Template:
        return page(
            request,
            "console/communications/campaign_form.html",
            campaign=None,
            values={"audience": "all", "starts_on": clock.today().isoformat()},
            **await audience_options(),
        )

    @post("/new", name="console_campaigns:create", opt=ADMIN)
    async def create(self, request: Request) -> Template | Redirect:
        user = current_user(request)
        plain, errors, display = await form_data(await request.form())
        form, form_errors, values = read_form(CampaignForm, plain)
        values.update(display)
        errors = {**form_errors, **errors}
        if form is not None and not errors:
            try:
                campaign_id = await campaign_editing.create_campaign(user, form)
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
        files = await campaign_editing.list_files(campaign_id)
        for f in files:
            f["kind"] = file_kind(f["content_type"])
        values = {
            **{k: row[k] for k in ("title_zh", "title_en", "description_zh", "description_en")},
            "starts_on": row["starts_on"].isoformat() if row["starts_on"] else "",
            "ends_on": row["ends_on"].isoformat() if row["ends_on"] else "",
            **await audience_display(row),
            "when": "now",
            "publish_on": clock.today().isoformat(),
            "publish_time": "09:00",
        }
        values.update(extra.pop("values", {}))
        return page(
            request,
            "console/communications/campaign.html",
            campaign=row,
            files=files,
            editable=row["status"] in campaign_editing.EDITABLE,
            audience_text=await describe_audience(row),
            status_labels={k.value: _(v) for k, v in CAMPAIGN_STATUS_LABELS.items()},
            audience_count=await audience_rules.count_partners(
                row["audience"], row["audience_values"]
            ),
            accept=storage.accept_attribute(MATERIAL_KINDS),
            accepted_label=storage.allowed_label(MATERIAL_KINDS),
            max_mb=get_settings().upload_max_mb,
            values=values,
            respond_url=responses.response_url(row),
            programmes=await hooks.campaign_programmes(campaign_id, None),
            **await audience_options(),
            **extra,
        )

    @get("/{campaign_id:int}", name="console_campaigns:show")
    async def show(self, request: Request, campaign_id: FromPath[int]) -> Template:
        return await self._show(request, campaign_id)

    @post("/{campaign_id:int}", name="console_campaigns:update", opt=ADMIN)
    async def update(self, request: Request, campaign_id: FromPath[int]) -> Template | Redirect:
        user = current_user(request)
        plain, errors, display = await form_data(await request.form())
        form, form_errors, values = read_form(CampaignForm, plain)
        values.update(display)
        errors = {**form_errors, **errors}
        if form is not None and not errors:
            try:
                await campaign_editing.update_campaign(user, campaign_id, form)
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
                await campaign_editing.add_material(user, campaign_id, content, upload.filename)
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
        row = await get_campaign_file_for_user(current_user(request), campaign_id, file_id)
        return await file_response(row)

    @post(
        "/{campaign_id:int}/files/{file_id:int}/delete",
        name="console_campaigns:remove_file",
        opt=ADMIN,
    )
    async def remove_file(
        self, request: Request, campaign_id: FromPath[int], file_id: FromPath[int]
    ) -> Redirect:
        await campaign_editing.remove_material(current_user(request), campaign_id, file_id)
        return redirect(
            request,
            "console_campaigns:show",
            flash=("info", _("The file has been removed.")),
            campaign_id=campaign_id,
        )

    async def _confirm_publish(
        self, request: Request, campaign_id: int, data: Any, when: dt.datetime | None
    ) -> Template:
        """'Publish "X"? 37 people at 12 partners will be e-mailed.' with the real audience."""
        row = await _get_campaign(campaign_id)
        people, partners = await audience_rules.count_people(
            row["audience"], audience_rules.parse_values(row["audience_values"])
        )
        title = localized(row, "title", current_locale.get())
        told = ngettext(
            "%(num)s person at %(partners)s partners will be e-mailed and see it in their"
            " notifications.",
            "%(num)s people at %(partners)s partners will be e-mailed and see it in their"
            " notifications.",
            people,
            partners=partners,
        )
        lines = [told]
        if when is not None:
            lines.insert(
                0,
                _(
                    "It will be published at %(when)s; the people told are those of the audience"
                    " then (now: the figure below).",
                    when=format_datetime(when),
                ),
            )
        fields = {k: data.get(k) or "" for k in ("when", "publish_on", "publish_time")}
        return confirm_page(
            request,
            Confirm(
                heading=_("Publish “%(title)s”?", title=title),
                lines=lines,
                action=request.app.route_reverse(
                    "console_campaigns:publish", campaign_id=campaign_id
                ),
                button=_("Publish") if when is None else _("Schedule"),
                cancel=request.app.route_reverse("console_campaigns:show", campaign_id=campaign_id),
                fields=fields,
            ),
        )

    async def _publish_step(
        self, request: Request, campaign_id: int, data: Any, act: bool
    ) -> Template | Redirect:
        """Publishing asks first: the schedule is checked, then the confirmation page is shown
        unless this request comes from it (`act`: a POST carrying confirmed=1)."""
        row = await _get_campaign(campaign_id)
        when, errors = parse_schedule(data)
        if not errors and row["status"] not in campaign_editing.EDITABLE:
            errors = {"": _("This campaign cannot be published any more.")}
        if not errors and not act:
            return await self._confirm_publish(request, campaign_id, data, when)
        if not errors:
            try:
                await campaign_publishing.schedule_campaign(
                    current_user(request), campaign_id, when or now()
                )
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

    @get("/{campaign_id:int}/publish", name="console_campaigns:confirm_publish", opt=ADMIN)
    async def confirm_publish(
        self, request: Request, campaign_id: FromPath[int]
    ) -> Template | Redirect:
        """The confirmation step of publishing (the campaign page's form leads here)."""
        return await self._publish_step(request, campaign_id, request.query_params, act=False)

    @post("/{campaign_id:int}/publish", name="console_campaigns:publish", opt=ADMIN)
    async def publish(self, request: Request, campaign_id: FromPath[int]) -> Template | Redirect:
        """Publish or schedule, once confirmed; a POST from elsewhere shows the confirmation."""
        data = await request.form()
        return await self._publish_step(request, campaign_id, data, act=confirmed(data))

    @post("/{campaign_id:int}/unschedule", name="console_campaigns:unschedule", opt=ADMIN)
    async def unschedule(self, request: Request, campaign_id: FromPath[int]) -> Redirect:
        try:
            await campaign_publishing.unschedule_campaign(current_user(request), campaign_id)
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
        await campaign_publishing.archive_campaign(current_user(request), campaign_id)
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
        figures = await campaign_reads.reach(user, campaign_id)
        return page(
            request,
            "console/communications/reach.html",
            campaign=row,
            reach=figures,
            activity=await campaign_reads.recent_activity(user, campaign_id),
            tier_names=await tier_names(),
            region_name=lambda code: province_name(code, current_locale.get()),
        )
