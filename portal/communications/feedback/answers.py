"""Answering feedback: only addressees of an open request, once per respondent, checked."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from portal.auth.schemas import CurrentUser
from portal.communications.feedback.constants import AnswerScope, QuestionKind, RequestStatus
from portal.communications.feedback.requests import MAX_TEXT, SCALE, list_questions
from portal.communications.feedback.tables import (
    FeedbackAnswer,
    FeedbackRecipient,
    FeedbackRequest,
    FeedbackResponse,
)
from portal.core.audit import record
from portal.core.notifications import mark_read_by_ref
from portal.db import write_transaction
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _

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
