"""The feedback part of the JSON API (/api/v1): feedback requests addressed to the caller's
partner and answering one. A refused answer is 422 with a message per question:
{"error": "...", "status": 422, "questions": {"<id>": "..."}}."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import HTTPException
from litestar.params import FromPath, JSONBody

from portal.auth.constants import Access
from portal.auth.schemas import CurrentUser
from portal.communications.feedback import answers as feedback_answers
from portal.communications.feedback import requests as feedback_requests
from portal.communications.feedback.access import get_request_for_user
from portal.communications.feedback.schemas import (
    FeedbackRequestListOut,
    FeedbackRequestOut,
    QuestionOut,
    ResponseIn,
    ResponseOut,
)
from portal.communications.feedback.tables import FeedbackRequest
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.lib.i18n import localized
from portal.web import current_user

READERS = {"access": (Access.PARTNER, Access.VENDOR)}


def request_out(
    row: dict[str, Any], user: CurrentUser, questions: list[dict[str, Any]] | None = None
) -> FeedbackRequestOut:
    return FeedbackRequestOut(
        id=row["id"],
        title=localized(row, "title"),
        intro=localized(row, "intro"),
        status=row["status"],
        due_at=row["due_at"],
        answer_scope=row["answer_scope"],
        answered=bool(row.get("answered")),
        can_answer=feedback_answers.can_answer(row) and user.is_partner,
        questions=[
            QuestionOut(
                id=q["id"],
                kind=q["kind"],
                text=localized(q, "text"),
                required=q["required"],
                options=[
                    localized({"x_zh": o.get("zh"), "x_en": o.get("en")}, "x") for o in q["options"]
                ],
                min=q["scale"][0] if q["scale"] else None,
                max=q["scale"][1] if q["scale"] else None,
            )
            for q in questions or []
        ],
    )


class FeedbackApi(Controller):
    path = "/"
    opt = READERS

    @get("/feedback-requests", name="api:feedback_requests")
    async def list_requests(self, request: Request) -> FeedbackRequestListOut:
        """Partner: requests addressed to the partner, with their questions. Vendors: open ones."""
        user = current_user(request)
        if user.is_partner:
            rows = await feedback_answers.list_requests_for_user(user)
        else:
            rows = (
                await FeedbackRequest.select()
                .where(FeedbackRequest.status == "open")
                .order_by(FeedbackRequest.due_at)
                .limit(200)
            )
        return FeedbackRequestListOut(
            items=[
                request_out(r, user, await feedback_requests.list_questions(r["id"])) for r in rows
            ]
        )

    @post(
        "/feedback-requests/{request_id:int}/responses",
        name="api:feedback_respond",
        opt={"access": Access.PARTNER},
        status_code=201,
    )
    async def respond(
        self, request: Request, request_id: FromPath[int], data: JSONBody[ResponseIn]
    ) -> ResponseOut:
        """Answer (or change the answer to) a request; 422 names every refused answer."""
        user = current_user(request)
        row = await get_request_for_user(user, request_id)
        raw = {
            a.question_id: {"value": a.value, "choices": a.choices, "text": a.text}
            for a in data.answers
        }
        try:
            saved = await feedback_answers.submit_response(user, row, raw)
        except FormError as exc:
            questions = {k[1:]: v for k, v in exc.errors.items() if k.startswith("q")}
            message = exc.errors.get("") or _("Some answers were refused.") + " " + "; ".join(
                f"#{k}: {v}" for k, v in questions.items()
            )
            raise HTTPException(
                status_code=422 if questions else 409,
                detail=message.strip(),
                extra={"questions": questions} if questions else {},
            ) from None
        return ResponseOut(**saved)


API = [FeedbackApi]
