"""Monthly PDF reports: deliver each partner's report exactly once.

The database is the truth: one ReportDelivery row per (partner, month) under a unique index.
`ensure_deliveries` creates missing rows (insert ... on conflict do nothing, so concurrent
reconcilers and re-runs add nothing twice). `send_report` claims a row with a conditional UPDATE
that takes a lease, renders the PDF once (reports.py; kept as a file, so a retry sends the same
document), e-mails every recipient not yet served with a deterministic Message-ID, records each
accepted address in `sent_to`, then marks the row sent. SMTP down: the row returns to pending with
the error and a back-off; a killed worker: the lease runs out and the row is claimable again.
The month's 对账 statement (finance) rides in the same e-mail as a second PDF, so it is sent on
the report schedule exactly once too.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from portal.auth.constants import PartnerStatus, Role
from portal.auth.tables import User
from portal.core import email
from portal.core.audit import record
from portal.finance import statement_files
from portal.lib import jobs
from portal.lib.clock import now
from portal.lib.i18n import normalise, use_locale
from portal.partners.tables import Partner
from portal.performance import rollups
from portal.performance.constants import MAX_ATTEMPTS, DeliveryStatus
from portal.performance.periods import Period, PeriodKind
from portal.performance.reports import render_report, report_filename, store_pdf, stored_pdf
from portal.performance.tables import ReportDelivery, ReportRecipient
from portal.settings import get_settings


class NothingToSend(Exception):
    """The partner has no active admin and no extra recipient."""


class LeaseLost(Exception):
    """Another sender claimed the row after this one's lease ran out: this one stops."""


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    locale: str


async def ensure_deliveries(period: Period, partner_ids: list[int] | None = None) -> int:
    """Create the missing delivery rows of a month for active partners; returns rows created."""
    query = Partner.select(Partner.id, Partner.locale).where(Partner.status == PartnerStatus.ACTIVE)
    if partner_ids is not None:
        query = query.where(Partner.id.is_in(partner_ids or [0]))
    partners = await query
    existing = {
        int(r["partner"])
        for r in await ReportDelivery.select(ReportDelivery.partner).where(
            ReportDelivery.period == period.code
        )
    }
    moment = now()
    rows = [
        ReportDelivery(
            partner=int(p["id"]),
            period=period.code,
            status=DeliveryStatus.PENDING,
            locale=p["locale"] or "",
            next_attempt_at=moment,
            created_at=moment,
            updated_at=moment,
        )
        for p in partners
        if int(p["id"]) not in existing
    ]
    for start in range(0, len(rows), 500):
        # a concurrent reconciler may have inserted some: the unique index keeps one each
        await ReportDelivery.insert(*rows[start : start + 500]).on_conflict(action="DO NOTHING")
    return len(rows)


async def due_deliveries(period: Period | None = None, limit: int = 2000) -> list[dict[str, Any]]:
    """Rows a sender should pick up: pending and past their back-off, or sending with an
    expired lease (their worker died)."""
    moment = now()
    where = (
        (ReportDelivery.status == DeliveryStatus.PENDING)
        & (ReportDelivery.next_attempt_at.is_null() | (ReportDelivery.next_attempt_at <= moment))
    ) | ((ReportDelivery.status == DeliveryStatus.SENDING) & (ReportDelivery.lease_until < moment))
    query = ReportDelivery.select(
        ReportDelivery.id,
        ReportDelivery.partner,
        ReportDelivery.period,
        ReportDelivery.resend_count,
        ReportDelivery.attempts,
    ).where(where)
    if period is not None:
        query = query.where(ReportDelivery.period == period.code)
    return await query.order_by(ReportDelivery.id).limit(limit)


def job_id(period: str, partner_id: int, resend_count: int = 0, attempts: int = 0) -> str:
    """The fixed arq job id of one partner's report (resends get their own); `attempts` (claims
    so far) gives a retry its own id, because a sender that died keeps its job, id and all, in
    arq until arq's job time-out, and a re-enqueue under that id would be dropped until then."""
    base = f"report:{period}:partner-{partner_id}"
    if resend_count:
        base = f"{base}:again-{resend_count}"
    return base if not attempts else f"{base}:after-{attempts}"


def lease() -> dt.timedelta:
    """How long a claimed delivery is left to its sender (REPORT_LEASE_SECONDS, 10 minutes)."""
    return dt.timedelta(seconds=get_settings().report_lease_seconds)


async def claim(delivery_id: int) -> dict[str, Any] | None:
    """Take the lease on a delivery; None when it is sent, failed or leased by a live sender."""
    moment = now()
    claimable = (ReportDelivery.status == DeliveryStatus.PENDING) | (
        (ReportDelivery.status == DeliveryStatus.SENDING) & (ReportDelivery.lease_until < moment)
    )
    claimed = (
        await ReportDelivery.update(
            {
                ReportDelivery.status: DeliveryStatus.SENDING,
                ReportDelivery.lease_until: moment + lease(),
                ReportDelivery.attempts: ReportDelivery.attempts + 1,
                ReportDelivery.updated_at: moment,
            }
        )
        .where((ReportDelivery.id == delivery_id) & claimable)
        .returning(*ReportDelivery.all_columns())
    )
    # the row comes back with the UPDATE: no second await in which a cancellation could leave
    # a claimed row without anyone to hand it back
    return claimed[0] if claimed else None


async def lease_left(delivery_id: int) -> dt.timedelta | None:
    """How long until another sender's lease on the row runs out; None when the row is not
    leased (sent, failed, pending) or its lease has already expired."""
    row = (
        await ReportDelivery.select(ReportDelivery.status, ReportDelivery.lease_until)
        .where(ReportDelivery.id == delivery_id)
        .first()
    )
    if row is None or row["status"] != DeliveryStatus.SENDING or row["lease_until"] is None:
        return None
    left = row["lease_until"] - now()  # Timestamptz: aware on both backends
    return left if left > dt.timedelta(0) else None


async def recipients(partner_id: int, partner_locale: str) -> list[Recipient]:
    """Active partner admins and the partner's extra report recipients, each address once; when
    there are none, the partner's own contact e-mail (the recipient of last resort)."""
    admins = await User.select(User.email, User.name, User.locale).where(
        (User.partner == partner_id) & (User.role == Role.PARTNER_ADMIN) & (User.is_active == True)  # noqa: E712
    )
    extra = await ReportRecipient.select().where(ReportRecipient.partner == partner_id)
    out: dict[str, Recipient] = {}
    for row in [*admins, *extra]:
        address = str(row["email"]).strip().lower()
        if address and address not in out:
            locale = normalise(row.get("locale")) or normalise(partner_locale) or "zh_CN"
            out[address] = Recipient(address, row.get("name") or "", locale)
    if not out:
        contact = (
            await Partner.select(Partner.contact_email, Partner.contact_name, Partner.locale)
            .where(Partner.id == partner_id)
            .first()
        )
        address = str((contact or {}).get("contact_email") or "").strip().lower()
        if contact and address:
            locale = normalise(contact["locale"]) or normalise(partner_locale) or "zh_CN"
            out[address] = Recipient(address, contact["contact_name"] or "", locale)
    return list(out.values())


def message_id(period: str, partner_id: int, resend_count: int, address: str) -> str:
    """Deterministic: the same report to the same address always has the same Message-ID."""
    domain = urlparse(get_settings().base_url).hostname or "portal.local"
    digest = hashlib.sha256(address.encode()).hexdigest()[:12]
    return f"<report-{period}-partner-{partner_id}-{resend_count}-{digest}@{domain}>"


async def renew(delivery_id: int, attempts: int) -> None:
    """Extend this sender's lease before a send; raises LeaseLost when the row was claimed again
    since (the claim counts attempts, so `attempts` names this sender's claim). Without it a
    sender whose lease ran out while it waited for the CPU (renders share one core) sent the
    same report as the sender that took the row over."""
    moment = now()
    renewed = (
        await ReportDelivery.update(
            {ReportDelivery.lease_until: moment + lease(), ReportDelivery.updated_at: moment}
        )
        .where(
            (ReportDelivery.id == delivery_id)
            & (ReportDelivery.status == DeliveryStatus.SENDING)
            & (ReportDelivery.attempts == attempts)
        )
        .returning(ReportDelivery.id)
    )
    if not renewed:
        raise LeaseLost(delivery_id)


async def send_report(delivery_id: int) -> str:
    """Send one delivery. Returns 'sent', 'busy' (claimed elsewhere or done), 'no_address'
    (nobody to send to) or 'failed' (the partner is gone); raises when SMTP failed (the row is
    pending again, with the error)."""
    row = await claim(delivery_id)
    if row is None:
        return "busy"
    mine = (ReportDelivery.id == delivery_id) & (ReportDelivery.attempts == int(row["attempts"]))
    partner_id = int(row["partner"])
    period = Period.parse(row["period"])
    try:
        partner = await Partner.select().where(Partner.id == partner_id).first()
        if partner is None:
            raise NothingToSend("partner missing")
        people = await recipients(partner_id, partner["locale"])
        if not people:
            await _finish(delivery_id, DeliveryStatus.NO_ADDRESS, "")
            return "no_address"
        data = await stored_pdf(row["pdf_key"])
        if data is None:
            if delay := get_settings().report_render_delay_seconds:
                await asyncio.sleep(delay)  # tests only: a window to kill the worker mid-render
            data = await render_report(partner_id, period, cached=True)
            key = await store_pdf(partner, period, data)
            await ReportDelivery.update(
                {ReportDelivery.pdf_key: key, ReportDelivery.pdf_size: len(data)}
            ).where(ReportDelivery.id == delivery_id)
        done = {a for a in str(row["sent_to"] or "").split("\n") if a}
        attachments = [(report_filename(partner, period), data, "application/pdf")]
        if period.kind == PeriodKind.MONTH:  # the month's 对账 statement goes with its report
            lang = normalise(partner["locale"]) or get_settings().default_locale
            statement = await statement_files.monthly_attachment(partner_id, period.code, lang)
            if statement is not None:
                attachments.append((*statement, "application/pdf"))
        for person in people:
            if person.email in done:
                continue
            renewed = time.monotonic()
            await renew(delivery_id, int(row["attempts"]))
            until = email.send_deadline(renewed, lease())
            await _mail(row, partner, period, person, attachments, until)
            done.add(person.email)
            await ReportDelivery.update({ReportDelivery.sent_to: "\n".join(sorted(done))}).where(
                ReportDelivery.id == delivery_id
            )
    except NothingToSend as exc:
        await _finish(delivery_id, DeliveryStatus.FAILED, str(exc))
        return "failed"
    except LeaseLost:
        return "busy"  # the row is the other sender's now: leave it alone
    except asyncio.CancelledError:
        # the worker is stopping (SIGTERM) or the job timed out: hand the row back at once
        # instead of leaving it leased for lease() (addresses already mailed stay in sent_to)
        await ReportDelivery.update(
            {
                ReportDelivery.status: DeliveryStatus.PENDING,
                ReportDelivery.lease_until: None,
                ReportDelivery.next_attempt_at: now(),
                ReportDelivery.updated_at: now(),
            }
        ).where(mine & (ReportDelivery.status == DeliveryStatus.SENDING))
        raise
    except Exception as exc:
        attempts = int(row["attempts"])
        status = DeliveryStatus.FAILED if attempts >= MAX_ATTEMPTS else DeliveryStatus.PENDING
        await ReportDelivery.update(
            {
                ReportDelivery.status: status,
                ReportDelivery.last_error: f"{type(exc).__name__}: {exc}"[:2000],
                ReportDelivery.lease_until: None,
                ReportDelivery.next_attempt_at: now() + email.backoff(attempts),
                ReportDelivery.updated_at: now(),
            }
        ).where(mine)  # not when another sender has the row by now
        raise
    await _finish(delivery_id, DeliveryStatus.SENT, "")
    return "sent"


async def _finish(delivery_id: int, status: DeliveryStatus, error: str) -> None:
    moment = now()
    values: dict[Any, Any] = {
        ReportDelivery.status: status,
        ReportDelivery.last_error: error,
        ReportDelivery.lease_until: None,
        ReportDelivery.updated_at: moment,
    }
    if status == DeliveryStatus.SENT:
        values[ReportDelivery.sent_at] = moment
    await ReportDelivery.update(values).where(ReportDelivery.id == delivery_id)


async def _mail(
    row: dict[str, Any],
    partner: dict[str, Any],
    period: Period,
    person: Recipient,
    attachments: list[tuple[str, bytes, str]],
    until: float,
) -> None:
    with use_locale(person.locale):
        context = {
            "name": person.name,
            "partner_name": partner["name"],
            "period_label": period.label(),
            "link": f"{get_settings().base_url}/performance/reports",
            "statement_link": (
                f"{get_settings().base_url}/money/statements/{period.code}"
                if len(attachments) > 1
                else ""
            ),
        }
    subject, text, html = email.render_email("report_monthly", context, person.locale)
    message = email.build_message(
        {
            "to_address": person.email,
            "subject": subject,
            "body_text": text,
            "body_html": html,
            "message_id": message_id(
                period.code, int(partner["id"]), int(row["resend_count"]), person.email
            ),
        },
        attachments=attachments,
    )
    await email.send_message(message, until=until)  # hang up before the renewed lease ends


async def resend(actor: Any, delivery_id: int) -> dict[str, Any]:
    """'Send again': the row goes back to pending for every recipient with a fresh PDF
    (the note may have changed); audited. Raises LookupError for an unknown id."""
    row = await ReportDelivery.select().where(ReportDelivery.id == delivery_id).first()
    if row is None:
        raise LookupError(delivery_id)
    moment = now()
    count = int(row["resend_count"]) + 1
    await ReportDelivery.update(
        {
            ReportDelivery.status: DeliveryStatus.PENDING,
            ReportDelivery.resend_count: count,
            ReportDelivery.sent_to: "",
            ReportDelivery.pdf_key: "",
            ReportDelivery.attempts: 0,
            ReportDelivery.last_error: "",
            ReportDelivery.lease_until: None,
            ReportDelivery.next_attempt_at: moment,
            ReportDelivery.updated_at: moment,
        }
    ).where(ReportDelivery.id == delivery_id)
    await record(
        "performance.report_resent",
        actor=actor,
        partner_id=int(row["partner"]),
        target_type="report_delivery",
        target_id=delivery_id,
        before={"status": row["status"], "sent_at": row["sent_at"]},
        after={"status": DeliveryStatus.PENDING, "resend_count": count},
        detail=str(row["period"]),
    )
    return {**row, "resend_count": count}


async def enqueue_due(period: Period | None = None) -> int:
    """Queue a send job for every due delivery, with its fixed job id; returns how many were
    really queued (not those whose job is still queued or running, nor any when Redis is down)."""

    queued = 0
    for row in await due_deliveries(period):
        queued += await jobs.enqueue(
            "send_performance_report",
            int(row["id"]),
            job_id=job_id(
                str(row["period"]),
                int(row["partner"]),
                int(row["resend_count"]),
                int(row["attempts"]),
            ),
        )
    return queued


async def prepare_month(actor: Any, period: Period) -> int:
    """The console's "send now": rollups of the month, missing rows, queued jobs; audited."""

    await rollups.refresh_rollups(period.months)
    created = await ensure_deliveries(period)
    # partners that had no address: sent now if someone added one since (else no_address again)
    await ReportDelivery.update(
        {
            ReportDelivery.status: DeliveryStatus.PENDING,
            ReportDelivery.next_attempt_at: now(),
            ReportDelivery.updated_at: now(),
        }
    ).where(
        (ReportDelivery.period == period.code)
        & (ReportDelivery.status == DeliveryStatus.NO_ADDRESS)
    )
    queued = await enqueue_due(period)
    await record(
        "performance.reports_prepared",
        actor=actor,
        target_type="report_delivery",
        detail=f"{period.code}: {created} rows created, {queued} queued",
    )
    return queued
