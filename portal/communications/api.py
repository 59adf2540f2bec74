"""The communications part of the JSON API (/api/v1): campaigns addressed to the caller's
partner, feedback requests, and answering one. A refused answer is 422 with a message per
question: {"error": "...", "status": 422, "questions": {"<id>": "..."}}."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.exceptions import HTTPException
from litestar.params import FromPath, FromQuery, JSONBody

from portal.auth.constants import Access
from portal.auth.schemas import CurrentUser
from portal.communications import campaigns, feedback
from portal.communications.access import get_campaign_for_user, get_request_for_user
from portal.communications.constants import ActivityKind
from portal.communications.schemas import (
    CampaignListOut,
    CampaignOut,
    FeedbackRequestListOut,
    FeedbackRequestOut,
    FileOut,
    QuestionOut,
    ResponseIn,
    ResponseOut,
)
from portal.communications.tables import FeedbackRequest
from portal.lib import clock
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.lib.i18n import localized
from portal.web import current_user, not_found

READERS = {"access": (Access.PARTNER, Access.VENDOR)}
PER_PAGE = 50


def campaign_out(row: dict[str, Any], files: list[dict[str, Any]] | None = None) -> CampaignOut:
    return CampaignOut(
        id=row["id"],
        title=localized(row, "title"),
        title_zh=row["title_zh"],
        title_en=row["title_en"],
        description=localized(row, "description"),
        starts_on=row["starts_on"],
        ends_on=row["ends_on"],
        published_at=row.get("published_at"),
        current=row["ends_on"] is None or row["ends_on"] >= clock.today(),
        files=[
            FileOut(
                id=f["id"],
                filename=f["filename"],
                content_type=f["content_type"],
                size=f["size"],
                download_url=f"/campaigns/{row['id']}/files/{f['id']}",
            )
            for f in files or []
        ],
    )


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
        can_answer=feedback.can_answer(row) and user.is_partner,
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


class CommunicationsApi(Controller):
    path = "/"
    opt = READERS

    @get("/campaigns", name="api:campaigns")
    async def list_campaigns(
        self, request: Request, page: FromQuery[int] = 1, past: FromQuery[bool] = False
    ) -> CampaignListOut:
        """Published campaigns addressed to the caller's partner (vendors: every one)."""
        user = current_user(request)
        number = max(1, min(page, 100_000))
        rows, total = await campaigns.list_campaigns_for_user(
            user, past=past, page=number, per_page=PER_PAGE
        )
        return CampaignListOut(
            items=[campaign_out(r) for r in rows], total=total, page=number, per_page=PER_PAGE
        )

    @get("/campaigns/{campaign_id:int}", name="api:campaign")
    async def get_campaign(self, request: Request, campaign_id: FromPath[int]) -> CampaignOut:
        user = current_user(request)
        row = await get_campaign_for_user(user, campaign_id)
        if row["status"] != "published":
            raise not_found()
        await campaigns.record_activity(user, campaign_id, ActivityKind.VIEW)
        return campaign_out(row, await campaigns.list_files(campaign_id))

    @get("/feedback-requests", name="api:feedback_requests")
    async def list_requests(self, request: Request) -> FeedbackRequestListOut:
        """Partner: requests addressed to the partner, with their questions. Vendors: open ones."""
        user = current_user(request)
        if user.is_partner:
            rows = await feedback.list_requests_for_user(user)
        else:
            rows = (
                await FeedbackRequest.select()
                .where(FeedbackRequest.status == "open")
                .order_by(FeedbackRequest.due_at)
                .limit(200)
            )
        return FeedbackRequestListOut(
            items=[request_out(r, user, await feedback.list_questions(r["id"])) for r in rows]
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
            saved = await feedback.submit_response(user, row, raw)
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


API = [CommunicationsApi]
