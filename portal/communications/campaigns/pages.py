"""Partner pages of campaigns: current and past, preview and download of the material (works on
a phone)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.params import FromPath, FromQuery
from litestar.response import Response, Template

from portal.auth.constants import Access
from portal.auth.schemas import CurrentUser
from portal.communications.campaigns import editing as campaign_editing
from portal.communications.campaigns import reads as campaign_reads
from portal.communications.campaigns import responses
from portal.communications.campaigns.access import get_campaign_file_for_user, get_campaign_for_user
from portal.communications.campaigns.constants import PREVIEW_KINDS, ActivityKind
from portal.lib import hooks, storage
from portal.web import Page, current_user, not_found, page, page_number

PARTNERS = {"access": Access.PARTNER}


PER_PAGE = 20


async def _campaign(user: CurrentUser, campaign_id: int) -> dict[str, Any]:
    return await get_campaign_for_user(user, campaign_id)


async def _file(user: CurrentUser, campaign_id: int, file_id: int) -> dict[str, Any]:
    return await get_campaign_file_for_user(user, campaign_id, file_id)


async def file_response(row: dict[str, Any], *, inline: bool = False) -> Response[bytes]:
    """The stored bytes with attachment (or inline preview) headers; 404 if the bytes are gone."""
    try:
        data = await storage.read_file(row["storage_key"])
    except FileNotFoundError:
        raise not_found() from None
    return Response(
        content=data,
        media_type=row["content_type"],
        headers=storage.download_headers(row["filename"], row["content_type"], inline=inline),
    )


def file_kind(content_type: str) -> str:
    return storage.kind_of(content_type) or ""


class CampaignPages(Controller):
    """Campaigns addressed to the partner, their material, preview and download."""

    path = "/campaigns"
    opt = PARTNERS

    @get("/", name="campaigns:list")
    async def index(self, request: Request, tab: FromQuery[str] = "current") -> Template:
        user = current_user(request)
        number = page_number(request.query_params.get("page"))
        past = tab == "past"
        rows, total = await campaign_reads.list_campaigns_for_user(
            user, past=past, page=number, per_page=PER_PAGE
        )
        return page(
            request,
            "communications/campaigns.html",
            campaigns=rows,
            tab="past" if past else "current",
            pager=Page(number, PER_PAGE, total),
            params={"tab": "past" if past else ""},
        )

    @get("/{campaign_id:int}", name="campaigns:show")
    async def show(self, request: Request, campaign_id: FromPath[int]) -> Template:
        user = current_user(request)
        row = await _campaign(user, campaign_id)
        files = await campaign_editing.list_files(campaign_id)
        for f in files:
            f["kind"] = file_kind(f["content_type"])
            f["previewable"] = f["kind"] in PREVIEW_KINDS
        await campaign_reads.record_activity(user, campaign_id, ActivityKind.VIEW)
        return page(
            request,
            "communications/campaign.html",
            campaign=row,
            files=files,
            respond_url=responses.response_url(row),
            programmes=await hooks.campaign_programmes(campaign_id, user.partner_id),
        )

    @get("/{campaign_id:int}/files/{file_id:int}", name="campaigns:download")
    async def download(
        self, request: Request, campaign_id: FromPath[int], file_id: FromPath[int]
    ) -> Response[bytes]:
        user = current_user(request)
        row = await _file(user, campaign_id, file_id)
        response = await file_response(row)
        await campaign_reads.record_activity(user, campaign_id, ActivityKind.DOWNLOAD, file_id)
        return response

    @get("/{campaign_id:int}/files/{file_id:int}/preview", name="campaigns:preview")
    async def preview(
        self, request: Request, campaign_id: FromPath[int], file_id: FromPath[int]
    ) -> Response[bytes]:
        """Images and PDFs shown in the browser (other kinds only download)."""
        user = current_user(request)
        row = await _file(user, campaign_id, file_id)
        if file_kind(row["content_type"]) not in PREVIEW_KINDS:
            raise not_found()
        response = await file_response(row, inline=True)
        if (
            request.query_params.get("thumb") != "1"
        ):  # a thumbnail on the campaign page is no preview
            await campaign_reads.record_activity(user, campaign_id, ActivityKind.PREVIEW, file_id)
        return response
