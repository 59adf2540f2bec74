"""Registering a deal: save a draft (new or changed), submit it with the conflict check.

Only partner users with the sales permission register deals, always for their own partner (the
partner comes from the signed-in user). The customer is one of the partner's (through the
customers door) or a new one created on the spot. Every verb writes its event and audit entry
in one write transaction and notifies after the commit.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from portal.auth.constants import Permission
from portal.auth.schemas import CurrentUser
from portal.core.audit import record
from portal.customers.access import CustomerRef, customer_ref_for_user
from portal.customers.contacts import ContactData
from portal.customers.records import CustomerData, create_customer
from portal.db import write_transaction
from portal.deals import matching
from portal.deals.access import get_deal_for_user
from portal.deals.conflicts import conflicting_ids
from portal.deals.constants import EDITABLE, MAX_LINES, NUMBER_PREFIX, DealStatus, EventKind
from portal.deals.events import add_event, announce
from portal.deals.schemas import DealData
from portal.deals.tables import Deal, DealLine
from portal.lib.clock import now, zone
from portal.lib.forms import EMAIL_RE, FormError
from portal.lib.i18n import gettext as _
from portal.lib.inputs import parse_int
from portal.orders.catalog import products_by_sku
from portal.tenancy import NotFound


class NotAllowed(FormError):
    """The deal is not in a state that allows this step (409 in the API)."""

    def __init__(self, message: str) -> None:
        super().__init__({"": message})
        self.message = message


def deal_number(deal_id: int, created_at: Any) -> str:
    """DR-<year>-<id>: from the row id, so deals registered at once never compete for a number;
    the year is the portal's time zone's."""
    return f"{NUMBER_PREFIX}-{created_at.astimezone(zone()):%Y}-{deal_id:06d}"


def parse_lines(text: str) -> tuple[list[tuple[str, int]], str]:
    """ "SKU quantity" per line (also "SKU,quantity" or a tab) -> [(sku, qty)], error text."""
    out: list[tuple[str, int]] = []
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = [p for p in re.split(r"[\s,，;；]+", line) if p]
        quantity = parse_int(parts[1], low=1) if len(parts) == 2 else None
        if quantity is None:
            return [], _("Line %(n)s: write a SKU and a quantity, e.g. CAM-200 40.", n=n)
        out.append((parts[0], quantity))
    return out, ""


def _seller(actor: CurrentUser) -> int:
    if not (actor.is_partner and actor.has(Permission.SALES)) or actor.partner_id is None:
        raise FormError({"": _("You do not have permission to do this.")})
    return actor.partner_id


async def _lines(data: DealData) -> list[dict[str, Any]]:
    errors: dict[str, str] = {}
    if not data.lines:
        errors["lines"] = _("Add at least one product.")
    if len(data.lines) > MAX_LINES:
        errors["lines"] = _("At most %(n)s products.", n=MAX_LINES)
    products = await products_by_sku([sku for sku, _q in data.lines])
    unknown = [sku for sku, _q in data.lines if sku not in products]
    if unknown:
        errors["lines"] = _("Unknown SKU: %(skus)s", skus=", ".join(unknown[:5]))
    if errors:
        raise FormError(errors)
    merged: dict[str, int] = {}
    for sku, quantity in data.lines:
        merged[sku] = merged.get(sku, 0) + quantity
    return [{"product": products[s]["id"], "sku": s, "quantity": q} for s, q in merged.items()]


def _check(data: DealData) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not data.name.strip():
        errors["name"] = _("This field is required.")
    if data.customer_id is None and not data.customer_name.strip():
        errors["customer_id"] = _("Choose a customer or enter a new customer's name.")
    code = matching.credit_code(data.credit_code)
    if code and not matching.valid_credit_code(code):
        errors["credit_code"] = _("A unified social credit code has 18 letters and digits.")
    if data.customer_email.strip() and not EMAIL_RE.match(data.customer_email.strip()):
        errors["customer_email"] = _("Enter an e-mail address.")
    return errors


async def _customer(actor: CurrentUser, data: DealData) -> CustomerRef:
    """The customer (id, name, phone, e-mail) the deal is for; creates a new one."""
    if data.customer_id is not None:
        try:
            customer = await customer_ref_for_user(actor, data.customer_id)
        except NotFound:
            raise FormError({"customer_id": _("No such customer.")}) from None
        return customer
    contact = ContactData(
        name=data.customer_name.strip()[:100],
        phone=data.customer_phone.strip(),
        email=data.customer_email.strip(),
    )
    customer_id = await create_customer(
        actor,
        CustomerData(name=data.customer_name.strip(), contacts=[contact]),
        allow_duplicate=True,
        via="deal",
    )
    return await customer_ref_for_user(actor, customer_id)


def _values(data: DealData, customer: CustomerRef) -> dict[str, Any]:
    phone = data.customer_phone.strip() or customer.contact_phone
    mail = (data.customer_email.strip() or customer.contact_email).lower()
    return {
        "name": data.name.strip()[:200],
        "customer": customer.id,
        "customer_name": customer.name,
        "customer_key": matching.customer_key(customer.name),
        "credit_code": matching.credit_code(data.credit_code),
        "customer_phone": phone[:40],
        "phone_key": matching.phone_key(phone),
        "customer_email": mail[:200],
        "email_domain": matching.email_domain(mail),
        "estimated_amount": int(data.estimated_amount),
        "expected_close_on": data.expected_close_on,
        "competitors": data.competitors.strip()[:300],
        "stage": data.stage,
        "note": data.note.strip(),
    }


async def save_deal(actor: CurrentUser, data: DealData, deal_id: int | None = None) -> int:
    """A new draft, or changes to a draft or a deal the vendor asked about; returns its id.

    FormError for bad input (every field at once), NotFound outside the wall, NotAllowed once
    submitted, decided or closed."""
    partner_id = _seller(actor)
    before = None
    if deal_id is not None:
        before = await get_deal_for_user(actor, deal_id)
        if before["status"] not in EDITABLE:
            raise NotAllowed(_("This deal can no longer be changed."))
        if data.customer_id is None and not data.customer_name:
            data.customer_id = before["customer"]
    errors = _check(data)
    try:
        lines = await _lines(data)
    except FormError as exc:
        errors.update(exc.errors)
    if errors:
        raise FormError(errors)
    customer = await _customer(actor, data)
    values = _values(data, customer)
    moment = now()
    async with write_transaction():
        if deal_id is None:
            rows = await Deal.insert(
                Deal(
                    number=f"new-{secrets.token_hex(8)}",  # replaced by the real number below
                    partner=partner_id,
                    owner=actor.id,
                    status=DealStatus.DRAFT,
                    created_at=moment,
                    updated_at=moment,
                    **values,
                )
            ).returning(Deal.id)
            deal_id = int(rows[0]["id"])
            number = deal_number(deal_id, moment)
            await Deal.update({Deal.number: number}).where(Deal.id == deal_id)
            await add_event(deal_id, EventKind.CREATED, actor, to_status=DealStatus.DRAFT)
        else:
            number = before["number"] if before else ""
            changes: dict[Any, Any] = {**values, "updated_at": moment}
            await Deal.update(changes).where(Deal.id == deal_id)
            await DealLine.delete().where(DealLine.deal == deal_id)
            await add_event(deal_id, EventKind.UPDATED, actor)
        await DealLine.insert(*[DealLine(deal=deal_id, **line) for line in lines])
        await record(
            "deal.saved",
            actor=actor,
            partner_id=partner_id,
            target_type="deal",
            target_id=deal_id,
            after={"number": number, "name": values["name"], "amount": values["estimated_amount"]},
        )
    return deal_id


async def submit_deal(actor: CurrentUser, deal_id: int) -> bool:
    """Send a draft (or an answered question) to the vendor; returns whether it conflicts with
    another partner's registration (told to the partner without naming it)."""
    _seller(actor)
    deal = await get_deal_for_user(actor, deal_id)
    if deal["status"] not in EDITABLE:
        raise NotAllowed(_("This deal has already been submitted."))
    lines = await DealLine.select(DealLine.product).where(DealLine.deal == deal_id)
    conflict = bool(await conflicting_ids(deal, [int(r["product"]) for r in lines]))
    moment = now()
    async with write_transaction():
        changed = await (
            Deal.update(
                {
                    Deal.status: DealStatus.SUBMITTED,
                    Deal.conflict: conflict,
                    Deal.submitted_at: moment,
                    Deal.updated_at: moment,
                }
            )
            .where((Deal.id == deal_id) & Deal.status.is_in(list(EDITABLE)))
            .returning(Deal.id)
        )
        if not changed:
            raise NotAllowed(_("This deal has already been submitted."))
        event = await add_event(
            deal_id,
            EventKind.SUBMITTED,
            actor,
            from_status=deal["status"],
            to_status=DealStatus.SUBMITTED,
            detail="conflict" if conflict else "",
        )
        await record(
            "deal.submitted",
            actor=actor,
            partner_id=deal["partner"],
            target_type="deal",
            target_id=deal_id,
            after={"number": deal["number"], "conflict": conflict},
        )
    await announce([event])
    return conflict
