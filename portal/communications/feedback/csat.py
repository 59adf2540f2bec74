"""Automatic CSAT requests: one per order or case, only when the console switch is on."""

from __future__ import annotations

import datetime as dt
import json

from portal.communications import emails
from portal.communications.constants import Audience
from portal.communications.feedback import queries
from portal.communications.feedback.constants import AnswerScope, QuestionKind, RequestStatus
from portal.communications.feedback.delivery import invite_context
from portal.communications.feedback.requests import get_setting
from portal.communications.feedback.tables import (
    FeedbackQuestion,
    FeedbackRecipient,
    FeedbackRequest,
)
from portal.core import email
from portal.core.notifications import notify
from portal.db import write_transaction
from portal.lib.clock import now
from portal.partners.tables import Partner
from portal.settings import get_settings

# ---- automatic CSAT -----------------------------------------------------------------------

_SUBJECT_SETTING = {"order": "auto_csat_orders", "case": "auto_csat_cases"}


async def request_csat(
    subject: str, subject_id: int, partner_id: int, user_id: int, title_en: str, title_zh: str
) -> int | None:
    """A short CSAT request about one order or case, for its partner (one answer per partner),
    announced to `user_id`; idempotent per subject. None when the console switch is off."""
    if subject not in _SUBJECT_SETTING:
        raise ValueError(f"subject must be order or case, not {subject!r}")
    if not await get_setting(_SUBJECT_SETTING[subject]):
        return None
    existing = (
        await FeedbackRequest.select(FeedbackRequest.id)
        .where((FeedbackRequest.subject == subject) & (FeedbackRequest.subject_id == subject_id))
        .first()
    )
    if existing is not None:
        return int(existing["id"])

    moment = now()
    days = int(await get_setting("csat_days_open") or 14)
    partner = (
        await Partner.select(Partner.tier.code.as_alias("tier_code"), Partner.province)
        .where(Partner.id == partner_id)
        .first()
    ) or {"tier_code": "", "province": ""}
    row = {
        "title_zh": title_zh,
        "title_en": title_en,
        "intro_zh": "",
        "intro_en": "",
        "due_at": moment + dt.timedelta(days=days),
    }
    try:
        async with write_transaction():
            request = FeedbackRequest(
                title_zh=title_zh[:200],
                title_en=title_en[:200],
                series=f"csat-{subject}",
                audience=Audience.PARTNERS.value,
                audience_values=json.dumps([str(partner_id)]),
                answer_scope=AnswerScope.PARTNER.value,
                status=RequestStatus.OPEN,
                opens_at=moment,
                opened_at=moment,
                due_at=row["due_at"],
                reminder_days=0,
                subject=subject,
                subject_id=subject_id,
                created_at=moment,
                updated_at=moment,
            )
            await request.save()
            request_id = int(request.id)
            await FeedbackQuestion.insert(
                FeedbackQuestion(
                    request=request_id,
                    position=1,
                    kind=QuestionKind.CSAT.value,
                    text_zh="您对这次服务满意吗？",
                    text_en="How satisfied are you with this?",
                    options="[]",
                    required=True,
                ),
                FeedbackQuestion(
                    request=request_id,
                    position=2,
                    kind=QuestionKind.TEXT.value,
                    text_zh="还有什么想告诉我们的吗？",
                    text_en="Anything else you would like to tell us?",
                    options="[]",
                    required=False,
                ),
            )
            await FeedbackRecipient.insert(
                FeedbackRecipient(
                    request=request_id,
                    partner=partner_id,
                    tier_code=partner["tier_code"] or "",
                    province=partner["province"] or "",
                    users=1,
                    addressed_at=moment,
                )
            )
            await notify(
                [user_id],
                kind="feedback",
                title_en=title_en,
                title_zh=title_zh,
                link=f"/feedback/{request_id}",
                ref=f"feedback:{request_id}",
            )
            link = f"{get_settings().base_url}/feedback/{request_id}"
            rendered = emails.render_per_locale("feedback_request", invite_context(row, link))
            email_ids = await email.queue_bulk(
                "feedback_request", rendered, await emails.addresses([user_id])
            )
    except Exception:
        # a concurrent caller created it first (unique subject index): answer with theirs
        again = (
            await FeedbackRequest.select(FeedbackRequest.id)
            .where(
                (FeedbackRequest.subject == subject) & (FeedbackRequest.subject_id == subject_id)
            )
            .first()
        )
        if again is None:
            raise
        return int(again["id"])
    await email.enqueue_delivery(email_ids)
    return request_id


async def csat_for(subject: str, subject_id: int) -> int | None:
    """The 1-5 CSAT answer given for an order or case, if any."""
    return await queries.csat_answer(subject, subject_id)
