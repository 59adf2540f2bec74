"""The campaigns part of the JSON API (/api/v1): campaigns addressed to the caller's partner
(vendors: every one), with their files."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.params import FromPath, FromQuery

from portal.auth.constants import Access
from portal.communications.campaigns import editing as campaign_editing
from portal.communications.campaigns import reads as campaign_reads
from portal.communications.campaigns.access import get_campaign_for_user
from portal.communications.campaigns.constants import ActivityKind
from portal.communications.campaigns.schemas import CampaignListOut, CampaignOut, FileOut
from portal.lib import clock
from portal.lib.i18n import localized
from portal.lib.inputs import PageNo
from portal.web import current_user, not_found

READERS = {"access": (Access.PARTNER, Access.VENDOR)}
PER_PAGE = 50


def campaign_out(row: dict[str, Any], files: list[dict[str, Any]] | None = None) -> CampaignOut:
    return CampaignOut(
        id=row["id"],
        title=localized(row, "title"),
        title_zh=row["title_zh"],
        title_en=row["title_en"],
        description=localized(row, "description"),
        starts_on=row["starts_on"],
        ends_on=row["ends_on"],
        published_at=row.get("published_at"),
        current=row["ends_on"] is None or row["ends_on"] >= clock.today(),
        files=[
            FileOut(
                id=f["id"],
                filename=f["filename"],
                content_type=f["content_type"],
                size=f["size"],
                download_url=f"/campaigns/{row['id']}/files/{f['id']}",
            )
            for f in files or []
        ],
    )


class CampaignsApi(Controller):
    path = "/"
    opt = READERS

    @get("/campaigns", name="api:campaigns")
    async def list_campaigns(
        self, request: Request, page: PageNo = 1, past: FromQuery[bool] = False
    ) -> CampaignListOut:
        """Published campaigns addressed to the caller's partner (vendors: every one)."""
        user = current_user(request)
        number = max(1, min(page, 100_000))
        rows, total = await campaign_reads.list_campaigns_for_user(
            user, past=past, page=number, per_page=PER_PAGE
        )
        return CampaignListOut(
            items=[campaign_out(r) for r in rows], total=total, page=number, per_page=PER_PAGE
        )

    @get("/campaigns/{campaign_id:int}", name="api:campaign")
    async def get_campaign(self, request: Request, campaign_id: FromPath[int]) -> CampaignOut:
        user = current_user(request)
        row = await get_campaign_for_user(user, campaign_id)
        if row["status"] != "published":
            raise not_found()
        await campaign_reads.record_activity(user, campaign_id, ActivityKind.VIEW)
        return campaign_out(row, await campaign_editing.list_files(campaign_id))


API = [CampaignsApi]
