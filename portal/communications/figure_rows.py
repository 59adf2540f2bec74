"""The rows behind the campaign and feedback figures of one partner (the performance
drill-down): the conditions of `campaign_reads.campaign_figures` and
`results.feedback_figures`, row by row, so a figure and its list always agree."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.communications.campaigns.constants import ActivityKind
from portal.communications.campaigns.tables import CampaignActivity, CampaignRecipient
from portal.communications.feedback.constants import QuestionKind
from portal.communications.feedback.tables import (
    FeedbackAnswer,
    FeedbackRecipient,
    FeedbackResponse,
)
from portal.lib import clock


def _aware(value: Any) -> dt.datetime | None:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value


async def campaign_rows(partner_id: int, start: dt.date, end: dt.date, what: str) -> list[Any]:
    """ "received": campaigns addressed to the partner in [start, end), `opened` when it opened
    them before the end; "downloads": the files its users downloaded in [start, end)."""
    lo, hi = clock.day_start(start), clock.day_start(end)
    if what == "received":
        rows = await (
            CampaignRecipient.select(
                CampaignRecipient.campaign.as_alias("campaign_id"),
                CampaignRecipient.campaign.title_zh.as_alias("title_zh"),
                CampaignRecipient.campaign.title_en.as_alias("title_en"),
                CampaignRecipient.addressed_at.as_alias("at"),
                CampaignRecipient.first_opened_at,
            )
            .where(
                (CampaignRecipient.partner == partner_id)
                & (CampaignRecipient.addressed_at >= lo)
                & (CampaignRecipient.addressed_at < hi)
            )
            .order_by(CampaignRecipient.addressed_at)
        )
        for r in rows:
            opened = _aware(r["first_opened_at"])
            r["counted"] = opened is not None and opened < hi
        return rows
    if what == "downloads":
        return await (
            CampaignActivity.select(
                CampaignActivity.campaign.as_alias("campaign_id"),
                CampaignActivity.campaign.title_zh.as_alias("title_zh"),
                CampaignActivity.campaign.title_en.as_alias("title_en"),
                CampaignActivity.file.filename.as_alias("filename"),
                CampaignActivity.user.name.as_alias("user_name"),
                CampaignActivity.at,
            )
            .where(
                (CampaignActivity.partner == partner_id)
                & (CampaignActivity.kind == ActivityKind.DOWNLOAD.value)
                & (CampaignActivity.at >= lo)
                & (CampaignActivity.at < hi)
            )
            .order_by(CampaignActivity.at)
        )
    raise ValueError(what)


async def feedback_rows(partner_id: int, start: dt.date, end: dt.date, what: str) -> list[Any]:
    """ "requests": feedback requests addressed to the partner in [start, end), `counted` when
    it answered; "nps": the NPS answers its users submitted in [start, end), with the score."""
    lo, hi = clock.day_start(start), clock.day_start(end)
    if what == "requests":
        rows = await (
            FeedbackRecipient.select(
                FeedbackRecipient.request.as_alias("request_id"),
                FeedbackRecipient.request.title_zh.as_alias("title_zh"),
                FeedbackRecipient.request.title_en.as_alias("title_en"),
                FeedbackRecipient.addressed_at.as_alias("at"),
            )
            .where(
                (FeedbackRecipient.partner == partner_id)
                & (FeedbackRecipient.addressed_at >= lo)
                & (FeedbackRecipient.addressed_at < hi)
            )
            .order_by(FeedbackRecipient.addressed_at)
        )
        ids = [int(r["request_id"]) for r in rows]
        answered = {
            int(r["request"])
            for r in await FeedbackResponse.select(FeedbackResponse.request).where(
                (FeedbackResponse.partner == partner_id)
                & FeedbackResponse.request.is_in(ids or [0])
            )
        }
        for r in rows:
            r["counted"] = int(r["request_id"]) in answered
        return rows
    if what == "nps":
        return await (
            FeedbackAnswer.select(
                FeedbackAnswer.value.as_alias("score"),
                FeedbackAnswer.response.request.as_alias("request_id"),
                FeedbackAnswer.response.request.title_zh.as_alias("title_zh"),  # type: ignore[union-attr]
                FeedbackAnswer.response.request.title_en.as_alias("title_en"),  # type: ignore[union-attr]
                FeedbackAnswer.response.user.name.as_alias("user_name"),  # type: ignore[union-attr]
                FeedbackAnswer.response.updated_at.as_alias("at"),
            )
            .where(
                (FeedbackAnswer.question.kind == QuestionKind.NPS.value)
                & FeedbackAnswer.value.is_not_null()
                & (FeedbackAnswer.response.partner == partner_id)
                & (FeedbackAnswer.response.updated_at >= lo)
                & (FeedbackAnswer.response.updated_at < hi)
            )
            .order_by(FeedbackAnswer.response.updated_at)
        )
    raise ValueError(what)
