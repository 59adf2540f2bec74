"""Feedback requests (surveys): vendor verbs, the opening fan-out, answering, reminders, and the
automatic CSAT requests after a delivered order or a closed case.

Opening is a job like publishing a campaign: `open_request(request_id)` claims the request with a
conditional UPDATE and, in the same transaction, freezes the audience (feedback_recipient), rings
the bell and stores the invitations. Reminders insert one feedback_reminder row per user and
request (unique) in the transaction that stores the e-mail, so a reminder goes out once.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any

from portal.auth.schemas import CurrentUser
from portal.communications import audience as audience_rules
from portal.communications import emails
from portal.communications.campaigns import localized
from portal.communications.constants import (
    SETTING_DEFAULTS,
    AnswerScope,
    Audience,
    QuestionKind,
    RequestStatus,
)
from portal.communications.schemas import FeedbackRequestForm, QuestionForm
from portal.communications.sql import param, true
from portal.communications.tables import (
    CommunicationSetting,
    FeedbackAnswer,
    FeedbackQuestion,
    FeedbackRecipient,
    FeedbackRequest,
    FeedbackResponse,
)
from portal.core.audit import record
from portal.db import write_transaction
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
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
    from portal.partners.tables import Tier

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


def _require_editable(row: dict[str, Any]) -> None:
    if row["status"] not in EDITABLE:
        raise FormError({"": _("An opened feedback request can no longer be changed.")})


async def update_request(actor: CurrentUser, request_id: int, form: FeedbackRequestForm) -> None:
    """Change a draft or scheduled request."""
    before = await get_request(request_id)
    _require_editable(before)
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
    _require_editable(row)
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
    _require_editable(row)
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


async def schedule_request(actor: CurrentUser, request_id: int, opens_at: dt.datetime) -> None:
    """Open at a time (the job does it when due); needs at least one question."""
    row = await get_request(request_id)
    _require_editable(row)
    if not await FeedbackQuestion.count().where(FeedbackQuestion.request == request_id):
        raise FormError({"": _("Add at least one question first.")})
    if opens_at >= row["due_at"]:
        raise FormError({"publish_on": _("The request must open before its due date.")})
    async with write_transaction():
        await FeedbackRequest.update(
            {
                FeedbackRequest.status: RequestStatus.SCHEDULED,
                FeedbackRequest.opens_at: opens_at,
                FeedbackRequest.updated_at: now(),
            }
        ).where((FeedbackRequest.id == request_id) & FeedbackRequest.status.is_in(list(EDITABLE)))
        await record(
            "feedback.scheduled",
            actor=actor,
            target_type="feedback_request",
            target_id=request_id,
            after={"opens_at": opens_at},
        )
    if opens_at <= now():
        await enqueue_open(request_id)


async def enqueue_open(request_id: int) -> None:
    from portal.lib import jobs

    await jobs.enqueue("open_feedback_request", request_id, job_id=f"feedback-open:{request_id}")


async def close_request(actor: CurrentUser, request_id: int) -> None:
    """Stop accepting answers before the due date."""
    async with write_transaction():
        changed = (
            await FeedbackRequest.update(
                {FeedbackRequest.status: RequestStatus.CLOSED, FeedbackRequest.updated_at: now()}
            )
            .where(
                (FeedbackRequest.id == request_id) & (FeedbackRequest.status == RequestStatus.OPEN)
            )
            .returning(FeedbackRequest.id)
        )
        if not changed:
            raise FormError({"": _("Only an open request can be closed.")})
        await record(
            "feedback.closed", actor=actor, target_type="feedback_request", target_id=request_id
        )


async def due_request_ids() -> list[int]:
    rows = await FeedbackRequest.select(FeedbackRequest.id).where(
        (FeedbackRequest.status == RequestStatus.SCHEDULED) & (FeedbackRequest.opens_at <= now())
    )
    return [int(r["id"]) for r in rows]


def _invite_context(row: dict[str, Any], link: str) -> Any:
    def context_for(locale: str) -> dict[str, Any]:
        return {
            "title": localized(row, "title", locale),
            "intro": localized(row, "intro", locale)[:600],
            "due_at": row["due_at"],
            "link": link,
        }

    return context_for


async def open_request(request_id: int) -> int:
    """Open a due request once: freeze the audience, ring each user's bell, store invitations.

    Returns the number of users invited now (0 when it was opened already or is not due).
    """
    from portal.communications.campaigns import _addresses

    row = await FeedbackRequest.select().where(FeedbackRequest.id == request_id).first()
    if row is None or row["status"] != RequestStatus.SCHEDULED:
        return 0
    link = f"{get_settings().base_url}/feedback/{request_id}"
    rendered = emails.render_per_locale("feedback_request", _invite_context(row, link))
    where, args = audience_rules.condition(
        row["audience"], audience_rules.parse_values(row["audience_values"])
    )
    moment = now()
    ts = param("timestamptz")
    async with write_transaction():
        claimed = (
            await FeedbackRequest.update(
                {
                    FeedbackRequest.status: RequestStatus.OPEN,
                    FeedbackRequest.opened_at: moment,
                    FeedbackRequest.updated_at: moment,
                }
            )
            .where(
                (FeedbackRequest.id == request_id)
                & (FeedbackRequest.status == RequestStatus.SCHEDULED)
                & (FeedbackRequest.opens_at <= moment)
            )
            .returning(FeedbackRequest.id)
        )
        if not claimed:
            return 0
        await FeedbackRequest.raw(
            "INSERT INTO feedback_recipient (request, partner, tier_code, province, users,"  # noqa: S608
            f" addressed_at) SELECT {param('bigint')}, p.id, t.code, p.province,"
            " (SELECT COUNT(*) FROM portal_user u WHERE u.partner = p.id AND u.is_active = {}),"
            f" {ts} FROM partner p JOIN tier t ON t.id = p.tier WHERE "
            + where
            + " ON CONFLICT DO NOTHING",
            request_id,
            true(),
            moment,
            *args,
        )
        users = await FeedbackRequest.raw(
            "SELECT u.id FROM portal_user u JOIN feedback_recipient r ON r.partner = u.partner"
            " WHERE r.request = {} AND u.is_active = {}",
            request_id,
            true(),
        )
        user_ids = [int(u["id"]) for u in users]
        text = param("varchar")
        await FeedbackRequest.raw(
            'INSERT INTO notification ("user", kind, title_en, title_zh, link, dedup_key, created_at)'  # noqa: S608
            f" SELECT u.id, 'feedback', {text}, {text}, {text}, {text}, {ts}"
            " FROM portal_user u JOIN feedback_recipient r ON r.partner = u.partner"
            " WHERE r.request = {} AND u.is_active = {} ON CONFLICT DO NOTHING",
            localized(row, "title", "en")[:300],
            localized(row, "title", "zh_CN")[:300],
            f"/feedback/{request_id}",
            f"feedback:{request_id}",
            moment,
            request_id,
            true(),
        )
        email_ids = await emails.store_bulk(
            "feedback_request", rendered, await _addresses(user_ids)
        )
        await record(
            "feedback.opened",
            actor_email="system",
            target_type="feedback_request",
            target_id=request_id,
            after={"users": len(user_ids)},
        )
    await emails.enqueue_delivery(email_ids)
    return len(user_ids)


# ---- answering ----------------------------------------------------------------------------


def respondent_key(row: Mapping[str, Any], user: CurrentUser) -> str:
    if row["answer_scope"] == AnswerScope.PARTNER:
        return f"p{user.partner_id}"
    return f"u{user.id}"


def can_answer(row: Mapping[str, Any]) -> bool:
    return row["status"] == RequestStatus.OPEN and row["due_at"] > now()


async def my_answers(row: Mapping[str, Any], user: CurrentUser) -> dict[str, Any] | None:
    """The user's (or their partner's) current answer sheet, or None."""
    response = (
        await FeedbackResponse.select(
            FeedbackResponse.id,
            FeedbackResponse.submitted_at,
            FeedbackResponse.updated_at,
            FeedbackResponse.user.name.as_alias("user_name"),
        )
        .where(
            (FeedbackResponse.request == row["id"])
            & (FeedbackResponse.respondent == respondent_key(row, user))
        )
        .first()
    )
    if response is None:
        return None
    answers = await FeedbackAnswer.select().where(FeedbackAnswer.response == response["id"])
    response["answers"] = {
        a["question"]: {
            "value": a["value"],
            "choices": json.loads(a["choices"]) if isinstance(a["choices"], str) else a["choices"],
            "text": a["text"],
        }
        for a in answers
    }
    return response


def check_answers(
    questions: list[dict[str, Any]], raw: Mapping[int, Mapping[str, Any]]
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Validated answers ready to store, and errors keyed "q<id>" (in the user's language)."""
    clean: list[dict[str, Any]] = []
    errors: dict[str, str] = {}
    known = {q["id"] for q in questions}
    for qid in raw:
        if qid not in known:
            errors[f"q{qid}"] = _("There is no such question in this request.")
    for q in questions:
        given = raw.get(q["id"]) or {}
        kind = QuestionKind(q["kind"])
        value, choices, text = given.get("value"), list(given.get("choices") or []), ""
        key = f"q{q['id']}"
        if kind in SCALE:
            low, high = SCALE[kind]
            if value is None:
                if q["required"]:
                    errors[key] = _("Please answer this question.")
                continue
            if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
                errors[key] = _("Choose a score from %(low)s to %(high)s.", low=low, high=high)
                continue
            clean.append({"question": q["id"], "value": value, "choices": [], "text": ""})
        elif kind == QuestionKind.SINGLE:
            if value is None:
                if q["required"]:
                    errors[key] = _("Please choose one option.")
                continue
            if not isinstance(value, int) or not 0 <= value < len(q["options"]):
                errors[key] = _("Choose one of the options.")
                continue
            clean.append({"question": q["id"], "value": value, "choices": [], "text": ""})
        elif kind == QuestionKind.MULTI:
            if not choices:
                if q["required"]:
                    errors[key] = _("Please choose at least one option.")
                continue
            if any(not isinstance(c, int) or not 0 <= c < len(q["options"]) for c in choices):
                errors[key] = _("Choose among the options shown.")
                continue
            clean.append(
                {"question": q["id"], "value": None, "choices": sorted(set(choices)), "text": ""}
            )
        else:
            text = str(given.get("text") or "").strip()
            if not text:
                if q["required"]:
                    errors[key] = _("Please answer this question.")
                continue
            if len(text) > MAX_TEXT:
                errors[key] = _("At most %(n)s characters.", n=MAX_TEXT)
                continue
            clean.append({"question": q["id"], "value": None, "choices": [], "text": text})
    return clean, errors


async def submit_response(
    user: CurrentUser, row: Mapping[str, Any], raw: Mapping[int, Mapping[str, Any]]
) -> dict[str, Any]:
    """Save (or replace, until the due time) the answer sheet; FormError with errors per question.

    `row` comes from access.get_request_for_user, so the tenant wall is already passed.
    """
    if not user.is_partner or user.partner_id is None:
        raise FormError({"": _("Only partner users answer feedback requests.")})
    if not can_answer(row):
        raise FormError({"": _("This feedback request no longer accepts answers.")})
    questions = await list_questions(row["id"])
    clean, errors = check_answers(questions, raw)
    if errors:
        raise FormError(errors)
    recipient = (
        await FeedbackRecipient.select(FeedbackRecipient.tier_code, FeedbackRecipient.province)
        .where(
            (FeedbackRecipient.request == row["id"])
            & (FeedbackRecipient.partner == user.partner_id)
        )
        .first()
    ) or {"tier_code": "", "province": ""}
    key = respondent_key(row, user)
    moment = now()
    async with write_transaction():
        existing = (
            await FeedbackResponse.select(FeedbackResponse.id, FeedbackResponse.submitted_at)
            .where((FeedbackResponse.request == row["id"]) & (FeedbackResponse.respondent == key))
            .first()
        )
        if existing is None:
            response = FeedbackResponse(
                request=row["id"],
                respondent=key,
                partner=user.partner_id,
                user=user.id,
                tier_code=recipient["tier_code"],
                province=recipient["province"],
                submitted_at=moment,
                updated_at=moment,
            )
            await response.save()
            response_id, submitted_at = int(response.id), moment
        else:
            response_id, submitted_at = int(existing["id"]), existing["submitted_at"]
            await FeedbackResponse.update(
                {FeedbackResponse.user: user.id, FeedbackResponse.updated_at: moment}
            ).where(FeedbackResponse.id == response_id)
            await FeedbackAnswer.delete().where(FeedbackAnswer.response == response_id)
        if clean:
            await FeedbackAnswer.insert(
                *[
                    FeedbackAnswer(
                        response=response_id,
                        question=a["question"],
                        value=a["value"],
                        choices=json.dumps(a["choices"]),
                        text=a["text"],
                    )
                    for a in clean
                ]
            )
        await record(
            "feedback.answered" if existing is None else "feedback.answer_changed",
            actor=user,
            partner_id=user.partner_id,
            target_type="feedback_request",
            target_id=row["id"],
        )
    from portal.communications.notifications import mark_read_by_ref

    await mark_read_by_ref(user.id, f"feedback:{row['id']}")
    return {
        "request_id": row["id"],
        "response_id": response_id,
        "submitted_at": submitted_at,
        "updated_at": moment,
    }


def _addressed_to(partner_id: int) -> Any:
    return FeedbackRequest.id.is_in(
        FeedbackRecipient.select(FeedbackRecipient.request).where(
            FeedbackRecipient.partner == partner_id
        )
    )


async def list_requests_for_user(user: CurrentUser, limit: int = 100) -> list[dict[str, Any]]:
    """Open and closed requests addressed to the user's partner, open first, with "answered"."""
    if not user.is_partner or user.partner_id is None:
        return []
    rows = (
        await FeedbackRequest.select()
        .where(
            FeedbackRequest.status.is_in([RequestStatus.OPEN, RequestStatus.CLOSED])
            & _addressed_to(user.partner_id)
        )
        .order_by(FeedbackRequest.due_at, ascending=False)
        .limit(limit)
    )
    ids = [r["id"] for r in rows]
    answered: set[str] = set()
    if ids:
        answered = {
            f"{r['request']}:{r['respondent']}"
            for r in await FeedbackResponse.select(
                FeedbackResponse.request, FeedbackResponse.respondent
            ).where(
                FeedbackResponse.request.is_in(ids)
                & FeedbackResponse.respondent.is_in([f"u{user.id}", f"p{user.partner_id}"])
            )
        }
    for r in rows:
        r["answered"] = f"{r['id']}:{respondent_key(r, user)}" in answered
        r["can_answer"] = can_answer(r)
    rows.sort(key=lambda r: (not r["can_answer"], r["due_at"] if r["can_answer"] else -r["id"]))
    return rows


async def open_count_for_user(user: CurrentUser) -> int:
    """Open requests the user still has to answer (home card)."""
    return sum(
        1 for r in await list_requests_for_user(user) if r["can_answer"] and not r["answered"]
    )


# ---- reminders ----------------------------------------------------------------------------


async def send_due_reminders() -> int:
    """Remind users who have not answered, `reminder_days` before the due time; once per user."""
    moment = now()
    rows = await FeedbackRequest.select().where(
        (FeedbackRequest.status == RequestStatus.OPEN)
        & (FeedbackRequest.reminder_days > 0)
        & (FeedbackRequest.due_at > moment)
        & (FeedbackRequest.subject == "")
    )
    total = 0
    for row in rows:
        if row["due_at"] - dt.timedelta(days=row["reminder_days"]) > moment:
            continue
        total += await remind(row)
    return total


async def remind(row: dict[str, Any]) -> int:
    """Queue the reminders of one request (set-based; the unique pair keeps it once per user)."""
    from portal.communications.campaigns import _addresses

    link = f"{get_settings().base_url}/feedback/{row['id']}"
    rendered = emails.render_per_locale("feedback_reminder", _invite_context(row, link))
    scope_sql = "NOT EXISTS (SELECT 1 FROM feedback_response s WHERE s.request = r.request" + (  # noqa: S608
        " AND s.partner = u.partner)"
        if row["answer_scope"] == AnswerScope.PARTNER
        else ' AND s."user" = u.id AND s.respondent = ' + _user_key_sql() + ")"
    )
    async with write_transaction():
        inserted = await FeedbackRequest.raw(
            'INSERT INTO feedback_reminder (request, "user", sent_at)'  # noqa: S608
            f" SELECT r.request, u.id, {param('timestamptz')} FROM portal_user u"
            " JOIN feedback_recipient r ON r.partner = u.partner"
            " WHERE r.request = {} AND u.is_active = {} AND "
            + scope_sql
            + ' ON CONFLICT DO NOTHING RETURNING "user"',
            now(),
            row["id"],
            true(),
        )
        user_ids = [int(r["user"]) for r in inserted]
        email_ids = await emails.store_bulk(
            "feedback_reminder", rendered, await _addresses(user_ids)
        )
    await emails.enqueue_delivery(email_ids)
    return len(user_ids)


def _user_key_sql() -> str:
    # respondent = 'u' || user id, written so both SQLite and PostgreSQL accept it
    return "('u' || CAST(u.id AS TEXT))"


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
    from portal.communications.campaigns import _addresses
    from portal.communications.notifications import notify
    from portal.partners.tables import Partner

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
            rendered = emails.render_per_locale("feedback_request", _invite_context(row, link))
            email_ids = await emails.store_bulk(
                "feedback_request", rendered, await _addresses([user_id])
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
    await emails.enqueue_delivery(email_ids)
    return request_id


async def csat_for(subject: str, subject_id: int) -> int | None:
    """The 1-5 CSAT answer given for an order or case, if any."""
    rows = await FeedbackAnswer.raw(
        "SELECT a.value FROM feedback_answer a"
        " JOIN feedback_question q ON q.id = a.question"
        " JOIN feedback_request r ON r.id = q.request"
        " WHERE r.subject = {} AND r.subject_id = {} AND q.kind = {} AND a.value IS NOT NULL"
        " ORDER BY a.id DESC LIMIT 1",
        subject,
        subject_id,
        QuestionKind.CSAT.value,
    )
    return int(rows[0]["value"]) if rows else None
