"""Feedback request scheduling, the opening fan-out (once) and reminders (once per user)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.auth.schemas import CurrentUser
from portal.communications import audience as audience_rules
from portal.communications import emails
from portal.communications.feedback import queries
from portal.communications.feedback.constants import RequestStatus
from portal.communications.feedback.requests import EDITABLE, get_request, require_editable
from portal.communications.feedback.tables import FeedbackQuestion, FeedbackRequest
from portal.core import email, notifications
from portal.core.audit import record
from portal.db import true, write_transaction
from portal.lib import jobs
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.lib.i18n import localized
from portal.settings import get_settings


async def schedule_request(actor: CurrentUser, request_id: int, opens_at: dt.datetime) -> None:
    """Open at a time (the job does it when due); needs at least one question."""
    row = await get_request(request_id)
    require_editable(row)
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


def invite_context(row: dict[str, Any], link: str) -> Any:
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

    row = await FeedbackRequest.select().where(FeedbackRequest.id == request_id).first()
    if row is None or row["status"] != RequestStatus.SCHEDULED:
        return 0
    link = f"{get_settings().base_url}/feedback/{request_id}"
    rendered = emails.render_per_locale("feedback_request", invite_context(row, link))
    where, args = audience_rules.condition(
        row["audience"], audience_rules.parse_values(row["audience_values"])
    )
    moment = now()
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
        await queries.freeze_audience(request_id, where, args, moment)
        user_ids = await queries.addressed_users(request_id)
        await notifications.ring_each(
            queries.ADDRESSED_USERS_SQL,
            request_id,
            true(),
            kind="feedback",
            title_en=localized(row, "title", "en"),
            title_zh=localized(row, "title", "zh_CN"),
            link=f"/feedback/{request_id}",
            ref=f"feedback:{request_id}",
        )
        email_ids = await email.queue_bulk(
            "feedback_request", rendered, await emails.addresses(user_ids)
        )
        await record(
            "feedback.opened",
            actor_email="system",
            target_type="feedback_request",
            target_id=request_id,
            after={"users": len(user_ids)},
        )
    await email.enqueue_delivery(email_ids)
    return len(user_ids)


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

    link = f"{get_settings().base_url}/feedback/{row['id']}"
    rendered = emails.render_per_locale("feedback_reminder", invite_context(row, link))
    async with write_transaction():
        user_ids = await queries.record_reminders(row["id"], row["answer_scope"], now())
        email_ids = await email.queue_bulk(
            "feedback_reminder", rendered, await emails.addresses(user_ids)
        )
    await email.enqueue_delivery(email_ids)
    return len(user_ids)
