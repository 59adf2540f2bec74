"""Applications to become a partner: submitted on the public form, approved or declined by vendor
staff. Approval creates the partner (services.create_partner) and invites its admin."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
from piccolo.columns import Column

from portal.auth import invitations as auth_invitations
from portal.auth import services as auth_services
from portal.auth.constants import Role
from portal.auth.schemas import CurrentUser
from portal.core import audit, email
from portal.db import write_transaction
from portal.lib import hooks, jobs
from portal.lib.clock import now
from portal.lib.forms import EMAIL_RE, FormError
from portal.lib.i18n import gettext as _
from portal.partners.constants import (
    PROVINCES,
    ApplicationStatus,
    PartnerKind,
)
from portal.partners.schemas import ApplicationForm, NewPartner
from portal.partners.services import create_partner
from portal.partners.tables import PartnerApplication
from portal.tenancy import NotFound


async def submit_application(application: ApplicationForm, ip: str, locale: str) -> int:
    """Store a public application (pending); raises FormError on bad input."""
    data = {**msgspec.structs.asdict(application), "kind": PartnerKind(application.kind).value}
    errors: dict[str, str] = {}
    if data["province"] not in PROVINCES:
        errors["province"] = _("Choose one of the options.")

    if not EMAIL_RE.match(data["contact_email"]):
        errors["contact_email"] = _("Enter a valid e-mail address.")
    if errors:
        raise FormError(errors)
    since = now() - dt.timedelta(hours=1)
    recent = await PartnerApplication.count().where(
        (PartnerApplication.ip == ip) & (PartnerApplication.created_at > since)
    )
    if recent >= 5:
        raise FormError({"": _("Too many applications from your network. Please try again later.")})
    async with write_transaction():
        rows = await PartnerApplication.insert(
            PartnerApplication(**data, ip=ip, locale=locale, created_at=now())
        ).returning(PartnerApplication.id)
        application_id = int(rows[0]["id"])
        await audit.record(
            "application.submit",
            actor_email=data["contact_email"],
            ip=ip,
            target_type="application",
            target_id=application_id,
            after={"company_name": data["company_name"]},
        )
        # the receipt is stored with the application: one per application, however the job runs
        email_id = await _queue_applicant_email(
            await get_application(application_id), "application_received"
        )
    await jobs.enqueue("deliver_email", email_id, job_id=f"email:{email_id}")
    await hooks.alert("application_submitted", application_id)
    return application_id


async def list_applications(
    status: str = "pending", page: int = 1, per_page: int = 25
) -> tuple[list[dict[str, Any]], int]:
    """A page of applications (newest first) in one status ("" = all), with the total."""
    query = PartnerApplication.select().order_by(PartnerApplication.created_at, ascending=False)
    count = PartnerApplication.count()
    if status:
        query = query.where(PartnerApplication.status == status)
        count = count.where(PartnerApplication.status == status)
    rows = await query.limit(per_page).offset((page - 1) * per_page)
    return rows, await count


async def count_applications() -> dict[str, int]:
    """Applications per status (for the tabs of the review list)."""
    return {
        status.value: await PartnerApplication.count().where(PartnerApplication.status == status)
        for status in ApplicationStatus
    }


async def get_application(application_id: int) -> dict[str, Any]:
    """One application; raises NotFound."""
    row = await PartnerApplication.select().where(PartnerApplication.id == application_id).first()
    if row is None:
        raise NotFound
    return row


async def approve_application(
    actor: CurrentUser, application_id: int, tier_id: int, channel_manager_id: int | None
) -> int:
    """Create the partner from a pending application and invite its contact as partner admin."""
    application = await get_application(application_id)
    if application["status"] != ApplicationStatus.PENDING:
        raise FormError({"": _("This application has already been reviewed.")})
    if await auth_services.email_taken(application["contact_email"]):
        raise FormError({"": _("A user with this e-mail address already exists.")})
    partner_id = await create_partner(
        actor,
        NewPartner(
            name=application["company_name"],
            kind=application["kind"],
            tier_id=tier_id,
            province=application["province"],
            city=application["city"],
            address=application["address"],
            contact_name=application["contact_name"],
            contact_phone=application["contact_phone"],
            contact_email=application["contact_email"],
            channel_manager_id=channel_manager_id,
            locale=application["locale"],
            notes=application["message"],
            tier_reason=_("Application approved"),
        ),
    )
    async with write_transaction():
        await _review(
            actor,
            application_id,
            {
                PartnerApplication.status: ApplicationStatus.APPROVED,
                PartnerApplication.partner: partner_id,
            },
        )
        await audit.record(
            "application.approve",
            actor=actor,
            partner_id=partner_id,
            target_type="application",
            target_id=application_id,
        )
    await auth_invitations.invite(
        actor=actor,
        email=application["contact_email"],
        name=application["contact_name"],
        role=Role.PARTNER_ADMIN,
        partner_id=partner_id,
        locale=application["locale"],
    )
    return partner_id


async def decline_application(actor: CurrentUser, application_id: int, reason: str) -> None:
    """Decline a pending application with a reason (kept and audited); the applicant is e-mailed
    in the language of the application, once: the e-mail is stored in the transaction of the
    conditional status change, so a repeated decline (two tabs, a retried POST) sends nothing."""
    if not reason.strip():
        raise FormError({"reason": _("Say why the application is declined.")})
    application = await get_application(application_id)
    async with write_transaction():
        await _review(
            actor,
            application_id,
            {
                PartnerApplication.status: ApplicationStatus.DECLINED,
                PartnerApplication.decline_reason: reason.strip(),
            },
        )
        await audit.record(
            "application.decline",
            actor=actor,
            target_type="application",
            target_id=application_id,
            detail=reason.strip(),
        )
        email_id = await _queue_applicant_email(
            application, "application_declined", reason=reason.strip()
        )
    await jobs.enqueue("deliver_email", email_id, job_id=f"email:{email_id}")


async def _review(actor: CurrentUser, application_id: int, values: dict[Column | str, Any]) -> None:
    """Mark an application reviewed by `actor` with `values`, only while it is still pending (a
    conditional UPDATE, inside the caller's transaction); FormError when another review got there
    first (a second reviewer, two tabs, a retried POST)."""
    updated = (
        await PartnerApplication.update(
            {
                **values,
                PartnerApplication.reviewed_by_id: actor.id,
                PartnerApplication.reviewed_at: now(),
            }
        )
        .where(
            (PartnerApplication.id == application_id)
            & (PartnerApplication.status == ApplicationStatus.PENDING)
        )
        .returning(PartnerApplication.id)
    )
    if not updated:
        raise FormError({"": _("This application has already been reviewed.")})


async def _queue_applicant_email(application: dict[str, Any], name: str, **context: Any) -> int:
    """One e-mail to the applicant's contact, in the application's language (inside the caller's
    transaction; the caller enqueues its delivery after the commit)."""
    return await email.queue_email(
        application["contact_email"],
        name,
        {
            "name": application["contact_name"],
            "company_name": application["company_name"],
            "received_at": application["created_at"],
            **context,
        },
        application["locale"] if application["locale"] in ("zh_CN", "en") else "zh_CN",
    )
