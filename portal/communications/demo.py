"""Demo campaigns and a feedback request for `portal demo-data` (idempotent: a second run finds
the campaigns by title and adds nothing).

A current campaign addressed to partner A's tier with a real PDF (WeasyPrint) and a PNG, a past
campaign for everyone, a draft to publish (its confirmation names the people it e-mails), and an
open feedback request (NPS, CSAT, choice and text questions) that some demo users have answered
already; vendor staff's bell entries for the orders, applications and cases waiting for them.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from portal.auth.constants import Role
from portal.auth.schemas import CurrentUser
from portal.auth.tables import User
from portal.communications import notices
from portal.communications.campaigns import editing as campaign_editing
from portal.communications.campaigns import publishing as campaign_publishing
from portal.communications.campaigns import reads as campaign_reads
from portal.communications.campaigns.constants import ActivityKind
from portal.communications.campaigns.schemas import CampaignForm
from portal.communications.campaigns.tables import Campaign, CampaignFile
from portal.communications.feedback import answers as feedback_answers
from portal.communications.feedback import delivery as feedback_delivery
from portal.communications.feedback import requests as feedback_requests
from portal.communications.feedback.access import get_request_for_user
from portal.communications.feedback.schemas import FeedbackRequestForm, QuestionForm
from portal.communications.feedback.tables import FeedbackRequest
from portal.lib import clock
from portal.lib.clock import now
from portal.lib.pdf import html_to_pdf
from portal.orders.constants import OrderStatus
from portal.orders.tables import OrderEvent
from portal.partners.tables import Partner, PartnerApplication
from portal.support.tables import SupportCase

CURRENT_TITLE = "2026 春季渠道促销：网络摄像机满额返利"
PAST_TITLE = "2025 年终冲量计划"
SURVEY_TITLE = "2026 年度合作伙伴满意度调查"
DRAFT_TITLE = "2026 夏季新品预告：NVR 系列"

BROCHURE_HTML = """<!doctype html><html><head><meta charset="utf-8"><style>
@page { size: A4; margin: 18mm; } body { font-family: 'Noto Sans CJK SC', sans-serif; color: #1b2537; }
h1 { color: #2459c7; font-size: 22pt; } table { border-collapse: collapse; width: 100%; }
td, th { border: 1px solid #c8d2df; padding: 6px 8px; text-align: left; }
</style></head><body>
<h1>春季渠道促销 Spring channel promotion</h1>
<p>活动期间，网络摄像机系列累计进货满 10 万元返利 3%，满 30 万元返利 5%。</p>
<p>During the promotion, IP camera purchases of CNY 100,000 earn a 3% rebate; CNY 300,000 earn 5%.</p>
<table><tr><th>累计进货 Purchases</th><th>返利 Rebate</th></tr>
<tr><td>¥100,000+</td><td>3%</td></tr><tr><td>¥300,000+</td><td>5%</td></tr></table>
</body></html>"""


def _banner_png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (640, 320), (36, 89, 199))
    draw = ImageDraw.Draw(image)
    draw.rectangle((24, 24, 616, 296), outline=(255, 255, 255), width=4)
    draw.text((48, 140), "SPRING PROMOTION 2026", fill=(255, 255, 255))
    buf = io.BytesIO()
    image.save(buf, format="PNG")
    return buf.getvalue()


async def _brochure_pdf() -> bytes:
    import asyncio

    return await asyncio.get_running_loop().run_in_executor(None, html_to_pdf, BROCHURE_HTML)


def _current(row: dict[str, Any]) -> CurrentUser:
    return CurrentUser(
        id=row["id"],
        email=row["email"],
        name=row["name"],
        role=row["role"],
        partner_id=row.get("partner"),
        ip="127.0.0.1",
    )


async def _user(email: str) -> CurrentUser | None:
    row = (
        await User.select(User.id, User.email, User.name, User.role, User.partner)
        .where(User.email == email)
        .first()
    )
    return _current(row) if row else None


async def load_communications_demo() -> dict[str, int]:
    """Add the demo campaigns and survey once; returns what was created."""
    created = {"campaigns": 0, "feedback_requests": 0, "feedback_answers": 0}
    vendor_row = (
        await User.select(User.id, User.email, User.name, User.role, User.partner)
        .where(User.role == Role.VENDOR_ADMIN)
        .order_by(User.id)
        .first()
    )
    alice = await _user("alice@partner-a.demo")
    if vendor_row is None or alice is None or alice.partner_id is None:
        return created
    vera = _current(vendor_row)

    tier = (
        await Partner.select(Partner.tier.code.as_alias("code"))
        .where(Partner.id == alice.partner_id)
        .first()
    )
    today = clock.today()
    if not await Campaign.exists().where(Campaign.title_zh == CURRENT_TITLE):
        campaign_id = await campaign_editing.create_campaign(
            vera,
            CampaignForm(
                title_zh=CURRENT_TITLE,
                title_en="Spring 2026 channel promotion: IP camera volume rebate",
                description_zh="活动期间网络摄像机系列累计进货满 10 万元返利 3%，满 30 万元返利 5%。"
                "\n附件为活动说明与门店海报，欢迎下载使用。",
                description_en="IP camera purchases of CNY 100,000 during the promotion earn a 3% "
                "rebate, CNY 300,000 earn 5%.\nThe brochure and the shop banner are attached.",
                starts_on=today - dt.timedelta(days=5),
                ends_on=today + dt.timedelta(days=40),
                audience="tier",  # type: ignore[arg-type]
                audience_values=[tier["code"]] if tier else [],
            ),
        )
        await campaign_editing.add_material(
            vera, campaign_id, await _brochure_pdf(), "春季促销说明.pdf"
        )
        await campaign_editing.add_material(vera, campaign_id, _banner_png(), "spring-banner.png")
        await campaign_publishing.schedule_campaign(vera, campaign_id, now())
        await campaign_publishing.publish_campaign(campaign_id)
        file_id = (
            await CampaignFile.select(CampaignFile.id)
            .where(CampaignFile.campaign == campaign_id)
            .first()
        )
        await campaign_reads.record_activity(alice, campaign_id, ActivityKind.VIEW)
        if file_id:
            await campaign_reads.record_activity(
                alice, campaign_id, ActivityKind.DOWNLOAD, int(file_id["id"])
            )
        created["campaigns"] += 1
    if not await Campaign.exists().where(Campaign.title_zh == PAST_TITLE):
        past_id = await campaign_editing.create_campaign(
            vera,
            CampaignForm(
                title_zh=PAST_TITLE,
                title_en="Year-end volume plan 2025",
                description_zh="年终冲量，全系列产品额外 2% 折扣。",
                description_en="Year-end push: an extra 2% off the whole range.",
                starts_on=today - dt.timedelta(days=120),
                ends_on=today - dt.timedelta(days=60),
            ),
        )
        await campaign_editing.add_material(vera, past_id, _banner_png(), "year-end.png")
        await campaign_publishing.schedule_campaign(vera, past_id, now())
        await campaign_publishing.publish_campaign(past_id)
        created["campaigns"] += 1
    if not await Campaign.exists().where(Campaign.title_zh == DRAFT_TITLE):
        await campaign_editing.create_campaign(
            vera,
            CampaignForm(
                title_zh=DRAFT_TITLE,
                title_en="Summer 2026 preview: new NVR range",
                description_zh="夏季新品网络硬盘录像机系列预告，价格与到货时间随后公布。",
                description_en="A preview of the new NVR range; prices and dates follow.",
                starts_on=today + dt.timedelta(days=30),
            ),
        )  # a draft: "Publish…" asks first, naming the people it will e-mail
        created["campaigns"] += 1
    if not await FeedbackRequest.exists().where(FeedbackRequest.title_zh == SURVEY_TITLE):
        created.update(await _survey(vera, today))
    created["notices"] = await _notices()
    return created


async def _notices() -> int:
    """Vendor staff's bell entries (and e-mails) for what waits for them in the demo: the newest
    orders to approve, the pending applications and the newest open cases; how many e-mails were
    stored (none on a second run: notices are once per recipient and event)."""
    told = 0
    events = (
        await OrderEvent.select(OrderEvent.id)
        .where(
            (OrderEvent.to_status == OrderStatus.SUBMITTED)
            & (OrderEvent.order.status == OrderStatus.SUBMITTED)
        )
        .order_by(OrderEvent.id, ascending=False)
        .limit(3)
    )
    for event in events:
        told += len(await notices.order_event_landed(int(event["id"])))
    pending = await PartnerApplication.select(PartnerApplication.id).where(
        PartnerApplication.status == "pending"
    )
    for row in pending:
        told += len(await notices.send_notice("application_submitted", int(row["id"])))
    cases = (
        await SupportCase.select(SupportCase.id)
        .where(SupportCase.status.is_in(["new", "open"]))
        .order_by(SupportCase.id, ascending=False)
        .limit(2)
    )
    for row in cases:
        told += len(await notices.send_notice("case_opened", int(row["id"])))
    return told


async def _survey(vera: CurrentUser, today: dt.date) -> dict[str, int]:
    request_id = await feedback_requests.create_request(
        vera,
        FeedbackRequestForm(
            title_zh=SURVEY_TITLE,
            title_en="Partner satisfaction survey 2026",
            intro_zh="感谢您抽出一分钟时间，您的意见将直接用于改进产品与服务。",
            intro_en="Thank you for one minute of your time: your answers shape our products "
            "and service.",
            series="partner-satisfaction",
            due_on=today + dt.timedelta(days=12),
            reminder_days=3,
        ),
    )
    questions = [
        (
            "nps",
            "您向同行推荐我们的可能性有多大？",
            "How likely are you to recommend us to a peer?",
            "",
            True,
        ),
        (
            "csat",
            "您对订单交付的及时性满意吗？",
            "How satisfied are you with delivery times?",
            "",
            True,
        ),
        (
            "single",
            "您的主要销售渠道是？",
            "What is your main sales channel?",
            "线上商城 | Online shop\n实体门店 | Retail store\n工程项目 | Projects",
            False,
        ),
        (
            "multi",
            "您希望获得哪些支持？",
            "Which support would help you most?",
            "产品培训 | Product training\n营销物料 | Marketing material\n样机借用 | Demo units\n技术支持 | Technical support",
            False,
        ),
        ("text", "还有什么建议？", "Any other suggestions?", "", False),
    ]
    for kind, zh, en, options, required in questions:
        await feedback_requests.add_question(
            vera,
            request_id,
            QuestionForm(kind=kind, text_zh=zh, text_en=en, options=options, required=required),  # type: ignore[arg-type]
        )
    await feedback_delivery.schedule_request(vera, request_id, now())
    await feedback_delivery.open_request(request_id)
    ids = {q["kind"]: q["id"] for q in await feedback_requests.list_questions(request_id)}
    answers = [
        ("alice@partner-a.demo", 9, 4, 2, [0, 1], "希望增加区域培训场次。"),
        ("carol@partner-b.demo", 6, 3, 1, [2], "旺季发货偏慢。"),
        ("dave@partner-b.demo", 10, 5, 1, [1, 3], ""),
    ]
    given = 0
    for email, nps, csat, single, multi, text in answers:
        user = await _user(email)
        if user is None:
            continue
        row = await get_request_for_user(user, request_id)
        await feedback_answers.submit_response(
            user,
            row,
            {
                ids["nps"]: {"value": nps},
                ids["csat"]: {"value": csat},
                ids["single"]: {"value": single},
                ids["multi"]: {"choices": multi},
                ids["text"]: {"text": text},
            },
        )
        given += 1
    return {"feedback_requests": 1, "feedback_answers": given}
