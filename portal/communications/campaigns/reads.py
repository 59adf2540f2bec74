"""Campaign reads: partners see only published campaigns addressed to them; figures in scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from portal.auth.schemas import CurrentUser
from portal.communications.campaigns import queries
from portal.communications.campaigns.constants import ActivityKind, CampaignStatus
from portal.communications.campaigns.tables import (
    Campaign,
    CampaignActivity,
    CampaignDelivery,
    CampaignFile,
    CampaignRecipient,
)
from portal.communications.figures import CampaignFigures
from portal.core.notifications import mark_read_by_ref
from portal.db import write_transaction
from portal.lib import clock
from portal.lib.clock import now
from portal.lib.i18n import localized
from portal.tenancy import partner_scope

# ---- partner side -------------------------------------------------------------------------


def _addressed_to(partner_id: int) -> Any:
    return Campaign.id.is_in(
        CampaignRecipient.select(CampaignRecipient.campaign).where(
            CampaignRecipient.partner == partner_id
        )
    )


def _visible(user: CurrentUser) -> Any:
    """Published campaigns a partner user may see; vendors see every published campaign."""
    where = Campaign.status == CampaignStatus.PUBLISHED
    if user.is_vendor:
        return where
    if user.is_partner and user.partner_id is not None:
        return where & _addressed_to(user.partner_id)
    return where & (Campaign.id == -1)


async def list_campaigns_for_user(
    user: CurrentUser, *, past: bool = False, page: int = 1, per_page: int = 20
) -> tuple[list[dict[str, Any]], int]:
    """Current (not yet ended) or past campaigns addressed to the user's partner, newest first."""
    today = clock.today()
    where = _visible(user)
    if past:
        where = where & Campaign.ends_on.is_not_null() & (Campaign.ends_on < today)
    else:
        where = where & (Campaign.ends_on.is_null() | (Campaign.ends_on >= today))
    total = await Campaign.count().where(where)
    rows = (
        await Campaign.select(
            Campaign.id,
            Campaign.title_zh,
            Campaign.title_en,
            Campaign.description_zh,
            Campaign.description_en,
            Campaign.starts_on,
            Campaign.ends_on,
            Campaign.published_at,
        )
        .where(where)
        .order_by(Campaign.published_at, ascending=False)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    ids = [r["id"] for r in rows]
    counts: dict[int, int] = {}
    opened: set[int] = set()
    if ids:
        for f in await CampaignFile.select(CampaignFile.campaign).where(
            CampaignFile.campaign.is_in(ids)
        ):
            counts[f["campaign"]] = counts.get(f["campaign"], 0) + 1
        if user.is_partner:
            opened = {
                r["campaign"]
                for r in await CampaignActivity.select(CampaignActivity.campaign).where(
                    CampaignActivity.campaign.is_in(ids) & (CampaignActivity.user == user.id)
                )
            }
    for r in rows:
        r["file_count"] = counts.get(r["id"], 0)
        r["is_new"] = user.is_partner and r["id"] not in opened
        r["current"] = r["ends_on"] is None or r["ends_on"] >= today
    return rows, total


async def record_activity(
    user: CurrentUser, campaign_id: int, kind: ActivityKind, file_id: int | None = None
) -> None:
    """Remember who opened, previewed or downloaded what, and when (partner users only)."""
    if not user.is_partner or user.partner_id is None:
        return  # vendor staff looking at a campaign is not reach
    moment = now()
    async with write_transaction():
        await CampaignActivity.insert(
            CampaignActivity(
                campaign=campaign_id,
                file=file_id,
                partner=user.partner_id,
                user=user.id,
                kind=kind.value,
                at=moment,
            )
        )
        mine = (CampaignRecipient.campaign == campaign_id) & (
            CampaignRecipient.partner == user.partner_id
        )
        await CampaignRecipient.update({CampaignRecipient.first_opened_at: moment}).where(
            mine & CampaignRecipient.first_opened_at.is_null()
        )
        if kind == ActivityKind.DOWNLOAD:
            await CampaignRecipient.update({CampaignRecipient.first_downloaded_at: moment}).where(
                mine & CampaignRecipient.first_downloaded_at.is_null()
            )
    if kind == ActivityKind.VIEW:
        await mark_read_by_ref(user.id, f"campaign:{campaign_id}")


# ---- vendor side --------------------------------------------------------------------------


async def list_campaigns_console(
    status: str = "", page: int = 1, per_page: int = 30, partner_id: int | None = None
) -> tuple[list[dict[str, Any]], int]:
    """Every campaign for the console, newest first, with reach counts; given `partner_id`
    (checked against the reader's scope by the caller), only those addressed to that partner."""
    where: Any = Campaign.id > 0
    if status:
        where = where & (Campaign.status == status)
    if partner_id is not None:
        where = where & _addressed_to(partner_id)
    total = await Campaign.count().where(where)
    rows = (
        await Campaign.select()
        .where(where)
        .order_by(Campaign.id, ascending=False)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    ids = [r["id"] for r in rows]
    opened = await queries.opened_partners(ids) if ids else {}
    for r in rows:
        r["opened_partners"] = opened.get(r["id"], 0)
    return rows, total


async def campaign_choices(limit: int = 200) -> list[tuple[str, str]]:
    """[(id, "title · status")] of the campaigns not archived, newest first: what a rebate
    programme (finance, above) may point to."""
    rows = await (
        Campaign.select(Campaign.id, Campaign.title_zh, Campaign.title_en, Campaign.status)
        .where(Campaign.status != CampaignStatus.ARCHIVED)
        .order_by(Campaign.id, ascending=False)
        .limit(limit)
    )
    return [(str(r["id"]), localized(r, "title")) for r in rows]


async def campaign_exists(campaign_id: int) -> bool:
    return bool(await Campaign.exists().where(Campaign.id == campaign_id))


async def reach(user: CurrentUser, campaign_id: int) -> dict[str, Any]:
    """Partners reached, opened, downloaded; by tier and by region; who never opened.

    Channel managers see the figures of their own partners only (the tenant wall).
    """
    scope = partner_scope(user, CampaignRecipient.partner)
    rows = await CampaignRecipient.select(
        CampaignRecipient.partner,
        CampaignRecipient.tier_code,
        CampaignRecipient.province,
        CampaignRecipient.first_opened_at,
        CampaignRecipient.first_downloaded_at,
        CampaignRecipient.partner.name.as_alias("partner_name"),
        CampaignRecipient.partner.code.as_alias("partner_code"),
    ).where((CampaignRecipient.campaign == campaign_id) & scope)

    def bucket() -> dict[str, int]:
        return {"reached": 0, "opened": 0, "downloaded": 0}

    totals = bucket()
    by_tier: dict[str, dict[str, int]] = {}
    by_region: dict[str, dict[str, int]] = {}
    never: list[dict[str, Any]] = []
    for r in rows:
        for group in (totals, by_tier.setdefault(r["tier_code"], bucket())):
            _count(group, r)
        _count(by_region.setdefault(r["province"], bucket()), r)
        if r["first_opened_at"] is None:
            never.append(r)
    never.sort(key=lambda r: r["partner_code"])
    downloads = await queries.file_downloads(campaign_id)
    return {
        "totals": totals,
        "by_tier": by_tier,
        "by_region": dict(sorted(by_region.items(), key=lambda kv: -kv[1]["reached"])),
        "never_opened": never,
        "files": downloads,
    }


def _count(group: dict[str, int], row: dict[str, Any]) -> None:
    group["reached"] += 1
    if row["first_opened_at"] is not None:
        group["opened"] += 1
    if row["first_downloaded_at"] is not None:
        group["downloaded"] += 1


async def recent_activity(
    user: CurrentUser, campaign_id: int, limit: int = 50
) -> list[dict[str, Any]]:
    """The latest views and downloads (who, when, which file), within the user's scope."""
    return (
        await CampaignActivity.select(
            CampaignActivity.kind,
            CampaignActivity.at,
            CampaignActivity.file.filename.as_alias("filename"),
            CampaignActivity.user.name.as_alias("user_name"),
            CampaignActivity.partner.name.as_alias("partner_name"),
        )
        .where(
            (CampaignActivity.campaign == campaign_id)
            & partner_scope(user, CampaignActivity.partner)
        )
        .order_by(CampaignActivity.id, ascending=False)
        .limit(limit)
    )


async def campaign_figures(
    partner_ids: Sequence[int] | None, start: dt.date, end: dt.date
) -> dict[int, CampaignFigures]:
    """Per partner: campaigns addressed in [start, end), opened and files downloaded in range."""
    lo = clock.day_start(start)
    hi = clock.day_start(end)
    ids = list(partner_ids) if partner_ids is not None else None
    if ids is not None and not ids:
        return {}
    out: dict[int, dict[str, int]] = {}

    def slot(pid: int) -> dict[str, int]:
        return out.setdefault(pid, {})

    for r in await queries.received_by_partner(lo, hi, ids):
        s = slot(int(r["partner"]))
        s["campaigns_received"] = int(r["received"])
        s["campaigns_opened"] = int(r["opened"] or 0)
    for r in await queries.downloads_by_partner(lo, hi, ids):
        slot(int(r["partner"]))["files_downloaded"] = int(r["n"])
    return {pid: CampaignFigures(**values) for pid, values in out.items()}


async def delivered_users(campaign_id: int) -> int:
    return await CampaignDelivery.count().where(CampaignDelivery.campaign == campaign_id)
