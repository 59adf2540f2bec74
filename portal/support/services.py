"""Support: the reads pages, the API and other domains need (queues, case detail, home cards,
figures, a customer's cases, CSAT), and the one import point for the verbs in cases.py, the SLA
policy (policy.py, sla.py), the knowledge base (kb.py) and the console settings (admin.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from piccolo.query.functions.aggregate import Count

from portal.auth.constants import VENDOR_ROLES
from portal.auth.schemas import CurrentUser
from portal.auth.tables import User
from portal.customers.access import get_customer_name_for_user
from portal.db import is_sqlite
from portal.lib import hooks
from portal.lib.cards import Card
from portal.lib.clock import now
from portal.lib.forms import id_filter
from portal.lib.i18n import gettext as _
from portal.orders.access import order_ref_for_user
from portal.support.access import case_scope, get_case_for_user
from portal.support.case_files import Upload
from portal.support.case_status import StatusConflict, can_reopen, reopen_deadline
from portal.support.cases import (
    assign,
    bulk_assign,
    change_priority,
    change_status,
    open_case,
    reply,
)
from portal.support.constants import ACTIVE, RUNNING, STATUS_LABELS, CaseStatus
from portal.support.figures import CaseFigures, case_figures
from portal.support.schemas import CaseFilters
from portal.support.tables import (
    CaseAttachment,
    CaseEscalation,
    CaseEvent,
    CaseMessage,
    SupportCase,
    SupportTeam,
    SupportTeamMember,
)
from portal.tenancy import NotFound

__all__ = [
    "CaseFigures",
    "StatusConflict",
    "Upload",
    "assign",
    "bulk_assign",
    "can_reopen",
    "case_figures",
    "change_priority",
    "change_status",
    "get_case_for_user",
    "open_case",
    "reopen_deadline",
    "reply",
]

LIST_COLUMNS = (
    SupportCase.id,
    SupportCase.number,
    SupportCase.subject,
    SupportCase.status,
    SupportCase.priority,
    SupportCase.category,
    SupportCase.partner,
    SupportCase.partner.name.as_alias("partner_name"),
    SupportCase.requester.name.as_alias("requester_name"),
    SupportCase.assignee_id,
    SupportCase.team.name.as_alias("team_name"),
    SupportCase.first_responded_at,
    SupportCase.fr_warn_at,
    SupportCase.fr_due_at,
    SupportCase.res_warn_at,
    SupportCase.res_due_at,
    SupportCase.resolved_within_sla,
    SupportCase.resolved_at,
    SupportCase.created_at,
    SupportCase.updated_at,
)


def _like(column: Any, pattern: str) -> Any:
    """Case-insensitive match: ILIKE on PostgreSQL, LIKE on SQLite (already case-insensitive for
    ASCII; Piccolo would warn on every ILIKE it rewrites)."""

    return column.like(pattern) if is_sqlite() else column.ilike(pattern)


def sla_state(
    case: dict[str, Any], at: dt.datetime | None = None
) -> tuple[str, dt.datetime | None]:
    """(colour, the deadline that matters now): "breached", "at_risk", "ok", "paused", "met",
    "missed" or "" (no deadline)."""
    moment = at or now()
    status = case["status"]
    if status in (CaseStatus.RESOLVED, CaseStatus.CLOSED):
        met = case.get("resolved_within_sla")
        return ("met" if met else "missed" if met is not None else ""), case.get("res_due_at")
    if case["first_responded_at"] is None:
        due, warn = case["fr_due_at"], case["fr_warn_at"]
    else:
        due, warn = case["res_due_at"], case["res_warn_at"]
    if status == CaseStatus.WAITING:
        return "paused", due
    if due is None:
        return "", None
    if due <= moment:
        return "breached", due
    if warn is not None and warn <= moment:
        return "at_risk", due
    return "ok", due


def _filters_where(user: CurrentUser, filters: CaseFilters) -> list[Any]:
    where: list[Any] = [case_scope(user)]
    if filters.status == "all":
        pass
    elif filters.status:
        statuses = [s for s in filters.status.split(",") if s in CaseStatus._value2member_map_]
        if statuses:
            where.append(SupportCase.status.is_in(statuses))
    else:
        where.append(SupportCase.status.is_in(list(ACTIVE)))
    if filters.q:
        term = f"%{filters.q}%"
        where.append(
            _like(SupportCase.number, term)
            | _like(SupportCase.subject, term)
            | _like(SupportCase.description, term)
        )
    if filters.category:
        where.append(SupportCase.category == filters.category)
    if filters.priority:
        where.append(SupportCase.priority == filters.priority)
    if filters.partner_id:
        where.append(SupportCase.partner == filters.partner_id)
    if filters.team_id:
        where.append(SupportCase.team == filters.team_id)
    if filters.assignee == "me":
        where.append(SupportCase.assignee_id == user.id)
    elif filters.assignee == "none":
        where.append(SupportCase.assignee_id.is_null())
    elif (assignee := id_filter(filters.assignee)) is not None:
        where.append(SupportCase.assignee_id == assignee)
    moment = now()
    running = SupportCase.status.is_in(list(RUNNING))
    breached = (SupportCase.first_responded_at.is_null() & (SupportCase.fr_due_at <= moment)) | (
        SupportCase.res_due_at <= moment
    )
    warned = (SupportCase.first_responded_at.is_null() & (SupportCase.fr_warn_at <= moment)) | (
        SupportCase.res_warn_at <= moment
    )
    if filters.sla == "breached":
        where.append(running & breached)
    elif filters.sla == "attention":
        where.append(running & (breached | warned))
    elif filters.sla == "at_risk":
        where.append(
            running
            & (
                (SupportCase.first_responded_at.is_null() & (SupportCase.fr_warn_at <= moment))
                | (SupportCase.res_warn_at <= moment)
            )
            & (SupportCase.res_due_at > moment)
            & (SupportCase.first_responded_at.is_not_null() | (SupportCase.fr_due_at > moment))
        )
    return where


async def user_names(ids: set[int]) -> dict[int, str]:
    ids.discard(None)  # type: ignore[arg-type]
    if not ids:
        return {}
    rows = await User.select(User.id, User.name, User.email).where(User.id.is_in(list(ids)))
    return {int(r["id"]): r["name"] or r["email"] for r in rows}


async def list_cases(
    user: CurrentUser, filters: CaseFilters, names: dict[int, str] | None = None
) -> tuple[list[dict[str, Any]], int]:
    """A page of cases the user may see (deadline first for open queues), and the total."""
    where = _filters_where(user, filters)
    query = SupportCase.select(*LIST_COLUMNS).where(*where)
    if filters.status in ("", "new", "open"):
        query = query.order_by(SupportCase.res_due_at).order_by(SupportCase.id)
    else:
        query = query.order_by(SupportCase.id, ascending=False)
    rows = await query.limit(filters.per_page).offset((filters.page - 1) * filters.per_page)
    total = await SupportCase.count().where(*where)
    if names is None:  # the console passes the staff names it has loaded anyway
        names = await user_names({r["assignee_id"] for r in rows if r["assignee_id"]})
    moment = now()
    for row in rows:
        row["assignee_name"] = names.get(row["assignee_id"], "")
        row["sla"], row["sla_due"] = sla_state(row, moment)
    return rows, total


async def count_by_status(user: CurrentUser) -> dict[str, int]:
    rows = await (
        SupportCase.select(SupportCase.status, Count(SupportCase.id, alias="n"))
        .where(case_scope(user))
        .group_by(SupportCase.status)
    )
    return {r["status"]: int(r["n"]) for r in rows}


async def case_detail(user: CurrentUser, case_id: int) -> dict[str, Any]:
    """The case with messages, timeline and attachments as `user` may see them: partner users
    never receive internal notes, internal events or internal files. NotFound outside the wall."""
    case = await get_case_for_user(user, case_id)
    vendor = user.is_vendor
    messages = CaseMessage.select().where(CaseMessage.support_case == case_id)
    events = CaseEvent.select().where(CaseEvent.support_case == case_id)
    files = CaseAttachment.select(
        CaseAttachment.id,
        CaseAttachment.message,
        CaseAttachment.filename,
        CaseAttachment.size,
        CaseAttachment.content_type,
        CaseAttachment.is_internal,
        CaseAttachment.created_at,
    ).where(CaseAttachment.support_case == case_id)
    if not vendor:
        messages = messages.where(CaseMessage.is_internal == False)  # noqa: E712
        events = events.where(CaseEvent.is_internal == False)  # noqa: E712
        files = files.where(CaseAttachment.is_internal == False)  # noqa: E712
    message_rows = await messages.order_by(CaseMessage.id)
    file_rows = await files.order_by(CaseAttachment.id)
    by_message: dict[int | None, list[dict[str, Any]]] = {}
    for f in file_rows:
        by_message.setdefault(f["message"], []).append(f)
    for m in message_rows:
        m["files"] = by_message.get(m["id"], [])
    escalations: list[dict[str, Any]] = []
    if vendor:
        escalations = (
            await CaseEscalation.select()
            .where(CaseEscalation.support_case == case_id)
            .order_by(CaseEscalation.id)
        )
    names = await user_names({case["assignee_id"]} if case["assignee_id"] else set())
    case["assignee_name"] = names.get(case["assignee_id"], "")
    case["sla"], case["sla_due"] = sla_state(case)
    case["order_number"], case["end_customer_name"] = await _linked_names(user, case)
    return {
        "case": case,
        "messages": message_rows,
        "events": await events.order_by(CaseEvent.id),
        "case_files": by_message.get(None, []),
        "escalations": escalations,
        "csat": case["csat_score"] if case["csat_score"] is not None else await csat_for_case(case),
    }


async def _linked_names(user: CurrentUser, case: dict[str, Any]) -> tuple[str, str]:
    """The number of the case's order and the name of its end customer, as the reader may see
    them through those domains' walls ("" where they may not: a member without purchasing
    rights sees no order, a member not sharing the customer sees no name)."""
    order_number = customer_name = ""
    if case.get("order_id"):
        try:
            order_number = (await order_ref_for_user(user, case["order_id"])).number
        except NotFound:
            pass
    if case.get("end_customer_id"):
        try:
            customer_name = await get_customer_name_for_user(user, case["end_customer_id"])
        except NotFound:
            pass
    return order_number, customer_name


async def csat_for_case(case: dict[str, Any]) -> int | None:
    """The 1-5 answer of the case's CSAT request, through the feedback feature when it exists."""
    if case.get("status") != CaseStatus.CLOSED:
        return None
    score = await hooks.csat_score("case", int(case["id"]))
    if score is not None and case.get("csat_score") != score:
        await SupportCase.update({SupportCase.csat_score: score}).where(
            SupportCase.id == case["id"]
        )
    return score


async def request_csat_for_case(case_id: int) -> int | None:
    """Ask the requester of a closed case for a CSAT once (idempotent in the feedback feature)."""
    case = (
        await SupportCase.select(
            SupportCase.id,
            SupportCase.number,
            SupportCase.subject,
            SupportCase.status,
            SupportCase.partner,
            SupportCase.requester,
            SupportCase.csat_request_id,
        )
        .where(SupportCase.id == case_id)
        .first()
    )
    if case is None or case["status"] != CaseStatus.CLOSED:
        return None
    if case["csat_request_id"] is not None:
        return int(case["csat_request_id"])
    request_id = await hooks.request_csat(
        "case",
        case_id,
        int(case["partner"]),
        int(case["requester"]),
        f"How did we handle case {case['number']}?",
        f"您对支持工单 {case['number']} 的处理满意吗？",
    )
    if request_id is not None:
        await SupportCase.update({SupportCase.csat_request_id: request_id}).where(
            SupportCase.id == case_id
        )
    return request_id


async def list_cases_for_customer(user: CurrentUser, customer_id: int) -> list[dict[str, Any]]:
    """The cases linked to an end customer that `user` may see, newest first (customer 360°)."""
    rows = await (
        SupportCase.select(*LIST_COLUMNS)
        .where((SupportCase.end_customer_id == customer_id) & case_scope(user))
        .order_by(SupportCase.id, ascending=False)
        .limit(50)
    )
    moment = now()
    for row in rows:
        row["sla"], row["sla_due"] = sla_state(row, moment)
    return rows


async def cases_for_customer_page(user: CurrentUser, customer_id: int) -> list[dict[str, Any]]:
    """`list_cases_for_customer` with each case's translated status (the customer 360° page,
    through portal.lib.hooks.customer_cases)."""
    rows = await list_cases_for_customer(user, customer_id)
    for row in rows:
        row["status_label"] = _(STATUS_LABELS[CaseStatus(row["status"])])
    return rows


async def vendor_choices() -> list[dict[str, Any]]:
    """Active vendor staff for assignment selects."""

    return await (
        User.select(User.id, User.name, User.email)
        .where(User.role.is_in(list(VENDOR_ROLES)) & (User.is_active == True))  # noqa: E712
        .order_by(User.name)
    )


async def team_choices() -> list[dict[str, Any]]:
    return await SupportTeam.select(SupportTeam.id, SupportTeam.name).order_by(SupportTeam.name)


async def queue_counts(
    user: CurrentUser,
    names: dict[int, str] | None = None,
    teams: dict[int, str] | None = None,
) -> list[dict[str, Any]]:
    """Open cases per team and assignee, and how many of them breached: the console's queues
    (two grouped counts inside the user's scope)."""
    moment = now()
    active = SupportCase.status.is_in(list(ACTIVE)) & case_scope(user)
    breached = (
        SupportCase.status.is_in(list(RUNNING))
        & (
            (SupportCase.first_responded_at.is_null() & (SupportCase.fr_due_at <= moment))
            | (SupportCase.res_due_at <= moment)
        )
        & case_scope(user)
    )
    rows = await (
        SupportCase.select(
            SupportCase.team, SupportCase.assignee_id, Count(SupportCase.id, alias="n")
        )
        .where(active)
        .group_by(SupportCase.team, SupportCase.assignee_id)
    )
    late = await (
        SupportCase.select(
            SupportCase.team, SupportCase.assignee_id, Count(SupportCase.id, alias="n")
        )
        .where(breached)
        .group_by(SupportCase.team, SupportCase.assignee_id)
    )
    late_by = {(r["team"], r["assignee_id"]): int(r["n"]) for r in late}
    if teams is None:
        teams = {int(t["id"]): t["name"] for t in await team_choices()}
    if names is None:
        names = await user_names({r["assignee_id"] for r in rows if r["assignee_id"]})
    for row in rows:
        row["team_name"] = teams.get(row["team"], "") if row["team"] else ""
        row["assignee_name"] = names.get(row["assignee_id"], "")
        row["breached"] = late_by.get((row["team"], row["assignee_id"]), 0)
    rows.sort(key=lambda r: (r["team_name"] or "~", r["assignee_name"] or "~"))
    return rows


async def home_cards(user: CurrentUser) -> list[Card]:
    """Partner users: cases waiting for their answer and their open cases. Vendor staff: their
    open cases and those breaching soon."""
    if user.is_partner:
        counts = await count_by_status(user)
        waiting = counts.get(CaseStatus.WAITING, 0)
        open_cases = counts.get(CaseStatus.NEW, 0) + counts.get(CaseStatus.OPEN, 0)
        return [
            Card(
                title=_("Support cases"),
                items=[
                    (
                        _("Waiting for your answer"),
                        str(waiting),
                        "/cases?status=waiting_on_partner",
                    ),
                    (_("Open cases"), str(open_cases), "/cases"),
                ],
                link="/cases/new",
                link_label=_("Open a case"),
                tone="attention" if waiting else "ok",
            )
        ]
    if not user.is_vendor:
        return []
    moment = now()
    soon = moment + dt.timedelta(hours=4)
    mine = SupportCase.assignee_id == user.id
    active = SupportCase.status.is_in(list(ACTIVE))
    running = SupportCase.status.is_in(list(RUNNING))
    my_open = await SupportCase.count().where(mine & active)
    due = (SupportCase.first_responded_at.is_null() & (SupportCase.fr_due_at <= soon)) | (
        SupportCase.res_due_at <= soon
    )
    breaching = await SupportCase.count().where(mine & running & due)
    unassigned = await SupportCase.count().where(
        active & SupportCase.assignee_id.is_null() & case_scope(user)
    )
    return [
        Card(
            title=_("Support cases"),
            items=[
                (_("My open cases"), str(my_open), "/console/cases?assignee=me"),
                (
                    _("Breached or due within 4 hours"),
                    str(breaching),
                    "/console/cases?assignee=me&sla=attention",
                ),
                (_("Unassigned"), str(unassigned), "/console/cases?assignee=none"),
            ],
            link="/console/cases",
            link_label=_("Open the case queue"),
            tone="attention" if breaching else "ok",
        )
    ]


async def my_teams(user_id: int) -> list[int]:
    rows = await SupportTeamMember.select(SupportTeamMember.team).where(
        SupportTeamMember.user_id == user_id
    )
    return [int(r["team"]) for r in rows]
