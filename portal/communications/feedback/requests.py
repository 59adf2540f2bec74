"""Feedback request drafts and questions: edited only while draft or scheduled."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from portal.auth.schemas import CurrentUser
from portal.communications import audience as audience_rules
from portal.communications.constants import Audience
from portal.communications.feedback.constants import SETTING_DEFAULTS, QuestionKind, RequestStatus
from portal.communications.feedback.schemas import FeedbackRequestForm, QuestionForm
from portal.communications.feedback.tables import FeedbackQuestion, FeedbackRequest
from portal.communications.tables import CommunicationSetting
from portal.core.audit import record
from portal.db import write_transaction
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.partners.tables import Tier
from portal.settings import get_settings
from portal.tenancy import NotFound

EDITABLE = (RequestStatus.DRAFT, RequestStatus.SCHEDULED)
SCALE = {QuestionKind.NPS: (0, 10), QuestionKind.CSAT: (1, 5)}
MAX_TEXT = 4000


def due_at_for(day: dt.date) -> dt.datetime:
    """The end of a due day in the portal's time zone, as UTC."""
    local = dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=get_settings().tz)
    return local.astimezone(dt.UTC)


async def get_setting(key: str) -> Any:
    """A console switch of this domain (see SETTING_DEFAULTS)."""
    row = (
        await CommunicationSetting.select(CommunicationSetting.value)
        .where(CommunicationSetting.key == key)
        .first()
    )
    if row is None:
        return SETTING_DEFAULTS.get(key)
    value = row["value"]
    return json.loads(value) if isinstance(value, str) else value


async def set_setting(actor: CurrentUser, key: str, value: Any) -> None:
    """Change a switch (audited)."""
    if key not in SETTING_DEFAULTS:
        raise FormError({key: _("Unknown setting.")})
    before = await get_setting(key)
    async with write_transaction():
        updated = (
            await CommunicationSetting.update(
                {
                    CommunicationSetting.value: json.dumps(value),
                    CommunicationSetting.updated_at: now(),
                }
            )
            .where(CommunicationSetting.key == key)
            .returning(CommunicationSetting.id)
        )
        if not updated:
            await CommunicationSetting.insert(
                CommunicationSetting(key=key, value=json.dumps(value), updated_at=now())
            )
        await record(
            "communications.setting_changed",
            actor=actor,
            target_type="setting",
            target_id=key,
            before={"value": before},
            after={"value": value},
        )


async def _tier_codes() -> list[str]:
    return [r["code"] for r in await Tier.select(Tier.code)]


async def _request_values(form: FeedbackRequestForm) -> dict[Any, Any]:
    due = due_at_for(form.due_on)
    if due <= now():
        raise FormError({"due_on": _("The due date must be in the future.")})
    values = audience_rules.clean_values(form.audience, form.audience_values, await _tier_codes())
    if form.audience != Audience.ALL and not values:
        raise FormError({"audience_values": _("Choose at least one for this audience.")})
    return {
        FeedbackRequest.title_zh: form.title_zh,
        FeedbackRequest.title_en: form.title_en,
        FeedbackRequest.intro_zh: form.intro_zh,
        FeedbackRequest.intro_en: form.intro_en,
        FeedbackRequest.series: form.series.strip(),
        FeedbackRequest.audience: str(form.audience),
        FeedbackRequest.audience_values: json.dumps(values),
        FeedbackRequest.answer_scope: str(form.answer_scope),
        FeedbackRequest.due_at: due,
        FeedbackRequest.reminder_days: form.reminder_days,
    }


async def create_request(actor: CurrentUser, form: FeedbackRequestForm) -> int:
    """A new draft feedback request; raises FormError (past due date, empty audience)."""
    values = await _request_values(form)
    moment = now()
    async with write_transaction():
        row = FeedbackRequest(
            **{col._meta.name: v for col, v in values.items()},
            status=RequestStatus.DRAFT,
            created_by_id=actor.id,
            created_at=moment,
            updated_at=moment,
        )
        await row.save()
        await record(
            "feedback.created",
            actor=actor,
            target_type="feedback_request",
            target_id=row.id,
            after={"title": form.title_zh},
        )
    return int(row.id)


async def get_request(request_id: int) -> dict[str, Any]:
    """A request row (console); NotFound when it does not exist."""
    row = await FeedbackRequest.select().where(FeedbackRequest.id == request_id).first()
    if row is None:
        raise NotFound
    row["audience_values"] = audience_rules.parse_values(row["audience_values"])
    return row


def require_editable(row: dict[str, Any]) -> None:
    if row["status"] not in EDITABLE:
        raise FormError({"": _("An opened feedback request can no longer be changed.")})


async def update_request(actor: CurrentUser, request_id: int, form: FeedbackRequestForm) -> None:
    """Change a draft or scheduled request."""
    before = await get_request(request_id)
    require_editable(before)
    values = await _request_values(form)
    async with write_transaction():
        await FeedbackRequest.update({**values, FeedbackRequest.updated_at: now()}).where(
            (FeedbackRequest.id == request_id) & FeedbackRequest.status.is_in(list(EDITABLE))
        )
        await record(
            "feedback.updated",
            actor=actor,
            target_type="feedback_request",
            target_id=request_id,
            before={"title": before["title_zh"]},
            after={"title": form.title_zh},
        )


def parse_options(raw: str) -> list[dict[str, str]]:
    """Lines of "中文 | English" (the English part optional) as option dicts."""
    out = []
    for line in raw.splitlines():
        if not line.strip():
            continue
        zh, _sep, en = line.partition("|")
        zh, en = zh.strip()[:200], en.strip()[:200]
        if zh or en:
            out.append({"zh": zh or en, "en": en or zh})
    return out


async def add_question(actor: CurrentUser, request_id: int, form: QuestionForm) -> int:
    """Append a question to a draft request; choice questions need 2 to 20 options."""
    row = await get_request(request_id)
    require_editable(row)
    options = parse_options(form.options)
    if form.kind in (QuestionKind.SINGLE, QuestionKind.MULTI):
        if len(options) < 2:
            raise FormError({"options": _("Give at least two options, one per line.")})
        if len(options) > 20:
            raise FormError({"options": _("At most 20 options.")})
    else:
        options = []
    position = await FeedbackQuestion.count().where(FeedbackQuestion.request == request_id)
    async with write_transaction():
        question = FeedbackQuestion(
            request=request_id,
            position=position + 1,
            kind=str(form.kind),
            text_zh=form.text_zh,
            text_en=form.text_en,
            options=json.dumps(options, ensure_ascii=False),
            required=form.required,
        )
        await question.save()
        await record(
            "feedback.question_added",
            actor=actor,
            target_type="feedback_request",
            target_id=request_id,
            after={"kind": str(form.kind), "text": form.text_zh},
        )
    return int(question.id)


async def remove_question(actor: CurrentUser, request_id: int, question_id: int) -> None:
    row = await get_request(request_id)
    require_editable(row)
    async with write_transaction():
        deleted = (
            await FeedbackQuestion.delete()
            .where((FeedbackQuestion.id == question_id) & (FeedbackQuestion.request == request_id))
            .returning(FeedbackQuestion.id)
        )
        if not deleted:
            raise NotFound
        await record(
            "feedback.question_removed",
            actor=actor,
            target_type="feedback_request",
            target_id=request_id,
            before={"question": question_id},
        )


async def list_questions(request_id: int) -> list[dict[str, Any]]:
    """The questions in order, with options parsed and the scale bounds."""
    rows = (
        await FeedbackQuestion.select()
        .where(FeedbackQuestion.request == request_id)
        .order_by(FeedbackQuestion.position)
        .order_by(FeedbackQuestion.id)
    )
    for r in rows:
        r["options"] = json.loads(r["options"]) if isinstance(r["options"], str) else r["options"]
        r["scale"] = SCALE.get(QuestionKind(r["kind"]))
    return rows
