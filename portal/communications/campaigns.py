"""Campaigns: vendor verbs (create, edit, material, schedule, publish, archive), the publish
fan-out, partner reads with activity recording, and the reach figures.

Publishing is a job: `publish_campaign(campaign_id)` claims the campaign with a conditional UPDATE
(scheduled and due -> published) and, in the same transaction, freezes the audience into
campaign_recipient, tells every active user of those partners once (campaign_delivery, unique per
campaign and user), rings their bell and stores their e-mails. Either all of it commits or none,
so running the job twice publishes once.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from portal.auth.schemas import CurrentUser
from portal.communications import audience as audience_rules
from portal.communications import emails
from portal.communications.constants import (
    MATERIAL_KINDS,
    ActivityKind,
    Audience,
    CampaignStatus,
)
from portal.communications.figures import CampaignFigures
from portal.communications.schemas import CampaignForm
from portal.communications.sql import in_list, param, true
from portal.communications.tables import (
    Campaign,
    CampaignActivity,
    CampaignDelivery,
    CampaignFile,
    CampaignRecipient,
)
from portal.core.audit import record
from portal.db import write_transaction
from portal.lib import storage
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.i18n import current_locale
from portal.lib.i18n import gettext as _
from portal.tenancy import NotFound, partner_scope

EDITABLE = (CampaignStatus.DRAFT, CampaignStatus.SCHEDULED)
MAX_FILES = 30


def localized(row: dict[str, Any], field: str, locale: str | None = None) -> str:
    """The Chinese or English text of a bilingual field, falling back to the other language."""
    loc = locale or current_locale.get()
    zh, en = row.get(f"{field}_zh") or "", row.get(f"{field}_en") or ""
    return (en or zh) if loc == "en" else (zh or en)


def _form_values(form: CampaignForm, tier_codes: list[str]) -> dict[Any, Any]:
    if form.starts_on and form.ends_on and form.ends_on < form.starts_on:
        raise FormError({"ends_on": _("The end date must not be before the start date.")})
    values = audience_rules.clean_values(form.audience, form.audience_values, tier_codes)
    if form.audience != Audience.ALL and not values:
        raise FormError({"audience_values": _("Choose at least one for this audience.")})
    return {
        Campaign.title_zh: form.title_zh,
        Campaign.title_en: form.title_en,
        Campaign.description_zh: form.description_zh,
        Campaign.description_en: form.description_en,
        Campaign.starts_on: form.starts_on,
        Campaign.ends_on: form.ends_on,
        Campaign.audience: str(form.audience),
        Campaign.audience_values: json.dumps(values),
    }


async def _tier_codes() -> list[str]:
    from portal.partners.tables import Tier

    return [r["code"] for r in await Tier.select(Tier.code)]


async def create_campaign(actor: CurrentUser, form: CampaignForm) -> int:
    """A new draft campaign; raises FormError for an inconsistent period or empty audience."""
    values = _form_values(form, await _tier_codes())
    moment = now()
    async with write_transaction():
        row = Campaign(
            **{col._meta.name: v for col, v in values.items()},
            status=CampaignStatus.DRAFT,
            created_by_id=actor.id,
            created_at=moment,
            updated_at=moment,
        )
        await row.save()
        await record(
            "campaign.created",
            actor=actor,
            target_type="campaign",
            target_id=row.id,
            after={"title": form.title_zh, "audience": str(form.audience)},
        )
    return int(row.id)


async def get_campaign(campaign_id: int) -> dict[str, Any]:
    """A campaign row (console); NotFound when it does not exist."""
    row = await Campaign.select().where(Campaign.id == campaign_id).first()
    if row is None:
        raise NotFound
    row["audience_values"] = audience_rules.parse_values(row["audience_values"])
    return row


def _require_editable(row: dict[str, Any]) -> None:
    if row["status"] not in EDITABLE:
        raise FormError({"": _("A published campaign can no longer be changed.")})


async def update_campaign(actor: CurrentUser, campaign_id: int, form: CampaignForm) -> None:
    """Change a draft or scheduled campaign; published ones are frozen (FormError)."""
    before = await get_campaign(campaign_id)
    _require_editable(before)
    values = _form_values(form, await _tier_codes())
    async with write_transaction():
        await Campaign.update({**values, Campaign.updated_at: now()}).where(
            (Campaign.id == campaign_id) & Campaign.status.is_in(list(EDITABLE))
        )
        await record(
            "campaign.updated",
            actor=actor,
            target_type="campaign",
            target_id=campaign_id,
            before={"title": before["title_zh"], "audience": before["audience"]},
            after={"title": form.title_zh, "audience": str(form.audience)},
        )


async def add_material(
    actor: CurrentUser, campaign_id: int, data: bytes, filename: str
) -> dict[str, Any]:
    """Store one file for a campaign; raises storage.UploadRejected (nothing kept) or FormError."""
    row = await get_campaign(campaign_id)
    if row["status"] == CampaignStatus.ARCHIVED:
        raise FormError({"file": _("An archived campaign can no longer be changed.")})
    if await CampaignFile.count().where(CampaignFile.campaign == campaign_id) >= MAX_FILES:
        raise FormError({"file": _("A campaign holds at most %(n)s files.", n=MAX_FILES)})
    stored = await storage.store_upload(
        data, filename, prefix=f"campaigns/{campaign_id}", allowed=MATERIAL_KINDS
    )
    try:
        async with write_transaction():
            file_row = CampaignFile(
                campaign=campaign_id,
                storage_key=stored.key,
                filename=stored.filename,
                content_type=stored.content_type,
                size=stored.size,
                sha256=stored.sha256,
                uploaded_by_id=actor.id,
                uploaded_at=now(),
            )
            await file_row.save()
            await record(
                "campaign.file_added",
                actor=actor,
                target_type="campaign",
                target_id=campaign_id,
                after={"file": stored.filename, "size": stored.size},
            )
    except Exception:
        await storage.delete_file(stored.key)  # leave nothing behind
        raise
    return {"id": int(file_row.id), "filename": stored.filename, "size": stored.size}


async def remove_material(actor: CurrentUser, campaign_id: int, file_id: int) -> None:
    """Delete one file of a campaign (row and stored bytes); NotFound for a foreign file."""
    row = (
        await CampaignFile.select()
        .where((CampaignFile.id == file_id) & (CampaignFile.campaign == campaign_id))
        .first()
    )
    if row is None:
        raise NotFound
    async with write_transaction():
        await CampaignFile.delete().where(CampaignFile.id == file_id)
        await record(
            "campaign.file_removed",
            actor=actor,
            target_type="campaign",
            target_id=campaign_id,
            before={"file": row["filename"]},
        )
    await storage.delete_file(row["storage_key"])


async def list_files(campaign_id: int) -> list[dict[str, Any]]:
    return (
        await CampaignFile.select()
        .where(CampaignFile.campaign == campaign_id)
        .order_by(CampaignFile.id)
    )


async def schedule_campaign(actor: CurrentUser, campaign_id: int, publish_at: dt.datetime) -> None:
    """Publish at a time (the job picks it up when due); a time in the past means now."""
    row = await get_campaign(campaign_id)
    _require_editable(row)
    if not (row["title_zh"] or "").strip():
        raise FormError({"": _("Give the campaign a title first.")})
    async with write_transaction():
        await Campaign.update(
            {
                Campaign.status: CampaignStatus.SCHEDULED,
                Campaign.publish_at: publish_at,
                Campaign.updated_at: now(),
            }
        ).where((Campaign.id == campaign_id) & Campaign.status.is_in(list(EDITABLE)))
        await record(
            "campaign.scheduled",
            actor=actor,
            target_type="campaign",
            target_id=campaign_id,
            after={"publish_at": publish_at},
        )
    if publish_at <= now():
        await enqueue_publish(campaign_id)


async def enqueue_publish(campaign_id: int) -> None:
    from portal.lib import jobs

    await jobs.enqueue("publish_campaign", campaign_id, job_id=f"campaign-publish:{campaign_id}")


async def unschedule_campaign(actor: CurrentUser, campaign_id: int) -> None:
    """Back to draft before the publish time."""
    async with write_transaction():
        changed = (
            await Campaign.update(
                {
                    Campaign.status: CampaignStatus.DRAFT,
                    Campaign.publish_at: None,
                    Campaign.updated_at: now(),
                }
            )
            .where((Campaign.id == campaign_id) & (Campaign.status == CampaignStatus.SCHEDULED))
            .returning(Campaign.id)
        )
        if not changed:
            raise FormError({"": _("Only a scheduled campaign can be taken back.")})
        await record(
            "campaign.unscheduled", actor=actor, target_type="campaign", target_id=campaign_id
        )


async def archive_campaign(actor: CurrentUser, campaign_id: int) -> None:
    """Withdraw a campaign: partners no longer see it; its figures stay."""
    async with write_transaction():
        changed = (
            await Campaign.update(
                {Campaign.status: CampaignStatus.ARCHIVED, Campaign.updated_at: now()}
            )
            .where((Campaign.id == campaign_id) & (Campaign.status != CampaignStatus.ARCHIVED))
            .returning(Campaign.id)
        )
        if not changed:
            raise NotFound
        await record(
            "campaign.archived", actor=actor, target_type="campaign", target_id=campaign_id
        )


async def due_campaign_ids() -> list[int]:
    """Scheduled campaigns whose publish time has come (for the every-minute job)."""
    rows = await Campaign.select(Campaign.id).where(
        (Campaign.status == CampaignStatus.SCHEDULED) & (Campaign.publish_at <= now())
    )
    return [int(r["id"]) for r in rows]


def _email_context(row: dict[str, Any], link: str) -> Any:
    def context_for(locale: str) -> dict[str, Any]:
        return {
            "title": localized(row, "title", locale),
            "description": localized(row, "description", locale)[:600],
            "starts_on": row["starts_on"],
            "ends_on": row["ends_on"],
            "link": link,
        }

    return context_for


async def publish_campaign(campaign_id: int) -> int:
    """Publish a due campaign once: freeze the audience, tell each user once (bell + e-mail).

    Returns the number of users told now (0 when it was published already or is not due).
    """
    from portal.settings import get_settings

    row = await Campaign.select().where(Campaign.id == campaign_id).first()
    if row is None or row["status"] != CampaignStatus.SCHEDULED:
        return 0
    link = f"{get_settings().base_url}/campaigns/{campaign_id}"
    rendered = emails.render_per_locale("campaign_published", _email_context(row, link))
    title_en = localized(row, "title", "en")
    title_zh = localized(row, "title", "zh_CN")
    where, args = audience_rules.condition(
        row["audience"], audience_rules.parse_values(row["audience_values"])
    )
    moment = now()
    ts = param("timestamptz")
    async with write_transaction():
        claimed = (
            await Campaign.update(
                {
                    Campaign.status: CampaignStatus.PUBLISHED,
                    Campaign.published_at: moment,
                    Campaign.updated_at: moment,
                }
            )
            .where(
                (Campaign.id == campaign_id)
                & (Campaign.status == CampaignStatus.SCHEDULED)
                & (Campaign.publish_at <= moment)
            )
            .returning(Campaign.id)
        )
        if not claimed:
            return 0
        await Campaign.raw(
            "INSERT INTO campaign_recipient (campaign, partner, tier_code, province, addressed_at)"  # noqa: S608
            f" SELECT {param('bigint')}, p.id, t.code, p.province, {ts}"
            " FROM partner p JOIN tier t ON t.id = p.tier WHERE "
            + where
            + " ON CONFLICT DO NOTHING",
            campaign_id,
            moment,
            *args,
        )
        told = await Campaign.raw(
            'INSERT INTO campaign_delivery (campaign, "user", partner_id, created_at)'  # noqa: S608
            f" SELECT {param('bigint')}, u.id, u.partner, {ts} FROM portal_user u"
            " JOIN campaign_recipient r ON r.partner = u.partner"
            " WHERE r.campaign = {} AND u.is_active = {}"
            ' ON CONFLICT DO NOTHING RETURNING "user"',
            campaign_id,
            moment,
            campaign_id,
            true(),
        )
        user_ids = [int(r["user"]) for r in told]
        text = param("varchar")
        await Campaign.raw(
            'INSERT INTO notification ("user", kind, title_en, title_zh, link, dedup_key, created_at)'  # noqa: S608
            f" SELECT d.\"user\", 'campaign', {text}, {text}, {text}, {text}, {ts}"
            " FROM campaign_delivery d WHERE d.campaign = {} ON CONFLICT DO NOTHING",
            title_en[:300],
            title_zh[:300],
            f"/campaigns/{campaign_id}",
            f"campaign:{campaign_id}",
            moment,
            campaign_id,
        )
        email_ids = await emails.store_bulk(
            "campaign_published", rendered, await _addresses(user_ids)
        )
        partners = await CampaignRecipient.count().where(CampaignRecipient.campaign == campaign_id)
        await Campaign.update(
            {Campaign.reached_partners: partners, Campaign.reached_users: len(user_ids)}
        ).where(Campaign.id == campaign_id)
        await record(
            "campaign.published",
            target_type="campaign",
            target_id=campaign_id,
            actor_email="system",
            after={"partners": partners, "users": len(user_ids)},
        )
    await emails.enqueue_delivery(email_ids)
    return len(user_ids)


async def _addresses(user_ids: list[int]) -> list[tuple[str, str]]:
    """(e-mail, locale) of active users, in batches (SQLite caps a statement's parameters)."""
    from portal.auth.tables import User

    out: list[tuple[str, str]] = []
    for start in range(0, len(user_ids), 500):
        chunk = user_ids[start : start + 500]
        rows = await User.select(
            User.email, User.locale, User.partner.locale.as_alias("partner_locale")
        ).where(User.id.is_in(chunk) & (User.is_active == True))  # noqa: E712  (SQL, not Python)
        out.extend(
            (r["email"], emails.recipient_locale(r["locale"], r["partner_locale"])) for r in rows
        )
    return out


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
    today = dt.date.today()
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
        from portal.communications.notifications import mark_read_by_ref

        await mark_read_by_ref(user.id, f"campaign:{campaign_id}")


# ---- vendor side --------------------------------------------------------------------------


async def list_campaigns_console(
    status: str = "", page: int = 1, per_page: int = 30
) -> tuple[list[dict[str, Any]], int]:
    """Every campaign for the console, newest first, with reach counts."""
    where: Any = Campaign.id > 0
    if status:
        where = where & (Campaign.status == status)
    total = await Campaign.count().where(where)
    rows = (
        await Campaign.select()
        .where(where)
        .order_by(Campaign.id, ascending=False)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    ids = [r["id"] for r in rows]
    opened: dict[int, int] = {}
    if ids:
        for r in await Campaign.raw(
            "SELECT campaign, COUNT(*) AS n FROM campaign_recipient WHERE campaign IN ("  # noqa: S608
            + in_list(ids)
            + ") AND first_opened_at IS NOT NULL GROUP BY campaign",
            *ids,
        ):
            opened[int(r["campaign"])] = int(r["n"])
    for r in rows:
        r["opened_partners"] = opened.get(r["id"], 0)
    return rows, total


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
    downloads = await CampaignActivity.raw(
        "SELECT f.id, f.filename, COUNT(a.id) AS downloads, COUNT(DISTINCT a.partner) AS partners"
        " FROM campaign_file f LEFT JOIN campaign_activity a ON a.file = f.id AND a.kind = {}"
        " WHERE f.campaign = {} GROUP BY f.id, f.filename ORDER BY f.id",
        ActivityKind.DOWNLOAD.value,
        campaign_id,
    )
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
    lo = dt.datetime.combine(start, dt.time(), tzinfo=dt.UTC)
    hi = dt.datetime.combine(end, dt.time(), tzinfo=dt.UTC)
    ids = list(partner_ids) if partner_ids is not None else None
    if ids is not None and not ids:
        return {}
    only = f" AND partner IN ({in_list(ids)})" if ids is not None else ""
    extra = ids or []
    out: dict[int, dict[str, int]] = {}

    def slot(pid: int) -> dict[str, int]:
        return out.setdefault(pid, {})

    for r in await Campaign.raw(
        "SELECT partner, COUNT(*) AS received,"  # noqa: S608
        " SUM(CASE WHEN first_opened_at IS NOT NULL AND first_opened_at < {} THEN 1 ELSE 0 END)"
        " AS opened FROM campaign_recipient WHERE addressed_at >= {} AND addressed_at < {}"
        + only
        + " GROUP BY partner",
        hi,
        lo,
        hi,
        *extra,
    ):
        s = slot(int(r["partner"]))
        s["campaigns_received"] = int(r["received"])
        s["campaigns_opened"] = int(r["opened"] or 0)
    for r in await Campaign.raw(
        "SELECT partner, COUNT(*) AS n FROM campaign_activity WHERE kind = {} AND at >= {}"  # noqa: S608
        " AND at < {}" + only + " GROUP BY partner",
        ActivityKind.DOWNLOAD.value,
        lo,
        hi,
        *extra,
    ):
        slot(int(r["partner"]))["files_downloaded"] = int(r["n"])
    return {pid: CampaignFigures(**values) for pid, values in out.items()}


async def delivered_users(campaign_id: int) -> int:
    return await CampaignDelivery.count().where(CampaignDelivery.campaign == campaign_id)
