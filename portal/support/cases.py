"""Case verbs: open, reply (public or internal), assign, change status or priority, reopen.

Each verb checks the transition, writes the case, its message and its events in one write
transaction with an audit entry, and enqueues the notification jobs after the commit. SLA
deadlines are recomputed from created_at, the targets and the business minutes spent paused
(waiting on the partner or resolved), so a pause moves every deadline by exactly its length.
The attachments live in case_files.py, the events in case_events.py and the status moves and
ladder in case_status.py; their public names are re-exported here.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from typing import Any

from portal.auth.constants import PARTNER_ROLES, VENDOR_ROLES, Role
from portal.auth.schemas import CurrentUser
from portal.auth.tables import User
from portal.core.audit import record
from portal.customers.access import customer_ref_for_user
from portal.db import write_transaction
from portal.lib import jobs
from portal.lib.clock import now, zone
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _
from portal.orders.access import order_ref_for_user
from portal.partners.tables import Partner
from portal.support import policy as policies
from portal.support import sla
from portal.support.access import get_case_for_user
from portal.support.case_events import _actor_name, _event, _notify
from portal.support.case_files import Upload, _save_attachments, _store
from portal.support.case_status import (
    StatusConflict,
    _ladder_columns,
    _set_status,
    _write_status,
    can_reopen,
    close_expired_resolutions,
    reopen_deadline,
)
from portal.support.constants import (
    CASE_NUMBER_PREFIX,
    CasePriority,
    CaseStatus,
    Channel,
    EventKind,
)
from portal.support.routing import least_busy_member, route
from portal.support.schemas import CaseForm
from portal.support.tables import CaseMessage, SupportCase, SupportTeam
from portal.tenancy import NotFound, partner_scope

__all__ = [
    "StatusConflict",
    "Upload",
    "assign",
    "bulk_assign",
    "can_reopen",
    "change_priority",
    "change_status",
    "close_expired_resolutions",
    "open_case",
    "reopen_deadline",
    "reply",
    "system_actor",
]


def case_number(case_id: int, opened_at: dt.datetime) -> str:
    """The visible number, CS-<year>-<id>: derived from the row id (as orders do), so cases
    opened at the same moment never compete for a number; the year is the portal's."""
    return f"{CASE_NUMBER_PREFIX}-{opened_at.astimezone(zone()):%Y}-{case_id:06d}"


async def _check_order(actor: CurrentUser, order_id: int | None, partner_id: int) -> None:
    if order_id is None:
        return

    try:
        order = await order_ref_for_user(actor, order_id)
    except NotFound:
        raise FormError({"order_id": _("No such order.")}) from None
    if order.partner_id != partner_id:
        raise FormError({"order_id": _("The order belongs to another partner.")})


async def _check_customer(actor: CurrentUser, customer_id: int | None, partner_id: int) -> None:
    if customer_id is None:
        return
    try:
        customer = await customer_ref_for_user(actor, customer_id)
    except NotFound:
        raise FormError({"end_customer_id": _("No such end customer.")}) from None
    if customer.partner_id is not None and customer.partner_id != partner_id:
        raise FormError({"end_customer_id": _("The end customer belongs to another partner.")})


async def _requester(actor: CurrentUser, partner_id: int, requester_id: int | None) -> int:
    """The partner user a case is for: the partner user who opens it, or for staff the chosen
    contact (default: the partner's first admin)."""
    if actor.is_partner:
        return actor.id
    query = User.select(User.id).where(
        (User.partner == partner_id)
        & (User.is_active == True)  # noqa: E712
        & User.role.is_in(list(PARTNER_ROLES))
    )
    if requester_id is not None:
        row = await query.where(User.id == requester_id).first()
        if row is None:
            raise FormError({"requester_id": _("Choose a user of this partner.")})
        return int(row["id"])
    row = await query.order_by(User.role).order_by(User.id).first()  # partner_admin sorts first
    if row is None:
        raise FormError({"partner_id": _("This partner has no active user to answer.")})
    return int(row["id"])


async def open_case(
    actor: CurrentUser,
    form: CaseForm,
    *,
    partner_id: int | None = None,
    requester_id: int | None = None,
    channel: Channel = Channel.PORTAL,
    files: Sequence[Upload] = (),
) -> int:
    """A new case, routed and given its deadlines; returns its id.

    Partner users open cases for their own partner (partner_id is ignored); vendor staff for a
    partner in their scope, naming its contact user. Raises FormError for bad input."""
    if actor.is_partner:
        partner_id = actor.partner_id
    elif not actor.is_vendor:
        raise FormError({"": _("You do not have permission to do this.")})
    if partner_id is None:
        raise FormError({"partner_id": _("Choose a partner.")})
    partner = await (
        Partner.select(
            Partner.id,
            Partner.province,
            Partner.tier,
            Partner.tier.code,
            Partner.channel_manager_id,
        )
        .where((Partner.id == partner_id) & partner_scope(actor, Partner.id))
        .first()
    )
    if partner is None:
        raise FormError({"partner_id": _("Choose a partner.")})
    await _check_order(actor, form.order_id, partner_id)
    await _check_customer(actor, form.end_customer_id, partner_id)
    requester = await _requester(actor, partner_id, requester_id)
    stored = await _store(files)

    policy = await policies.load_policy()
    fr_target, res_target = await policies.targets_for(form.priority, partner["tier"])
    moment = now()
    ladder = policies.deadlines(policy, moment, fr_target, res_target)
    routed = await route(
        {
            "category": form.category,
            "priority": form.priority,
            "province": partner["province"],
            "tier_id": partner["tier"],
        },
        partner["channel_manager_id"],
    )
    async with write_transaction():
        rows = await SupportCase.insert(
            SupportCase(
                number=f"new-{secrets.token_hex(12)}",  # replaced by the real number below
                partner=partner_id,
                opened_by=actor.id,
                opened_by_vendor=actor.is_vendor,
                requester=requester,
                channel=channel,
                category=form.category,
                priority=form.priority,
                status=CaseStatus.NEW,
                subject=form.subject.strip(),
                description=form.description.strip(),
                order_id=form.order_id,
                end_customer_id=form.end_customer_id,
                team=routed.team_id,
                assignee_id=routed.assignee_id,
                reply_token=secrets.token_hex(10),
                tier_code=partner["tier.code"] or "",
                first_response_target=fr_target,
                resolution_target=res_target,
                created_at=moment,
                updated_at=moment,
                **ladder.as_columns(),  # type: ignore[arg-type]
            )
        ).returning(SupportCase.id)
        case_id = int(rows[0]["id"])
        number = case_number(case_id, moment)
        await SupportCase.update({SupportCase.number: number}).where(SupportCase.id == case_id)
        await _save_attachments(case_id, None, stored, actor.id, internal=False)
        events = [
            await _event(case_id, EventKind.OPENED, actor, to_status=CaseStatus.NEW, detail=channel)
        ]
        if routed.assignee_id is not None or routed.team_id is not None:
            events.append(
                await _event(
                    case_id,
                    EventKind.ASSIGNED,
                    None,
                    detail=routed.reason,
                    internal=True,
                    actor_name="routing",
                )
            )
        await record(
            "support.case_opened",
            actor=actor,
            partner_id=partner_id,
            target_type="support_case",
            target_id=case_id,
            after={
                "number": number,
                "category": form.category,
                "priority": form.priority,
                "assignee_id": routed.assignee_id,
                "team_id": routed.team_id,
                "route": routed.reason,
                "channel": channel,
            },
        )
    await _notify(events)
    return case_id


async def _load(actor: CurrentUser, case_id: int) -> dict[str, Any]:
    return await get_case_for_user(actor, case_id)


async def reply(
    actor: CurrentUser,
    case_id: int,
    body: str,
    *,
    internal: bool = False,
    then: str = "",
    channel: Channel = Channel.PORTAL,
    files: Sequence[Upload] = (),
    email_message_id: str | None = None,
) -> int:
    """A public reply or (vendor staff) an internal note; returns the message id.

    A vendor's first public reply is the first response; `then` may set the case waiting on the
    partner or resolved. A partner's reply restarts a waiting case, and reopens a resolved or
    closed one within the reopen window. NotFound outside the wall, FormError/StatusConflict."""
    case = await _load(actor, case_id)
    body = body.strip()
    if not body:
        raise FormError({"body": _("This field is required.")})
    if actor.is_partner:
        internal, then = False, ""
    elif not actor.is_vendor:
        raise NotFound
    if internal:
        then = ""
    status = CaseStatus(case["status"])
    reopening = False
    if actor.is_partner and status in (CaseStatus.RESOLVED, CaseStatus.CLOSED):
        if not can_reopen(case):
            raise StatusConflict(_("This case is closed; please open a new case."))
        reopening = True
    if not internal and actor.is_vendor and status == CaseStatus.CLOSED:
        raise StatusConflict(_("This case is closed; reopen it before replying."))
    if then and then not in (CaseStatus.WAITING, CaseStatus.RESOLVED, CaseStatus.OPEN):
        raise FormError({"then": _("Choose one of the options.")})
    stored = await _store(files)
    moment = now()
    events: list[int] = []
    async with write_transaction():
        rows = await CaseMessage.insert(
            CaseMessage(
                support_case=case_id,
                author_id=actor.id,
                author_name=_actor_name(actor),
                author_is_vendor=actor.is_vendor,
                is_internal=internal,
                channel=channel,
                body=body,
                email_message_id=email_message_id,
                created_at=moment,
            )
        ).returning(CaseMessage.id)
        message_id = int(rows[0]["id"])
        await _save_attachments(case_id, message_id, stored, actor.id, internal)
        values: dict[Any, Any] = {SupportCase.updated_at: moment}
        target: CaseStatus | None = None
        if actor.is_vendor and not internal:
            values[SupportCase.vendor_replies] = SupportCase.vendor_replies + 1
            if case["first_responded_at"] is None:
                policy = await policies.load_policy()
                spent = sla.business_minutes_between(policy.calendar, case["created_at"], moment)
                values[SupportCase.first_responded_at] = moment
                values[SupportCase.first_response_minutes] = max(
                    spent - int(case["paused_minutes"]), 0
                )
            target = CaseStatus(then) if then else None
            if target is None and status == CaseStatus.NEW:
                target = CaseStatus.OPEN
        elif actor.is_partner and (status == CaseStatus.WAITING or reopening):
            target = CaseStatus.OPEN
        if target is not None and target != status:
            values |= await _set_status(case, target, moment)
        if len(values) > 1 or target is not None:
            await _write_status(case, values)
        kind = EventKind.NOTE if internal else EventKind.REPLY
        events.append(
            await _event(
                case_id,
                EventKind.REOPENED if reopening else kind,
                actor,
                from_status=status,
                to_status=target or status,
                internal=internal,
                message_id=message_id,
                notify=not internal,
            )
        )
        await record(
            "support.case_note" if internal else "support.case_reply",
            actor=actor,
            partner_id=case["partner"],
            target_type="support_case",
            target_id=case_id,
            after={"message_id": message_id, "status": target or status, "channel": channel},
        )
    await _notify(events)
    if target == CaseStatus.CLOSED:
        await jobs.enqueue("request_case_csat", case_id, job_id=f"case-csat:{case_id}")
    return message_id


async def change_status(
    actor: CurrentUser, case_id: int, to: CaseStatus | str, reason: str = ""
) -> None:
    """Vendor staff set any allowed status; partner users may only close a resolved case or
    reopen within the window. StatusConflict when the move is not allowed."""
    case = await _load(actor, case_id)
    to = CaseStatus(to)
    status = CaseStatus(case["status"])
    if actor.is_partner:
        allowed = (status == CaseStatus.RESOLVED and to == CaseStatus.CLOSED) or (
            to == CaseStatus.OPEN and can_reopen(case)
        )
        if not allowed:
            raise StatusConflict(_("You cannot change this case's status."))
    elif not actor.is_vendor:
        raise NotFound
    moment = now()
    async with write_transaction():
        values = await _set_status(case, to, moment)
        await _write_status(case, values)
        reopened = to == CaseStatus.OPEN and status in (CaseStatus.RESOLVED, CaseStatus.CLOSED)
        event = await _event(
            case_id,
            EventKind.REOPENED if reopened else EventKind.STATUS,
            actor,
            from_status=status,
            to_status=to,
            detail=reason,
        )
        await record(
            "support.case_status",
            actor=actor,
            partner_id=case["partner"],
            target_type="support_case",
            target_id=case_id,
            before={"status": status},
            after={"status": to},
            detail=reason,
        )
    await _notify([event])
    if to == CaseStatus.CLOSED:
        await jobs.enqueue("request_case_csat", case_id, job_id=f"case-csat:{case_id}")


async def _check_assignee(assignee_id: int | None, team_id: int | None) -> None:
    if assignee_id is not None:
        ok = await User.exists().where(
            (User.id == assignee_id)
            & User.role.is_in(list(VENDOR_ROLES))
            & (User.is_active == True)  # noqa: E712
        )
        if not ok:
            raise FormError({"assignee_id": _("Choose an active member of the vendor staff.")})
    if team_id is not None and not await SupportTeam.exists().where(SupportTeam.id == team_id):
        raise FormError({"team_id": _("No such team.")})


async def assign(
    actor: CurrentUser, case_id: int, assignee_id: int | None, team_id: int | None = None
) -> None:
    """Vendor staff hand a case to a person and/or a team (a team alone: least open cases)."""
    if not actor.is_vendor:
        raise NotFound
    case = await _load(actor, case_id)
    await _check_assignee(assignee_id, team_id)
    if assignee_id is None and team_id is not None:
        assignee_id = await least_busy_member(team_id)
    async with write_transaction():
        await SupportCase.update(
            {
                SupportCase.assignee_id: assignee_id,
                SupportCase.team: team_id,
                SupportCase.updated_at: now(),
            }
        ).where(SupportCase.id == case_id)
        event = await _event(
            case_id,
            EventKind.ASSIGNED,
            actor,
            internal=True,
            detail="manual",
            notify=assignee_id is not None and assignee_id != actor.id,
        )
        await record(
            "support.case_assigned",
            actor=actor,
            partner_id=case["partner"],
            target_type="support_case",
            target_id=case_id,
            before={"assignee_id": case["assignee_id"], "team_id": case["team"]},
            after={"assignee_id": assignee_id, "team_id": team_id},
        )
    await _notify([event])


async def bulk_assign(actor: CurrentUser, case_ids: Sequence[int], assignee_id: int) -> int:
    """Assign several cases at once (those outside the actor's scope are skipped); the count."""
    done = 0
    for case_id in dict.fromkeys(case_ids):
        try:
            case = await _load(actor, case_id)
        except NotFound:
            continue
        await assign(actor, case_id, assignee_id, case["team"])
        done += 1
    return done


async def change_priority(actor: CurrentUser, case_id: int, priority: str) -> None:
    """Vendor staff re-rate a case: the targets change and the deadlines follow."""

    if not actor.is_vendor:
        raise NotFound
    try:
        priority = CasePriority(priority)
    except ValueError:
        raise FormError({"priority": _("Choose one of the options.")}) from None
    case = await _load(actor, case_id)
    tier = await Partner.select(Partner.tier).where(Partner.id == case["partner"]).first()
    fr, res = await policies.targets_for(priority, tier["tier"] if tier else None)
    policy = await policies.load_policy()
    changed = {**case, "first_response_target": fr, "resolution_target": res}
    values = _ladder_columns(policy, changed, int(case["paused_minutes"])) | {
        SupportCase.priority: priority,
        SupportCase.first_response_target: fr,
        SupportCase.resolution_target: res,
        SupportCase.updated_at: now(),
    }
    async with write_transaction():
        await SupportCase.update(values).where(SupportCase.id == case_id)
        await _event(
            case_id,
            EventKind.PRIORITY,
            actor,
            detail=f"{case['priority']} → {priority}",
            notify=False,
        )
        await record(
            "support.case_priority",
            actor=actor,
            partner_id=case["partner"],
            target_type="support_case",
            target_id=case_id,
            before={"priority": case["priority"]},
            after={"priority": priority},
        )


def system_actor() -> CurrentUser:
    """The actor of scheduled steps (audit entries name it)."""
    return CurrentUser(id=0, email="system", name="system", role=Role.VENDOR_ADMIN)
