"""Campaigns and feedback requests with sensible defaults, published/opened through the real
verbs and jobs (so the tests exercise the same fan-out as production)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from portal.auth.schemas import CurrentUser
from portal.communications.campaigns import editing as campaign_editing
from portal.communications.campaigns import publishing as campaign_publishing
from portal.communications.campaigns.schemas import CampaignForm
from portal.communications.feedback import answers as feedback_answers
from portal.communications.feedback import delivery as feedback_delivery
from portal.communications.feedback import requests as feedback_requests
from portal.communications.feedback.schemas import FeedbackRequestForm, QuestionForm
from portal.lib import clock
from portal.lib.clock import now

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def png_bytes() -> bytes:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buf, format="PNG")
    return buf.getvalue()


async def make_campaign(
    actor: CurrentUser,
    *,
    audience: str = "all",
    values: list[str] | None = None,
    publish: bool = True,
    files: int = 1,
    ends_on: dt.date | None = None,
    title: str = "春季促销",
    **fields: Any,
) -> int:
    form = CampaignForm(
        title_zh=title,
        title_en=fields.pop("title_en", "Spring promotion"),
        description_zh=fields.pop("description_zh", "全线产品九折。"),
        description_en=fields.pop("description_en", "10% off every product."),
        starts_on=fields.pop("starts_on", clock.today()),
        ends_on=ends_on,
        audience=audience,  # type: ignore[arg-type]
        audience_values=values or [],
    )
    campaign_id = await campaign_editing.create_campaign(actor, form)
    for i in range(files):
        await campaign_editing.add_material(actor, campaign_id, PDF, f"brochure-{i + 1}.pdf")
    if publish:
        await campaign_publishing.schedule_campaign(actor, campaign_id, now())
        await campaign_publishing.publish_campaign(campaign_id)
    return campaign_id


QUESTIONS = [
    ("nps", "您向同行推荐我们的可能性有多大？", "How likely are you to recommend us?", "", True),
    ("csat", "您对交付满意吗？", "How satisfied are you with delivery?", "", True),
    (
        "single",
        "主要渠道？",
        "Main channel?",
        "线上 | Online\n门店 | Store\n项目 | Projects",
        False,
    ),
    (
        "multi",
        "需要哪些支持？",
        "Which support do you need?",
        "培训 | Training\n物料 | Material\n样机 | Demo units",
        False,
    ),
    ("text", "其他建议", "Other suggestions", "", False),
]


async def make_request(
    actor: CurrentUser,
    *,
    audience: str = "all",
    values: list[str] | None = None,
    scope: str = "user",
    series: str = "",
    open_now: bool = True,
    due_in_days: int = 10,
    reminder_days: int = 2,
    questions: list[tuple[str, str, str, str, bool]] | None = None,
) -> int:
    form = FeedbackRequestForm(
        title_zh="2026 年第四季度合作伙伴满意度调查",
        title_en="Partner satisfaction Q4 2026",
        intro_zh="耽误您一分钟。",
        intro_en="One minute of your time.",
        series=series,
        audience=audience,  # type: ignore[arg-type]
        audience_values=values or [],
        answer_scope=scope,  # type: ignore[arg-type]
        due_on=clock.today() + dt.timedelta(days=due_in_days),
        reminder_days=reminder_days,
    )
    request_id = await feedback_requests.create_request(actor, form)
    for kind, zh, en, options, required in questions or QUESTIONS:
        await feedback_requests.add_question(
            actor,
            request_id,
            QuestionForm(kind=kind, text_zh=zh, text_en=en, options=options, required=required),  # type: ignore[arg-type]
        )
    if open_now:
        await feedback_delivery.schedule_request(actor, request_id, now())
        await feedback_delivery.open_request(request_id)
    return request_id


async def question_ids(request_id: int) -> dict[str, int]:
    return {q["kind"]: q["id"] for q in await feedback_requests.list_questions(request_id)}


async def answer(
    user: CurrentUser, request_id: int, nps: int = 9, csat: int = 4, **extra: Any
) -> dict[str, Any]:
    from portal.communications.feedback.access import get_request_for_user

    ids = await question_ids(request_id)
    raw: dict[int, dict[str, Any]] = {}
    if "nps" in ids:
        raw[ids["nps"]] = {"value": nps}
    if "csat" in ids:
        raw[ids["csat"]] = {"value": csat}
    if "single" in ids and "single" in extra:
        raw[ids["single"]] = {"value": extra["single"]}
    if "multi" in ids and "multi" in extra:
        raw[ids["multi"]] = {"choices": extra["multi"]}
    if "text" in ids and "text" in extra:
        raw[ids["text"]] = {"text": extra["text"]}
    row = await get_request_for_user(user, request_id)
    return await feedback_answers.submit_response(user, row, raw)
