"""Writing and reading the audit log; the only code that touches audit_log."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any, Protocol

from portal.core.tables import AuditEntry
from portal.lib import clock
from portal.lib.clock import now
from portal.lib.i18n import N_
from portal.lib.i18n import gettext as _


class ActorLike(Protocol):
    id: int
    email: str
    ip: str


def _jsonable(values: dict[str, Any] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in (values or {}).items():
        if isinstance(value, dt.datetime | dt.date):
            out[key] = value.isoformat()
        elif hasattr(value, "value") and not isinstance(value, int | str):
            out[key] = value.value
        else:
            out[key] = value
    return out


async def record(
    action: str,
    *,
    actor: ActorLike | None = None,
    actor_email: str = "",
    partner_id: int | None = None,
    target_type: str = "",
    target_id: int | str | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    detail: str = "",
    ip: str = "",
) -> None:
    """Append one entry; call inside the transaction of the change it describes."""
    await AuditEntry.insert(
        AuditEntry(
            at=now(),
            actor_id=actor.id if actor else None,
            actor_email=actor.email if actor else actor_email,
            partner_id=partner_id,
            action=action,
            target_type=target_type,
            target_id="" if target_id is None else str(target_id),
            ip=(actor.ip if actor else "") or ip,
            before=_jsonable(before),
            after=_jsonable(after),
            detail=detail[:2000],
        )
    )


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose value changed, as (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    actor: str = ""
    partner_id: int | None = None
    partner_ids: tuple[int, ...] | None = None  # the partners whose name matched (none: no rows)
    since: dt.date | None = None
    until: dt.date | None = None
    page: int = 1
    per_page: int = 50


async def list_entries(
    filters: AuditFilters, *, with_total: bool = True
) -> tuple[list[dict[str, Any]], int]:
    """A page of entries, newest first, and the total count for the filters (0 when not
    `with_total`: a page that shows only the latest entry skips the count)."""
    where = []
    if filters.action:
        where.append(AuditEntry.action.like(f"{filters.action}%"))
    if filters.actor:
        where.append(AuditEntry.actor_email.ilike(f"%{filters.actor}%"))
    if filters.partner_id:
        where.append(AuditEntry.partner_id == filters.partner_id)
    if filters.partner_ids is not None:
        where.append(AuditEntry.partner_id.is_in(list(filters.partner_ids) or [-1]))
    if filters.since:
        where.append(AuditEntry.at >= clock.day_start(filters.since))
    if filters.until:
        end = clock.day_start(filters.until + dt.timedelta(days=1))
        where.append(AuditEntry.at < end)
    query = AuditEntry.select().order_by(AuditEntry.id, ascending=False)
    count = AuditEntry.count()
    if where:
        query = query.where(*where)
        count = count.where(*where)
    rows = await query.limit(filters.per_page).offset((filters.page - 1) * filters.per_page)
    for row in rows:  # JSON columns come back as text on SQLite
        for key in ("before", "after"):
            row[key] = _decoded(row[key])
    return rows, (await count if with_total else 0)


def _decoded(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        try:
            value = json.loads(value or "{}")
        except ValueError:
            return {}
    return value if isinstance(value, dict) else {}


async def list_actions() -> list[str]:
    rows = await AuditEntry.select(AuditEntry.action).distinct().order_by(AuditEntry.action)
    return [r["action"] for r in rows]


# ---- how people read the log (issue 12, point 12) ---------------------------------------------
# Every action a person can meet in the log, in words (translated when shown, never here).
ACTION_LABELS: dict[str, str] = {
    "login.success": N_("Signed in"),
    "login.failure": N_("Sign-in refused"),
    "api_token.success": N_("API token issued after sign-in"),
    "api_token.failure": N_("API sign-in refused"),
    "api_token.create": N_("API token created"),
    "api_token.revoke": N_("API token revoked"),
    "permission.denied": N_("Access refused"),
    "password_reset.request": N_("Password reset requested"),
    "password_reset.complete": N_("Password reset"),
    "user.create": N_("User created"),
    "user.profile": N_("Profile changed"),
    "user.password_change": N_("Password changed"),
    "user.role_change": N_("Role changed"),
    "user.disable": N_("User disabled"),
    "user.enable": N_("User enabled"),
    "invitation.create": N_("Invitation sent"),
    "invitation.accept": N_("Invitation accepted"),
    "invitation.revoke": N_("Invitation revoked"),
    "application.submit": N_("Application submitted"),
    "application.approve": N_("Application approved"),
    "application.decline": N_("Application declined"),
    "partner.create": N_("Partner created"),
    "partner.update": N_("Partner changed"),
    "partner.tier_change": N_("Tier changed"),
    "partner.credit_limit_change": N_("Credit limit changed"),
    "partner.suspend": N_("Partner suspended"),
    "partner.reactivate": N_("Partner re-activated"),
    "partner.notes_change": N_("Channel team notes changed"),
    "partner.export": N_("Partners exported"),
    "partner.address_added": N_("Delivery address added"),
    "partner.address_changed": N_("Delivery address changed"),
    "partner.address_removed": N_("Delivery address removed"),
    "order.place": N_("Order placed"),
    "order.submitted": N_("Order submitted"),
    "order.approved": N_("Order approved"),
    "order.rejected": N_("Order rejected"),
    "order.cancelled": N_("Order cancelled"),
    "order.shipped": N_("Order shipped"),
    "order.delivered": N_("Order delivered"),
    "product.create": N_("Product created"),
    "product.update": N_("Product changed"),
    "category.save": N_("Category saved"),
    "warehouse.save": N_("Warehouse saved"),
    "stock.adjustment": N_("Stock corrected"),
    "stock.import": N_("Stock imported"),
    "stock.sync": N_("Stock synchronised"),
    "stock.shipment": N_("Stock shipped"),
    "import.products": N_("Products imported"),
    "import.prices": N_("Prices imported"),
    "import.stock": N_("Stock imported"),
    "price_list.create": N_("Price list created"),
    "price_list.update": N_("Price list changed"),
    "price_list.item_set": N_("Price set"),
    "price_list.item_delete": N_("Price removed"),
    "contract_price.create": N_("Contract price added"),
    "contract_price.delete": N_("Contract price removed"),
    "quantity_break.create": N_("Volume break added"),
    "quantity_break.delete": N_("Volume break removed"),
    "customer.created": N_("Customer created"),
    "customer.updated": N_("Customer changed"),
    "customer.imported": N_("Customers imported"),
    "customer.contact_added": N_("Contact person added"),
    "customer.contact_removed": N_("Contact person removed"),
    "customer.contact_logged": N_("Contact logged"),
    "customer.followup_done": N_("Follow-up done"),
    "customer.bulk_tagged": N_("Customers tagged"),
    "customer.bulk_untagged": N_("Tag removed from customers"),
    "customer.visibility_changed": N_("Customer visibility changed"),
    "customer.digest_on": N_("Follow-up digest switched on"),
    "customer.digest_off": N_("Follow-up digest switched off"),
    "support.case_opened": N_("Case opened"),
    "support.case_reply": N_("Case answered"),
    "support.case_note": N_("Internal note on a case"),
    "support.case_status": N_("Case status changed"),
    "support.case_assigned": N_("Case assigned"),
    "support.case_priority": N_("Case priority changed"),
    "support.article_created": N_("Article created"),
    "support.article_updated": N_("Article changed"),
    "support.calendar_changed": N_("Service hours changed"),
    "support.holiday_added": N_("Holiday added"),
    "support.holiday_removed": N_("Holiday removed"),
    "support.rule_added": N_("Routing rule added"),
    "support.rule_removed": N_("Routing rule removed"),
    "support.targets_changed": N_("Service time targets changed"),
    "support.team_saved": N_("Support team saved"),
    "inbound_email.refused": N_("Incoming e-mail refused"),
    "email.retry": N_("E-mail sent again"),
    "campaign.created": N_("Campaign created"),
    "campaign.updated": N_("Campaign changed"),
    "campaign.scheduled": N_("Campaign scheduled"),
    "campaign.unscheduled": N_("Campaign schedule cancelled"),
    "campaign.published": N_("Campaign published"),
    "campaign.archived": N_("Campaign archived"),
    "campaign.file_added": N_("Campaign file added"),
    "campaign.file_removed": N_("Campaign file removed"),
    "feedback.created": N_("Feedback request created"),
    "feedback.updated": N_("Feedback request changed"),
    "feedback.scheduled": N_("Feedback request scheduled"),
    "feedback.opened": N_("Feedback request opened"),
    "feedback.closed": N_("Feedback request closed"),
    "feedback.question_added": N_("Question added"),
    "feedback.question_removed": N_("Question removed"),
    "feedback.answered": N_("Feedback answered"),
    "feedback.answer_changed": N_("Feedback answer changed"),
    "deal.saved": N_("Deal saved"),
    "deal.submitted": N_("Deal submitted"),
    "deal.approved": N_("Deal approved"),
    "deal.declined": N_("Deal declined"),
    "deal.info_requested": N_("More information asked for a deal"),
    "deal.stage": N_("Deal stage changed"),
    "deal.extension_requested": N_("Deal extension requested"),
    "deal.extended": N_("Deal protection extended"),
    "deal.expired": N_("Deal protection expired"),
    "deal.won": N_("Deal won"),
    "deal.lost": N_("Deal lost"),
    "lead.created": N_("Lead entered"),
    "lead.routed": N_("Lead offered to a partner"),
    "lead.accepted": N_("Lead accepted"),
    "lead.declined": N_("Lead declined"),
    "lead.timed_out": N_("Lead not accepted in time"),
    "lead.converted": N_("Lead registered as a deal"),
    "lead.rule_saved": N_("Lead routing rule saved"),
    "lead.rule_deleted": N_("Lead routing rule deleted"),
    "lead.capacity_set": N_("Partner lead capacity changed"),
    "deal.price_set": N_("Deal price granted"),
    "deal.file_attached": N_("File attached to a deal"),
    "deal.file_removed": N_("File removed from a deal"),
    "deal.protection_days_changed": N_("Deal protection periods changed"),
    "finance.invoice_recorded": N_("Invoice recorded"),
    "finance.invoicing_updated": N_("Invoicing details changed"),
    "finance.overdue_block_changed": N_("Overdue block changed"),
    "finance.payment_recorded": N_("Payment recorded"),
    "finance.payments_imported": N_("Payments imported"),
    "finance.rebate_programme_created": N_("Rebate programme created"),
    "finance.rebate_settled": N_("Rebate programme settled"),
    "finance.rebate_credited": N_("Rebate credited to the account"),
    "finance.rebate_deducted": N_("Rebate credit deducted on an order"),
    "finance.rebate_deduction_returned": N_("Rebate credit returned from an order"),
    "finance.terms_changed": N_("Payment terms changed"),
    "performance.note_saved": N_("Report note saved"),
    "performance.recipient_added": N_("Report recipient added"),
    "performance.recipient_removed": N_("Report recipient removed"),
    "performance.report_resent": N_("Report sent again"),
    "performance.reports_prepared": N_("Monthly reports prepared"),
    "performance.rollups_recomputed": N_("Performance figures recomputed"),
    "performance.target_set": N_("Target set"),
    "performance.targets_imported": N_("Targets imported"),
    "performance.thresholds_changed": N_("Tier thresholds changed"),
    "performance.weights_changed": N_("Score weights changed"),
    "audit.export": N_("Audit log exported"),
    "communications.setting_changed": N_("Feedback setting changed"),
}

# The record an entry is about, in words.
TARGET_LABELS: dict[str, str] = {
    "partner": N_("Partner"),
    "user": N_("User"),
    "order": N_("Order"),
    "support_case": N_("Case"),
    "campaign": N_("Campaign"),
    "feedback_request": N_("Feedback request"),
    "product": N_("Product"),
    "price_list": N_("Price list"),
    "contract_price": N_("Contract price"),
    "quantity_break": N_("Volume break"),
    "category": N_("Category"),
    "warehouse": N_("Warehouse"),
    "application": N_("Application"),
    "invitation": N_("Invitation"),
    "delivery_address": N_("Delivery address"),
    "deal": N_("Deal"),
    "customer": N_("Customer"),
    "email": N_("E-mail"),
    "kb_article": N_("Article"),
    "api_token": N_("API token"),
    "import": N_("Import"),
    "customer_import": N_("Import"),
    "receivable": N_("Invoice"),
    "payment": N_("Payment"),
    "statement": N_("Statement"),
    "report_delivery": N_("Monthly report"),
    "report_recipient": N_("Report recipient"),
    "route": N_("Page"),
    "setting": N_("Setting"),
}

# The fields of before -> after, in words (a field without a label shows its own name).
FIELD_LABELS: dict[str, str] = {
    "tier_id": N_("Tier"),
    "credit_limit_amount": N_("Credit limit"),
    "price_amount": N_("Price"),
    "list_price_amount": N_("List price"),
    "role": N_("Role"),
    "status": N_("Status"),
    "is_active": N_("Active"),
    "name": N_("Name"),
    "name_en": N_("English name"),
    "name_zh": N_("Chinese name"),
    "kind": N_("Kind"),
    "province": N_("Province"),
    "city": N_("City"),
    "address": N_("Address"),
    "contact_name": N_("Main contact"),
    "contact_phone": N_("Phone"),
    "contact_email": N_("E-mail"),
    "channel_manager_id": N_("Channel manager"),
    "locale": N_("Preferred language"),
    "notes": N_("Notes"),
    "joined_on": N_("Joined on"),
    "sku": N_("SKU"),
    "priority": N_("Priority"),
    "assignee_id": N_("Assignee"),
    "team_id": N_("Team"),
    "email": N_("E-mail"),
    "can_sales": N_("Sales"),
    "can_purchasing": N_("Purchasing"),
    "valid_from": N_("Valid from"),
    "valid_until": N_("Valid until"),
    "min_quantity": N_("Minimum quantity"),
    "discount_bp": N_("Discount"),
    "rows": N_("Rows"),
    "created": N_("Created"),
    "updated": N_("Updated"),
    "value": N_("Value"),
    "number": N_("Number"),
    "total_amount": N_("Total"),
    "lines": N_("Lines"),
    "company_name": N_("Company"),
    "amount": N_("Amount"),
    "detail": N_("Details"),
    "conflict": N_("Conflict"),
    "reason": N_("Reason"),
    "title": N_("Title"),
    "quantity": N_("Quantity"),
    "deal": N_("Deal"),
}


def action_label(action: str) -> str:
    """The action in the reader's words; an action without a label keeps its code."""
    label = ACTION_LABELS.get(action)
    return _(label) if label else action


def target_label(target_type: str) -> str:
    label = TARGET_LABELS.get(target_type)
    return _(label) if label else target_type


def field_label(key: str) -> str:
    label = FIELD_LABELS.get(key)
    return _(label) if label else key
