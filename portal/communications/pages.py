"""Partner pages: campaigns (current and past, preview, download), the notification centre, and
feedback requests to answer (works on a phone)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Response, Template

from portal.auth.constants import Access
from portal.auth.schemas import CurrentUser
from portal.communications import campaigns, feedback, notice_preferences
from portal.communications.access import (
    get_campaign_file_for_user,
    get_campaign_for_user,
    get_request_for_user,
)
from portal.communications.constants import (
    NOTICE_LABELS,
    PREVIEW_KINDS,
    ActivityKind,
    QuestionKind,
)
from portal.core import notifications
from portal.lib import storage
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.web import Page, current_user, not_found, page, page_number, redirect, safe_next

PARTNERS = {"access": Access.PARTNER}
PER_PAGE = 20


async def _campaign(user: CurrentUser, campaign_id: int) -> dict[str, Any]:
    return await get_campaign_for_user(user, campaign_id)


async def _file(user: CurrentUser, campaign_id: int, file_id: int) -> dict[str, Any]:
    return await get_campaign_file_for_user(user, campaign_id, file_id)


async def file_response(row: dict[str, Any], *, inline: bool = False) -> Response[bytes]:
    """The stored bytes with attachment (or inline preview) headers; 404 if the bytes are gone."""
    try:
        data = await storage.read_file(row["storage_key"])
    except FileNotFoundError:
        raise not_found() from None
    return Response(
        content=data,
        media_type=row["content_type"],
        headers=storage.download_headers(row["filename"], row["content_type"], inline=inline),
    )


def file_kind(content_type: str) -> str:
    return storage.kind_of(content_type) or ""


class CampaignPages(Controller):
    """Campaigns addressed to the partner, their material, preview and download."""

    path = "/campaigns"
    opt = PARTNERS

    @get("/", name="campaigns:list")
    async def index(self, request: Request, tab: FromQuery[str] = "current") -> Template:
        user = current_user(request)
        number = page_number(request.query_params.get("page"))
        past = tab == "past"
        rows, total = await campaigns.list_campaigns_for_user(
            user, past=past, page=number, per_page=PER_PAGE
        )
        return page(
            request,
            "communications/campaigns.html",
            campaigns=rows,
            tab="past" if past else "current",
            pager=Page(number, PER_PAGE, total),
            params={"tab": "past" if past else ""},
        )

    @get("/{campaign_id:int}", name="campaigns:show")
    async def show(self, request: Request, campaign_id: FromPath[int]) -> Template:
        user = current_user(request)
        row = await _campaign(user, campaign_id)
        files = await campaigns.list_files(campaign_id)
        for f in files:
            f["kind"] = file_kind(f["content_type"])
            f["previewable"] = f["kind"] in PREVIEW_KINDS
        await campaigns.record_activity(user, campaign_id, ActivityKind.VIEW)
        return page(request, "communications/campaign.html", campaign=row, files=files)

    @get("/{campaign_id:int}/files/{file_id:int}", name="campaigns:download")
    async def download(
        self, request: Request, campaign_id: FromPath[int], file_id: FromPath[int]
    ) -> Response[bytes]:
        user = current_user(request)
        row = await _file(user, campaign_id, file_id)
        response = await file_response(row)
        await campaigns.record_activity(user, campaign_id, ActivityKind.DOWNLOAD, file_id)
        return response

    @get("/{campaign_id:int}/files/{file_id:int}/preview", name="campaigns:preview")
    async def preview(
        self, request: Request, campaign_id: FromPath[int], file_id: FromPath[int]
    ) -> Response[bytes]:
        """Images and PDFs shown in the browser (other kinds only download)."""
        user = current_user(request)
        row = await _file(user, campaign_id, file_id)
        if file_kind(row["content_type"]) not in PREVIEW_KINDS:
            raise not_found()
        response = await file_response(row, inline=True)
        if (
            request.query_params.get("thumb") != "1"
        ):  # a thumbnail on the campaign page is no preview
            await campaigns.record_activity(user, campaign_id, ActivityKind.PREVIEW, file_id)
        return response


class NotificationPages(Controller):
    """The notification centre: every signed-in user's bell entries, read and unread."""

    path = "/notifications"
    opt = {"access": Access.USER}

    @get("/", name="notifications:list")
    async def index(self, request: Request, show: FromQuery[str] = "") -> Template:
        user = current_user(request)
        number = page_number(request.query_params.get("page"))
        rows, total = await notifications.list_notifications(
            user.id, unread_only=show == "unread", page=number
        )
        return page(
            request,
            "communications/notifications.html",
            notifications=rows,
            show=show,
            pager=Page(number, notifications.PER_PAGE, total),
            params={"show": show},
        )

    @get("/count", name="notifications:count", cache=False)
    async def count(self, request: Request) -> dict[str, int]:
        """The bell's unread count (JSON, fetched by static/js/communications.js)."""
        return {"unread": await notifications.unread_count(current_user(request).id)}

    @post("/{notification_id:int}/open", name="notifications:open")
    async def open(self, request: Request, notification_id: FromPath[int]) -> Redirect:
        user = current_user(request)
        link = await notifications.open_notification(user.id, notification_id)
        if link is None:
            raise not_found()
        return redirect(request, safe_next(link, "/notifications"))

    @get("/settings", name="notifications:settings")
    async def settings(self, request: Request) -> Template:
        """Which kinds of notice (bell and e-mail) the user receives; each can be turned off."""
        user = current_user(request)
        off = await notice_preferences.turned_off(user.id)
        return page(
            request,
            "communications/notification_settings.html",
            kinds=[(k.value, _(NOTICE_LABELS[k])) for k in notice_preferences.kinds_for(user)],
            values={k.value: k.value not in off for k in notice_preferences.kinds_for(user)},
        )

    @post("/settings", name="notifications:save_settings")
    async def save_settings(self, request: Request) -> Redirect:
        user = current_user(request)
        data = await request.form()
        kinds = notice_preferences.kinds_for(user)
        await notice_preferences.set_turned_off(
            user, [k.value for k in kinds if not data.get(k.value)]
        )
        return redirect(
            request,
            "notifications:settings",
            flash=("success", _("Your notification settings have been saved.")),
        )

    @post("/read-all", name="notifications:read_all")
    async def read_all(self, request: Request) -> Redirect:
        user = current_user(request)
        count = await notifications.mark_all_read(user.id)
        return redirect(
            request,
            "notifications:list",
            flash=("success", _("%(n)s notifications marked as read.", n=count)),
        )


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
    try:
        return int(str(value).strip())
    except ValueError:
        return -1  # refused by the range check with a message


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
        rows = await feedback.list_requests_for_user(user)
        return page(
            request,
            "communications/feedback_list.html",
            open_requests=[r for r in rows if r["can_answer"]],
            closed_requests=[r for r in rows if not r["can_answer"]],
        )

    async def _context(self, user: CurrentUser, request_id: int) -> dict[str, Any]:
        row = await get_request_for_user(user, request_id)
        mine = await feedback.my_answers(row, user)
        return {
            "req": row,
            "questions": await feedback.list_questions(request_id),
            "mine": mine,
            "can_answer": feedback.can_answer(row),
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
            await feedback.submit_response(user, context["req"], raw)
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


PAGES = [CampaignPages, NotificationPages, FeedbackPages]
