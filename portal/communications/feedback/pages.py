"""Partner pages of feedback requests: the list and answering one (works on a phone)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from portal.auth.constants import Access
from portal.auth.schemas import CurrentUser
from portal.communications.feedback import answers as feedback_answers
from portal.communications.feedback import requests as feedback_requests
from portal.communications.feedback.access import get_request_for_user
from portal.communications.feedback.constants import QuestionKind
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.lib.inputs import parse_int
from portal.web import current_user, page, redirect

PARTNERS = {"access": Access.PARTNER}


def answers_from_form(questions: list[dict[str, Any]], data: Any) -> dict[int, dict[str, Any]]:
    """The submitted form as raw answers; unparseable numbers become out-of-range values."""
    raw: dict[int, dict[str, Any]] = {}
    getall = getattr(data, "getall", None)
    for q in questions:
        name = f"q{q['id']}"
        kind = q["kind"]
        if kind == QuestionKind.MULTI:
            items = list(getall(name, [])) if getall else list(data.get(name) or [])
            raw[q["id"]] = {"choices": [_int(v) for v in items if str(v).strip()]}
        elif kind == QuestionKind.TEXT:
            raw[q["id"]] = {"text": str(data.get(name) or "")}
        else:
            value = str(data.get(name) or "").strip()
            raw[q["id"]] = {"value": _int(value) if value else None}
    return raw


def _int(value: Any) -> int:
    number = parse_int(value, low=-(2**31), high=2**31 - 1)
    return -1 if number is None else number  # refused by the range check with a message


def values_from_answers(answers: dict[int, dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for qid, a in answers.items():
        if a.get("choices"):
            out[f"q{qid}"] = [str(c) for c in a["choices"]]
        elif a.get("text"):
            out[f"q{qid}"] = a["text"]
        elif a.get("value") is not None:
            out[f"q{qid}"] = str(a["value"])
    return out


class FeedbackPages(Controller):
    """Feedback requests addressed to the partner: the list and the answer form."""

    path = "/feedback"
    opt = PARTNERS

    @get("/", name="feedback:list")
    async def index(self, request: Request) -> Template:
        user = current_user(request)
        rows = await feedback_answers.list_requests_for_user(user)
        return page(
            request,
            "communications/feedback_list.html",
            open_requests=[r for r in rows if r["can_answer"]],
            closed_requests=[r for r in rows if not r["can_answer"]],
        )

    async def _context(self, user: CurrentUser, request_id: int) -> dict[str, Any]:
        row = await get_request_for_user(user, request_id)
        mine = await feedback_answers.my_answers(row, user)
        return {
            "req": row,
            "questions": await feedback_requests.list_questions(request_id),
            "mine": mine,
            "can_answer": feedback_answers.can_answer(row),
        }

    @get("/{request_id:int}", name="feedback:show")
    async def show(self, request: Request, request_id: FromPath[int]) -> Template:
        user = current_user(request)
        context = await self._context(user, request_id)
        mine = context["mine"]
        return page(
            request,
            "communications/feedback_form.html",
            values=values_from_answers(mine["answers"]) if mine else {},
            **context,
        )

    @post("/{request_id:int}", name="feedback:answer")
    async def answer(self, request: Request, request_id: FromPath[int]) -> Template | Redirect:
        user = current_user(request)
        context = await self._context(user, request_id)
        raw = answers_from_form(context["questions"], await request.form())
        try:
            await feedback_answers.submit_response(user, context["req"], raw)
        except FormError as exc:
            return page(
                request,
                "communications/feedback_form.html",
                status_code=400,
                errors=exc.errors,
                values=values_from_answers(raw),
                **context,
            )
        return redirect(
            request,
            "feedback:show",
            flash=("success", _("Thank you! Your answers have been saved.")),
            request_id=request_id,
        )
