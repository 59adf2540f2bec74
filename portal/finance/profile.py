"""The partner's finance profile: payment terms (vendor staff) and invoicing details (开票信息,
the partner admin). Every change is written to the audit log with what it was before."""

from __future__ import annotations

import re
from typing import Any

import msgspec

from portal.auth.schemas import CurrentUser
from portal.core.audit import changes, record
from portal.db import write_transaction
from portal.finance import ledger
from portal.finance.constants import DEFAULT_TERMS, PaymentTerms
from portal.finance.tables import FinanceProfile
from portal.lib.clock import now
from portal.lib.forms import FormError
from portal.lib.i18n import gettext as _

# GB 32100-2015: 18 characters from this alphabet (no I, O, S, V, Z); the last is a check
# character over the first 17 with weights 3^i mod 31.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
USCC_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")

INVOICING_FIELDS = (
    "invoice_title",
    "tax_number",
    "invoice_address",
    "invoice_phone",
    "bank_name",
    "bank_account",
)


def uscc_check_char(first17: str) -> str:
    """The check character of a unified social credit code's first 17 characters."""
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_error(code: str) -> str | None:
    """Why `code` is not a valid unified social credit code, or None."""
    if len(code) != 18:
        return _("A unified social credit code has 18 characters.")
    if not USCC_RE.match(code):
        return _("Use digits and capital letters except I, O, S, V and Z.")
    if uscc_check_char(code[:17]) != code[17]:
        return _("The check character does not match: check the code for a typing mistake.")
    return None


class InvoicingForm(msgspec.Struct, kw_only=True):
    """开票信息 as the partner admin enters it."""

    invoice_title: str = ""
    tax_number: str = ""
    invoice_address: str = ""
    invoice_phone: str = ""
    bank_name: str = ""
    bank_account: str = ""


LIMITS = {
    "invoice_title": 200,
    "invoice_address": 300,
    "invoice_phone": 40,
    "bank_name": 200,
    "bank_account": 40,
}


def clean(form: InvoicingForm) -> dict[str, str]:
    """The form's values trimmed (the tax number upper-cased, bank account without spaces);
    FormError with every field's message when something is wrong."""
    values = {f: str(getattr(form, f) or "").strip() for f in INVOICING_FIELDS}
    values["tax_number"] = values["tax_number"].replace(" ", "").upper()
    values["bank_account"] = re.sub(r"[\s-]", "", values["bank_account"])
    errors: dict[str, str] = {}
    if not values["invoice_title"]:
        errors["invoice_title"] = _("Enter the invoice title (the company's registered name).")
    if not values["tax_number"]:
        errors["tax_number"] = _("Enter the unified social credit code.")
    elif message := uscc_error(values["tax_number"]):
        errors["tax_number"] = message
    for name, limit in LIMITS.items():
        if len(values[name]) > limit:
            errors[name] = _("At most %(n)s characters.", n=limit)
    if values["bank_account"] and not re.fullmatch(r"[0-9]+", values["bank_account"]):
        errors["bank_account"] = _("A bank account number has digits only.")
    if values["invoice_phone"] and not re.fullmatch(r"[0-9+()\- ]{5,40}", values["invoice_phone"]):
        errors["invoice_phone"] = _("Enter a phone number such as 021-6288 1024.")
    if errors:
        raise FormError(errors)
    return values


async def get_profile(partner_id: int) -> dict[str, Any]:
    """The partner's finance profile (defaults when none was saved yet)."""
    row = await FinanceProfile.select().where(FinanceProfile.partner == partner_id).first()
    if row is None:
        return {"partner": partner_id, "payment_terms": DEFAULT_TERMS.value, "updated_at": None}
    return row  # type: ignore[no-any-return]


def _must_be_partner_admin(actor: CurrentUser, partner_id: int) -> None:
    if not (actor.is_partner_admin and actor.partner_id == partner_id):
        raise FormError({"": _("Only your company's administrators change the invoicing details.")})


async def update_invoicing(actor: CurrentUser, form: InvoicingForm) -> dict[str, str]:
    """The partner admin saves the company's invoicing details; audited with the changes."""
    if actor.partner_id is None:
        raise FormError({"": _("Only your company's administrators change the invoicing details.")})
    partner_id = actor.partner_id
    _must_be_partner_admin(actor, partner_id)
    values = clean(form)
    async with write_transaction():
        await ledger.ensure_profile(partner_id)
        before = await get_profile(partner_id)
        old, new = changes({f: before.get(f, "") for f in INVOICING_FIELDS}, values)
        if not new:
            return {}
        await FinanceProfile.update(
            {
                **{getattr(FinanceProfile, f): v for f, v in values.items()},
                FinanceProfile.updated_at: now(),
                FinanceProfile.updated_by_id: actor.id,
            }
        ).where(FinanceProfile.partner == partner_id)
        await record(
            "finance.invoicing_updated",
            actor=actor,
            partner_id=partner_id,
            target_type="partner",
            target_id=partner_id,
            before=old,
            after=new,
        )
    return new


async def set_payment_terms(actor: CurrentUser, partner: dict[str, Any], terms: str) -> bool:
    """Vendor staff set the partner's payment terms (new receivables use them); audited.
    Returns whether anything changed; FormError for unknown terms."""
    if not actor.is_vendor:
        raise FormError({"": _("Only vendor staff set payment terms.")})
    try:
        chosen = PaymentTerms(terms)
    except ValueError:
        raise FormError({"payment_terms": _("Choose payment terms.")}) from None
    partner_id = int(partner["id"])
    async with write_transaction():
        await ledger.ensure_profile(partner_id)
        before = (await get_profile(partner_id))["payment_terms"]
        if before == chosen.value:
            return False
        await FinanceProfile.update(
            {
                FinanceProfile.payment_terms: chosen.value,
                FinanceProfile.updated_at: now(),
                FinanceProfile.updated_by_id: actor.id,
            }
        ).where(FinanceProfile.partner == partner_id)
        await record(
            "finance.terms_changed",
            actor=actor,
            partner_id=partner_id,
            target_type="partner",
            target_id=partner_id,
            before={"payment_terms": before},
            after={"payment_terms": chosen.value},
        )
    return True
