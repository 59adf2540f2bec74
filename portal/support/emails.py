"""Case e-mails, in the recipient's language, queued by jobs after the step's commit.

A case event is claimed with a lease (conditional UPDATE), its e-mails are queued, and it is
marked notified; `sweep_case_notifications` re-enqueues events and escalation steps whose
notifier died. Case e-mails carry the case's Reply-To address (support+<token>@domain, stored on
the outbox row, so every retry keeps it) and are delivered by the shared `deliver_email` job; a
partner can answer from the mail client, and the case_email row lets a reply that lost that
address find its case through In-Reply-To.
Internal notes and escalations never reach partners.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from typing import Any

from portal.auth.constants import Role
from portal.auth.tables import User
from portal.core import email
from portal.core.notifications import notify
from portal.lib import hooks, jobs
from portal.lib.clock import now
from portal.lib.inputs import parse_id
from portal.settings import get_settings
from portal.support.constants import (
    BREACH,
    SECOND_BREACH,
    Deadline,
    EventKind,
)
from portal.support.tables import (
    CaseEmail,
    CaseEscalation,
    CaseEvent,
    CaseMessage,
    SupportCase,
    SupportTeam,
)

LEASE = dt.timedelta(minutes=2)
STALE_AFTER = dt.timedelta(minutes=1)


def reply_address(token: str) -> str:
    """support+<token>@domain from SUPPORT_REPLY_ADDRESS, or "" when replies by e-mail are off."""
    address = get_settings().support_reply_address
    if not address or "@" not in address:
        return ""
    local, domain = address.rsplit("@", 1)
    return f"{local}+{token}@{domain}"


def recipient_token(case_token: str, user_id: int) -> str:
    """The reply token of one case for one recipient: <case token>-<user id>-<HMAC tag>.

    A reply is attributed only to the user the address was issued to, so a partner user cannot
    answer in a colleague's or the vendor's name by changing From:.
    """
    tag = hmac.new(
        get_settings().secret_key.encode(), f"{case_token}:{user_id}".encode(), hashlib.sha256
    ).hexdigest()[:16]
    return f"{case_token}-{user_id}-{tag}"


def token_user(token: str) -> int | None:
    """The user id a recipient token was issued to, or None when its tag does not match."""
    case_token, _sep, rest = token.partition("-")
    user, _sep, _tag = rest.partition("-")
    user_id = parse_id(user)
    if user_id is None:
        return None
    expected = recipient_token(case_token, user_id)
    return user_id if hmac.compare_digest(expected, token.lower()) else None


async def _users(ids: list[int]) -> list[dict[str, Any]]:
    if not ids:
        return []
    return await User.select(
        User.id, User.email, User.name, User.locale, User.role, User.partner.locale
    ).where(User.id.is_in(ids) & (User.is_active == True))  # noqa: E712


def _locale(user: dict[str, Any]) -> str:
    return user["locale"] or user.get("partner.locale") or get_settings().default_locale


async def _case(case_id: int) -> dict[str, Any]:
    row = await (
        SupportCase.select(
            *SupportCase.all_columns(),
            SupportCase.partner.name.as_alias("partner_name"),
            SupportCase.partner.channel_manager_id.as_alias("channel_manager_id"),
        )
        .where(SupportCase.id == case_id)
        .first()
    )
    assert row is not None
    return row


def _link(case: dict[str, Any], vendor: bool) -> str:
    base = get_settings().base_url
    return f"{base}/console/cases/{case['id']}" if vendor else f"{base}/cases/{case['id']}"


async def send_case_email(
    case: dict[str, Any], user: dict[str, Any], name: str, context: dict[str, Any]
) -> int:
    """Queue one case e-mail to one user and enqueue its delivery; returns the e-mail id."""
    vendor = user["role"] in (Role.VENDOR_ADMIN, Role.CHANNEL_MANAGER)
    full = {
        "name": user["name"],
        "number": case["number"],
        "subject": case["subject"],
        "partner_name": case["partner_name"],
        "status": case["status"],
        "priority": case["priority"],
        "for_vendor": vendor,
        "link": _link(case, vendor),
        "by_email": bool(reply_address(case["reply_token"])) and not vendor,
        **context,
    }
    # vendor staff answer in the console: their e-mails carry no reply address
    reply_to = "" if vendor else reply_address(recipient_token(case["reply_token"], user["id"]))
    email_id = await email.queue_email(user["email"], name, full, _locale(user), reply_to=reply_to)
    await CaseEmail.insert(
        CaseEmail(email_id=email_id, support_case=case["id"], recipient_id=user["id"])
    )
    await jobs.enqueue("deliver_email", email_id, job_id=f"email:{email_id}")
    return email_id


async def _claim(table: Any, row_id: int) -> bool:
    moment = now()
    claimed = (
        await table.update({table.notify_lease_until: moment + LEASE})
        .where(
            (table.id == row_id)
            & table.notified_at.is_null()
            & (table.notify_lease_until.is_null() | (table.notify_lease_until < moment))
        )
        .returning(table.id)
    )
    return bool(claimed)


async def _bell(
    user_ids: list[int], case: dict[str, Any], title_en: str, title_zh: str, ref: str
) -> None:
    """The in-portal notification, once the communications domain provides it."""
    if not user_ids:
        return
    await notify(
        user_ids,
        kind="case",
        title_en=title_en,
        title_zh=title_zh,
        link=f"/cases/{case['id']}",
        ref=ref,
    )


async def notify_event(event_id: int) -> list[int]:
    """Queue the e-mails of one case event (idempotent); the e-mail ids."""
    if not await _claim(CaseEvent, event_id):
        return []
    event = await CaseEvent.select().where(CaseEvent.id == event_id).first()
    assert event is not None
    case = await _case(event["support_case"])
    message = None
    if event["message"] is not None:
        message = await CaseMessage.select().where(CaseMessage.id == event["message"]).first()
    kind = event["kind"]
    by_vendor = (
        event["actor_id"] is not None
        and event["actor_id"] != case["requester"]
        and (
            await User.exists().where(
                (User.id == event["actor_id"])
                & User.role.is_in([Role.VENDOR_ADMIN, Role.CHANNEL_MANAGER])
            )
        )
    )
    assignee = case["assignee_id"] or case["channel_manager_id"]
    ids: list[int] = []
    to_partner: list[int] = []
    if kind == EventKind.OPENED:
        to_partner = [case["requester"]]
        for user in await _users(to_partner):
            ids.append(await send_case_email(case, user, "case_opened", {}))
        if not by_vendor:  # vendor staff hear of a partner's new case (bell + e-mail, idempotent)
            await hooks.alert("case_opened", int(case["id"]))
    elif kind == EventKind.ASSIGNED:
        for user in await _users([case["assignee_id"]] if case["assignee_id"] else []):
            ids.append(
                await send_case_email(
                    case, user, "case_assigned", {"description": case["description"]}
                )
            )
    elif kind in (EventKind.REPLY, EventKind.REOPENED) and message is not None:
        body = message["body"]
        if message["author_is_vendor"]:
            to_partner = [case["requester"]]
            for user in await _users(to_partner):
                ids.append(
                    await send_case_email(
                        case,
                        user,
                        "case_reply",
                        {
                            "author": message["author_name"],
                            "body": body,
                            "status": event["to_status"],
                        },
                    )
                )
        else:
            for user in await _users([assignee] if assignee else []):
                ids.append(
                    await send_case_email(
                        case,
                        user,
                        "case_reply",
                        {
                            "author": message["author_name"],
                            "body": body,
                            "status": event["to_status"],
                        },
                    )
                )
    elif kind in (EventKind.STATUS, EventKind.REOPENED):
        targets = [case["requester"]] if by_vendor else ([assignee] if assignee else [])
        if by_vendor:
            to_partner = targets
        for user in await _users(targets):
            ids.append(
                await send_case_email(
                    case,
                    user,
                    "case_status",
                    {"status": event["to_status"], "reason": event["detail"]},
                )
            )
    if to_partner:
        await _bell(
            to_partner,
            case,
            f"Case {case['number']}: {case['subject']}",
            f"支持工单 {case['number']}：{case['subject']}",
            f"case-event:{event_id}",
        )
    await CaseEvent.update({CaseEvent.notified_at: now()}).where(CaseEvent.id == event_id)
    return ids


# the bell's words for (first-response deadline?, level); title_zh is Chinese by contract
_ESCALATION_EN = {
    (True, 1): "first response due soon",
    (True, 2): "first response overdue",
    (True, 3): "first response still overdue",
    (False, 1): "resolution due soon",
    (False, 2): "resolution overdue",
    (False, 3): "resolution still overdue",
}
_ESCALATION_ZH = {
    (True, 1): "首次响应即将超时",
    (True, 2): "首次响应已超时",
    (True, 3): "首次响应二次超时",
    (False, 1): "解决即将超时",
    (False, 2): "解决已超时",
    (False, 3): "解决二次超时",
}


async def _vendor_admins() -> list[int]:
    rows = await User.select(User.id).where(
        (User.role == Role.VENDOR_ADMIN) & (User.is_active == True)  # noqa: E712
    )
    return [int(r["id"]) for r in rows]


async def notify_escalation(escalation_id: int) -> list[int]:
    """Queue the e-mails of one escalation step: the assignee is warned, a breach goes to the
    team lead (or the vendor admins when the case has no team lead), a second breach to the
    vendor admins. Idempotent (lease + notified mark)."""
    if not await _claim(CaseEscalation, escalation_id):
        return []
    step = await CaseEscalation.select().where(CaseEscalation.id == escalation_id).first()
    assert step is not None
    case = await _case(step["support_case"])
    level = int(step["level"])
    recipients: list[int] = []
    lead = None
    if level < BREACH:
        assignee = case["assignee_id"] or case["channel_manager_id"]
        recipients = [assignee] if assignee else await _vendor_admins()
    elif level == BREACH:
        if case["team"] is not None:
            team = (
                await SupportTeam.select(SupportTeam.lead_id)
                .where(SupportTeam.id == case["team"])
                .first()
            )
            lead = team["lead_id"] if team else None
        recipients = [lead] if lead else await _vendor_admins()
        if case["assignee_id"] and case["assignee_id"] not in recipients:
            recipients.append(case["assignee_id"])
    elif level >= SECOND_BREACH:
        recipients = await _vendor_admins()
    ids = []
    state = (step["deadline"] == Deadline.FIRST_RESPONSE, min(level, SECOND_BREACH))
    # people who turned escalations off get neither the bell entry nor the e-mail
    recipients = await hooks.notice_wanted(sorted(set(recipients)), "case_escalated")
    if recipients:
        await notify(
            recipients,
            kind="case_escalated",
            title_en=f"Case {case['number']} {_ESCALATION_EN[state]}: {case['subject']}",
            title_zh=f"支持工单 {case['number']}{_ESCALATION_ZH[state]}：{case['subject']}",
            link=f"/console/cases/{case['id']}",
            ref=f"case-escalation:{escalation_id}",
        )
    for user in await _users(recipients):
        ids.append(
            await send_case_email(
                case,
                user,
                "case_escalation",
                {
                    "deadline": step["deadline"],
                    "level": level,
                    "due_at": step["due_at"],
                    "as_lead": lead is not None and user["id"] == lead,
                },
            )
        )
    await CaseEscalation.update({CaseEscalation.notified_at: now()}).where(
        CaseEscalation.id == escalation_id
    )
    return ids


async def stale_event_ids(limit: int = 500) -> list[int]:
    """Events older than a minute whose e-mails were never queued and nobody is queuing now."""
    moment = now()
    rows = (
        await CaseEvent.select(CaseEvent.id)
        .where(
            CaseEvent.notified_at.is_null()
            & (CaseEvent.at < moment - STALE_AFTER)
            & (CaseEvent.notify_lease_until.is_null() | (CaseEvent.notify_lease_until < moment))
        )
        .order_by(CaseEvent.id)
        .limit(limit)
    )
    return [int(r["id"]) for r in rows]
